"""From the suites' raw answers to figures (median and spread over runs) and budgets."""

from __future__ import annotations

from typing import Any

from benchmarks.common import figure, figures_of

ACTORS = ("owner", "partner")


def _kpi(raw: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "partner_market": raw["ours"]["partner_market"],
        "duckdb_version": raw["duckdb_version"],
        "export": raw["export"],
        "world": raw["world"],
    }
    for actor in ACTORS:
        ours = raw["ours"]["actors"][actor]
        peer = raw["comparison"][actor]
        entry: dict[str, Any] = {
            key: figures_of(runs, "ms") for key, runs in ours["timings"].items()
        }
        entry["duckdb"] = figures_of(peer["duckdb_timings"], "ms")
        entry["queries"] = ours["queries"]
        entry["identical"] = peer["identical"]
        entry["answer"] = peer["ours"]["kpis"]
        # How many times longer DuckDB takes than we do for the same figures (> 1: we are faster).
        entry["duckdb_over_ours"] = {
            key: entry["duckdb"][key]["median"] / entry["compared"][key]["median"]
            for key in ("p50_ms", "p95_ms")
        }
        result[actor] = entry
    return result


def _vin(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        actor: {kind: figures_of(runs, "ms") for kind, runs in raw[actor].items()}
        for actor in ACTORS
    }


def _http(raw: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "server": raw["server"],
        "connections": raw["connections"],
        "seconds_per_run": raw["seconds_per_run"],
        "endpoints": {},
    }
    for name, endpoint in raw["endpoints"].items():
        runs = endpoint["runs"]
        result["endpoints"][name] = {
            "path": endpoint["path"],
            "bytes": endpoint["bytes"],
            "requests_per_second": figure([run["requests_per_second"] for run in runs], "req/s"),
            "p50_ms": figure([run["p50_ms"] for run in runs], "ms"),
            "p99_ms": figure([run["p99_ms"] for run in runs], "ms"),
            # Requests answered within the run: none means every request took longer.
            "completed": figure([run["requests"] for run in runs], "requests"),
            "failed_requests": sum(
                run["non_2xx"] + run["errors"] + run["timeouts"] for run in runs
            ),
        }
    workers = raw["peak_rss_kib"]["workers"]
    result["memory"] = {
        "worker_peak_mib": max(workers) / 1024 if workers else 0,
        "all_processes_peak_mib": (sum(workers) + raw["peak_rss_kib"]["master"]) / 1024,
        "workers": len(workers),
    }
    return result


def _imports(raw: dict[str, Any]) -> dict[str, Any]:
    rows = raw["file"]["rows"]
    result: dict[str, Any] = {"rows": rows, "file": raw["file"], "formats": {}}
    for file_format, runs in raw["formats"].items():
        entry: dict[str, Any] = {}
        for step in ("validate", "commit", "reimport"):
            entry[f"{step}_rows_per_second"] = figure(
                [rows / run[step]["seconds"] for run in runs], "rows/s"
            )
        writing = [run["commit"]["writing_seconds"] for run in runs]
        if all(value for value in writing):
            entry["commit_writing_rows_per_second"] = figure(
                [rows / value for value in writing], "rows/s"
            )
        entry["peak_rss_mib"] = figure([run["peak_rss_kib"] / 1024 for run in runs], "MiB")
        result["formats"][file_format] = entry
    return result


def _generate(raw: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "vehicles": raw[0]["vehicles"],
        "events": raw[0]["events"],
        "customers": raw[0]["customers"],
        "rows": raw[0]["rows"],
        "seconds": figure([run["command_seconds"] for run in raw], "s"),
        "rows_per_second": figure([run["rows_per_second"] for run in raw], "rows/s"),
        "vehicles_per_second": figure([run["vehicles_per_second"] for run in raw], "vehicles/s"),
        "migrate_seconds": figure([run["migrate_seconds"] for run in raw], "s"),
    }


def summarise(raw: dict[str, Any]) -> dict[str, Any]:
    """One backend's figures."""
    result: dict[str, Any] = {
        "seconds": raw.get("seconds"),
        "database_bytes": raw.get("database_bytes"),
        "load_average": raw.get("load_average", {}),
        "generate": _generate(raw["generate"]),
    }
    if "kpi" in raw:
        result["kpi"] = _kpi(raw["kpi"])
        result["database_version"] = raw["kpi"]["database_version"]
    if "vin" in raw:
        result["vin"] = _vin(raw["vin"])
    if "http" in raw:
        result["http"] = _http(raw["http"])
    if "imports" in raw:
        result["imports"] = _imports(raw["imports"])
    return result


def budgets(backends: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each budget of DESIGN.md ("Performance budgets") against what was measured."""
    checks: list[dict[str, Any]] = []

    def check(budget: str, backend: str, measured: str, met: bool | None) -> None:
        checks.append({"budget": budget, "backend": backend, "measured": measured, "met": met})

    for backend, figures in backends.items():
        kpi = figures.get("kpi")
        if kpi:
            for actor in ACTORS:
                page = kpi[actor]["page"]["p95_ms"]["median"]
                compared = kpi[actor]["compared"]["p95_ms"]["median"]
                check(
                    f"Dashboard p95 < 100 ms ({actor})",
                    backend,
                    f"page {page:.1f} ms; KPIs+ranking+trend {compared:.1f} ms",
                    page < 100,
                )
                ratio = kpi[actor]["duckdb_over_ours"]["p95_ms"]
                check(
                    f"As fast as DuckDB on the raw facts, p95 ({actor})",
                    backend,
                    f"DuckDB takes {ratio:.2f}× our time",
                    ratio >= 1,
                )
                check(
                    f"Identical numbers to DuckDB ({actor})",
                    backend,
                    "identical" if kpi[actor]["identical"] else "DIFFERENT",
                    bool(kpi[actor]["identical"]),
                )
        imports = figures.get("imports")
        if imports and backend == "sqlite":
            rate = imports["formats"]["csv"]["validate_rows_per_second"]["median"]
            check(
                "Imports ≥ 20,000 validated rows/s into SQLite (CSV)",
                backend,
                f"{rate:,.0f} rows/s over {imports['rows']:,} rows",
                rate >= 20_000,
            )
        vin = figures.get("vin")
        if vin:
            worst = max(vin[actor]["lookup"]["p99_ms"]["median"] for actor in ACTORS)
            median = max(vin[actor]["lookup"]["p50_ms"]["median"] for actor in ACTORS)
            check(
                "VIN lookup < 5 ms server time (p99)",
                backend,
                f"p50 {median:.2f} ms, p99 {worst:.2f} ms",
                worst < 5,
            )
        http = figures.get("http")
        if http:
            for name, endpoint in http["endpoints"].items():
                rate = endpoint["requests_per_second"]["median"]
                p99 = endpoint["p99_ms"]["median"]
                measured = f"{rate:,.1f} req/s, p99 {p99:,.0f} ms"
                if endpoint["completed"]["median"] == 0:
                    measured = (
                        f"no request answered within a {http['seconds_per_run']} s run "
                        f"({endpoint['completed']['max']:,.0f} at most)"
                    )
                check(
                    f"2,000 req/s, p99 < 20 ms on 2 cores (budget of public verification; "
                    f"measured on {name})",
                    backend,
                    measured,
                    rate >= 2_000 and p99 < 20,
                )
    return checks
