"""Two organisations and their people: JAC (admin Amina, staff Bo, viewer Chen) and Nezha."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.models import ApiToken, Membership, Organization
from seabridge.accounts.selectors import actor_from_membership
from seabridge.accounts.services import api_token_create
from seabridge.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from seabridge.core.scope import Actor
from seabridge.markets.tests.factories import CountryFactory


@dataclass
class People:
    jac: Organization
    nezha: Organization
    admin: Membership
    staff: Membership
    viewer: Membership
    nezha_admin: Membership

    def actor(self, membership: Membership) -> Actor:
        return actor_from_membership(
            Membership.objects.select_related("user", "organization").get(pk=membership.pk)
        )


@pytest.fixture
def people(db) -> People:
    china = CountryFactory(code="CN", alpha3="CHN", numeric="156", name="China", currency="CNY")
    CountryFactory(code="SA", alpha3="SAU", numeric="682", name="Saudi Arabia", currency="SAR")
    jac: Organization = OrganizationFactory(  # type: ignore[assignment]
        short_name="JAC",
        legal_name="Anhui Jianghuai Automobile Group Co., Ltd.",
        home_country=china,
        languages=["zh-hans", "en"],
    )
    nezha: Organization = OrganizationFactory(  # type: ignore[assignment]
        short_name="Nezha", legal_name="Hozon New Energy Automobile Co., Ltd.", home_country=china
    )
    amina = UserFactory(username="amina", email="amina@example.com", first_name="Amina")
    admin: Membership = MembershipFactory(  # type: ignore[assignment]
        user=amina, organization=jac, role=Role.ADMIN
    )
    staff: Membership = MembershipFactory(  # type: ignore[assignment]
        user=UserFactory(username="bo", email="bo@example.com"), organization=jac, role=Role.STAFF
    )
    viewer: Membership = MembershipFactory(  # type: ignore[assignment]
        user=UserFactory(username="chen", email="chen@example.com"),
        organization=jac,
        role=Role.VIEWER,
    )
    nezha_admin: Membership = MembershipFactory(  # type: ignore[assignment]
        user=UserFactory(username="dara", email="dara@example.com"),
        organization=nezha,
        role=Role.ADMIN,
    )
    assert jac.kind == OrganizationKind.MANUFACTURER
    return People(
        jac=jac, nezha=nezha, admin=admin, staff=staff, viewer=viewer, nezha_admin=nezha_admin
    )


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(username="root", email="root@example.com", password="x")


def make_token(
    actor: Actor, *, name: str = "Nightly export", days: int = 30
) -> tuple[ApiToken, str]:
    return api_token_create(
        actor=actor, name=name, expires_at=timezone.now() + timedelta(days=days)
    )
