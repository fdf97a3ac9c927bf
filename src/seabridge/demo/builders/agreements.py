"""The demo world's agreements: a few through the services, the many in bulk.

:func:`agreement_grant` drafts, signs and activates one agreement through the
agreement services (the memorandum, the partners' and importers' grants: each a
business act with its audit events). :func:`agreements_bulk_create` writes many
simple ones at once, and :func:`dealer_agreements_create` uses it for every dealer:
the maker grants its domestic dealers; abroad the importer sub-grants its dealers
inside its own grant, from the same date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from seabridge.accounts.models import Organization
from seabridge.agreements import services as agreement_services
from seabridge.agreements.choices import AgreementKind, AgreementStatus
from seabridge.agreements.models import Agreement, AgreementScopeEntry
from seabridge.catalog.models import Brand
from seabridge.core.choices import Area
from seabridge.core.scope import Actor
from seabridge.demo.builders.organisations import Outlets
from seabridge.demo.data.common import DEALER_AREAS, HOME, MakerSpec


def agreement_grant(
    actor: Actor,
    *,
    kind: str,
    grantee: Organization,
    title: str,
    brand: Brand,
    countries: Sequence[str],
    effective_from: date,
    signed_on: date,
    signed_in: str,
    parent: Agreement | None = None,
    commitments: Sequence[tuple[str, str]] = (),
    signatories: Sequence[agreement_services.SignatoryInput] = (),
    notes: str = "",
) -> Agreement:
    """An agreement through the services: drafted, signed and activated by ``actor``,
    for ``brand`` in ``countries``, every area."""
    agreement = agreement_services.agreement_create(
        actor=actor,
        kind=kind,
        grantee=grantee,
        title=title,
        effective_from=effective_from,
        scope=agreement_services.ScopeInput(
            brands=[brand.pk], countries=list(countries), areas=list(Area.values)
        ),
        parent=parent,
        commitments=commitments,
        signatories=signatories,
        notes=notes,
    )
    agreement_services.agreement_sign(
        actor=actor, agreement=agreement, signed_on=signed_on, signed_in=signed_in
    )
    return agreement_services.agreement_activate(actor=actor, agreement=agreement)


@dataclass
class GrantRow:
    """An agreement written in bulk: granted, signed and active from the start."""

    kind: str
    title: str
    grantor: Organization
    grantee: Organization
    parent: Agreement | None
    signed_on: date
    signed_in: str
    effective_from: date
    brand: Brand
    countries: Sequence[str]
    areas: Sequence[str]


def agreements_bulk_create(rows: Sequence[GrantRow]) -> list[Agreement]:
    """Write many simple agreements (one brand, their countries, their areas) at once.

    The same rows ``agreement_create``, ``agreement_sign`` and ``agreement_activate``
    would leave behind, without their per-row checks and audit events: the data
    tables are the check (a sub-grant's cells lie inside its parent's by construction,
    which the tests assert), and one audit event records the whole world.
    """
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                kind=row.kind,
                title=row.title,
                grantor=row.grantor,
                grantee=row.grantee,
                parent=row.parent,
                status=AgreementStatus.ACTIVE,
                signed_on=row.signed_on,
                signed_in=row.signed_in,
                effective_from=row.effective_from,
            )
            for row in rows
        ],
        batch_size=500,
    )
    AgreementScopeEntry.objects.bulk_create(
        [
            AgreementScopeEntry(agreement=agreement, brand=row.brand, country_id=country, area=area)
            for agreement, row in zip(agreements, rows, strict=True)
            for country in sorted(row.countries)
            for area in row.areas
        ],
        batch_size=1000,
    )
    return agreements


def dealer_agreements_create(
    *,
    makers: Mapping[str, MakerSpec],
    outlets: Mapping[str, Outlets],
    headquarters: Mapping[str, Organization],
    brands: Mapping[str, Brand],
    importer_grants: Mapping[str, Mapping[str, Agreement]],
) -> list[Agreement]:
    """Every dealer's agreement, in bulk, in the order of ``outlets`` (all by maker key):
    the maker grants its domestic dealers on its domestic terms; abroad the importer
    sub-grants its dealers inside its own grant (``importer_grants``, by market), from
    the same date, signed at the dealer's location."""
    rows: list[GrantRow] = []
    for key, outlet in outlets.items():
        for code, dealers in outlet.dealers.items():
            for dealer, location in zip(dealers, outlet.dealer_keys[code], strict=True):
                parent: Agreement | None
                if code == HOME:
                    effective_from, signed_on, signed_in = makers[key].domestic_grant
                    grantor, parent = headquarters[key], None
                else:
                    parent = importer_grants[key][code]
                    grantor = outlet.importers[code]
                    effective_from = signed_on = parent.effective_from
                    signed_in = location
                rows.append(
                    GrantRow(
                        kind=AgreementKind.DISTRIBUTION,
                        title=f"Dealer agreement: {dealer.short_name}",
                        grantor=grantor,
                        grantee=dealer,
                        parent=parent,
                        signed_on=signed_on,
                        signed_in=signed_in,
                        effective_from=effective_from,
                        brand=brands[key],
                        countries=[code],
                        areas=list(DEALER_AREAS),
                    )
                )
    return agreements_bulk_create(rows)
