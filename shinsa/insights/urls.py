from django.urls import path

from shinsa.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.overview, name="dashboard"),
    path("insights/reports/flagged", views.flagged, name="flagged"),
    path("insights/reports/<int:report_id>/resolve", views.resolve_flagged, name="resolve"),
    path("insights/recall/", views.recall_audits, name="recall"),
    path("insights/recall/<int:audit_id>", views.record_recall_audit, name="recall_record"),
    path("report/", views.report_form, name="report_form"),
]
