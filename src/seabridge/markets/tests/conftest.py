"""Fixtures of the markets tests: the real reference data, and people with each role."""

import pytest

from seabridge.accounts.choices import Role
from seabridge.accounts.tests.factories import MembershipFactory
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
