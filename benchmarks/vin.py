"""Part 4: VIN lookup and VIN timeline, server-side latency (in-process, no HTTP).

``lookup`` is :func:`seabridge.vehicles.selectors.vehicle_by_vin` (normalise, one
scoped query on the unique VIN index, with what the detail page shows);
``timeline`` is that lookup plus every event of the vehicle
(:func:`~seabridge.vehicles.selectors.vehicle_timeline`), as the VIN page and
``GET /api/v1/vehicles/{vin}/events`` read them. VINs are drawn at random (a fixed
seed) from the vehicles each actor may see.
"""

from __future__ import annotations

import random
import time
from typing import Any

from benchmarks.common import latency


def _sample_vins(market: str | None, count: int, seed: int) -> list[str]:
    from django.db.models import Max, Min

    from seabridge.vehicles.models import Vehicle

    vehicles = Vehicle.objects.all()
    if market:
        vehicles = vehicles.filter(market_id=market)
    bounds = vehicles.aggregate(low=Min("pk"), high=Max("pk"))
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 3)]
    found = dict(vehicles.filter(pk__in=ids).values_list("pk", "vin"))
    vins = [found[pk] for pk in ids if pk in found][:count]
    if not vins:
        raise RuntimeError("No vehicles to look up.")
    return vins


def measure(*, runs: int, lookups: int) -> dict[str, Any]:
    from benchmarks.dashboard import actors
    from seabridge.vehicles.selectors import vehicle_by_vin, vehicle_timeline

    found = actors()
    result: dict[str, Any] = {}
    for name, market in (("owner", None), ("partner", found["partner_market"])):
        actor = found[name]
        vins = _sample_vins(market, lookups, seed=7)

        def lookup(vin: str, actor: Any = actor) -> None:
            vehicle_by_vin(actor=actor, vin=vin)

        def timeline(vin: str, actor: Any = actor) -> None:
            vehicle = vehicle_by_vin(actor=actor, vin=vin)
            events = vehicle_timeline(actor=actor, vehicle=vehicle)
            if not events:
                raise RuntimeError(f"{vin} has no events.")

        figures: dict[str, Any] = {}
        for label, call in (("lookup", lookup), ("timeline", timeline)):
            for vin in vins[:20]:
                call(vin)  # warm
            runs_done = []
            for _run in range(runs):
                samples = []
                for vin in vins:
                    started = time.perf_counter()
                    call(vin)
                    samples.append(time.perf_counter() - started)
                runs_done.append(latency(samples))
            figures[label] = runs_done
        result[name] = figures
    return result
