"""Reads of agreements: which an actor may see, their scope tables, who sees a market."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from seabridge.accounts.models import Organization
from seabridge.agreements.models import Agreement, AgreementScopeEntry
from seabridge.catalog.models import Brand
from seabridge.core.errors import NotFound
from seabridge.core.scope import Actor, Area


def grants_of(organization_id: int, area: str | None, today: date | None) -> dict[int, set[str]]:
    """``{brand_id: {country codes}}`` that agreements in force grant the organisation
    (in ``area``, or in any area for ``None``); the scope module reads grants through it
    (registered in :meth:`AgreementsConfig.ready`)."""
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


def agreements_visible(actor: Actor | None) -> QuerySet[Agreement]:
    """Agreements the actor's organisation is party to, or that grant its brands."""
    if actor is None:
        return Agreement.objects.none()
    organization_id = actor.organization_id
    owned_brands = Brand.objects.filter(owner_id=organization_id)
    return (
        Agreement.objects.filter(
            Q(grantor_id=organization_id)
            | Q(grantee_id=organization_id)
            | Q(
                pk__in=AgreementScopeEntry.objects.filter(brand__in=owned_brands).values(
                    "agreement"
                )
            )
        )
        .select_related("grantor", "grantee", "parent")
        .order_by("-effective_from", "-id")
    )


def counterparties_visible(
    actor: Actor | None, *, kinds: tuple[str, ...] = (), today: date | None = None
) -> QuerySet[Organization]:
    """The organisations the actor's organisation may do business with, and the only
    ones it learns of: the other party of every agreement in force it is a party to,
    the grantees of the sub-grants below the agreements it granted (a partner's
    importer's dealers), and, for a brand owner, every grantee of an agreement in
    force over its brands. Optionally only some ``kinds``.

    The new-order page offers its buyers from here, a delivery its dealers, imports
    resolve names of organisations through it; nobody lists every organisation.
    """
    if actor is None:
        return Organization.objects.none()
    organization_id = actor.organization_id
    in_force = Agreement.objects.in_force(today or timezone.localdate())
    # Its own agreements, and the sub-grants below the ones it granted (its importer's
    # dealers): at most three levels deep (MAX_SUB_GRANT_DEPTH).
    direct = in_force.filter(
        Q(grantor_id=organization_id)
        | Q(grantee_id=organization_id)
        | Q(parent__grantor_id=organization_id)
        | Q(parent__parent__grantor_id=organization_id)
    )
    over_owned_brands = in_force.filter(
        pk__in=AgreementScopeEntry.objects.filter(brand__owner_id=organization_id).values(
            "agreement"
        )
    )
    found = Organization.objects.filter(
        Q(pk__in=direct.values("grantor_id"))
        | Q(pk__in=direct.values("grantee_id"))
        | Q(pk__in=over_owned_brands.values("grantee_id"))
    ).exclude(pk=organization_id)
    if kinds:
        found = found.filter(kind__in=kinds)
    return found.order_by("short_name")


def agreement_get(actor: Actor | None, agreement_id: int) -> Agreement:
    try:
        return agreements_visible(actor).get(pk=agreement_id)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass(frozen=True)
class ScopeRow:
    brand: str
    area: str
    area_label: str
    countries: list[str]


def scope_table(agreement: Agreement) -> list[ScopeRow]:
    """The agreement's scope as brands × areas, each with its countries."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    entries = agreement.scope_entries.select_related("brand").order_by(
        "brand__name", "area", "country_id"
    )
    for entry in entries:
        grouped[(entry.brand.name, entry.area)].append(entry.country_id)
    return [
        ScopeRow(brand=brand, area=area, area_label=str(Area(area).label), countries=countries)
        for (brand, area), countries in grouped.items()
    ]


@dataclass(frozen=True)
class MarketViewer:
    organization: Organization
    areas: list[str]
    agreements: list[Agreement]


def market_visibility(
    actor: Actor | None, *, brand: Brand, country_code: str
) -> list[MarketViewer]:
    """Who, besides the owner, sees ``brand`` in ``country_code`` today, and in which areas.

    Only the brand's owner may ask.
    """
    if actor is None or brand.owner_id != actor.organization_id:
        raise NotFound()
    agreements = Agreement.objects.in_force(timezone.localdate())
    entries = (
        AgreementScopeEntry.objects.filter(
            agreement__in=agreements, brand=brand, country_id=country_code.upper()
        )
        .select_related("agreement__grantee")
        .order_by("agreement__grantee__short_name", "area")
    )
    viewers: dict[int, MarketViewer] = {}
    for entry in entries:
        grantee = entry.agreement.grantee
        viewer = viewers.setdefault(grantee.pk, MarketViewer(grantee, [], []))
        if entry.area not in viewer.areas:
            viewer.areas.append(entry.area)
        if entry.agreement not in viewer.agreements:
            viewer.agreements.append(entry.agreement)
    return list(viewers.values())
