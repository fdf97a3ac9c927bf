from django.urls import path

from seabridge.vehicles import views

app_name = "vehicles"

urlpatterns = [
    path("", views.vehicle_list, name="vehicle-list"),
    path("deliver/", views.vehicle_deliver, name="vehicle-deliver"),
    path("milestones/", views.milestones, name="milestones"),
    path("export.<str:format>", views.vehicle_export, name="vehicle-export"),
    path("<str:vin>/", views.vehicle_timeline, name="vehicle-timeline"),
    path("<str:vin>/retail/", views.vehicle_retail, name="vehicle-retail"),
]
