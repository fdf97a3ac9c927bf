"""The demo world's organisations and people, written in bulk.

:func:`organisations_create` writes the five headquarters, every maker's importers
and dealers (named from its :class:`~seabridge.demo.data.common.MakerSpec`), the demo
people and one administrator for every other organisation, all with one password
hash, and answers them as :class:`Parties`: the organisations by key (the keys the
people table uses), each maker's outlets, and the actors who write the rest.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.models import Membership, Organization
from seabridge.accounts.selectors import actor_from_membership
from seabridge.core.scope import Actor
from seabridge.demo.data.common import HOME, MakerSpec
from seabridge.demo.data.organisations import HEADQUARTERS
from seabridge.demo.data.people import (
    ADMIN_EMAILS,
    NAME_POOLS,
    PEOPLE,
    POOL_OF_COUNTRY,
    POOL_OF_SUBREGION,
    RECORDER_EMAILS,
)
from seabridge.demo.services import PersonRow, people_create
from seabridge.markets.models import Country


@dataclass
class DemoPerson:
    """Someone to sign in as during a demo, with the demo world's shared password."""

    email: str
    name: str
    organization: str
    role: str
    works_as: str


class Outlets(NamedTuple):
    """One maker's importers and dealers."""

    importers: dict[str, Organization]  # by export market
    dealers: dict[str, list[Organization]]  # by country, CN included
    dealer_keys: dict[str, list[str]]  # by country: the location of each dealer


@dataclass
class Parties:
    """The organisations and people written, and who acts for the headquarters."""

    countries: dict[str, Country]
    by_key: dict[str, Organization]  # "jac", "importer:jac:CL", "dealer:jac:NG:0", …
    outlets: dict[str, Outlets]  # by maker key
    memberships: dict[str, Membership]  # by e-mail
    people: list[DemoPerson]  # the demo people, in the order of the people table
    admins: dict[str, Actor]  # by headquarters key
    recorders: dict[str, Actor]  # by maker key: records production and history

    @property
    def names(self) -> dict[str, str]:
        """Country names by code."""
        return {code: country.name for code, country in self.countries.items()}


def organisations_create(
    *, countries: dict[str, Country], makers: Sequence[MakerSpec], password: str
) -> Parties:
    """The headquarters, the makers' outlets (in the order of ``makers``) and the people,
    each in bulk; ``password`` is the hash every person is given."""
    headquarters = {
        spec.key: _organization(
            spec.kind,
            spec.legal_name,
            spec.short_name,
            spec.country,
            founded_year=spec.founded_year,
            description=spec.description,
        )
        for spec in HEADQUARTERS
    }
    Organization.objects.bulk_create(list(headquarters.values()))
    by_key = dict(headquarters)
    names = {code: country.name for code, country in countries.items()}
    outlets = _outlets_create(makers, names, by_key)
    memberships, people = _people_create(by_key, countries, password)
    return Parties(
        countries=countries,
        by_key=by_key,
        outlets=outlets,
        memberships=memberships,
        people=people,
        admins={key: actor_from_membership(memberships[e]) for key, e in ADMIN_EMAILS.items()},
        recorders={
            key: actor_from_membership(memberships[e]) for key, e in RECORDER_EMAILS.items()
        },
    )


def _organization(
    kind: str,
    legal_name: str,
    short_name: str,
    country: str,
    *,
    founded_year: int | None = None,
    description: str = "",
) -> Organization:
    return Organization(
        kind=kind,
        legal_name=legal_name,
        short_name=short_name,
        home_country_id=country,
        founded_year=founded_year,
        description=description,
    )


def _outlets_planned(
    maker: MakerSpec, names: dict[str, str]
) -> tuple[list[tuple[str, Organization]], list[tuple[str, str, Organization]]]:
    """The importers (by market) and dealers (market, location) of one maker, unsaved."""
    brand = maker.brand
    short_pattern, legal_pattern = maker.importer_names
    planned_importers = [
        (
            code,
            _organization(
                OrganizationKind.DISTRIBUTOR,
                legal_pattern.format(name=names[code]),
                short_pattern.format(name=names[code]),
                code,
            ),
        )
        for code in maker.importers
    ]
    planned_dealers = [
        (
            HOME,
            city,
            _organization(
                OrganizationKind.DEALER,
                f"{city} {brand} Automobile Sales and Service Co., Ltd.",
                f"{brand} {city}",
                HOME,
            ),
        )
        for city in maker.domestic_dealers
    ]
    planned_dealers += [
        (
            code,
            location,
            _organization(
                OrganizationKind.DEALER,
                f"{brand} {location} Motors Ltd.",
                f"{brand} {location}",
                code,
            ),
        )
        for code, locations in maker.dealers.items()
        for location in locations
    ]
    return planned_importers, planned_dealers


def _outlets_create(
    makers: Sequence[MakerSpec], names: dict[str, str], by_key: dict[str, Organization]
) -> dict[str, Outlets]:
    """Every maker's importers and dealers, in one bulk insert; keyed in ``by_key`` too."""
    plans = {maker.key: _outlets_planned(maker, names) for maker in makers}
    Organization.objects.bulk_create(
        [
            organization
            for importers, dealers in plans.values()
            for organization in [org for _code, org in importers]
            + [org for _code, _location, org in dealers]
        ],
        batch_size=500,
    )
    outlets: dict[str, Outlets] = {}
    for key, (importers, dealers) in plans.items():
        outlet = Outlets(importers=dict(importers), dealers={}, dealer_keys={})
        for code, location, organization in dealers:
            outlet.dealers.setdefault(code, []).append(organization)
            outlet.dealer_keys.setdefault(code, []).append(location)
            index = len(outlet.dealers[code]) - 1
            by_key[f"dealer:{key}:{code}:{index}"] = organization
        for code, organization in importers:
            by_key[f"importer:{key}:{code}"] = organization
        outlets[key] = outlet
    return outlets


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _pool(country: Country) -> tuple[tuple[str, ...], tuple[str, ...]]:
    name = POOL_OF_COUNTRY.get(country.code) or POOL_OF_SUBREGION.get(
        country.m49_subregion, "european"
    )
    return NAME_POOLS[name]


def _people_create(
    by_key: dict[str, Organization], countries: dict[str, Country], password: str
) -> tuple[dict[str, Membership], list[DemoPerson]]:
    """The demo people and one administrator for every other organisation, in bulk."""
    rows: list[tuple[str, str, str, Organization, Role]] = []
    featured: list[DemoPerson] = []
    with_admin: set[int] = set()
    for spec in PEOPLE:
        organization = by_key[spec.organization]
        rows.append((spec.email, spec.first_name, spec.last_name, organization, spec.role))
        if spec.role == Role.ADMIN:
            with_admin.add(organization.pk)
        featured.append(
            DemoPerson(
                email=spec.email,
                name=f"{spec.first_name} {spec.last_name}",
                organization=organization.short_name,
                role=str(spec.role),
                works_as=spec.works_as,
            )
        )
    for organization in by_key.values():
        if organization.pk in with_admin:
            continue
        given, family = _pool(countries[organization.home_country_id])
        # A checksum of the name picks the same person every time, whatever the order.
        number = zlib.crc32(organization.short_name.encode())
        rows.append(
            (
                f"admin@{_slug(organization.short_name)}.example",
                given[number % len(given)],
                family[(number // len(given)) % len(family)],
                organization,
                Role.ADMIN,
            )
        )
    memberships = people_create(
        [
            PersonRow(email, organization, role, first_name=first_name, last_name=last_name)
            for email, first_name, last_name, organization, role in rows
        ],
        password=password,
    )
    return memberships, featured
