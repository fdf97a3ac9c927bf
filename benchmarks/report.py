"""``benchmarks/RESULTS.md`` from the results files of the last full and small runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

Pick = Callable[[dict[str, Any]], Any]


def at(*keys: str) -> Pick:
    """Reads the value at ``keys`` of a backend's figures (a missing key shows as —)."""

    def pick(figures: dict[str, Any]) -> Any:
        value: Any = figures
        for key in keys:
            value = value[key]
        return value

    return pick


def _ratio(actor: str) -> Pick:
    return lambda f: f"{f['kpi'][actor]['duckdb_over_ours']['p50_ms']:.2f}×"


def _identical(actor: str) -> Pick:
    return lambda f: "yes" if f["kpi"][actor]["identical"] else "**NO**"


def _statements(actor: str) -> Pick:
    keys = ("kpis", "compared", "page")
    return lambda f: " / ".join(str(f["kpi"][actor]["queries"][key]) for key in keys)


def _value(entry: dict[str, Any] | None, digits: int = 1) -> str:
    """``median (min–max)`` of a figure."""
    if not entry:
        return "—"
    median, low, high = entry["median"], entry["min"], entry["max"]
    if entry["runs"] == 1:
        return f"{median:,.{digits}f} (1 run)"
    return f"{median:,.{digits}f} ({low:,.{digits}f}–{high:,.{digits}f})"


def _table(
    backends: dict[str, dict[str, Any]],
    rows: list[tuple[str, Pick, int]],
) -> list[str]:
    names = [BACKEND_NAMES.get(name, name) for name in backends]
    lines = [
        "| figure | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for label, pick, digits in rows:
        cells = []
        for figures in backends.values():
            try:
                value = pick(figures)
            except (KeyError, TypeError, IndexError):
                value = None
            if isinstance(value, dict):
                cells.append(_value(value, digits))
            elif value is None:
                cells.append("—")
            else:
                cells.append(str(value))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def _section(result: dict[str, Any]) -> list[str]:
    scale = result["scale"]
    backends: dict[str, dict[str, Any]] = result["backends"]
    out = [
        f"## {scale['name'].capitalize()} world: {scale['vehicles']:,} vehicles, "
        f"{scale['markets']} markets, {scale['outlets']:,} outlets",
        "",
        f"Run on {result['date']} (commit `{result['machine']['commit']}`), "
        f"{result['seconds']:.0f} s in all. Each cell is the median over the runs, "
        "with the lowest and highest run in parentheses.",
        "",
    ]
    versions = ", ".join(
        f"{BACKEND_NAMES.get(name, name)}: {figures.get('database_version', '?')}"
        for name, figures in backends.items()
    )
    duckdb = next(
        (figures["kpi"]["duckdb_version"] for figures in backends.values() if "kpi" in figures),
        "—",
    )
    out += [f"Databases: {versions}; DuckDB {duckdb}.", ""]
    dates = {figures.get("date", result["date"]) for figures in backends.values()}
    if len(dates) > 1:
        out += [
            "Measured in separate runs: "
            + "; ".join(
                f"{BACKEND_NAMES.get(name, name)} on {figures.get('date', result['date'])}"
                for name, figures in backends.items()
            )
            + ".",
            "",
        ]
    loads = "; ".join(
        f"{BACKEND_NAMES.get(name, name)}: "
        + ", ".join(f"{part} {value:.1f}" for part, value in figures["load_average"].items())
        for name, figures in backends.items()
        if figures.get("load_average")
    )
    if loads:
        out += [
            "The machine is shared: its 1-minute load average as each part began "
            f"(2 cores; above 2, something else was running): {loads}.",
            "",
        ]

    out += [
        "### Budgets (DESIGN.md)",
        "",
        "| budget | database | measured | met |",
        "|---|---|---|---|",
    ]
    for item in result["budgets"]:
        met = {True: "yes", False: "**no**", None: "—"}[item["met"]]
        out.append(
            f"| {item['budget']} | {BACKEND_NAMES.get(item['backend'], item['backend'])} "
            f"| {item['measured']} | {met} |"
        )
    out.append("")

    out += ["### 1. World generation", ""]
    out += _table(
        backends,
        [
            ("vehicles", lambda f: f"{f['generate']['vehicles']:,}", 0),
            ("events", lambda f: f"{f['generate']['events']:,}", 0),
            ("customers", lambda f: f"{f['generate']['customers']:,}", 0),
            ("total time, s (`seabridge generate`)", at("generate", "seconds"), 1),
            ("rows/s (vehicles+events+customers)", at("generate", "rows_per_second"), 0),
            ("vehicles/s", at("generate", "vehicles_per_second"), 0),
            ("database size, MiB", lambda f: f"{f['database_bytes'] / 2**20:,.0f}", 0),
        ],
    )
    out.append("")

    out += ["### 2. Dashboard KPIs against DuckDB on the raw registry (ms)", ""]
    rows: list[tuple[str, Pick, int]] = []
    for actor, label in (("owner", "brand owner"), ("partner", "partner, one market")):
        rows += [
            (f"{label}: KPIs p50", at("kpi", actor, "kpis", "p50_ms"), 1),
            (f"{label}: KPIs p95", at("kpi", actor, "kpis", "p95_ms"), 1),
            (
                f"{label}: KPIs+ranking+trend p50",
                at("kpi", actor, "compared", "p50_ms"),
                1,
            ),
            (
                f"{label}: KPIs+ranking+trend p95",
                at("kpi", actor, "compared", "p95_ms"),
                1,
            ),
            (
                f"{label}: DuckDB, same figures, p50",
                at("kpi", actor, "duckdb", "p50_ms"),
                1,
            ),
            (
                f"{label}: DuckDB, same figures, p95",
                at("kpi", actor, "duckdb", "p95_ms"),
                1,
            ),
            (
                f"{label}: DuckDB time ÷ ours (p50)",
                _ratio(actor),
                2,
            ),
            (
                f"{label}: identical numbers",
                _identical(actor),
                0,
            ),
            (
                f"{label}: whole dashboard page p50",
                at("kpi", actor, "page", "p50_ms"),
                1,
            ),
            (
                f"{label}: whole dashboard page p95",
                at("kpi", actor, "page", "p95_ms"),
                1,
            ),
            (
                f"{label}: SQL statements (KPIs / +ranking+trend / page)",
                _statements(actor),
                0,
            ),
        ]
    out += _table(backends, rows)
    out.append("")
    out += ["### 3. Imports (retail sales through the import framework)", ""]
    rows = [("rows in the file", lambda f: f"{f['imports']['rows']:,}", 0)]
    for file_format in ("csv", "xlsx"):
        name = file_format.upper()
        rows += [
            (
                f"{name}: validation, rows/s",
                at("imports", "formats", file_format, "validate_rows_per_second"),
                0,
            ),
            (
                f"{name}: commit (check + write), rows/s",
                at("imports", "formats", file_format, "commit_rows_per_second"),
                0,
            ),
            (
                f"{name}: commit, the writing alone, rows/s",
                at("imports", "formats", file_format, "commit_writing_rows_per_second"),
                0,
            ),
            (
                f"{name}: re-import (all unchanged), rows/s",
                at("imports", "formats", file_format, "reimport_rows_per_second"),
                0,
            ),
        ]
    out += _table(backends, rows)
    out.append("")
    out += ["### 4. VIN lookup and timeline, server time (ms)", ""]
    rows = []
    for actor, label in (("owner", "brand owner"), ("partner", "partner")):
        for kind in ("lookup", "timeline"):
            rows += [
                (f"{label}: {kind} p50", at("vin", actor, kind, "p50_ms"), 2),
                (f"{label}: {kind} p99", at("vin", actor, kind, "p99_ms"), 2),
            ]
    out += _table(backends, rows)
    out.append("")
    out += ["### 5. HTTP under load (gunicorn, autocannon on loopback)", ""]
    first_http = next((f["http"] for f in backends.values() if "http" in f), None)
    if first_http:
        out += [
            f"`{first_http['server']}`, {first_http['connections']} concurrent clients, "
            f"{first_http['seconds_per_run']} s per run, brand owner's API token.",
            "",
        ]
    rows = []
    for name, label in (
        ("vehicle_list", "GET /api/v1/vehicles/"),
        ("kpi", "GET /api/v1/analytics/kpi"),
    ):
        rows += [
            (
                f"{label}: requests/s",
                at("http", "endpoints", name, "requests_per_second"),
                1,
            ),
            (f"{label}: requests answered per run", at("http", "endpoints", name, "completed"), 0),
            (f"{label}: p50 ms", at("http", "endpoints", name, "p50_ms"), 0),
            (f"{label}: p99 ms", at("http", "endpoints", name, "p99_ms"), 0),
            (
                f"{label}: failed requests",
                at("http", "endpoints", name, "failed_requests"),
                0,
            ),
        ]
    out += _table(backends, rows)
    out.append("")
    out += ["### 6. Peak memory (resident, MiB)", ""]
    out += _table(
        backends,
        [
            ("one gunicorn worker", lambda f: f"{f['http']['memory']['worker_peak_mib']:.0f}", 0),
            (
                "gunicorn, all processes",
                lambda f: f"{f['http']['memory']['all_processes_peak_mib']:.0f}",
                0,
            ),
            ("import worker, CSV", at("imports", "formats", "csv", "peak_rss_mib"), 0),
            ("import worker, XLSX", at("imports", "formats", "xlsx", "peak_rss_mib"), 0),
        ],
    )
    out.append("")
    return out


def render(results: list[dict[str, Any]], notes: str) -> str:
    """The whole RESULTS.md: machine, then one section per scale, then the notes."""
    first = results[0]
    machine = first["machine"]
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`benchmarks/run.py`); how each figure is measured is in "
        "[README.md](README.md). Do not edit by hand: the notes at the end come from "
        "`benchmarks/notes.md`.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {machine['cpu']} |",
        f"| cores | {machine['cores']} |",
        f"| memory | {machine['memory_gib']} GiB |",
        f"| OS | {machine['os']} |",
        f"| Python | {machine['python']} |",
        "",
    ]
    for result in results:
        lines += _section(result)
    if notes:
        lines += [notes.rstrip(), ""]
    return "\n".join(lines)
