from django.urls import path

from shinsa.labeling import views

app_name = "labeling"

urlpatterns = [
    path("", views.projects, name="projects"),
    path("next", views.claim_next, name="next"),
    path("tasks/<int:task_id>/", views.task, name="task"),
    path("tasks/<int:task_id>/autosave", views.autosave, name="autosave"),
    path("tasks/<int:task_id>/submit", views.submit, name="submit"),
    path("tasks/<int:task_id>/exposure", views.exposure, name="exposure"),
    path("projects/new", views.new_project, name="new_project"),
    path("projects/<slug:slug>/", views.project, name="project"),
    path("projects/<slug:slug>/fill", views.fill_project, name="fill"),
    path("rights/<str:external_id>", views.set_rights, name="rights"),
]
