"""Layers that cannot be crossed: Import Linter checks the contracts in ``pyproject.toml``
(the apps' order, the two toolkits, no cycle inside any app), and ``make test`` fails
when code imports upwards or in a circle, inside a function or not."""

from __future__ import annotations

import os
import subprocess
import sys
from copy import deepcopy
from functools import cache
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

import seabridge

ROOT = Path(seabridge.__file__).resolve().parents[2]
CONTRACT_TYPES: dict[str, Any] = {
    "layers": LayersContract,
    "forbidden": ForbiddenContract,
    "acyclic_siblings": AcyclicSiblingsContract,
}


def test_every_contract_is_kept():
    """What ``lint-imports`` answers in the repository; its report says what broke."""
    result = subprocess.run(
        [Path(sys.executable).with_name("lint-imports"), "--no-cache", "--no-logo"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


@cache
def _configuration() -> dict[str, Any]:
    return read_configuration(str(ROOT / "pyproject.toml"))


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("seabridge", exclude_type_checking_imports=True, cache_dir=None)


def _kept(contract_id: str, graph: grimp.ImportGraph) -> bool:
    configuration = _configuration()
    options = next(
        options
        for options in configuration["contracts_options"]
        if options.get("id") == contract_id
    )
    contract = CONTRACT_TYPES[options["type"]](
        name=options["name"],
        session_options=configuration["session_options"],
        contract_options=options,
    )
    # A contract removes the imports it ignores from the graph it checks: give it a copy.
    return bool(contract.check(deepcopy(graph), verbose=False).kept)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return _graph()


def test_imports_inside_functions_count(graph):
    # AnalyticsConfig.ready() imports the vehicles hooks it registers with.
    assert graph.direct_import_exists(
        importer="seabridge.analytics.apps", imported="seabridge.vehicles.hooks"
    )


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("seabridge.vehicles.lifecycle", "seabridge.planning.tasks"),  # a lower app up
        ("seabridge.core.scope", "seabridge.accounts.models"),  # core up
        ("seabridge.markets.services", "seabridge.accounts.choices"),  # markets up
        ("seabridge.vehicles.views", "seabridge.web.urls"),  # beyond the page toolkit
    ],
)
def test_an_upward_import_breaks_the_layers(graph, importer, imported):
    assert _kept("layers", graph)
    changed = deepcopy(graph)
    changed.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    assert not _kept("layers", changed)


def test_a_toolkit_that_imported_an_app_would_break_its_contract(graph):
    changed = deepcopy(graph)
    changed.add_import(
        importer="seabridge.web.lists",
        imported="seabridge.vehicles.models",
        line_number=1,
        line_contents="",
    )
    assert _kept("toolkits-web", graph)
    assert not _kept("toolkits-web", changed)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("seabridge.core.models", "seabridge.core.jobs"),  # jobs imports models
        ("seabridge.planning.services", "seabridge.planning.tasks"),  # as it did
    ],
)
def test_a_cycle_inside_an_app_breaks_the_acyclic_contract(graph, importer, imported):
    assert _kept("acyclic", graph)
    changed = deepcopy(graph)
    changed.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    assert not _kept("acyclic", changed)
