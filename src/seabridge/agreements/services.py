"""Writes of agreements: create (including sub-grants), sign, activate, terminate, expire."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seabridge.accounts.choices import Role
from seabridge.accounts.models import Organization
from seabridge.agreements.choices import (
    MAX_SUB_GRANT_DEPTH,
    TRANSITIONS,
    AgreementKind,
    AgreementStatus,
    CollaborationTopic,
)
from seabridge.agreements.models import Agreement, AgreementScopeEntry, Commitment, Signatory
from seabridge.catalog.models import Brand
from seabridge.core.errors import Conflict, FieldErrors, Forbidden, NotFound
from seabridge.core.scope import Actor, Area
from seabridge.core.services import audit_record, field_changes
from seabridge.markets.models import BusinessRegion, Country

MAX_LISTED_EXCESS = 10


@dataclass(frozen=True)
class ScopeInput:
    """A scope as people state it: brands × (countries and business regions) × areas."""

    brands: Sequence[int]
    areas: Sequence[str]
    countries: Sequence[str] = ()
    regions: Sequence[str] = ()


@dataclass(frozen=True)
class SignatoryInput:
    name: str
    title: str
    organization_id: int


Cell = tuple[int, str, str]  # brand id, country code, area


def _expand_scope(scope: ScopeInput, errors: FieldErrors) -> tuple[list[Brand], set[Cell]]:
    """Check a scope's parts and expand regions into countries; every cell it grants."""
    brands = list(Brand.objects.filter(pk__in=set(scope.brands)).select_related("owner"))
    missing_brands = set(scope.brands) - {brand.pk for brand in brands}
    if not scope.brands:
        errors.add("brands", _("Choose at least one brand."))
    for brand_id in sorted(missing_brands):
        errors.add("brands", _("There is no brand %(id)s.") % {"id": brand_id})

    areas = list(dict.fromkeys(scope.areas))
    if not areas:
        errors.add("areas", _("Choose at least one area."))
    for area in areas:
        if area not in Area.values:
            errors.add("areas", _("%(area)s is not an area.") % {"area": area})

    codes = {code.strip().upper() for code in scope.countries if code.strip()}
    known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in sorted(codes - known):
        errors.add("countries", _("%(code)s is not an ISO 3166 country code.") % {"code": code})
    regions = {code.strip() for code in scope.regions if code.strip()}
    found_regions = BusinessRegion.objects.filter(code__in=regions).prefetch_related("countries")
    for code in sorted(regions - {region.code for region in found_regions}):
        errors.add("regions", _("There is no business region %(code)s.") % {"code": code})
    for region in found_regions:
        known |= {country.code for country in region.countries.all()}
    if not known and not errors.fields.get("countries") and not errors.fields.get("regions"):
        errors.add("countries", _("Choose at least one country or region."))

    cells = {
        (brand.pk, country, area)
        for brand, country, area in itertools.product(brands, sorted(known), areas)
        if area in Area.values
    }
    return brands, cells


def _describe(cells: Iterable[Cell]) -> str:
    names = dict(Brand.objects.values_list("pk", "name"))
    ordered = sorted(cells, key=lambda cell: (names.get(cell[0], ""), cell[1], cell[2]))
    parts = [
        f"{names.get(brand_id, brand_id)} {country} ({Area(area).label})"
        for brand_id, country, area in ordered[:MAX_LISTED_EXCESS]
    ]
    if len(ordered) > MAX_LISTED_EXCESS:
        parts.append(_("and %(count)s more") % {"count": len(ordered) - MAX_LISTED_EXCESS})
    return ", ".join(parts)


def _cells_of(agreement: Agreement) -> set[Cell]:
    return set(agreement.scope_entries.values_list("brand_id", "country_id", "area"))


@transaction.atomic
def _check_within_parent(
    errors: FieldErrors,
    parent: Agreement,
    *,
    effective_from: date,
    effective_to: date | None,
    cells: set[Cell] | None,
) -> None:
    """A sub-grant lies within its parent's period and scope (``cells`` None: unchanged)."""
    if effective_from < parent.effective_from or (
        parent.effective_to is not None
        and (effective_to is None or effective_to > parent.effective_to)
    ):
        errors.add(
            "effective_to",
            _("A sub-grant must lie within the granting agreement's period."),
        )
    excess = set() if cells is None else cells - _cells_of(parent)
    if excess:
        errors.add(
            "scope",
            _("This exceeds the granting agreement's scope: %(cells)s.")
            % {"cells": _describe(excess)},
        )


def agreement_create(
    *,
    actor: Actor,
    kind: str,
    grantee: Organization,
    title: str,
    effective_from: date,
    effective_to: date | None = None,
    scope: ScopeInput,
    parent: Agreement | None = None,
    commitments: Sequence[tuple[str, str]] = (),
    signatories: Sequence[SignatoryInput] = (),
    notes: str = "",
) -> Agreement:
    """Draft an agreement from the actor's organisation to ``grantee``.

    A top-level agreement may grant only brands the grantor owns. A sub-grant
    (``parent`` given) may grant only inside the parent's scope and period, and
    only while the parent is in force; a wider one is refused naming what exceeds.
    """
    actor.require_role(Role.ADMIN)
    errors = FieldErrors()
    grantor = actor.organization
    if kind not in AgreementKind.values:
        errors.add("kind", _("%(kind)s is not a kind of agreement.") % {"kind": kind})
    if not title.strip():
        errors.add("title", _("Give the agreement a title."))
    if grantee.pk == grantor.pk:
        errors.add("grantee", _("An organisation cannot grant itself."))
    if effective_to is not None and effective_to < effective_from:
        errors.add("effective_to", _("The agreement ends before it starts."))
    for topic, _text in commitments:
        if topic not in CollaborationTopic.values:
            errors.add(
                "commitments", _("%(topic)s is not a collaboration area.") % {"topic": topic}
            )
    brands, cells = _expand_scope(scope, errors)

    if parent is None:
        for brand in brands:
            if brand.owner_id != grantor.pk:
                errors.add(
                    "brands",
                    _("%(brand)s is not yours to grant: only its owner grants it directly.")
                    % {"brand": brand.name},
                )
    else:
        if parent.grantee_id != grantor.pk:
            raise NotFound()
        if not parent.is_in_force():
            errors.add("parent", _("The granting agreement is not in force."))
        if parent.depth + 1 > MAX_SUB_GRANT_DEPTH:
            errors.add(
                "parent",
                _("Sub-grants may go %(depth)s levels deep at most.")
                % {"depth": MAX_SUB_GRANT_DEPTH},
            )
        _check_within_parent(
            errors, parent, effective_from=effective_from, effective_to=effective_to, cells=cells
        )
    errors.raise_if_any()

    agreement = Agreement.objects.create(
        kind=kind,
        title=title.strip(),
        grantor=grantor,
        grantee=grantee,
        parent=parent,
        effective_from=effective_from,
        effective_to=effective_to,
        notes=notes,
    )
    AgreementScopeEntry.objects.bulk_create(
        AgreementScopeEntry(agreement=agreement, brand_id=brand, country_id=country, area=area)
        for brand, country, area in sorted(cells)
    )
    Commitment.objects.bulk_create(
        Commitment(agreement=agreement, topic=topic, text=text) for topic, text in commitments
    )
    Signatory.objects.bulk_create(
        Signatory(
            agreement=agreement,
            name=person.name,
            title=person.title,
            organization_id=person.organization_id,
        )
        for person in signatories
    )
    audit_record(
        actor=actor.user,
        action="agreement.create",
        obj=agreement,
        changes={
            "grantee": grantee.short_name,
            "parent": parent.pk if parent else None,
            "scope_cells": len(cells),
        },
    )
    return agreement


def _move(agreement: Agreement, to: str) -> None:
    if to not in TRANSITIONS[agreement.status]:
        raise Conflict(
            _("An agreement that is %(status)s cannot become %(target)s.")
            % {
                "status": AgreementStatus(agreement.status).label.lower(),
                "target": AgreementStatus(to).label.lower(),
            }
        )
    agreement.status = to


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _require_party(actor: Actor, agreement: Agreement, *, grantor_only: bool) -> None:
    parties = (
        {agreement.grantor_id} if grantor_only else {agreement.grantor_id, agreement.grantee_id}
    )
    if actor.organization_id not in {agreement.grantor_id, agreement.grantee_id}:
        raise NotFound()
    if actor.organization_id not in parties:
        raise Forbidden(_("Only the grantor may do this."))
    actor.require_role(Role.ADMIN)


@transaction.atomic
def agreement_sign(
    *, actor: Actor, agreement: Agreement, signed_on: date, signed_in: str
) -> Agreement:
    """Record the signature (date and city); either party's admin may record it."""
    agreement = _lock(agreement)
    _require_party(actor, agreement, grantor_only=False)
    _move(agreement, AgreementStatus.SIGNED)
    agreement.signed_on = signed_on
    agreement.signed_in = signed_in.strip()
    agreement.save(update_fields=["status", "signed_on", "signed_in", "updated_at"])
    audit_record(
        actor=actor.user,
        action="agreement.sign",
        obj=agreement,
        changes={"signed_on": signed_on.isoformat(), "signed_in": agreement.signed_in},
    )
    return agreement


@transaction.atomic
def agreement_activate(*, actor: Actor, agreement: Agreement) -> Agreement:
    """Put a signed agreement in force (it grants from its effective date)."""
    agreement = _lock(agreement)
    _require_party(actor, agreement, grantor_only=True)
    if agreement.parent is not None and not agreement.parent.is_in_force():
        raise Conflict(_("The granting agreement is not in force."))
    _move(agreement, AgreementStatus.ACTIVE)
    agreement.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor.user, action="agreement.activate", obj=agreement)
    return agreement


@transaction.atomic
def agreement_terminate(*, actor: Actor, agreement: Agreement) -> Agreement:
    """End an agreement and everything granted under it, in one transaction."""
    agreement = _lock(agreement)
    _require_party(actor, agreement, grantor_only=False)
    _move(agreement, AgreementStatus.TERMINATED)
    agreement.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor.user, action="agreement.terminate", obj=agreement)
    for child in _descendants(agreement):
        if child.status in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED):
            continue
        child.status = AgreementStatus.TERMINATED
        child.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor.user,
            action="agreement.terminate",
            obj=child,
            changes={"because_parent_ended": agreement.pk},
        )
    return agreement


def _descendants(agreement: Agreement) -> list[Agreement]:
    found: list[Agreement] = []
    level = list(Agreement.objects.filter(parent=agreement))
    while level:
        found += level
        level = list(Agreement.objects.filter(parent__in=level))
    return found


@transaction.atomic
def agreements_expire(*, today: date | None = None) -> int:
    """Mark active agreements past their end date as expired; answers how many.

    Grants stop on the end date whether or not this has run (the scope reads dates);
    this keeps the recorded status truthful for lists and reports.
    """
    today = today or timezone.localdate()
    expired = list(
        Agreement.objects.select_for_update().filter(
            status=AgreementStatus.ACTIVE, effective_to__lt=today
        )
    )
    for agreement in expired:
        agreement.status = AgreementStatus.EXPIRED
        agreement.save(update_fields=["status", "updated_at"])
        audit_record(actor=None, action="agreement.expire", obj=agreement)
    return len(expired)


@transaction.atomic
def agreement_update(
    *,
    actor: Actor,
    agreement: Agreement,
    title: str | None = None,
    effective_from: date | None = None,
    effective_to: date | None = None,
    clear_effective_to: bool = False,
    scope: ScopeInput | None = None,
    notes: str | None = None,
    document: Any = None,
) -> Agreement:
    """Change a draft: its title, period, notes, document or whole scope.

    Only the grantor's admin edits, and only while the agreement is a draft: what
    was signed is changed by a new agreement, not by editing this one.
    """
    agreement = _lock(agreement)
    _require_party(actor, agreement, grantor_only=True)
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict(_("Only a draft can be edited; this agreement is already signed."))
    errors = FieldErrors()
    before = {
        "title": agreement.title,
        "effective_from": agreement.effective_from,
        "effective_to": agreement.effective_to,
        "notes": agreement.notes,
    }
    if title is not None:
        if not title.strip():
            errors.add("title", _("Give the agreement a title."))
        agreement.title = title.strip()
    if effective_from is not None:
        agreement.effective_from = effective_from
    if effective_to is not None or clear_effective_to:
        agreement.effective_to = effective_to
    if agreement.effective_to is not None and agreement.effective_to < agreement.effective_from:
        errors.add("effective_to", _("The agreement ends before it starts."))
    if notes is not None:
        agreement.notes = notes
    cells: set[Cell] | None = None
    if scope is not None:
        brands, cells = _expand_scope(scope, errors)
        if agreement.parent is None:
            for brand in brands:
                if brand.owner_id != agreement.grantor_id:
                    errors.add(
                        "brands",
                        _("%(brand)s is not yours to grant: only its owner grants it directly.")
                        % {"brand": brand.name},
                    )
    if agreement.parent is not None:
        # The same bounds as when the sub-grant was drafted, whatever the PATCH changes.
        _check_within_parent(
            errors,
            agreement.parent,
            effective_from=agreement.effective_from,
            effective_to=agreement.effective_to,
            cells=cells,
        )
    errors.raise_if_any()
    if document is not None:
        agreement.document = document
    agreement.save()
    changes: dict[str, Any] = field_changes(
        before,
        {
            "title": agreement.title,
            "effective_from": agreement.effective_from,
            "effective_to": agreement.effective_to,
            "notes": agreement.notes,
        },
    )
    if cells is not None:
        agreement.scope_entries.all().delete()
        AgreementScopeEntry.objects.bulk_create(
            AgreementScopeEntry(agreement=agreement, brand_id=brand, country_id=country, area=area)
            for brand, country, area in sorted(cells)
        )
        changes["scope_cells"] = len(cells)
    if document is not None:
        changes["document"] = agreement.document.name
    audit_record(actor=actor.user, action="agreement.update", obj=agreement, changes=changes)
    return agreement
