"""Part 5 (and the server's half of part 6): the API under load, behind gunicorn.

The production setup as README.md states it (``gunicorn seabridge.wsgi --workers 4
--threads 4``, ``DEBUG`` off) on a free loopback port, and autocannon (from npm,
installed by ``make bench``) as the load: ``--connections`` concurrent clients for a
fixed number of seconds per run, each request with an API token (``Authorization:
Bearer``). Both run on the same machine, so the load tool takes some of the cores the
server would otherwise have; the figures are a floor, not a ceiling.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks.common import (
    AUTOCANNON,
    GUNICORN,
    REPOSITORY,
    WORLD_LAST_DAY,
    children_of,
    peak_rss_kib,
    say,
)

WORKERS = 4
THREADS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def endpoints(brand_id: int) -> dict[str, str]:
    """The paths loaded: the vehicle list's first page and the dashboard's KPIs."""
    year_start = WORLD_LAST_DAY[:4] + "-01-01"
    return {
        "vehicle_list": "/api/v1/vehicles/",
        "kpi": (
            f"/api/v1/analytics/kpi?brand={brand_id}&measure=sales"
            f"&from={year_start}&to={WORLD_LAST_DAY}"
        ),
    }


def _wait_until_up(base: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting; see its log.")
        try:
            with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /api/v1/health in time.")


def _check_once(base: str, path: str, token: str) -> int:
    """One request before the load: the endpoint must answer 200 with this token."""
    request = urllib.request.Request(  # noqa: S310 - loopback
        base + path, headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=300) as answer:  # noqa: S310 - loopback
        body = answer.read()
        if answer.status != 200:
            raise RuntimeError(f"{path} answered {answer.status}")
        return len(body)


def _autocannon(url: str, token: str, *, connections: int, seconds: int) -> dict[str, Any]:
    command = [
        AUTOCANNON,
        "--connections",
        str(connections),
        "--duration",
        str(seconds),
        "--timeout",
        "30",
        "--json",
        "--headers",
        f"Authorization=Bearer {token}",
        url,
    ]
    result = subprocess.run(  # noqa: S603 - our load tool, our arguments
        command,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=seconds + 90,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"autocannon failed: {result.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _serve(environment: Mapping[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603 - our server, our arguments
            [
                GUNICORN,
                "seabridge.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
                "--log-level",
                "warning",
            ],
            cwd=REPOSITORY,
            env=dict(environment),
            stdout=output,
            stderr=output,
        )


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn at once (SIGQUIT: workers drop what is queued), and make sure no
    worker outlives it: a worker left behind would take CPU from the next part."""
    workers = children_of(server.pid)
    server.send_signal(signal.SIGQUIT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    for pid in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def measure(
    *,
    environment: Mapping[str, str],
    tokens: Mapping[str, str],
    brand_id: int,
    runs: int,
    seconds: int,
    connections: int,
    log: Path,
) -> dict[str, Any]:
    """Requests per second and latencies per endpoint over ``runs`` runs; the server's
    peak memory. Each endpoint gets a server of its own, so that requests still queued
    from one endpoint's load (a slow endpoint leaves a backlog when the load stops)
    do not count against the next."""
    result: dict[str, Any] = {
        "server": f"gunicorn seabridge.wsgi --workers {WORKERS} --threads {THREADS}",
        "connections": connections,
        "seconds_per_run": seconds,
        "endpoints": {},
        "peak_rss_kib": {"master": 0, "workers": []},
    }
    for name, path in endpoints(brand_id).items():
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(environment, port, log)
        try:
            _wait_until_up(base, server)
            token = tokens["owner"]
            size = _check_once(base, path, token)
            # A short warm-up: every worker imports, connects and fills its caches.
            _autocannon(base + path, token, connections=connections, seconds=1)
            reports = []
            for run in range(runs):
                say(f"  HTTP {name}: run {run + 1}/{runs} ({seconds} s, {connections} clients)")
                report = _autocannon(base + path, token, connections=connections, seconds=seconds)
                reports.append(
                    {
                        "requests_per_second": report["requests"]["average"],
                        "p50_ms": report["latency"]["p50"],
                        "p99_ms": report["latency"]["p99"],
                        "max_ms": report["latency"]["max"],
                        "requests": report["requests"]["total"],
                        "non_2xx": report.get("non2xx", 0),
                        "errors": report.get("errors", 0),
                        "timeouts": report.get("timeouts", 0),
                    }
                )
            result["endpoints"][name] = {"path": path, "bytes": size, "runs": reports}
            workers = [peak_rss_kib(pid) for pid in children_of(server.pid)]
            peaks = result["peak_rss_kib"]
            if sum(workers) > sum(peaks["workers"]):
                peaks["workers"] = workers
            peaks["master"] = max(peaks["master"], peak_rss_kib(server.pid))
        finally:
            _stop(server)
    return result
