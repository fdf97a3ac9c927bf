from django.urls import path

from seabridge.planning import views

app_name = "planning"

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/export.<str:format>", views.plan_export, name="plan-export"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path(
        "plans/<int:pk>/progress.<str:format>",
        views.plan_progress_export,
        name="plan-progress-export",
    ),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/transition/", views.plan_transition, name="plan-transition"),
    path("plans/<int:pk>/steps/", views.plan_phases, name="plan-phases"),
    path("plans/<int:pk>/targets/", views.plan_targets, name="plan-targets"),
    path("plans/<int:pk>/shortlist/", views.plan_shortlist, name="plan-shortlist"),
    path("plans/<int:pk>/milestones/new/", views.milestone_create, name="milestone-create"),
    path(
        "plans/<int:pk>/milestones/<int:milestone_id>/complete/",
        views.milestone_complete,
        name="milestone-complete",
    ),
    path(
        "plans/<int:pk>/milestones/<int:milestone_id>/document/",
        views.milestone_document,
        name="milestone-document",
    ),
    path(
        "plans/<int:pk>/milestones/<int:milestone_id>/drop/",
        views.milestone_drop,
        name="milestone-drop",
    ),
]
