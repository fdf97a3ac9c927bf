"""A small shared world for access tests: two makers, a partner, a dealer, four markets.

JAC (maker) owns the JAC brand; Nezha (maker) owns Nezha. Zhongjiang (trade
partner) and Riyadh Motors (dealer) get what agreements grant them. Every
organisation has members with the roles the tests need, and ``lonely`` is a
person with no membership at all. :func:`add_steward` adds a platform administrator
who keeps the reference data.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.models import ApiToken, Membership, Organization
from seabridge.accounts.selectors import actor_from_membership
from seabridge.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from seabridge.agreements import services as agreement_services
from seabridge.agreements.choices import AgreementKind
from seabridge.agreements.models import Agreement
from seabridge.catalog.choices import HomologationStatus
from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
from seabridge.catalog.tests.factories import BrandFactory, VariantFactory
from seabridge.core.scope import Actor, Area
from seabridge.markets.models import BusinessRegion, Country, MarketProfile
from seabridge.markets.tests.factories import CountryFactory

COUNTRIES = {
    "CN": ("CHN", "156", "China", "right"),
    "SA": ("SAU", "682", "Saudi Arabia", "right"),
    "IQ": ("IRQ", "368", "Iraq", "right"),
    "OM": ("OMN", "512", "Oman", "right"),
    "NG": ("NGA", "566", "Nigeria", "right"),
    "TH": ("THA", "764", "Thailand", "left"),
}


@dataclass
class World:
    jac: Organization
    nezha: Organization
    partner: Organization
    dealer: Organization
    jac_brand: Brand
    nezha_brand: Brand
    jac_line: ProductLine
    jac_variant: Variant
    nezha_variant: Variant
    region: BusinessRegion
    agreement: Any = None  # set by tests that need one
    job: Any = None
    actors: dict[str, Actor] = field(default_factory=dict)
    lonely: User | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Actor:
        try:
            return self.__dict__["actors"][name]
        except KeyError:
            raise AttributeError(name) from None

    def token_id(self, name: str) -> int:
        """The id of the named actor's API token (made once)."""
        token = self.token_for(name)
        return ApiToken.objects.get(digest=ApiToken.digest_of(token)).pk

    @property
    def saudi_homologation(self) -> Homologation:
        return Homologation.objects.get(variant=self.jac_variant, country_id="SA")

    def invitation_link(self) -> dict[str, str]:
        """The set-password link a newly invited person receives."""
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        invited = UserFactory.create(username="invited")
        invited.set_unusable_password()
        invited.save()
        return {
            "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
            "token": default_token_generator.make_token(invited),
        }

    def token_for(self, name: str) -> str:
        """A bearer token for the named actor (made once)."""
        if name not in self.tokens:
            token = ApiToken.PREFIX + secrets.token_urlsafe(32)
            ApiToken.objects.create(
                membership=Membership.objects.get(pk=self.actors[name].membership_id),
                name=f"{name} test token",
                key_prefix=token[:12],
                digest=ApiToken.digest_of(token),
            )
            self.tokens[name] = token
        return self.tokens[name]


def _member(world: World, name: str, organization: Organization, role: Role) -> None:
    membership = MembershipFactory.create(
        user=UserFactory.create(username=name), organization=organization, role=role
    )
    world.actors[name] = actor_from_membership(membership)


def build_world() -> World:
    for code, (alpha3, numeric, name, traffic) in COUNTRIES.items():
        country = CountryFactory.create(code=code, alpha3=alpha3, numeric=numeric, name=name)
        MarketProfile.objects.get_or_create(country=country, defaults={"traffic_side": traffic})
    china = Country.objects.get(code="CN")
    jac = OrganizationFactory.create(short_name="JAC", home_country=china)
    nezha = OrganizationFactory.create(short_name="Nezha", home_country=china)
    partner = OrganizationFactory.create(
        short_name="Zhongjiang", kind=OrganizationKind.TRADE_PARTNER, home_country=china
    )
    dealer = OrganizationFactory.create(
        short_name="Riyadh Motors",
        kind=OrganizationKind.DEALER,
        home_country=Country.objects.get(code="SA"),
    )
    jac_brand = BrandFactory.create(name="JAC", owner=jac)
    nezha_brand = BrandFactory.create(name="Nezha", owner=nezha)
    jac_variant = VariantFactory.create(
        product_line__brand=jac_brand, product_line__name="T8", code="T8-D"
    )
    nezha_variant = VariantFactory.create(
        product_line__brand=nezha_brand, product_line__name="V", code="V-BEV"
    )
    for code in ("SA", "IQ", "OM", "NG"):
        Homologation.objects.create(
            variant=jac_variant, country_id=code, status=HomologationStatus.APPROVED
        )
    Homologation.objects.create(
        variant=nezha_variant, country_id="SA", status=HomologationStatus.APPROVED
    )
    region = BusinessRegion.objects.create(code="gcc", name="GCC")
    region.countries.set(Country.objects.filter(code__in=["SA", "OM"]))
    world = World(
        jac=jac,
        nezha=nezha,
        partner=partner,
        dealer=dealer,
        jac_brand=jac_brand,
        nezha_brand=nezha_brand,
        jac_line=jac_variant.product_line,
        jac_variant=jac_variant,
        nezha_variant=nezha_variant,
        region=region,
    )
    for role in Role:
        _member(world, f"jac_{role.value}", jac, role)
    _member(world, "jac_admin_2", jac, Role.ADMIN)
    _member(world, "nezha_admin", nezha, Role.ADMIN)
    _member(world, "nezha_viewer", nezha, Role.VIEWER)
    _member(world, "partner_admin", partner, Role.ADMIN)
    _member(world, "partner_viewer", partner, Role.VIEWER)
    _member(world, "dealer_admin", dealer, Role.ADMIN)
    world.lonely = UserFactory.create(username="lonely")
    return world


def add_steward(world: World) -> Actor:
    """Add ``steward``: a platform administrator (a superuser), admin of its own
    organisation, Seabridge Operations, which no agreement grants anything. It keeps the
    reference data (countries, market profiles, business regions, exchange rates)."""
    operations = OrganizationFactory.create(
        short_name="Seabridge Operations",
        kind=OrganizationKind.SERVICE_PROVIDER,
        home_country=Country.objects.get(code="CN"),
    )
    _member(world, "steward", operations, Role.ADMIN)
    user = world.actors["steward"].user
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return world.actors["steward"]


def grant(
    *,
    by: Actor,
    to: Organization,
    brands: list[Brand],
    countries: list[str],
    areas: list[Area],
    parent: Agreement | None = None,
    effective_from: date = date(2025, 1, 1),
    effective_to: date | None = date(2099, 12, 31),
    activate: bool = True,
) -> Agreement:
    """Draft, sign and activate an agreement through the services, as people would."""
    agreement = agreement_services.agreement_create(
        actor=by,
        kind=AgreementKind.DISTRIBUTION,
        grantee=to,
        title=f"{by.organization} to {to}",
        effective_from=effective_from,
        effective_to=effective_to,
        parent=parent,
        scope=agreement_services.ScopeInput(
            brands=[brand.pk for brand in brands], countries=countries, areas=list(areas)
        ),
    )
    if activate:
        agreement_services.agreement_sign(
            actor=by, agreement=agreement, signed_on=effective_from, signed_in="Nanjing"
        )
        agreement = agreement_services.agreement_activate(actor=by, agreement=agreement)
    return agreement
