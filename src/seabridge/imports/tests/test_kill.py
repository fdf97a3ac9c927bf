"""Killing the importer mid-commit leaves the database as it was before the commit.

A real ``seabridge import`` process writes a 30,000-vehicle production file into a
scratch database of the same engine as the suite (an SQLite file, or a new database
on the PostgreSQL cluster); once it reports rows written inside its transaction it
is killed with SIGKILL. Nothing of the file may remain, and the same import then
runs to the end on the same database.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from seabridge.imports.tests.conftest import jac_vin

ROWS = 30_000
BIN = Path(sys.executable).parent
SETUP = """
import django
django.setup()
from seabridge.core.tests.world import build_world
build_world()
"""
TABLES = (
    "vehicles_vehicle",
    "vehicles_vehicleevent",
    "analytics_dailyfact",
    "analytics_monthlyfact",
)


@pytest.fixture
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of the suite's engine, dropped afterwards."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    import psycopg

    name = f"seabridge_kill_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _counts(url: str) -> dict[str, object]:
    queries = {table: f"SELECT count(*) FROM {table}" for table in TABLES}  # noqa: S608
    queries["imports"] = "SELECT status FROM imports_importbatch ORDER BY id"
    if url.startswith("sqlite"):
        database = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return {
                name: [row[0] for row in database.execute(sql)] for name, sql in queries.items()
            }
        finally:
            database.close()
    import psycopg

    with psycopg.connect(url) as connection:
        return {
            name: [row[0] for row in connection.execute(sql).fetchall()]
            for name, sql in queries.items()
        }


def test_killing_the_importer_mid_commit_keeps_nothing_of_the_file(scratch_database, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": scratch_database,
        "DJANGO_SETTINGS_MODULE": "seabridge.settings_test",
    }
    seabridge = str(BIN / "seabridge")
    subprocess.run([seabridge, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True)
    before = _counts(scratch_database)
    assert before == {**{table: [0] for table in TABLES}, "imports": []}
    path = tmp_path / "line.csv"
    path.write_text(
        "VIN,Variant,Produced on\n"
        + "".join(f"{jac_vin(number)},T8-D,2025-03-01\n" for number in range(1, ROWS + 1))
    )
    command = [seabridge, "import", "production", str(path), "--as", "JAC", "--user", "jac_staff"]

    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line.strip())
        # "Writing 10000/30000": rows are written, the transaction is still open.
        if line.startswith("Writing") and not line.strip().endswith(f" 0/{ROWS}"):
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    assert process.returncode == -signal.SIGKILL, seen
    assert any(line.startswith("Writing") for line in seen), seen
    after = _counts(scratch_database)
    assert after == {**{table: [0] for table in TABLES}, "imports": ["uploaded"]}

    # The database is whole: the same import now runs to the end.
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    counts = _counts(scratch_database)
    assert counts["vehicles_vehicle"] == [ROWS]
    assert counts["vehicles_vehicleevent"] == [ROWS]
    assert counts["imports"] == ["uploaded", "committed"]
