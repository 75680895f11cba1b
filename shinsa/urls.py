from django.contrib import admin
from django.urls import include, path

from shinsa.accounts import sso
from shinsa.api.api import api
from shinsa.web.views.language import set_language

urlpatterns = [
    path("api/v1/", api.urls),
    # Django's set_language, wrapped so a signed-in person's choice is also kept on their account.
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    # Single sign-on (django-allauth's OpenID Connect views only: no sign-up, no password pages).
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("accounts/sso/error/", sso.login_error, name="socialaccount_login_error"),
    path("accounts/sso/cancelled/", sso.login_error, name="socialaccount_login_cancelled"),
    path("ratings/", include("shinsa.ratings.urls")),
    path("review/", include("shinsa.review.urls")),
    path("labeling/", include("shinsa.labeling.urls")),
    path("quality/", include("shinsa.quality.urls")),
    path("screening/", include("shinsa.screening.urls")),
    path("banks/", include("shinsa.banks.urls")),
    path("oncall/", include("shinsa.oncall.urls")),
    path("", include("shinsa.insights.urls")),
    path("", include("shinsa.web.urls")),
]
