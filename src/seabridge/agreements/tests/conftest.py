import pytest

from seabridge.core.tests.world import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()
