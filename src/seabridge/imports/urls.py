from django.urls import path, re_path

from seabridge.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="import-list"),
    path("new/", views.import_new, name="import-new"),
    path("<int:pk>/", views.import_detail, name="import-detail"),
    path("<int:pk>/mapping/", views.import_mapping, name="import-mapping"),
    path("<int:pk>/check/", views.import_check, name="import-check"),
    path("<int:pk>/commit/", views.import_commit, name="import-commit"),
    re_path(
        r"^(?P<pk>[0-9]+)/problems\.(?P<format>csv|xlsx)$",
        views.import_report,
        name="import-report",
    ),
    re_path(
        r"^templates/(?P<kind>[a-z_]+)\.(?P<format>csv|xlsx)$",
        views.import_template,
        name="import-template",
    ),
]
