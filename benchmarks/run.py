"""``make bench [SCALE=small]``: the whole suite on SQLite and on PostgreSQL.

    .venv/bin/python -m benchmarks.run --scale full|small [--backends sqlite,postgresql]

Each backend runs in its own process (:mod:`benchmarks.suite`); PostgreSQL inside
``scripts/with-postgres.sh``, which starts a throwaway cluster on loopback and
removes it afterwards. The answers are summarised (:mod:`benchmarks.summary`) and
written to ``benchmarks/results/latest.json`` and ``results/<scale>.json``;
``benchmarks/RESULTS.md`` shows the last full and the last small run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import report, summary
from benchmarks.common import BENCHMARKS, REPOSITORY, SCALES, machine, say, scale_dict

RESULTS = BENCHMARKS / "results"


def run_backend(backend: str, scale: str, keep: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"{backend}.json"
        command = [sys.executable, "-m", "benchmarks.suite", "--backend", backend]
        command += ["--scale", scale, "--out", str(out)]
        if keep:
            command.append("--keep")
        if backend == "postgresql":
            command = ["bash", str(REPOSITORY / "scripts" / "with-postgres.sh"), *command]
        completed = subprocess.run(command, cwd=REPOSITORY, check=False)  # noqa: S603 - our suite
        if completed.returncode != 0:
            raise SystemExit(f"The {backend} suite failed ({completed.returncode}).")
        answer: dict[str, Any] = json.loads(out.read_text())
        return answer


def _resummarised(result: dict[str, Any]) -> dict[str, Any]:
    """The figures and budgets computed again from the raw answers kept in ``result``,
    so that RESULTS.md follows the current summary code."""
    backends = {}
    for name, answer in result.get("raw", {}).items():
        if not answer:
            backends[name] = result["backends"][name]
            continue
        figures = summary.summarise(answer)
        figures["date"] = result["backends"][name].get("date", result["date"])
        backends[name] = figures
    return {**result, "backends": backends, "budgets": summary.budgets(backends)}


def write_report() -> None:
    """RESULTS.md from the last full and small runs that exist."""
    results = [
        _resummarised(json.loads(path.read_text()))
        for path in (RESULTS / "full.json", RESULTS / "small.json")
        if path.exists()
    ]
    if not results:
        return
    notes_path = BENCHMARKS / "notes.md"
    notes = notes_path.read_text() if notes_path.exists() else ""
    (BENCHMARKS / "RESULTS.md").write_text(report.render(results, notes))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--keep", action="store_true", help="Keep each backend's temporary folder.")
    parser.add_argument(
        "--report-only", action="store_true", help="Only write RESULTS.md from the results files."
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="Run and report, but write no results (CI: the suite runs, the clone is unchanged).",
    )
    arguments = parser.parse_args(argv)
    if arguments.report_only:
        write_report()
        return
    started = time.perf_counter()
    scale = SCALES[arguments.scale]
    raw: dict[str, Any] = {}
    for backend in arguments.backends.split(","):
        raw[backend] = run_backend(backend, arguments.scale, arguments.keep)
    backends = {name: summary.summarise(answer) for name, answer in raw.items()}
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for figures in backends.values():
        figures["date"] = date
    # A run of some databases keeps the others' last figures of the same scale.
    earlier_path = RESULTS / f"{scale.name}.json"
    if earlier_path.exists():
        earlier = json.loads(earlier_path.read_text())
        kept = _resummarised(earlier)  # their figures by the current summary code
        for name, figures in kept.get("backends", {}).items():
            if name not in backends:
                figures.setdefault("date", earlier.get("date"))
                backends[name] = figures
                raw[name] = earlier.get("raw", {}).get(name)
    result: dict[str, Any] = {
        "date": date,
        "seconds": time.perf_counter() - started,
        "machine": machine(),
        "scale": scale_dict(scale),
        "backends": backends,
        "budgets": summary.budgets(backends),
        "raw": raw,
    }
    if arguments.check:
        _report_check(result)
        return
    RESULTS.mkdir(exist_ok=True)
    text = json.dumps(result, indent=1, default=str)
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"{scale.name}.json").write_text(text)
    write_report()
    say(f"done in {result['seconds']:.0f} s: benchmarks/results/latest.json, benchmarks/RESULTS.md")
    for item in result["budgets"]:
        mark = {True: "met", False: "MISSED", None: "-"}[item["met"]]
        say(f"  {mark:6} {item['backend']:10} {item['budget']}: {item['measured']}")


# What every run measures, on every database.
PARTS = ("generate", "kpi", "imports", "vin", "http")


def _report_check(result: dict[str, Any]) -> None:
    """Print the budgets; fail when a part measured nothing (the suite has rotted)."""
    for item in result["budgets"]:
        mark = {True: "met", False: "missed", None: "-"}[item["met"]]
        say(f"  {mark:6} {item['backend']:10} {item['budget']}: {item['measured']}")
    missing = [
        f"{backend}: {part}"
        for backend, figures in result["backends"].items()
        for part in PARTS
        if not figures.get(part)
    ]
    if missing:
        raise SystemExit(f"Parts that measured nothing: {', '.join(missing)}.")
    say(f"checked in {result['seconds']:.0f} s; no results written (--check)")


if __name__ == "__main__":
    main()
