from django.urls import path

from shinsa.ratings import views

app_name = "ratings"

urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("cut/<str:external_id>/<str:label>/", views.cut, name="cut"),
    path("cut/<str:external_id>/<str:label>/certificates", views.record_certificate, name="certificate"),
    path("assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path("assessments/<int:assessment_id>/<slug:step>", views.assessment_step, name="step"),
    path("overrides/<int:override_id>/decide", views.decide_override, name="decide"),
]
