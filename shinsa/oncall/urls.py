from django.urls import path

from shinsa.oncall import views

app_name = "oncall"

urlpatterns = [
    path("", views.rotations, name="rotations"),
    path("me/", views.my_shifts, name="mine"),
    path("me/calendar", views.rotate_calendar, name="rotate_calendar"),
    path("calendar/<int:user_id>/<str:token>.ics", views.calendar, name="calendar"),
    path("pages/", views.pages, name="pages"),
    path("pages/<int:page_id>/", views.page_detail, name="page"),
    path("pages/<int:page_id>/<slug:step>", views.page_step, name="page_step"),
    path("rotations/<slug:slug>/handoff", views.handoff, name="handoff"),
]
