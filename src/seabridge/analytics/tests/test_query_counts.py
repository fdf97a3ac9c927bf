"""Query-count baselines of the analytics downloads and list endpoints: each takes the
number of queries committed in query_counts.json, for the small shared history as for
ten times its vehicles in more markets and months (the facts are grouped reads; nothing
is read vehicle by vehicle). The dashboard page has its own, explained count in
test_views.py."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from seabridge.analytics.tests.conftest import Sold, write_history
from seabridge.analytics.tests.histories import history_fixture  # noqa: F401 - the fixture
from seabridge.analytics.views import CHARTS
from seabridge.core.tests.world import World

pytestmark = pytest.mark.django_db

QUERY_COUNTS = Path(__file__).with_name("query_counts.json")
PERIOD = {"from": "2024-01-01", "to": "2024-04-30"}
MORE = [
    Sold(date(year, month, day), market, 6)
    for year in (2023, 2024)
    for month in range(1, 13)
    for day in (5, 17)
    for market in ("CN", "SA", "IQ", "OM", "NG", "TH")
]


def sign_in(client: Client, actor) -> None:
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()


def chart(name: str, world: World) -> str:
    query = f"brand={world.jac_brand.pk}&measure=sales&period=custom&from=2024-01-01&to=2024-04-30"
    return f"{reverse('analytics:chart', kwargs={'name': name, 'format': 'csv'})}?{query}"


def api(path: str, **query: object) -> str:
    pairs = "&".join(f"{name}={value}" for name, value in query.items())
    return f"/api/v1/analytics{path}?{pairs}"


@pytest.mark.parametrize("size", ["small", "ten times"])
def test_downloads_and_list_endpoints_take_the_baseline_queries(
    client, history, django_assert_num_queries, size
):
    baseline = json.loads(QUERY_COUNTS.read_text())
    if size == "ten times":
        assert write_history(history, MORE) == 1_728  # beside the history's 178
    sign_in(client, history.jac_viewer)
    script = Client(headers={"Authorization": f"Bearer {history.token_for('jac_viewer')}"})
    requests = {
        **{f"chart:{name}_download": (client, chart(name, history)) for name in CHARTS},
        "api:kpi": (script, api("/kpi", brand="JAC", **PERIOD)),
        "api:markets": (script, api("/markets", brand="JAC", **PERIOD)),
        "api:trend": (script, api("/trend", brand="JAC", **PERIOD)),
        "api:mix": (script, api("/mix", brand="JAC", **PERIOD)),
        "api:milestones": (script, api("/milestones", brand="JAC")),
        "api:bulletin": (script, api("/bulletin", brand="JAC", year=2023, through="2024-04-30")),
    }
    assert sorted(baseline) == sorted(requests)
    for name, (browser, url) in requests.items():
        browser.get(url)
        info = (
            f"{name} ({url}, {size} history) is not at its baseline. If the change is "
            f"intended, update {QUERY_COUNTS.name} (src/seabridge/analytics/tests/) to the "
            "new number in the same commit."
        )
        with django_assert_num_queries(baseline[name], info=info):
            response = browser.get(url)
            # A download is written as it is sent: its queries run while it is read.
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, name
    # The answers did count the vehicles: January to April 2024 adds 48 in each market.
    markets = script.get(api("/markets", brand="JAC", **PERIOD)).json()
    assert [(market["code"], market["units"]) for market in markets][:3] == (
        [("SA", 50), ("CN", 36), ("OM", 5)]
        if size == "small"
        else [("SA", 98), ("CN", 84), ("OM", 53)]
    )
