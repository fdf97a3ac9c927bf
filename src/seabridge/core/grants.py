"""What agreements grant: rows an actor sees because an agreement in force covers them.

The agreements app owns agreements and registers, in its ``ready()``, the function
that reads an organisation's grants (:func:`register_source`); this module turns
them into plain ``brand IN … AND market IN …`` conditions, which the database
answers from the rows' own indexes; no correlated subquery runs per row. Kept apart
from :mod:`seabridge.core.scope` so that the rule's two halves, ownership and
grants, can each be read on their own, and so that core never imports upward.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from seabridge.core.scope import Actor, ScopeRule

NOTHING = Q(pk__in=[])

# (organization_id, area or None for any area, day or None for today) -> {brand_id: {countries}}
GrantSource = Callable[[int, str | None, date | None], dict[int, set[str]]]


def _no_grants(organization_id: int, area: str | None, today: date | None) -> dict[int, set[str]]:
    return {}


_source: list[GrantSource] = [_no_grants]


def register_source(source: GrantSource) -> None:
    """Install the function that reads grants (the agreements app calls it once)."""
    _source[0] = source


def grants_of(
    organization_id: int, *, area: str | None, today: date | None = None
) -> dict[int, set[str]]:
    """``{brand_id: {country codes}}`` that agreements in force grant the organisation."""
    return _source[0](organization_id, area, today)


def granted_q(actor: Actor, rule: ScopeRule, *, area: str | None = None) -> Q:
    """Rows of ``rule``'s model that agreements in force grant ``actor``'s organisation
    (in ``area``, by default the rule's own; any area where the rule says so)."""
    wanted = area if area is not None else (None if rule.any_area else rule.area)
    granted = grants_of(actor.organization_id, area=wanted)
    brand_lookup = "pk" if rule.brand == "self" else f"{rule.brand}_id"
    condition = NOTHING
    for brand_id, countries in sorted(granted.items()):
        if rule.market is None:
            condition |= Q(**{brand_lookup: brand_id})
        else:
            condition |= Q(**{brand_lookup: brand_id, f"{rule.market}__in": sorted(countries)})
    return condition
