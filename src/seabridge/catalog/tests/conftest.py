"""Fixtures of the catalog tests: two makers, their people, and two markets."""

import pytest

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.selectors import actor_from_membership
from seabridge.accounts.tests.factories import MembershipFactory, OrganizationFactory
from seabridge.catalog.tests.factories import BrandFactory, ProductLineFactory
from seabridge.markets.choices import TrafficSide
from seabridge.markets.tests.factories import CountryFactory, MarketProfileFactory


@pytest.fixture
def maker(db):
    return OrganizationFactory.create(short_name="JAC", kind=OrganizationKind.MANUFACTURER)


@pytest.fixture
def other_maker(db):
    return OrganizationFactory.create(short_name="Nezha", kind=OrganizationKind.MANUFACTURER)


@pytest.fixture
def staff_membership(user, maker):
    return MembershipFactory.create(user=user, organization=maker, role=Role.STAFF)


@pytest.fixture
def actor(staff_membership):
    return actor_from_membership(staff_membership)


@pytest.fixture
def viewer_membership(other_user, maker):
    return MembershipFactory.create(user=other_user, organization=maker, role=Role.VIEWER)


@pytest.fixture
def viewer(viewer_membership):
    return actor_from_membership(viewer_membership)


@pytest.fixture
def other_actor(other_maker):
    return actor_from_membership(
        MembershipFactory.create(organization=other_maker, role=Role.ADMIN, user__username="li")
    )


@pytest.fixture
def brand(maker):
    return BrandFactory.create(name="JAC", owner=maker)


@pytest.fixture
def foreign_brand(other_maker):
    return BrandFactory.create(name="Nezha", owner=other_maker)


@pytest.fixture
def line(brand):
    return ProductLineFactory.create(brand=brand, name="T8")


@pytest.fixture
def saudi_arabia(db):
    country = CountryFactory.create(code="SA", name="Saudi Arabia")
    MarketProfileFactory.create(country=country, traffic_side=TrafficSide.RIGHT)
    return country


@pytest.fixture
def thailand(db):
    country = CountryFactory.create(
        code="TH", alpha3="THA", numeric="764", name="Thailand", currency="THB"
    )
    MarketProfileFactory.create(country=country, traffic_side=TrafficSide.LEFT)
    return country
