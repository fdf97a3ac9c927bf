"""Writes of the catalog app: brands, product lines, variants and homologations.

Every function checks the actor through the scope module before it writes and
again after, in the same transaction, and records the change in the audit trail.
A refusal raises a :class:`~seabridge.core.errors.DomainError` naming the field at
fault, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.catalog.choices import BodyType, HomologationStatus, Powertrain, SteeringSide
from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
from seabridge.core.errors import FieldErrors, Forbidden, ValidationFailed
from seabridge.core.money import amount, currency_code
from seabridge.core.scope import Action, Actor, require
from seabridge.core.services import audit_record, field_changes
from seabridge.markets.choices import TrafficSide
from seabridge.markets.models import Country, MarketProfile

HS_CODE_PATTERN = re.compile(r"^[0-9]{4,10}$")
VEHICLE_HS_HEADINGS = ("8703", "8704")

# Which traffic side each steering side suits (left-hand drive for right-hand traffic).
FITTING_TRAFFIC_SIDE = {SteeringSide.LEFT: TrafficSide.RIGHT, SteeringSide.RIGHT: TrafficSide.LEFT}


class ProductLineChanges(TypedDict, total=False):
    name: str
    description: str
    launched_on: date | None


class VariantChanges(TypedDict, total=False):
    product_line: ProductLine
    code: str
    name: str
    body: str
    powertrain: str
    steering: str
    emission_standard: str
    engine: str
    hs_code: str
    list_price: Decimal | None
    list_price_currency: str
    is_active: bool


class HomologationChanges(TypedDict, total=False):
    status: str
    valid_until: date | None
    certificate_ref: str


# --- validation helpers ---------------------------------------------------------------


def _text(
    errors: FieldErrors, field: str, value: str, *, max_length: int, required: bool = True
) -> str:
    """``value`` stripped, or an error on ``field`` when it is empty, too long or has NULs."""
    text = (value or "").strip()
    if required and not text:
        errors.add(field, _("This field is required."))
    elif len(text) > max_length:
        errors.add(
            field,
            _("Use at most %(limit)d characters (it has %(length)d).")
            % {"limit": max_length, "length": len(text)},
        )
    elif "\x00" in text:
        errors.add(field, _("This text contains a null character."))
    return text


def _choice(errors: FieldErrors, field: str, value: str, choices: type[Any]) -> str:
    if value not in choices.values:
        errors.add(
            field,
            _("%(value)s is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices.values)},
        )
    return str(value)


def _require_write(actor: Actor | None) -> Actor:
    """Refuse a write with 403 for a person acting for no organisation or below staff."""
    if actor is None:
        raise Forbidden(_("You act for no organisation."))
    actor.require_role(Role.STAFF)
    return actor


def _values(obj: Any, names: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


# --- brands ---------------------------------------------------------------------------


def _brand_name(name: str, *, brand: Brand | None = None) -> str:
    errors = FieldErrors()
    cleaned = _text(errors, "name", name, max_length=60)
    errors.raise_if_any()
    taken = Brand.objects.filter(name__iexact=cleaned)
    if brand is not None:
        taken = taken.exclude(pk=brand.pk)
    if taken.exists():
        raise ValidationFailed(
            fields={"name": [_("A brand named %(name)s already exists.") % {"name": cleaned}]}
        )
    return cleaned


def _save_brand(brand: Brand) -> None:
    """Save, turning a lost race on the unique name into the same refusal as the check."""
    try:
        with transaction.atomic():
            brand.save()
    except IntegrityError:
        raise ValidationFailed(
            fields={"name": [_("A brand named %(name)s already exists.") % {"name": brand.name}]}
        ) from None


@transaction.atomic
def brand_create(*, actor: Actor | None, name: str) -> Brand:
    """Create a brand owned by the actor's organisation, which must be a manufacturer."""
    actor = _require_write(actor)
    if actor.organization.kind != OrganizationKind.MANUFACTURER:
        raise Forbidden(_("Only a manufacturer can own a brand."))
    brand = Brand(name=_brand_name(name), owner=actor.organization)
    _save_brand(brand)
    audit_record(
        actor=actor.user,
        action="catalog.brand_created",
        obj=brand,
        changes={"name": brand.name, "owner": brand.owner_id},
    )
    require(actor, brand, Action.CHANGE)
    return brand


@transaction.atomic
def brand_update(*, actor: Actor | None, brand: Brand, name: str) -> Brand:
    """Rename a brand; the name stays unique across all makers, whatever the case."""
    require(actor, brand, Action.CHANGE)
    before = _values(brand, ["name"])
    brand.name = _brand_name(name, brand=brand)
    _save_brand(brand)
    audit_record(
        actor=actor.user if actor else None,
        action="catalog.brand_updated",
        obj=brand,
        changes=field_changes(before, _values(brand, ["name"])),
    )
    require(actor, brand, Action.CHANGE)
    return brand


# --- product lines --------------------------------------------------------------------

PRODUCT_LINE_FIELDS = ["name", "description", "launched_on"]


def _product_line_errors(values: Mapping[str, Any], *, brand: Brand, pk: int | None) -> FieldErrors:
    errors = FieldErrors()
    name = _text(errors, "name", values["name"], max_length=60)
    _text(errors, "description", values["description"], max_length=5000, required=False)
    if "name" not in errors.fields:
        taken = ProductLine.objects.filter(brand=brand, name__iexact=name)
        if pk is not None:
            taken = taken.exclude(pk=pk)
        if taken.exists():
            errors.add(
                "name",
                _("%(brand)s already has a product line named %(name)s.")
                % {"brand": brand, "name": name},
            )
    return errors


def _save_line(line: ProductLine) -> None:
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError:
        raise ValidationFailed(
            fields={"name": [_("This brand already has a product line with this name.")]}
        ) from None


@transaction.atomic
def product_line_create(
    *,
    actor: Actor | None,
    brand: Brand,
    name: str,
    description: str = "",
    launched_on: date | None = None,
) -> ProductLine:
    """Add a model family to a brand the actor's organisation owns."""
    require(actor, brand, Action.CREATE)
    values = {"name": name, "description": description, "launched_on": launched_on}
    _product_line_errors(values, brand=brand, pk=None).raise_if_any()
    line = ProductLine(
        brand=brand,
        name=name.strip(),
        description=(description or "").strip(),
        launched_on=launched_on,
    )
    _save_line(line)
    audit_record(
        actor=actor.user if actor else None,
        action="catalog.product_line_created",
        obj=line,
        changes={"brand": brand.pk, **_values(line, PRODUCT_LINE_FIELDS)},
    )
    require(actor, line, Action.CHANGE)
    return line


@transaction.atomic
def product_line_update(
    *, actor: Actor | None, product_line: ProductLine, changes: ProductLineChanges
) -> ProductLine:
    """Change a product line's name, description or launch date (never its brand)."""
    require(actor, product_line, Action.CHANGE)
    before = _values(product_line, PRODUCT_LINE_FIELDS)
    values = {**before, **changes}
    _product_line_errors(values, brand=product_line.brand, pk=product_line.pk).raise_if_any()
    product_line.name = str(values["name"]).strip()
    product_line.description = str(values["description"] or "").strip()
    product_line.launched_on = values["launched_on"]
    _save_line(product_line)
    audit_record(
        actor=actor.user if actor else None,
        action="catalog.product_line_updated",
        obj=product_line,
        changes=field_changes(before, _values(product_line, PRODUCT_LINE_FIELDS)),
    )
    require(actor, product_line, Action.CHANGE)
    return product_line


# --- variants -------------------------------------------------------------------------

VARIANT_FIELDS = [
    "product_line",
    "code",
    "name",
    "body",
    "powertrain",
    "steering",
    "emission_standard",
    "engine",
    "hs_code",
    "list_price",
    "list_price_currency",
    "is_active",
]


def _hs_code(errors: FieldErrors, value: str) -> str:
    code = (value or "").strip().replace(".", "").replace(" ", "")
    if not HS_CODE_PATTERN.fullmatch(code):
        errors.add("hs_code", _("An HS code has 4 to 10 digits, e.g. 87042100."))
    elif not code.startswith(VEHICLE_HS_HEADINGS):
        errors.add(
            "hs_code",
            _("A vehicle's HS code starts with 8703 (passenger cars) or 8704 (goods vehicles)."),
        )
    return code


def _price(errors: FieldErrors, value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return amount(value, field="list_price")
    except ValidationFailed as error:
        for message in error.fields["list_price"]:
            errors.add("list_price", message)
        return None


def _currency(errors: FieldErrors, value: str, *, price: Decimal | None) -> str:
    if not (value or "").strip():
        if price is not None:
            errors.add("list_price_currency", _("A price needs its currency."))
        return ""
    try:
        return currency_code(value, field="list_price_currency")
    except ValidationFailed as error:
        for message in error.fields.get("list_price_currency", []):
            errors.add("list_price_currency", message)
        return ""


def _clean_variant(values: Mapping[str, Any], *, pk: int | None) -> dict[str, Any]:
    """Check every field of a variant's would-be state; refuse naming each field at fault."""
    errors = FieldErrors()
    line: ProductLine = values["product_line"]
    cleaned: dict[str, Any] = {
        "product_line": line,
        "code": _text(errors, "code", values["code"], max_length=40),
        "name": _text(errors, "name", values["name"], max_length=120),
        "body": _choice(errors, "body", values["body"], BodyType),
        "powertrain": _choice(errors, "powertrain", values["powertrain"], Powertrain),
        "steering": _choice(errors, "steering", values["steering"], SteeringSide),
        "emission_standard": _text(
            errors, "emission_standard", values["emission_standard"], max_length=40, required=False
        ),
        "engine": _text(errors, "engine", values["engine"], max_length=80, required=False),
        "hs_code": _hs_code(errors, values["hs_code"]),
        "list_price": _price(errors, values["list_price"]),
        "is_active": bool(values["is_active"]),
    }
    cleaned["list_price_currency"] = _currency(
        errors, values["list_price_currency"], price=cleaned["list_price"]
    )
    if "code" not in errors.fields:
        taken = Variant.objects.filter(brand_id=line.brand_id, code__iexact=cleaned["code"])
        if pk is not None:
            taken = taken.exclude(pk=pk)
        if taken.exists():
            errors.add(
                "code",
                _("%(brand)s already has a variant with the code %(code)s.")
                % {"brand": line.brand, "code": cleaned["code"]},
            )
    errors.raise_if_any()
    return cleaned


def _save_variant(variant: Variant) -> None:
    try:
        with transaction.atomic():
            variant.save()
    except IntegrityError:
        raise ValidationFailed(
            fields={"code": [_("This brand already has a variant with this code.")]}
        ) from None


@transaction.atomic
def variant_create(
    *,
    actor: Actor | None,
    product_line: ProductLine,
    code: str,
    name: str,
    body: str,
    powertrain: str,
    hs_code: str,
    steering: str = SteeringSide.LEFT,
    emission_standard: str = "",
    engine: str = "",
    list_price: Decimal | None = None,
    list_price_currency: str = "",
    is_active: bool = True,
) -> Variant:
    """Add a variant to a product line; its brand is the product line's brand."""
    require(actor, product_line, Action.CREATE)
    cleaned = _clean_variant(
        {
            "product_line": product_line,
            "code": code,
            "name": name,
            "body": body,
            "powertrain": powertrain,
            "steering": steering,
            "emission_standard": emission_standard,
            "engine": engine,
            "hs_code": hs_code,
            "list_price": list_price,
            "list_price_currency": list_price_currency,
            "is_active": is_active,
        },
        pk=None,
    )
    variant = Variant(brand_id=product_line.brand_id, **cleaned)
    _save_variant(variant)
    audit_record(
        actor=actor.user if actor else None,
        action="catalog.variant_created",
        obj=variant,
        changes={"brand": variant.brand_id, **_values(variant, VARIANT_FIELDS)},
    )
    require(actor, variant, Action.CHANGE)
    return variant


def _steering_conflicts(variant: Variant, steering: str) -> list[str]:
    """Countries where the variant is homologated that the new steering side would not fit."""
    fitting = FITTING_TRAFFIC_SIDE[SteeringSide(steering)]
    conflicts = []
    for homologation in variant.homologations.exclude(
        status=HomologationStatus.REFUSED
    ).select_related("country__profile"):
        if _traffic_side(homologation.country) != fitting:
            conflicts.append(str(homologation.country))
    return conflicts


@transaction.atomic
def variant_update(*, actor: Actor | None, variant: Variant, changes: VariantChanges) -> Variant:
    """Change a variant; moving it to another product line moves it to that line's brand."""
    require(actor, variant, Action.CHANGE)
    new_line = changes.get("product_line")
    if new_line is not None and new_line.pk != variant.product_line_id:
        require(actor, new_line, Action.CREATE)
    before = _values(variant, VARIANT_FIELDS)
    cleaned = _clean_variant({**before, **changes}, pk=variant.pk)
    if cleaned["steering"] != variant.steering:
        conflicts = _steering_conflicts(variant, cleaned["steering"])
        if conflicts:
            raise ValidationFailed(
                fields={
                    "steering": [
                        _(
                            "The steering side cannot change: the variant is homologated in "
                            "%(countries)s, where it would no longer fit the traffic side."
                        )
                        % {"countries": ", ".join(conflicts)}
                    ]
                }
            )
    for name, value in cleaned.items():
        setattr(variant, name, value)
    variant.brand_id = cleaned["product_line"].brand_id
    _save_variant(variant)
    audit_record(
        actor=actor.user if actor else None,
        action="catalog.variant_updated",
        obj=variant,
        changes=field_changes(before, _values(variant, VARIANT_FIELDS)),
    )
    require(actor, variant, Action.CHANGE)
    return variant


# --- homologations --------------------------------------------------------------------

HOMOLOGATION_FIELDS = ["status", "valid_until", "certificate_ref"]


def _traffic_side(country: Country) -> str:
    """The country's traffic side; a country with no profile counts as right-hand traffic."""
    try:
        return country.profile.traffic_side
    except MarketProfile.DoesNotExist:
        return TrafficSide.RIGHT


def steering_fit_error(*, steering: str, country: Country) -> str | None:
    """Why a variant with ``steering`` cannot be homologated in ``country``, or None if it can."""
    traffic = _traffic_side(country)
    if FITTING_TRAFFIC_SIDE[SteeringSide(steering)] == traffic:
        return None
    if steering == SteeringSide.RIGHT:
        return _(
            "A right-hand drive variant cannot be homologated in %(country)s, "
            "where traffic keeps to the right."
        ) % {"country": country}
    return _(
        "A left-hand drive variant cannot be homologated in %(country)s, "
        "where traffic keeps to the left."
    ) % {"country": country}


@transaction.atomic
def homologation_set(
    *,
    actor: Actor | None,
    variant: Variant,
    country: Country,
    status: str = HomologationStatus.PENDING,
    valid_until: date | None = None,
    certificate_ref: str = "",
) -> Homologation:
    """Record whether ``variant`` may be sold in ``country`` (one row per variant and country).

    A variant whose steering side does not suit the country's traffic side is refused.
    """
    require(actor, variant, Action.CHANGE)
    errors = FieldErrors()
    reason = steering_fit_error(steering=variant.steering, country=country)
    if reason:
        errors.add("country", reason)
    values = {
        "status": _choice(errors, "status", status, HomologationStatus),
        "valid_until": valid_until,
        "certificate_ref": _text(
            errors, "certificate_ref", certificate_ref, max_length=80, required=False
        ),
    }
    errors.raise_if_any()
    existing = (
        Homologation.objects.select_for_update().filter(variant=variant, country=country).first()
    )
    before = _values(existing, HOMOLOGATION_FIELDS) if existing else {}
    homologation, created = Homologation.objects.update_or_create(
        variant=variant, country=country, defaults=values
    )
    audit_record(
        actor=actor.user if actor else None,
        action="catalog.homologation_created" if created else "catalog.homologation_updated",
        obj=homologation,
        changes=(
            {"variant": variant.pk, "country": country.pk, **values}
            if created
            else field_changes(before, values)
        ),
    )
    require(actor, homologation, Action.CHANGE)
    return homologation


def homologation_update(
    *, actor: Actor | None, homologation: Homologation, changes: HomologationChanges
) -> Homologation:
    """Change a homologation's status, validity or certificate (its variant and country stay)."""
    require(actor, homologation, Action.CHANGE)
    values = {**_values(homologation, HOMOLOGATION_FIELDS), **changes}
    return homologation_set(
        actor=actor,
        variant=homologation.variant,
        country=homologation.country,
        status=values["status"],
        valid_until=values["valid_until"],
        certificate_ref=values["certificate_ref"],
    )
