from django.urls import path

from shinsa.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.index, name="index"),
    path("audits/", views.plans, name="plans"),
    path("audits/plans/<int:plan_id>/", views.plan, name="plan"),
    path("audits/next", views.next_audit, name="next_audit"),
    path("audits/<int:sample_id>/", views.sample, name="sample"),
    path("audits/<int:sample_id>/<slug:step>", views.sample_step, name="sample_step"),
    path("scorecards/", views.scorecards_page, name="scorecards"),
    path("scorecards.xlsx", views.scorecards_export, name="scorecards_xlsx"),
    path("gold/", views.gold, name="gold"),
    path("gold/place", views.place_gold, name="place_gold"),
    path("onboarding/<int:set_id>/", views.onboarding, name="onboarding"),
    path("onboarding/<int:set_id>/answer", views.onboarding_answer, name="onboarding_answer"),
    path("calibration/", views.calibration, name="calibration"),
    path("calibration/<int:session_id>/", views.session, name="session"),
    path("calibration/<int:session_id>/<slug:step>", views.session_step, name="session_step"),
]
