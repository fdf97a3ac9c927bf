"""What every part of the benchmark suite shares: scales, statistics, processes, the machine.

The orchestrating processes (:mod:`benchmarks.run`, :mod:`benchmarks.suite`) never
import Django: each measurement that needs Seabridge in-process runs in a child
process (``python -m benchmarks.child PART``) with the database chosen by the
environment, so that settings, connections and peak memory belong to one part only.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
BENCHMARKS = REPOSITORY / "benchmarks"
VENV_BIN = Path(sys.executable).parent
SEABRIDGE = str(VENV_BIN / "seabridge")
GUNICORN = str(VENV_BIN / "gunicorn")
AUTOCANNON = str(BENCHMARKS / "node_modules" / ".bin" / "autocannon")

# The generated world's "today" (seabridge.demo.services.LAST_DAY): the dashboard's
# year to date ends here, and retail sales in the import file happen after it.
WORLD_LAST_DAY = "2026-10-31"
WORLD_SEED = 1


@dataclass(frozen=True)
class Scale:
    """How big the world is and how often each figure is measured."""

    name: str
    vehicles: int
    markets: int
    outlets: int
    import_rows: int  # at most; a small world has fewer vehicles in dealer stock
    generate_repeats: int  # each repeat builds the world again into a fresh database
    kpi_runs: int
    kpi_iterations: int  # per run: p50/p95 of a run come from these
    duckdb_iterations: int
    vin_runs: int
    vin_lookups: int  # per run
    http_runs: int
    http_seconds: int  # per run, per endpoint
    http_connections: int
    import_repeats: int  # per format; each on a fresh copy of the world


SCALES = {
    "full": Scale(
        name="full",
        vehicles=1_000_000,
        markets=150,
        outlets=5_000,
        import_rows=100_000,
        generate_repeats=1,
        kpi_runs=5,
        kpi_iterations=40,
        duckdb_iterations=40,
        vin_runs=5,
        vin_lookups=1_000,
        http_runs=3,
        http_seconds=15,
        http_connections=32,
        import_repeats=3,
    ),
    "small": Scale(
        name="small",
        vehicles=2_000,
        markets=30,
        outlets=300,
        import_rows=100_000,
        generate_repeats=1,
        kpi_runs=2,
        kpi_iterations=8,
        duckdb_iterations=8,
        vin_runs=2,
        vin_lookups=50,
        http_runs=2,
        http_seconds=1,
        http_connections=32,
        import_repeats=2,
    ),
}


# --- statistics ---------------------------------------------------------------------------


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile by linear interpolation between closest ranks."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency(samples_seconds: Sequence[float]) -> dict[str, float]:
    """p50, p95 and p99 of one run's latencies, in milliseconds."""
    millis = [value * 1000 for value in samples_seconds]
    return {
        "p50_ms": percentile(millis, 0.50),
        "p95_ms": percentile(millis, 0.95),
        "p99_ms": percentile(millis, 0.99),
        "max_ms": max(millis),
        "n": len(millis),
    }


def figure(values: Sequence[float], unit: str) -> dict[str, Any]:
    """One figure over repeated runs: median, min, max and the spread in percent."""
    if not values:
        raise ValueError("no values")
    median = statistics.median(values)
    spread = (max(values) - min(values)) / median * 100 if median else 0.0
    return {
        "median": median,
        "min": min(values),
        "max": max(values),
        "spread_pct": round(spread, 1),
        "runs": len(values),
        "unit": unit,
        "values": list(values),
    }


def figures_of(runs: Sequence[Mapping[str, float]], unit: str) -> dict[str, Any]:
    """Each key of per-run latency summaries as a figure over the runs."""
    keys = [key for key in runs[0] if key != "n"]
    return {key: figure([run[key] for run in runs], unit) for key in keys} | {
        "samples_per_run": int(runs[0].get("n", 0))
    }


# --- processes ----------------------------------------------------------------------------


def django_environment(
    database_url: str, var_dir: Path, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a production-like Seabridge process on ``database_url``."""
    environment = dict(os.environ)
    environment.update(
        {
            "DEBUG": "false",
            # A fresh secret per run: production settings refuse placeholders.
            "SECRET_KEY": environment.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
            "DATABASE_URL": database_url,
            "SEABRIDGE_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "seabridge.settings",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(
                part for part in (str(REPOSITORY), environment.get("PYTHONPATH", "")) if part
            ),
        }
    )
    environment["BENCH_SECRET_KEY"] = environment["SECRET_KEY"]
    if extra:
        environment.update(extra)
    return environment


def run_command(
    command: Sequence[str],
    environment: Mapping[str, str],
    *,
    timeout: float,
    log: Path | None = None,
) -> tuple[float, str]:
    """Run ``command`` to its end; answers (seconds, standard output). Fails loudly."""
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own commands, arguments we build
        list(command),
        env=dict(environment),
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - started
    if log is not None:
        with log.open("a") as handle:
            handle.write(f"$ {' '.join(command)}\n{result.stdout}\n{result.stderr}\n")
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return seconds, result.stdout


def run_child(
    part: str,
    arguments: Sequence[str],
    environment: Mapping[str, str],
    *,
    timeout: float,
    log: Path | None = None,
) -> dict[str, Any]:
    """Run one in-process part in a child process; answers the JSON it printed last."""
    _seconds, output = run_command(
        [sys.executable, "-m", "benchmarks.child", part, *arguments],
        environment,
        timeout=timeout,
        log=log,
    )
    last = [line for line in output.splitlines() if line.startswith("{")][-1]
    answer: dict[str, Any] = json.loads(last)
    return answer


def say(message: str) -> None:
    """Progress on standard error, with the time of day."""
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def peak_rss_kib(pid: int) -> int:
    """The peak resident set (VmHWM) of a live process, in KiB; 0 when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


def children_of(pid: int) -> list[int]:
    """The direct children of ``pid`` (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: read after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


# --- the machine --------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_kib = 0
    try:
        match = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        memory_kib = int(match.group(1)) if match else 0
    except OSError:
        pass
    os_name = platform.platform()
    try:
        release = Path("/etc/os-release").read_text()
        match = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', release, re.MULTILINE)
        if match:
            os_name = f"{match.group(1)} (kernel {platform.release()})"
    except OSError:
        pass
    commit = ""
    with contextlib.suppress(OSError):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "os": os_name,
        "python": platform.python_version(),
        "commit": commit,
    }


def scale_dict(scale: Scale) -> dict[str, Any]:
    return asdict(scale)
