"""The main menu. Each domain app adds its entry here when it ships its pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str


MENU: list[MenuItem] = [
    MenuItem(_("Home"), "web:home"),
    MenuItem(_("Dashboard"), "analytics:dashboard"),
    MenuItem(_("Organisations"), "accounts:organization-list"),
    MenuItem(_("Markets"), "markets:country-list"),
    MenuItem(_("Catalogue"), "catalog:brand-list"),
    MenuItem(_("Agreements"), "agreements:agreement-list"),
    MenuItem(_("Vehicles"), "vehicles:vehicle-list"),
    MenuItem(_("Sales plans"), "planning:plan-list"),
    MenuItem(_("Export orders"), "trade:order-list"),
    MenuItem(_("Shipments"), "trade:shipment-list"),
    MenuItem(_("Imports"), "imports:import-list"),
]
