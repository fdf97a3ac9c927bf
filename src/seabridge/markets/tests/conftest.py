"""Fixtures of the markets tests: the real reference data, people with each role, and a
steward (a platform administrator) who keeps the reference data."""

import pytest

from seabridge.accounts.choices import Role
from seabridge.accounts.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from seabridge.markets.services import reference_data_load


@pytest.fixture
def markets(db):
    """Every country, the default business regions and a profile per country."""
    return reference_data_load()


@pytest.fixture
def staff(db):
    return MembershipFactory(role=Role.STAFF)


@pytest.fixture
def viewer(db):
    return MembershipFactory(role=Role.VIEWER)


@pytest.fixture
def steward(db):
    """A superuser's membership (admin) of Seabridge Operations, which no agreement grants."""
    return MembershipFactory(
        user=UserFactory(username="steward", is_superuser=True),
        organization=OrganizationFactory(short_name="Seabridge Operations"),
        role=Role.ADMIN,
    )
