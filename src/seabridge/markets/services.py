"""Writes of the markets app: loading the reference data, editing profiles and regions.

Countries, market profiles and business regions are reference data kept by the
platform's stewards (:func:`seabridge.core.scope.require_steward`); a market
profile's field notes are also kept by the partners granted that market.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pycountry
from babel import Locale
from babel.languages import get_official_languages
from babel.numbers import get_territory_currencies
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import to_locale

from seabridge.core.choices import Role
from seabridge.core.errors import Forbidden, NotFound, ValidationFailed
from seabridge.core.grants import grants_of
from seabridge.core.money import currency_code
from seabridge.core.scope import Actor, is_steward, require_steward
from seabridge.core.services import audit_record, field_changes
from seabridge.markets.choices import TrafficSide
from seabridge.markets.models import BusinessRegion, Country, MarketProfile

DATA_DIRECTORY = Path(__file__).resolve().parent / "data"
BUSINESS_REGIONS_FILE = DATA_DIRECTORY / "business_regions.json"
LEFT_HAND_TRAFFIC_FILE = DATA_DIRECTORY / "left_hand_traffic.txt"

# The columns of Country that come from the libraries; a reload refreshes only these.
COUNTRY_REFERENCE_FIELDS = (
    "alpha3",
    "numeric",
    "name",
    "names",
    "currency",
    "m49_region_code",
    "m49_region",
    "m49_subregion_code",
    "m49_subregion",
    "latitude",
    "longitude",
)

PROFILE_EDITABLE_FIELDS = (
    "traffic_side",
    "emission_standard",
    "fuel_quality_notes",
    "import_duty_pickup_pct",
    "import_duty_passenger_pct",
    "currency",
    "official_languages",
    "is_resource_rich",
    "notes",
)
# A profile's field notes: remarks a partner on the ground knows first (the diesel sold
# up-country, what customs asks for). The partners granted the market keep them beside
# the stewards; every other field is the stewards' alone.
PROFILE_FIELD_NOTES = ("fuel_quality_notes", "notes")

DUTY_MAXIMUM = Decimal(1000)
DUTY_QUANTUM = Decimal("0.01")
COORDINATE_QUANTUM = Decimal("0.000001")
REGION_CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_CODE_PATTERN = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z]{2,4})?$")


def site_languages() -> list[str]:
    """Our seven language codes as Django writes them (``en``, ``zh-hans``, ``pt-br``, …)."""
    return [code for code, _name in settings.LANGUAGES]


# --- reference data ------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceLoadSummary:
    """What one run of :func:`reference_data_load` created or refreshed."""

    countries: int
    countries_created: int
    countries_refreshed: int
    profiles_created: int
    regions_created: int
    region_memberships_created: int

    @property
    def changed_anything(self) -> bool:
        return any(
            (
                self.countries_created,
                self.countries_refreshed,
                self.profiles_created,
                self.regions_created,
                self.region_memberships_created,
            )
        )

    def __str__(self) -> str:
        return (
            f"Markets reference data: {self.countries} countries "
            f"({self.countries_created} new, {self.countries_refreshed} refreshed), "
            f"{self.profiles_created} market profiles new, "
            f"{self.regions_created} business regions new "
            f"({self.region_memberships_created} memberships)."
        )


@contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    """hdx-python-country logs every data file it opens; the loader prints one line only."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _m49_code(value: str | None) -> str:
    """M49 codes are three digits (``002`` Africa); hdx ships them without leading zeros."""
    return value.zfill(3) if value else ""


def _coordinate(value: str | None) -> Decimal | None:
    if not value:
        return None
    return Decimal(value).quantize(COORDINATE_QUANTUM)


def _current_currency(code: str, hdx_currency: str | None) -> str:
    """The country's currency: hdx's when babel still lists it as legal tender, else babel's.

    hdx ships some retired codes (HRK, VEF, ZMK); babel (CLDR) knows today's tender.
    """
    tender = get_territory_currencies(code)
    if hdx_currency and (not tender or hdx_currency in tender):
        return hdx_currency
    return tender[0] if tender else ""


@functools.cache
def _country_reference() -> dict[str, dict[str, Any]]:
    """Reference columns of every ISO 3166-1 country, keyed by alpha-2 (built once per process)."""
    from hdx.location.country import Country as HdxCountry

    with _quiet_logger("hdx"):
        HdxCountry.countriesdata(use_live=False)
        locales = {language: Locale.parse(to_locale(language)) for language in site_languages()}
        rows: dict[str, dict[str, Any]] = {}
        for entry in pycountry.countries:
            code = entry.alpha_2
            info = HdxCountry.get_country_info_from_iso3(entry.alpha_3) or {}
            names = {
                language: locale.territories.get(code, entry.name)
                for language, locale in locales.items()
            }
            rows[code] = {
                "alpha3": entry.alpha_3,
                "numeric": entry.numeric,
                "name": names.get("en", entry.name),
                "names": names,
                "currency": _current_currency(code, info.get("Currency")),
                "m49_region_code": _m49_code(info.get("Region Code")),
                "m49_region": info.get("Region Name") or "",
                "m49_subregion_code": _m49_code(info.get("Sub-region Code")),
                "m49_subregion": info.get("Sub-region Name") or "",
                "latitude": _coordinate(info.get("Latitude")),
                "longitude": _coordinate(info.get("Longitude")),
            }
    return rows


@functools.cache
def left_hand_traffic_codes() -> frozenset[str]:
    """Codes of the countries that keep to the left, from the shipped list."""
    codes = set()
    for line in LEFT_HAND_TRAFFIC_FILE.read_text(encoding="utf-8").splitlines():
        code = line.split("#", 1)[0].strip()
        if code:
            codes.add(code.upper())
    return frozenset(codes)


def default_traffic_side(code: str) -> TrafficSide:
    return TrafficSide.LEFT if code in left_hand_traffic_codes() else TrafficSide.RIGHT


def _business_region_reference() -> list[dict[str, Any]]:
    regions: list[dict[str, Any]] = json.loads(BUSINESS_REGIONS_FILE.read_text(encoding="utf-8"))
    return regions


def _new_profile(country: Country) -> MarketProfile:
    return MarketProfile(
        country=country,
        traffic_side=default_traffic_side(country.code),
        currency=country.currency,
        official_languages=list(get_official_languages(country.code)),
    )


@transaction.atomic
def reference_data_load() -> ReferenceLoadSummary:
    """Load countries, default business regions and market profiles; safe to run again.

    Countries' library columns are refreshed when a library changed; profiles and
    business regions are only created where missing, so nothing a user edited is
    overwritten. Running it twice in a row changes nothing.
    """
    reference = _country_reference()
    existing = Country.objects.in_bulk()
    created = [
        Country(code=code, **fields) for code, fields in reference.items() if code not in existing
    ]
    refreshed = []
    for code, country in existing.items():
        fields = reference.get(code)
        if fields is None:
            continue  # a code ISO withdrew stays, for the records that point at it
        changed = [name for name, value in fields.items() if getattr(country, name) != value]
        for name in changed:
            setattr(country, name, fields[name])
        if changed:
            refreshed.append(country)
    Country.objects.bulk_create(created)
    Country.objects.bulk_update(refreshed, COUNTRY_REFERENCE_FIELDS)

    countries = {**existing, **{country.code: country for country in created}}
    with_profile = set(MarketProfile.objects.values_list("country_id", flat=True))
    profiles = [
        _new_profile(country) for code, country in countries.items() if code not in with_profile
    ]
    MarketProfile.objects.bulk_create(profiles)

    taken_codes, taken_names = set(), set()
    for region_code, region_name in BusinessRegion.objects.values_list("code", "name"):
        taken_codes.add(region_code)
        taken_names.add(region_name)
    new_regions: list[tuple[BusinessRegion, list[str]]] = []
    for entry in _business_region_reference():
        if entry["code"] in taken_codes or entry["name"] in taken_names:
            continue  # the user's version of this region wins
        region = BusinessRegion(code=entry["code"], name=entry["name"], names=entry["names"])
        new_regions.append((region, [code for code in entry["countries"] if code in countries]))
    BusinessRegion.objects.bulk_create([region for region, _codes in new_regions])
    Membership = BusinessRegion.countries.through  # noqa: N806 - a model class
    memberships = [
        Membership(businessregion_id=region.pk, country_id=code)
        for region, codes in new_regions
        for code in codes
    ]
    Membership.objects.bulk_create(memberships)

    return ReferenceLoadSummary(
        countries=len(countries),
        countries_created=len(created),
        countries_refreshed=len(refreshed),
        profiles_created=len(profiles),
        regions_created=len(new_regions),
        region_memberships_created=len(memberships),
    )


# --- editing ---------------------------------------------------------------------------


def _granted_market(actor: Actor, country: Country) -> bool:
    """Whether an agreement in force grants ``actor``'s organisation any brand in
    ``country`` (in any area)."""
    granted = grants_of(actor.organization_id, area=None)
    return any(country.code in countries for countries in granted.values())


def profile_fields_editable_by(actor: Actor | None, country: Country) -> tuple[str, ...]:
    """The fields of ``country``'s profile that ``actor`` may change: every one for a
    steward, the field notes for staff (or higher) of a partner granted the market, none
    for anyone else. Pages ask it to offer the edit button and to build the form."""
    if is_steward(actor):
        return PROFILE_EDITABLE_FIELDS
    if actor is not None and actor.has_role(Role.STAFF) and _granted_market(actor, country):
        return PROFILE_FIELD_NOTES
    return ()


def _require_profile_editor(actor: Actor | None, country: Country, fields: Iterable[str]) -> Actor:
    """The actor, if it may change ``fields`` of ``country``'s profile (see
    :func:`profile_fields_editable_by`); a 404 for no actor, else a 403 saying who may."""
    if actor is None:
        raise NotFound()
    if is_steward(actor):
        return actor
    if not _granted_market(actor, country):
        raise Forbidden(
            _(
                "Market profiles are kept by the platform's stewards; the partners granted "
                "%(country)s may change its field notes."
            )
            % {"country": country}
        )
    actor.require_role(Role.STAFF)
    stewards_only = [
        name
        for name in fields
        if name in PROFILE_EDITABLE_FIELDS and name not in PROFILE_FIELD_NOTES
    ]
    if stewards_only:
        raise Forbidden(
            _(
                "Reference data is kept by the platform's stewards; as a partner granted "
                "%(country)s you may change its field notes only."
            )
            % {"country": country},
            fields={name: [_("Only a steward changes this field.")] for name in stewards_only},
        )
    return actor


def _acting_for(actor: Actor) -> dict[str, Any]:
    """For the audit trail: the organisation a change of reference data was made for
    (the audit event has no column for it)."""
    return {"acting_for": actor.organization_id}


def _clean_duty(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationFailed(fields={field: [_("Enter a percentage.")]})
    try:
        duty = Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed(fields={field: [_("Enter a percentage.")]}) from None
    if not duty.is_finite():
        raise ValidationFailed(fields={field: [_("Enter a percentage.")]})
    if duty < 0:
        raise ValidationFailed(fields={field: [_("An import duty cannot be negative.")]})
    if duty > DUTY_MAXIMUM:
        raise ValidationFailed(fields={field: [_("An import duty cannot exceed 1000%.")]})
    if duty != duty.quantize(DUTY_QUANTUM):
        raise ValidationFailed(fields={field: [_("Use at most two decimal places.")]})
    return duty.quantize(DUTY_QUANTUM)


def _clean_currency(value: Any, field: str) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise ValidationFailed(fields={field: [_("Enter an ISO 4217 currency code.")]})
    return currency_code(value, field=field)


def _clean_traffic_side(value: Any, field: str) -> str:
    if value not in TrafficSide.values:
        raise ValidationFailed(
            fields={
                field: [
                    _("Choose one of: %(choices)s.") % {"choices": ", ".join(TrafficSide.values)}
                ]
            }
        )
    return str(value)


def _text_cleaner(max_length: int | None) -> Callable[[Any, str], str]:
    def clean(value: Any, field: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValidationFailed(fields={field: [_("Enter text.")]})
        value = value.strip()
        if max_length is not None and len(value) > max_length:
            raise ValidationFailed(
                fields={field: [_("Use at most %(count)d characters.") % {"count": max_length}]}
            )
        return value

    return clean


@functools.cache
def _known_languages() -> frozenset[str]:
    return frozenset(Locale("en").languages)


def _clean_languages(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationFailed(fields={field: [_("Enter a list of language codes.")]})
    codes: list[str] = []
    unknown: list[str] = []
    for item in value:
        code = str(item).strip()
        if not code:
            continue
        if LANGUAGE_CODE_PATTERN.match(code) and code.split("_")[0] in _known_languages():
            if code not in codes:
                codes.append(code)
        else:
            unknown.append(code)
    if unknown:
        raise ValidationFailed(
            fields={
                field: [_("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
            }
        )
    return codes


def _clean_flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed(fields={field: [_("Enter true or false.")]})
    return value


_PROFILE_CLEANERS = {
    "traffic_side": _clean_traffic_side,
    "emission_standard": _text_cleaner(60),
    "fuel_quality_notes": _text_cleaner(None),
    "import_duty_pickup_pct": _clean_duty,
    "import_duty_passenger_pct": _clean_duty,
    "currency": _clean_currency,
    "official_languages": _clean_languages,
    "is_resource_rich": _clean_flag,
    "notes": _text_cleaner(None),
}


def _cleaned(
    data: Mapping[str, Any], cleaners: Mapping[str, Callable[[Any, str], Any]]
) -> dict[str, Any]:
    """Run each field's cleaner; refuse with every field's problem at once."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        cleaner = cleaners.get(name)
        if cleaner is None:
            errors[name] = [_("This field cannot be changed here.")]
            continue
        try:
            cleaned[name] = cleaner(value, name)
        except ValidationFailed as error:
            for field, messages in error.fields.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


def market_profile_clean(
    *, actor: Actor | None, country: Country | None, data: Mapping[str, Any]
) -> dict[str, Any]:
    """``data`` as :func:`market_profile_update` would write it, refused as it would be:
    an import checks every row this way before it writes any. ``country`` None (a row
    naming no known country, refused for that already) has its cells checked alone."""
    if country is not None:
        _require_profile_editor(actor, country, data)
    return _cleaned(data, _PROFILE_CLEANERS)


def market_profile_update(
    *, actor: Actor | None, country: Country, data: Mapping[str, Any]
) -> MarketProfile:
    """Change some fields of ``country``'s market profile (a partial update), audited
    with the person and the organisation they acted for.

    A steward changes any field; staff of a partner granted the market change its
    field notes (:data:`PROFILE_FIELD_NOTES`); anyone else is refused (403). Refuses
    with :class:`ValidationFailed` naming each bad field (a negative duty, an unknown
    currency) before anything is written.
    """
    editor = _require_profile_editor(actor, country, data)
    cleaned = _cleaned(data, _PROFILE_CLEANERS)
    with transaction.atomic():
        profile = MarketProfile.objects.select_for_update().filter(country=country).first()
        if profile is None:
            profile = _new_profile(country)
            profile.save()
        before = {name: getattr(profile, name) for name in cleaned}
        changes = field_changes(before, cleaned)
        if changes:
            for name in changes:
                setattr(profile, name, cleaned[name])
            profile.save(update_fields=[*changes, "updated_at"])
            audit_record(
                actor=editor.user,
                action="market_profile.update",
                obj=profile,
                changes={**changes, **_acting_for(editor)},
            )
    return profile


def _clean_region_code(value: Any, field: str) -> str:
    code = value.strip().lower() if isinstance(value, str) else ""
    if not code or len(code) > 40 or not REGION_CODE_PATTERN.match(code):
        raise ValidationFailed(
            fields={field: [_("Use lower-case letters, digits and hyphens (at most 40).")]}
        )
    return code


def _clean_region_name(value: Any, field: str) -> str:
    name = _text_cleaner(80)(value, field)
    if not name:
        raise ValidationFailed(fields={field: [_("This field is required.")]})
    return str(name)


def _clean_region_names(value: Any, field: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationFailed(fields={field: [_("Give a name per language code.")]})
    languages = site_languages()
    unknown = [str(language) for language in value if language not in languages]
    if unknown:
        raise ValidationFailed(
            fields={
                field: [_("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
            }
        )
    names: dict[str, str] = {}
    for language in languages:
        text = _text_cleaner(80)(value.get(language), field)
        if text:
            names[language] = text
    return names


def _clean_country_codes(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(r"[\s,;]+", value)
    if not isinstance(value, Iterable):
        raise ValidationFailed(fields={field: [_("Enter a list of ISO country codes.")]})
    codes = sorted({str(code).strip().upper() for code in value if str(code).strip()})
    known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationFailed(
            fields={field: [_("Unknown country codes: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    return codes


_REGION_CLEANERS = {
    "code": _clean_region_code,
    "name": _clean_region_name,
    "names": _clean_region_names,
    "countries": _clean_country_codes,
}


def _refuse_taken(cleaned: Mapping[str, Any], *, other_than: BusinessRegion | None) -> None:
    others = BusinessRegion.objects.all()
    if other_than is not None:
        others = others.exclude(pk=other_than.pk)
    errors = {}
    if "code" in cleaned and others.filter(code=cleaned["code"]).exists():
        errors["code"] = [_("A business region with this code already exists.")]
    if "name" in cleaned and others.filter(name=cleaned["name"]).exists():
        errors["name"] = [_("A business region with this name already exists.")]
    if errors:
        raise ValidationFailed(fields=errors)


def _region_values(region: BusinessRegion) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "names": dict(region.names),
        "countries": sorted(region.countries.values_list("code", flat=True)),
    }


def business_region_create(
    *,
    actor: Actor | None,
    code: str,
    name: str,
    names: Mapping[str, str] | None = None,
    countries: Sequence[str] = (),
) -> BusinessRegion:
    """Create a business region with its member countries (by ISO code), audited; a
    steward's work."""
    editor = require_steward(actor)
    cleaned = _cleaned(
        {"code": code, "name": name, "names": names or {}, "countries": list(countries)},
        _REGION_CLEANERS,
    )
    try:
        with transaction.atomic():
            _refuse_taken(cleaned, other_than=None)
            region = BusinessRegion.objects.create(
                code=cleaned["code"], name=cleaned["name"], names=cleaned["names"]
            )
            region.countries.set(cleaned["countries"])
            audit_record(
                actor=editor.user,
                action="business_region.create",
                obj=region,
                changes={**cleaned, **_acting_for(editor)},
            )
    except IntegrityError:
        # Another request took the code or name between our check and the insert.
        raise ValidationFailed(
            fields={"code": [_("A business region with this code already exists.")]}
        ) from None
    return region


def business_region_update(
    *, actor: Actor | None, region: BusinessRegion, data: Mapping[str, Any]
) -> BusinessRegion:
    """Change a business region's name, names or member countries (a partial update), audited.

    The code is the region's key in URLs and the API and does not change. A steward's work.
    """
    editor = require_steward(actor)
    cleaners = {name: cleaner for name, cleaner in _REGION_CLEANERS.items() if name != "code"}
    cleaned = _cleaned(data, cleaners)
    try:
        with transaction.atomic():
            region = BusinessRegion.objects.select_for_update().get(pk=region.pk)
            _refuse_taken(cleaned, other_than=region)
            before = _region_values(region)
            changes = field_changes(before, cleaned)
            if changes:
                for name in ("name", "names"):
                    if name in changes:
                        setattr(region, name, cleaned[name])
                region.save()
                if "countries" in changes:
                    region.countries.set(cleaned["countries"])
                audit_record(
                    actor=editor.user,
                    action="business_region.update",
                    obj=region,
                    changes={**changes, **_acting_for(editor)},
                )
    except IntegrityError:
        raise ValidationFailed(
            fields={"name": [_("A business region with this name already exists.")]}
        ) from None
    return region
