"""Reads of the catalog app: every list and lookup goes through the scope module."""

from __future__ import annotations

from django.db.models import QuerySet

from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
from seabridge.core.scope import OWNER, Action, Actor, related, restrict


def brand_list(*, actor: Actor | None) -> QuerySet[Brand]:
    """The brands the actor may see, with the owner for display."""
    return restrict(actor, Brand.objects.select_related("owner"))


def brands_owned(*, actor: Actor | None) -> QuerySet[Brand]:
    """The brands the actor's organisation owns, by name."""
    return related(actor, Brand.objects.all(), OWNER).order_by("name")


def product_line_list(
    *, actor: Actor | None, action: Action = Action.VIEW
) -> QuerySet[ProductLine]:
    """The product lines the actor may ``action``, with their brand for display."""
    return restrict(actor, ProductLine.objects.select_related("brand"), action)


def variant_list(*, actor: Actor | None) -> QuerySet[Variant]:
    """The variants the actor may see, with brand and product line for display."""
    return restrict(actor, Variant.objects.select_related("brand", "product_line"))


def homologation_list(*, actor: Actor | None) -> QuerySet[Homologation]:
    """The homologations the actor may see, with variant and country for display."""
    return restrict(actor, Homologation.objects.select_related("variant", "country"))
