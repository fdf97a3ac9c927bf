"""What agreements grant: rows an actor sees because an agreement in force covers them.

The actor's grants are read once per question (a few rows: brands × markets ×
areas) and turned into plain ``brand IN … AND market IN …`` conditions, which
the database answers from the rows' own indexes; no correlated subquery runs per
row. Kept apart from :mod:`seabridge.core.scope` so that the rule's two halves,
ownership and grants, can each be read on their own.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from seabridge.core.scope import Actor, ScopeRule

NOTHING = Q(pk__in=[])


def grants_of(
    organization_id: int, *, area: str | None, today: date | None = None
) -> dict[int, set[str]]:
    """``{brand_id: {country codes}}`` that agreements in force grant the organisation."""
    from seabridge.agreements.models import Agreement, AgreementScopeEntry

    agreements = Agreement.objects.in_force(today or timezone.localdate()).filter(
        grantee_id=organization_id
    )
    entries = AgreementScopeEntry.objects.filter(agreement__in=agreements)
    if area is not None:
        entries = entries.filter(area=area)
    granted: dict[int, set[str]] = defaultdict(set)
    for brand_id, country_id in entries.values_list("brand_id", "country_id").distinct():
        granted[brand_id].add(country_id)
    return dict(granted)


def granted_q(actor: Actor, rule: ScopeRule, *, for_write: bool) -> Q:
    """Rows of ``rule``'s model that agreements in force grant ``actor``'s organisation."""
    granted = grants_of(actor.organization_id, area=None if rule.any_area else rule.area)
    brand_lookup = "pk" if rule.brand == "self" else f"{rule.brand}_id"
    condition = NOTHING
    for brand_id, countries in sorted(granted.items()):
        if rule.market is None:
            condition |= Q(**{brand_lookup: brand_id})
        else:
            condition |= Q(**{brand_lookup: brand_id, f"{rule.market}__in": sorted(countries)})
    return condition
