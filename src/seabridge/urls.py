"""Seabridge's URLs: the web pages, the API and Django's admin."""

from django.contrib import admin
from django.urls import include, path, re_path

from seabridge.api import api, api_path_not_found

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_path_not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("seabridge.core.urls")),
    path("accounts/", include("seabridge.accounts.urls")),
    path("markets/", include("seabridge.markets.urls")),
    path("catalog/", include("seabridge.catalog.urls")),
    path("agreements/", include("seabridge.agreements.urls")),
    path("vehicles/", include("seabridge.vehicles.urls")),
    path("trade/", include("seabridge.trade.urls")),
    path("planning/", include("seabridge.planning.urls")),
    path("analytics/", include("seabridge.analytics.urls")),
    path("imports/", include("seabridge.imports.urls")),
    path("", include("seabridge.web.urls")),
]
