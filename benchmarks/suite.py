"""Every part on one database: ``python -m benchmarks.suite --backend sqlite|postgresql``.

SQLite gets a new file in a temporary folder; PostgreSQL is the cluster that
``scripts/with-postgres.sh`` started (its ``DATABASE_URL``). The order matters: the
parts that only read (KPIs, VIN lookups, HTTP) run on the world as generated, and
the imports, which write, run last, each on a fresh copy of that world.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchmarks import load
from benchmarks.common import (
    SCALES,
    SEABRIDGE,
    WORLD_SEED,
    Scale,
    django_environment,
    run_child,
    run_command,
    say,
)

HOUR = 3600.0


class Database:
    """The database under test: a fresh empty one, and throwaway copies of the world."""

    def __init__(self, backend: str, workdir: Path) -> None:
        self.backend = backend
        self.workdir = workdir
        if backend == "sqlite":
            self.world_path = workdir / "world.sqlite3"
            self.url = f"sqlite:///{self.world_path}"
        else:
            url = os.environ.get("DATABASE_URL", "")
            if not url.startswith("postgres"):
                raise SystemExit("PostgreSQL runs need DATABASE_URL (scripts/with-postgres.sh).")
            self.url = url
            parts = urlsplit(url)
            self.world_name = parts.path.lstrip("/")
            self.maintenance_url = urlunsplit(parts._replace(path="/postgres"))

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.maintenance_url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def reset(self) -> None:
        """An empty database for a new world."""
        if self.backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.world_path}{suffix}").unlink(missing_ok=True)
        else:
            name = self.world_name
            self._admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')

    def copy(self) -> str:
        """A fresh copy of the world for a run that writes; answers its URL."""
        if self.backend == "sqlite":
            with sqlite3.connect(self.world_path) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            copy = self.workdir / "run.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.world_path, copy)
            return f"sqlite:///{copy}"
        self._admin(
            'DROP DATABASE IF EXISTS "bench_run"',
            f'CREATE DATABASE "bench_run" TEMPLATE "{self.world_name}"',
        )
        return urlunsplit(urlsplit(self.url)._replace(path="/bench_run"))

    def size_bytes(self) -> int:
        if self.backend == "sqlite":
            return sum(
                Path(f"{self.world_path}{suffix}").stat().st_size
                for suffix in ("", "-wal")
                if Path(f"{self.world_path}{suffix}").exists()
            )
        import psycopg

        with psycopg.connect(self.url) as connection:
            row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(row[0]) if row else 0


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def generate(scale: Scale, database: Database, environment: dict[str, str], log: Path) -> Any:
    """Part 1: migrate an empty database and build the world; repeated on fresh ones."""
    runs = []
    for run in range(scale.generate_repeats):
        database.reset()
        migrate_seconds, _output = run_command(
            [SEABRIDGE, "migrate", "--no-input", "-v", "0"], environment, timeout=HOUR, log=log
        )
        say(f"  generating {scale.vehicles:,} vehicles (run {run + 1}/{scale.generate_repeats})")
        seconds, output = run_command(
            [
                SEABRIDGE,
                "generate",
                "--vehicles",
                str(scale.vehicles),
                "--seed",
                str(WORLD_SEED),
                "--markets",
                str(scale.markets),
                "--outlets",
                str(scale.outlets),
            ],
            environment,
            timeout=6 * HOUR,
            log=log,
        )
        counts = re.search(
            r"Generated ([\d,]+) vehicles with ([\d,]+) events, ([\d,]+) customers"
            r".*? in ([\d.]+) s",
            output,
        )
        rates = re.search(r"([\d,]+) vehicles/s; ([\d,]+) rows/s", output)
        if counts is None or rates is None:
            raise RuntimeError(f"Unexpected output of seabridge generate:\n{output}")
        vehicles, events, customers = (_number(counts.group(index)) for index in (1, 2, 3))
        runs.append(
            {
                "migrate_seconds": migrate_seconds,
                "command_seconds": seconds,
                "generator_seconds": float(counts.group(4)),
                "vehicles": vehicles,
                "events": events,
                "customers": customers,
                "rows": vehicles + events + customers,
                "vehicles_per_second": _number(rates.group(1)),
                "rows_per_second": _number(rates.group(2)),
                "summary": output.strip().splitlines(),
            }
        )
    return runs


def imports(
    scale: Scale, database: Database, environment: dict[str, str], workdir: Path, log: Path
) -> dict[str, Any]:
    """Part 3 (and the import worker's half of part 6): each format, each repeat on a
    fresh copy of the world."""
    files = workdir / "imports"
    built = run_child(
        "import-files",
        ["--directory", str(files), "--rows", str(scale.import_rows)],
        environment,
        timeout=HOUR,
        log=log,
    )
    if built["rows"] == 0:
        raise RuntimeError("The world has no vehicles in dealer stock to sell.")
    result: dict[str, Any] = {"file": built, "formats": {}}
    for file_format in ("csv", "xlsx"):
        runs = []
        for run in range(scale.import_repeats):
            say(
                f"  import {file_format}: {built['rows']:,} rows "
                f"(run {run + 1}/{scale.import_repeats})"
            )
            url = database.copy()
            runs.append(
                run_child(
                    "import-run",
                    ["--file", str(files / f"retail.{file_format}")],
                    {**environment, "DATABASE_URL": url},
                    timeout=2 * HOUR,
                    log=log,
                )
            )
        result["formats"][file_format] = runs
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suite")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--parts",
        default="generate,kpi,vin,http,imports",
        help="Comma-separated parts to run after the world is generated (always).",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder.")
    arguments = parser.parse_args(argv)
    scale = SCALES[arguments.scale]
    parts = set(arguments.parts.split(","))
    workdir = Path(tempfile.mkdtemp(prefix=f"seabridge-bench-{arguments.backend}-"))
    (workdir / "var" / "static").mkdir(parents=True)
    log = workdir / "log.txt"
    database = Database(arguments.backend, workdir)
    environment = django_environment(database.url, workdir / "var")
    result: dict[str, Any] = {"backend": arguments.backend, "started": time.time()}
    # Other work on the machine shows here: the 1-minute load average as each part began.
    load_average: dict[str, float] = {}
    result["load_average"] = load_average
    started = time.perf_counter()
    try:
        say(f"{arguments.backend}: world of {scale.vehicles:,} vehicles ({scale.name})")
        load_average["generate"] = os.getloadavg()[0]
        result["generate"] = generate(scale, database, environment, log)
        result["database_bytes"] = database.size_bytes()
        if "kpi" in parts:
            load_average["kpi"] = os.getloadavg()[0]
            say(f"{arguments.backend}: dashboard KPIs, and DuckDB on the raw registry")
            result["kpi"] = run_child(
                "kpi",
                [
                    "--runs",
                    str(scale.kpi_runs),
                    "--iterations",
                    str(scale.kpi_iterations),
                    "--duckdb-iterations",
                    str(scale.duckdb_iterations),
                    "--parquet",
                    str(workdir / "parquet"),
                ],
                environment,
                timeout=2 * HOUR,
                log=log,
            )
        if "vin" in parts:
            load_average["vin"] = os.getloadavg()[0]
            say(f"{arguments.backend}: VIN lookup and timeline")
            result["vin"] = run_child(
                "vin",
                ["--runs", str(scale.vin_runs), "--lookups", str(scale.vin_lookups)],
                environment,
                timeout=HOUR,
                log=log,
            )
        if "http" in parts:
            load_average["http"] = os.getloadavg()[0]
            say(f"{arguments.backend}: HTTP under load")
            tokens = run_child("tokens", [], environment, timeout=600, log=log)
            result["http"] = load.measure(
                environment=environment,
                tokens=tokens["tokens"],
                brand_id=tokens["brand_id"],
                runs=scale.http_runs,
                seconds=scale.http_seconds,
                connections=scale.http_connections,
                log=log,
            )
        if "imports" in parts:
            load_average["imports"] = os.getloadavg()[0]
            say(f"{arguments.backend}: imports")
            result["imports"] = imports(scale, database, environment, workdir, log)
        result["seconds"] = time.perf_counter() - started
        arguments.out.write_text(json.dumps(result, indent=1, default=str))
    except BaseException:
        say(f"{arguments.backend}: failed; the log is {log}")
        arguments.keep = True
        raise
    finally:
        if not arguments.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
