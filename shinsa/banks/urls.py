from django.urls import path

from shinsa.banks import views

app_name = "banks"

urlpatterns = [
    path("", views.bank_list, name="list"),
    path("new", views.create_bank, name="create"),
    path("<int:bank_id>/", views.bank_detail, name="detail"),
    path("<int:bank_id>/entries", views.add_entry, name="add_entry"),
    path("<int:bank_id>/import", views.import_entries, name="import"),
    path("<int:bank_id>/export.csv", views.export_entries, name="export"),
    path("<int:bank_id>/enabled", views.set_enabled, name="enabled"),
    path("entries/<int:entry_id>/confirm", views.confirm_entry, name="confirm"),
    path("entries/<int:entry_id>/remove", views.remove_entry, name="remove"),
]
