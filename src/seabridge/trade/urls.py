from django.urls import path

from seabridge.trade import views

app_name = "trade"

urlpatterns = [
    path("orders/", views.order_list, name="order-list"),
    path("orders/new/", views.order_create, name="order-create"),
    path("orders/export.<str:format>", views.order_export, name="order-export"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/edit/", views.order_edit, name="order-edit"),
    path("orders/<int:pk>/transition/", views.order_transition, name="order-transition"),
    path("orders/<int:pk>/respond/", views.order_respond, name="order-respond"),
    path(
        "orders/<int:pk>/lines/<int:line_id>/allocate/",
        views.line_allocate,
        name="line-allocate",
    ),
    path("shipments/", views.shipment_list, name="shipment-list"),
    path("shipments/new/", views.shipment_create, name="shipment-create"),
    path("shipments/export.<str:format>", views.shipment_export, name="shipment-export"),
    path("shipments/<int:pk>/", views.shipment_detail, name="shipment-detail"),
    path("shipments/<int:pk>/vehicles/", views.shipment_vehicles, name="shipment-vehicles"),
    path("shipments/<int:pk>/depart/", views.shipment_depart, name="shipment-depart"),
    path("shipments/<int:pk>/arrive/", views.shipment_arrive, name="shipment-arrive"),
    path("exchange-rates/", views.exchange_rate_list, name="exchange-rate-list"),
    path("exchange-rates/new/", views.exchange_rate_create, name="exchange-rate-create"),
]
