from django.urls import path

from seabridge.markets import views

app_name = "markets"

urlpatterns = [
    path("", views.country_list, name="country-list"),
    path("export.<str:format>", views.country_export, name="country-export"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("countries/<str:code>/profile/edit/", views.profile_edit, name="profile-edit"),
    path("regions/", views.region_list, name="region-list"),
    path("regions/new/", views.region_create, name="region-create"),
    path("regions/<slug:code>/", views.region_detail, name="region-detail"),
    path("regions/<slug:code>/edit/", views.region_edit, name="region-edit"),
]
