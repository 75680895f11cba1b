from django.contrib.auth import views as auth_views
from django.urls import path

from shinsa.web.views import auth, catalog, health, home, media, metrics, second_factor

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("catalog/<str:external_id>/", catalog.title, name="title"),
    path("login/", auth.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", second_factor.enrol, name="two_factor_enrol"),
    path("account/two-factor/verify/", second_factor.verify, name="two_factor_verify"),
    path("healthz", health.healthz, name="healthz"),
    path("media/<int:asset_version_id>/<str:kind>", media.media, name="media"),
    path("metrics", metrics.metrics, name="metrics"),
]
