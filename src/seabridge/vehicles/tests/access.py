"""The vehicles app's rows in the authorization matrix (see core/tests/authorization.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from seabridge.core.tests.authorization import Policy
from seabridge.core.tests.world import World

# Path parameter name -> the JAC-owned row it points at.
PARAMETERS: dict[str, Callable[[World], Any]] = {}
API: dict[str, Policy] = {}
PAGES: dict[str, Policy] = {}


def extend_world(world: World) -> None:
    """Add this app's JAC rows (and foreign ones) to the matrix world."""
