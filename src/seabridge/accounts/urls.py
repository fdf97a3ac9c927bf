from django.urls import path

from seabridge.accounts import views

app_name = "accounts"

urlpatterns = [
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization-detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization-edit"),
    path(
        "organizations/<int:pk>/members/invite/",
        views.member_invite_view,
        name="member-invite",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_id>/role/",
        views.member_role,
        name="member-role",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_id>/remove/",
        views.member_remove_view,
        name="member-remove",
    ),
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("act-as/", views.act_as, name="act-as"),
    path(
        "set-password/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="set-password",
    ),
]
