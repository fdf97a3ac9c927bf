from django.urls import path

from seabridge.agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="agreement-list"),
    path("new/", views.agreement_create, name="agreement-create"),
    path("export.<str:format>", views.agreement_export, name="agreement-export"),
    path("market-visibility/", views.market_visibility_page, name="market-visibility"),
    path("<int:agreement_id>/", views.agreement_detail, name="agreement-detail"),
    path("<int:agreement_id>/edit/", views.agreement_edit, name="agreement-edit"),
    path("<int:agreement_id>/document/", views.agreement_document, name="agreement-document"),
    path("<int:agreement_id>/sub-grant/", views.agreement_create, name="agreement-sub-grant"),
    path("<int:agreement_id>/sign/", views.agreement_sign, name="agreement-sign"),
    path("<int:agreement_id>/activate/", views.agreement_activate, name="agreement-activate"),
    path("<int:agreement_id>/terminate/", views.agreement_terminate, name="agreement-terminate"),
]
