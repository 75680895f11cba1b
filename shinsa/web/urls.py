from django.contrib.auth import views as auth_views
from django.urls import path

from shinsa.web.views import auth, health, home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", health.healthz, name="healthz"),
]
