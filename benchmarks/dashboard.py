"""Part 2, our side: the dashboard's reads, timed in-process, for two actors.

Runs inside a child process with Django set up. The actors are the generated world's
brand owner (``gen-maker-staff``: every market) and the importer of the market with
the most vehicles (``gen-importer-xx``: one country, through its distribution
agreement). Each timing starts from a new :class:`~seabridge.analytics.selectors.Facts`,
so nothing is remembered from one iteration to the next but what the database caches.

Three sets of reads are timed:

* ``kpis``: :func:`selectors.kpis`, the KPI cards' figures (total with YoY,
  domestic and international with YoY and countries, countries ever, regions,
  new-energy share, revenue);
* ``compared``: ``kpis`` + ``markets_ranked`` + ``monthly_trend``: the figures DuckDB
  computes too (:mod:`benchmarks.duck`), so the two latencies compare like for like;
* ``page``: everything the dashboard page computes (``analytics.views._dashboard``:
  the above plus month on month, year to date, since launch, the powertrain mix,
  production milestones and plans), without rendering the template.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from benchmarks.common import WORLD_LAST_DAY, latency

YEAR_TO_DATE_FROM = WORLD_LAST_DAY[:4] + "-01-01"


def actors() -> dict[str, Any]:
    """The brand owner and the partner with a narrow scope, and what the partner sees."""
    from django.db.models import Count

    from seabridge.accounts.models import Membership
    from seabridge.accounts.selectors import actor_from_membership
    from seabridge.vehicles.models import Vehicle

    owner = Membership.objects.select_related("user", "organization").get(
        user__username="gen-maker-staff"
    )
    # The partner: the importer of the export market with the most vehicles.
    top = (
        Vehicle.objects.exclude(market_id="CN")
        .values("market_id")
        .annotate(count=Count("pk"))
        .order_by("-count", "market_id")
        .first()
    )
    if top is None:
        raise RuntimeError("The world has no exported vehicles.")
    market = top["market_id"]
    partner = Membership.objects.select_related("user", "organization").get(
        user__username=f"gen-importer-{market.lower()}"
    )
    return {
        "owner": actor_from_membership(owner),
        "partner": actor_from_membership(partner),
        "partner_market": market,
    }


def _selection(actor: Any) -> Any:
    """The dashboard's default selection (sales, year to date) as its form builds it."""
    from seabridge.analytics.forms import DashboardForm
    from seabridge.catalog.models import Brand

    brand = Brand.objects.get(name="Generated")
    form = DashboardForm(
        {"brand": str(brand.pk), "measure": "sales", "period": "ytd", "to": WORLD_LAST_DAY},
        actor=actor,
        today=date.fromisoformat(WORLD_LAST_DAY),
    )
    if not form.is_valid():
        raise RuntimeError(f"Dashboard form refused the selection: {form.errors.as_json()}")
    return form.selection()


def _compared(actor: Any, selection: Any) -> dict[str, Any]:
    """The figures DuckDB computes as well, as plain data for an exact comparison."""
    from seabridge.analytics import selectors

    facts = selectors.Facts(actor, selection.filters)
    measure, period = selection.measure, selection.period
    kpis = selectors.kpis(facts=facts, measure=measure, period=period).as_json()
    ranked = selectors.markets_ranked(facts=facts, measure=measure, period=period)
    trend = selectors.monthly_trend(facts=facts, measure=measure, period=period)
    return {
        "kpis": kpis,
        "markets": [
            [line.code, line.is_domestic, line.growth.units, line.growth.previous_units]
            for line in ranked
        ],
        "trend": [[point.month.isoformat(), point.units, point.previous_units] for point in trend],
    }


def _page(actor: Any, selection: Any) -> None:
    from seabridge.analytics.views import _dashboard

    _dashboard(actor, selection)


def _kpis_only(actor: Any, selection: Any) -> None:
    from seabridge.analytics import selectors

    facts = selectors.Facts(actor, selection.filters)
    selectors.kpis(facts=facts, measure=selection.measure, period=selection.period)


def _timed_runs(
    call: Callable[[], object], *, runs: int, iterations: int
) -> list[dict[str, float]]:
    call()  # warm the caches and the database's pages once
    results = []
    for _run in range(runs):
        samples = []
        for _iteration in range(iterations):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        results.append(latency(samples))
    return results


def query_count(call: Callable[[], object]) -> int:
    """How many SQL statements ``call`` sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def measure(*, runs: int, iterations: int) -> dict[str, Any]:
    """Our latencies and the reference answers, for both actors."""
    found = actors()
    result: dict[str, Any] = {"partner_market": found["partner_market"], "actors": {}}
    for name in ("owner", "partner"):
        actor = found[name]
        selection = _selection(actor)
        calls: dict[str, Callable[[], object]] = {
            "kpis": partial(_kpis_only, actor, selection),
            "compared": partial(_compared, actor, selection),
            "page": partial(_page, actor, selection),
        }
        result["actors"][name] = {
            "period": [selection.period.start.isoformat(), selection.period.end.isoformat()],
            "answer": _compared(actor, selection),
            "timings": {
                key: _timed_runs(call, runs=runs, iterations=iterations)
                for key, call in calls.items()
            },
            "queries": {key: query_count(call) for key, call in calls.items()},
        }
    return result


def normalised(answer: dict[str, Any]) -> dict[str, Any]:
    """An answer with revenue as exact decimals, so that 12.5 and 12.5000 compare equal."""
    kpis = dict(answer["kpis"])
    kpis["revenue"] = {
        currency: Decimal(str(amount)).normalize() for currency, amount in kpis["revenue"].items()
    }
    return {**answer, "kpis": kpis}
