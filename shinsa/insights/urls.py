from django.urls import path

from shinsa.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.overview, name="dashboard"),
    path("insights/reports/flagged", views.flagged, name="flagged"),
    path("insights/reports/<int:report_id>/resolve", views.resolve_flagged, name="resolve"),
    path("report/", views.report_form, name="report_form"),
]
