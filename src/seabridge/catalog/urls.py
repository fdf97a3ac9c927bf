from django.urls import path

from seabridge.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.brand_list, name="brand-list"),
    path("brands/new/", views.brand_create, name="brand-create"),
    path("brands/<int:pk>/", views.brand_detail, name="brand-detail"),
    path("brands/<int:pk>/edit/", views.brand_edit, name="brand-edit"),
    path(
        "brands/<int:brand_pk>/product-lines/new/",
        views.product_line_create,
        name="product-line-create",
    ),
    path("product-lines/<int:pk>/", views.product_line_detail, name="product-line-detail"),
    path("product-lines/<int:pk>/edit/", views.product_line_edit, name="product-line-edit"),
    path("variants/", views.variant_list, name="variant-list"),
    path("variants/new/", views.variant_create, name="variant-create"),
    path("variants/export.<str:format>", views.variant_export, name="variant-export"),
    path("variants/<int:pk>/", views.variant_detail, name="variant-detail"),
    path("variants/<int:pk>/edit/", views.variant_edit, name="variant-edit"),
    path(
        "variants/<int:variant_pk>/homologations/new/",
        views.homologation_create,
        name="homologation-create",
    ),
    path("homologations/<int:pk>/edit/", views.homologation_edit, name="homologation-edit"),
]
