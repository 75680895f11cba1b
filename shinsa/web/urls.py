from django.contrib.auth import views as auth_views
from django.urls import path

from shinsa.web.views import auth, catalog, health, home, media

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("catalog/<str:external_id>/", catalog.title, name="title"),
    path("login/", auth.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", health.healthz, name="healthz"),
    path("media/<int:asset_version_id>/<str:kind>", media.media, name="media"),
]
