from django.urls import path

from shinsa.screening import views

app_name = "screening"

urlpatterns = [
    path("asset-versions/<int:asset_version_id>/", views.asset_version, name="asset_version"),
    path("asset-versions/<int:asset_version_id>/progress", views.progress, name="progress"),
]
