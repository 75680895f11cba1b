from django.urls import path

from shinsa.review import views

app_name = "review"

urlpatterns = [
    path("", views.queues, name="queues"),
    path("next", views.next_item, name="next"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("items/<int:item_id>/decide", views.decide, name="decide"),
    path("items/<int:item_id>/skip", views.skip, name="skip"),
    path("items/<int:item_id>/release", views.release, name="release"),
    path("items/<int:item_id>/heartbeat", views.heartbeat, name="heartbeat"),
    path("items/<int:item_id>/exposure", views.exposure, name="exposure"),
    path("items/<int:item_id>/appeal", views.decide_appeal, name="appeal"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path("decisions/<int:decision_id>/confirm", views.confirm, name="confirm"),
    path("decisions/<int:decision_id>/reject", views.reject, name="reject"),
    path("exposure/", views.exposure_overview, name="exposure_overview"),
    path("legal/", views.legal_orders, name="legal"),
]
