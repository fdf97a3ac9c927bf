"""Five journeys through Seabridge in a real Chromium against a live server (issue 10).

Each journey signs in as a person of the demo world, works through the pages as that
person would, and ends in assertions on the exact figures the page shows and a
screenshot under ``test-artifacts/`` (the ``page`` fixture keeps the last state; a
journey keeps its earlier steps too).
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from playwright.sync_api import expect

from seabridge.accounts.models import Organization
from seabridge.markets.models import BusinessRegion
from seabridge.planning.models import Target
from seabridge.planning.selectors import percent
from seabridge.vehicles.choices import EventType, VehicleState
from seabridge.vehicles.models import Vehicle, VehicleEvent
from seabridge.web.tests.journeys import (
    BRAND,
    SmallDemo,
    decimal_number,
    follow,
    last_number,
    sign_in,
    sign_out,
    small_demo_build,
    snapshot,
    switch_language,
    table_rows,
    translated,
    whole_number,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The journeys run on SQLite (the issue makes PostgreSQL optional for them): on the
    # throwaway PostgreSQL cluster the live server's navigation could hang behind the
    # test thread's connection (seen once in CI, journey 4).
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="browser journeys run on SQLite",
    ),
]


@pytest.fixture
def demo(transactional_db) -> SmallDemo:
    """A fresh small demo world for each journey (the live server's database is
    flushed after every test)."""
    built = small_demo_build()
    print(f"small demo world: {built.vehicles} vehicles in {built.seconds:.1f} s")
    return built


def kpi(*args: str) -> dict:
    out = StringIO()
    call_command("kpi", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


# --- 1. a partner's overseas manager reads the Middle East in Chinese -------------------


def test_a_partner_manager_reads_the_middle_east_in_chinese(page, live_server, demo, request):
    zh = "zh-hans"
    manager = "overseas@zhongjiang.example"
    sign_in(page, live_server.url, manager)
    switch_language(page, zh)
    assert page.locator("html").get_attribute("lang") == zh

    follow(page, page.get_by_role("link", name=translated(zh, "Dashboard"), exact=True))
    page.wait_for_url(f"{live_server.url}/analytics/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"{translated(zh, 'Dashboard')} · {BRAND}"
    )

    # The Middle East, January to October 2026 (a period that does not move with the clock).
    filters = page.locator("#dashboard-filters")
    filters.get_by_label(translated(zh, "Period"), exact=True).select_option("custom")
    filters.get_by_label(translated(zh, "From"), exact=True).fill("2026-01-01")
    filters.get_by_label(translated(zh, "To"), exact=True).fill("2026-10-31")
    middle_east = BusinessRegion.objects.get(code="middle-east")
    with translation.override(zh):
        region_name = middle_east.localized_name()
    filters.get_by_label(translated(zh, "Region"), exact=True).select_option(label=region_name)
    filters.get_by_role("button", name=translated(zh, "Show"), exact=True).click()
    page.wait_for_url("**region=middle-east**")

    expected = kpi(
        "--brand", BRAND, "--measure", "sales", "--from", "2026-01-01", "--to", "2026-10-31",
        "--region", "middle-east", "--as", "Zhongjiang International", "--user", manager,
    )  # fmt: skip
    assert expected["from"] == "2026-01-01"
    assert expected["previous_from"] == "2025-01-01"

    def card(key: str, part: str = ".kpi-value") -> str:
        return page.locator(f"#kpi-{key} {part}").inner_text()

    assert whole_number(card("total")) == expected["units"]
    assert last_number(card("total", ".kpi-base")) == expected["previous_units"]
    assert decimal_number(card("total", ".kpi-growth")) == _pct(expected["yoy_pct"])
    for side in ("domestic", "international"):
        assert whole_number(card(side)) == expected[side]["units"]
        assert whole_number(card(side, ".kpi-countries")) == expected[side]["countries"]
    assert whole_number(card("countries")) == expected["countries"]
    assert whole_number(card("countries", ".kpi-ever")) == expected["countries_ever"]
    # The command prints the regions' English names; the page names them in Chinese.
    assert expected["regions"] == ["GCC", "Middle East"]
    with translation.override(zh):
        regions = [
            BusinessRegion.objects.get(name=name).localized_name() for name in expected["regions"]
        ]
    assert regions[1] == region_name
    assert card("countries", ".kpi-regions").split(":", 1)[1].strip() == ", ".join(regions)
    new_energy = card("new-energy", ".kpi-new-energy-units")
    assert whole_number(new_energy) == expected["new_energy_units"]
    # Revenue by order currency (Chinese groups no digits and writes "." for decimals).
    revenue = page.locator("#kpi-revenue li").all_inner_texts()
    assert sorted(decimal_number(text) for text in revenue) == sorted(
        _decimal(amount) for amount in expected["revenue"].values()
    )
    assert list(expected["revenue"]) == ["USD"]
    # What the command says, in the figures the case gives: Saudi Arabia and Oman only
    # (Iraq opens in 2027), all abroad.
    assert expected["domestic"]["units"] == 0
    assert expected["international"]["countries"] == 2
    assert expected["units"] == expected["international"]["units"]
    # The seeded demo history: 257 units against 118 a year before.
    assert (expected["units"], expected["previous_units"]) == (257, 118)
    assert page.outside_requests == []


def _pct(value: float | None) -> Decimal:
    assert value is not None
    return Decimal(str(value)).quantize(Decimal("0.1"))


def _decimal(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.01"))


# --- 2. an importer uploads retail sales, fixes two rows and sees the dashboard move -----

IMPORTER = "admin@zhongjiang-saudi-arabia.example"
SOLD_ON = date(2026, 11, 20)
RETAIL_HEADER = "VIN,Sale date,Price,Currency,Customer name,Customer kind,Customer number"


def _stock_in_saudi_arabia(count: int) -> list[str]:
    """VINs of Zhengzhou Nissan vehicles in Saudi dealers' stock since before the sale day."""
    return list(
        Vehicle.objects.filter(brand__name=BRAND, market_id="SA", state=VehicleState.IN_STOCK)
        .annotate(last_event=Max("events__occurred_on"))
        .filter(last_event__lt=SOLD_ON)
        .order_by("vin")
        .values_list("vin", flat=True)[:count]
    )


def _retail_csv(rows: list[tuple[str, str, str]]) -> str:
    customers = ("Faisal Al-Harbi", "Noura Al-Qahtani", "Khalid Mansour", "Rania Haddad",
                 "Al-Amri Logistics")  # fmt: skip
    lines = [RETAIL_HEADER]
    for number, ((vin, price, currency), name) in enumerate(
        zip(rows, customers, strict=True), start=1
    ):
        kind = "company" if name.endswith("Logistics") else "person"
        cells = (vin, SOLD_ON.isoformat(), price, currency, name, kind, f"RYD-{number:04d}")
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def _upload(page, base_url: str, path) -> None:
    page.goto(f"{base_url}/imports/")
    follow(page, page.get_by_role("link", name="Import a file"))
    page.get_by_label("What the file holds").select_option(label="Retail sales")
    page.get_by_label("File", exact=True).set_input_files(str(path))
    follow(page, page.get_by_role("button", name="Upload and preview"))
    page.wait_for_url(re.compile(r".*/imports/[0-9]+/$"))


def test_an_importer_fixes_two_bad_rows_imports_retail_sales_and_sees_the_dashboard_change(
    page, live_server, demo, request, tmp_path, settings
):
    vins = _stock_in_saudi_arabia(5)
    assert len(vins) == 5
    typo = vins[3][:-1] + ("1" if vins[3][-1] != "1" else "2")  # one character mistyped
    assert not Vehicle.objects.filter(vin=typo).exists()
    prices = ("98500.00", "101200.00", "96800.00", "112400.00", "99900.00")
    sign_in(page, live_server.url, IMPORTER)

    # The dashboard before: retail sales in November 2026, as the importer sees them.
    follow(page, page.get_by_role("link", name="Dashboard", exact=True))
    filters = page.locator("#dashboard-filters")
    filters.get_by_label("Measure").select_option(label="Retail sales")
    filters.get_by_label("Period").select_option("custom")
    filters.get_by_label("From", exact=True).fill("2026-11-01")
    filters.get_by_label("To", exact=True).fill("2026-11-30")
    filters.get_by_role("button", name="Show").click()
    page.wait_for_url("**measure=retail**")
    dashboard = page.url
    before = whole_number(page.locator("#kpi-total .kpi-value").inner_text())
    figures = (
        "--brand", BRAND, "--measure", "retail", "--from", "2026-11-01", "--to", "2026-11-30",
        "--as", "Zhongjiang Saudi Arabia", "--user", IMPORTER,
    )  # fmt: skip
    assert before == kpi(*figures)["units"] == 15  # the seeded demo history

    # A file with two bad rows: a mistyped VIN and a currency that does not exist.
    path = tmp_path / "riyadh-retail-2026-11.csv"
    rows = [(vin, price, "SAR") for vin, price in zip(vins, prices, strict=True)]
    bad = list(rows)
    bad[3] = (typo, prices[3], "SAR")
    bad[4] = (vins[4], prices[4], "RIY")
    path.write_text(_retail_csv(bad), encoding="utf-8")
    _upload(page, live_server.url, path)
    assert page.get_by_test_id("import-status").inner_text() == "Uploaded"
    follow(page, page.get_by_role("button", name="Check the file", exact=True))
    assert page.get_by_test_id("import-status").inner_text() == "Refused"
    assert page.get_by_test_id("import-message").inner_text() == (
        "The file was refused: 2 problems. Nothing was imported."
    )
    expect(page.get_by_role("heading", name="2 problems")).to_be_visible()
    assert table_rows(page.get_by_test_id("import-problems")) == [
        ["5", "VIN", f"{typo} is not a vehicle you may sell."],
        ["6", "Currency", "RIY is not an ISO 4217 currency code."],
    ]
    snapshot(page, request, "problems")
    assert not page.get_by_test_id("import-commit").count()

    # The fixed file: the right VIN and the Saudi riyal.
    path.write_text(_retail_csv(rows), encoding="utf-8")
    _upload(page, live_server.url, path)
    follow(page, page.get_by_role("button", name="Check the file", exact=True))
    assert page.get_by_test_id("import-status").inner_text() == "Ready to import"
    assert page.get_by_test_id("import-message").inner_text() == (
        "5 new, 0 changed, 0 already there."
    )
    # The commit runs in the task worker, as in production: the database queue instead of
    # the tests' immediate backend. The page shows its progress panel, polling every
    # second; the polls wait in the browser while the worker runs in this thread (on
    # SQLite the live server shares this thread's in-memory connection), then go through.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    held: list = []

    def hold(route) -> None:
        held.append(route)

    page.route("**/imports/*/?fragment=status", hold)
    page.get_by_test_id("import-commit").click()
    panel = page.locator("#import-status")
    panel.wait_for()
    assert panel.get_by_test_id("import-status").inner_text() == "Importing"
    assert panel.get_by_role("progressbar", name="Progress").get_attribute("value") == "0"
    snapshot(page, request, "importing")
    assert Vehicle.objects.filter(vin__in=vins, state=VehicleState.IN_STOCK).count() == 5
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    page.unroute("**/imports/*/?fragment=status")
    for route in held:
        route.continue_()
    # The next poll finds the import finished and reloads the page with its report.
    expect(page.locator("#import-status")).to_have_count(0)
    assert page.get_by_test_id("import-status").inner_text() == "Imported"
    assert page.get_by_test_id("import-message").inner_text() == (
        "Imported: 5 new, 0 changed, 0 already there."
    )
    snapshot(page, request, "imported")
    sold = Vehicle.objects.filter(vin__in=vins).values_list("state", "retailed_on")
    assert list(sold) == [(VehicleState.RETAILED, SOLD_ON)] * 5

    page.goto(dashboard)
    after = whole_number(page.locator("#kpi-total .kpi-value").inner_text())
    assert after == before + 5 == 20
    assert after == kpi(*figures)["units"]
    assert page.outside_requests == []


# --- 3. a brand owner grants a dealer a sub-scope; the dealer sees that part only ------

OWNER_ADMIN = "admin@zhengzhou-nissan.example"
DEALER = "Nezha Surabaya"  # a Nezha dealer in Indonesia that also takes Zhengzhou Nissan
DEALER_ADMIN = "admin@nezha-surabaya.example"


def test_a_brand_owner_grants_a_dealer_one_market_and_the_dealer_sees_only_it(
    page, live_server, demo, request
):
    indonesia = list(  # in the list's order: the newest off the line first
        Vehicle.objects.filter(brand__name=BRAND, market_id="ID")
        .order_by("-produced_on", "-id")
        .values_list("vin", flat=True)
    )
    foreign = Vehicle.objects.filter(brand__name=BRAND, market_id="SA").order_by("vin")[0]
    assert Organization.objects.get(short_name=DEALER).kind == "dealer"
    assert len(indonesia) == 44  # the seeded demo history; one page of the list

    # Before the grant the dealer sees no Zhengzhou Nissan vehicle at all.
    sign_in(page, live_server.url, DEALER_ADMIN)
    follow(page, page.get_by_role("link", name="Vehicles", exact=True))
    expect(page.get_by_text("No vehicles.")).to_be_visible()
    sign_out(page, live_server.url)

    sign_in(page, live_server.url, OWNER_ADMIN)
    follow(page, page.get_by_role("link", name="Agreements", exact=True))
    follow(page, page.get_by_role("link", name="New agreement"))
    page.get_by_label("Kind").select_option(label="Distribution contract")
    page.get_by_label("Title").fill("Zhengzhou Nissan pickups at Nezha Surabaya")
    page.get_by_label("Grantee").select_option(label=DEALER)
    page.get_by_label("Effective from").fill("2026-11-01")
    page.get_by_label("Brands").select_option(label=BRAND)
    page.get_by_label("Countries").select_option(label="Indonesia")
    page.get_by_role("checkbox", name="Sales", exact=True).check()
    follow(page, page.get_by_role("button", name="Save draft"))
    page.wait_for_url(re.compile(r".*/agreements/[0-9]+/$"))
    assert page.get_by_test_id("agreement-status").inner_text() == "Draft"
    page.get_by_label("Signed on").fill("2026-10-28")
    page.get_by_label("Signed in (city)").fill("Surabaya")
    follow(page, page.get_by_role("button", name="Record signature"))
    assert page.get_by_test_id("agreement-status").inner_text() == "Signed"
    follow(page, page.get_by_role("button", name="Activate"))
    assert page.get_by_test_id("agreement-status").inner_text() == "Active"
    assert table_rows(page.get_by_test_id("scope-table")) == [[BRAND, "Sales", "ID"]]
    snapshot(page, request, "agreement")
    sign_out(page, live_server.url)

    sign_in(page, live_server.url, DEALER_ADMIN)
    follow(page, page.get_by_role("link", name="Vehicles", exact=True))
    results = page.locator("#results")
    expect(results.get_by_text(f"{len(indonesia)} records", exact=True)).to_be_visible()
    rows = table_rows(results.locator("table"))
    assert [row[1] for row in rows] == indonesia
    assert {(row[2], row[6]) for row in rows} == {(BRAND, "Indonesia")}
    snapshot(page, request, "dealer-vehicles")

    response = page.goto(f"{live_server.url}/vehicles/{foreign.vin}/")
    assert response.status == 404
    assert page.outside_requests == []


# --- 4. anyone looks a VIN up and reads its timeline, then in Arabic ------------------

DEALER_RIYADH = "admin@zhengzhou-nissan-riyadh.example"
LIFE = [
    EventType.PRODUCED,
    EventType.ALLOCATED,
    EventType.SHIPPED,
    EventType.ARRIVED,
    EventType.DELIVERED,
    EventType.RETAILED,
    EventType.REGISTERED,
]


def _timeline_cells(events: list[VehicleEvent], language: str) -> list[list[str]]:
    """The date, event, change of state and organisation of each row of the timeline as
    a page in ``language`` writes them (as ``innerText`` reads them: the visually hidden
    "to" of a change of state stands on a line of its own)."""
    with translation.override(language):
        arrow = "←" if translation.get_language_bidi() else "→"
        rows = []
        for event in events:
            what = event.get_type_display()
            if event.is_wholesale:
                what += f" {gettext('wholesale')}"
            if event.customer:
                what += f"\n{event.customer.name}"
            state = event.get_to_state_display()
            if event.from_state:
                state = f"{event.get_from_state_display()} {arrow}\n{gettext('to')}\n {state}"
            rows.append(
                [
                    date_format(event.occurred_on, "SHORT_DATE_FORMAT"),
                    what,
                    state,
                    event.organization.short_name if event.organization else "—",
                ]
            )
    return rows


def test_a_vin_is_found_and_its_timeline_runs_right_to_left_in_arabic(
    page, live_server, demo, request
):
    vehicle = (
        Vehicle.objects.filter(
            brand__name=BRAND,
            market_id="SA",
            state=VehicleState.REGISTERED,
            holder__short_name="Zhengzhou Nissan Riyadh",
        )
        .select_related("customer")
        .order_by("vin")[0]
    )
    events = list(
        VehicleEvent.objects.filter(vehicle=vehicle)
        .select_related("organization", "country", "customer")
        .order_by("occurred_on", "id")
    )
    assert [event.type for event in events] == LIFE
    assert vehicle.customer is not None
    sign_in(page, live_server.url, DEALER_RIYADH)

    follow(page, page.get_by_role("link", name="Vehicles", exact=True))
    page.get_by_label("VIN (whole or its start)").fill(vehicle.vin.lower())
    follow(page, page.get_by_role("button", name="Search"))
    page.wait_for_url(f"{live_server.url}/vehicles/{vehicle.vin}/")
    assert page.get_by_role("heading", level=1).inner_text() == vehicle.vin

    timeline = page.get_by_role("table", name="Every event of this vehicle, oldest first")
    rows = table_rows(timeline)
    assert [row[:4] for row in rows] == _timeline_cells(events, "en")
    assert [row[1].split("\n")[0] for row in rows] == [
        "Produced",
        "Allocated",
        "Shipped wholesale",  # the export sailing is the maker's sale (wholesale)
        "Arrived at port",
        "Delivered to dealer stock",
        "Retailed",
        "Registered",
    ]
    assert rows[5][1] == f"Retailed\n{vehicle.customer.name}"
    assert [" ".join(row[2].split()) for row in rows] == [
        "Produced",
        "Produced → to Allocated",
        "Allocated → to Shipped",
        "Shipped → to Arrived at port",
        "Arrived at port → to In dealer stock",
        "In dealer stock → to Retailed",
        "Retailed → to Registered",
    ]
    assert [row[3] for row in rows] == [
        "Zhengzhou Nissan",
        "Zhengzhou Nissan",
        "Zhengzhou Nissan",
        "Zhongjiang Saudi Arabia",
        "Zhongjiang Saudi Arabia",
        "Zhengzhou Nissan Riyadh",
        "—",
    ]
    snapshot(page, request, "english")

    switch_language(page, "ar")
    assert page.url == f"{live_server.url}/vehicles/{vehicle.vin}/"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    timeline = page.locator("main table").first
    assert [row[:4] for row in table_rows(timeline)] == _timeline_cells(events, "ar")
    assert timeline.evaluate("table => getComputedStyle(table).direction") == "rtl"
    # The first column (the date) stands at the right edge, the others follow leftwards,
    # and each cell's text starts at its right.
    header = timeline.locator("thead th")
    table_box = timeline.bounding_box()
    boxes = [header.nth(index).bounding_box() for index in range(header.count())]
    assert len(boxes) == 7
    assert abs(boxes[0]["x"] + boxes[0]["width"] - (table_box["x"] + table_box["width"])) < 1
    lefts = [box["x"] for box in boxes]
    assert lefts == sorted(lefts, reverse=True)
    first_row = timeline.locator("tbody tr").first.locator("td")
    style = first_row.first.evaluate(
        "cell => [getComputedStyle(cell).direction, getComputedStyle(cell).textAlign]"
    )
    assert style[0] == "rtl"
    assert style[1] in ("right", "start")
    # The VIN stays a left-to-right code inside the right-to-left page.
    assert page.locator("h1").evaluate("heading => getComputedStyle(heading).direction") == "ltr"
    assert page.outside_requests == []


# --- 5. a planner moves targets in the grid and watches plan against actual -----------

PLANNER = "overseas@zhengzhou-nissan.example"


def test_a_planner_moves_targets_in_the_grid_and_plan_against_actual_follows(
    page, live_server, demo, request
):
    plan = demo.world.plan
    rich = plan.brand.product_lines.get(name="Rich")

    def month_target(month: date) -> int:
        return sum(Target.objects.filter(plan=plan, month=month).values_list("units", flat=True))

    september, december = date(2026, 9, 1), date(2026, 12, 1)
    cell = {
        month: Target.objects.get(plan=plan, month=month, market_id="SA", product_line=rich).units
        for month in (september, december)
    }
    moved = 4
    assert cell[september] > moved
    month_before = {month: month_target(month) for month in (september, december)}
    sign_in(page, live_server.url, PLANNER)

    follow(page, page.get_by_role("link", name="Sales plans", exact=True))
    follow(page, page.get_by_role("link", name=plan.title))
    page.wait_for_url(f"{live_server.url}/planning/plans/{plan.pk}/")
    before = _plan_figures(page)
    assert before["differences"] == []
    follow(page, page.get_by_role("link", name="Monthly targets"))
    page.get_by_label("Product line").select_option(label="Rich")
    page.wait_for_url(f"**/targets/?line={rich.pk}")

    grid = page.locator("table.target-grid")
    september_cell = grid.get_by_label("Saudi Arabia 2026-09", exact=True)
    december_cell = grid.get_by_label("Saudi Arabia 2026-12", exact=True)
    assert september_cell.input_value() == str(cell[september])
    assert december_cell.input_value() == str(cell[december])
    september_cell.fill(str(cell[september] - moved))
    december_cell.fill(str(cell[december] + moved))
    follow(page, page.get_by_role("button", name="Save targets"))
    assert page.get_by_role("status").inner_text() == "Targets saved: 0 new, 2 changed."
    grid = page.locator("table.target-grid")
    assert grid.get_by_label("Saudi Arabia 2026-09", exact=True).input_value() == str(
        cell[september] - moved
    )
    assert grid.get_by_label("Saudi Arabia 2026-12", exact=True).input_value() == str(
        cell[december] + moved
    )
    snapshot(page, request, "grid")

    follow(page, page.get_by_role("link", name="Back to the plan"))
    page.wait_for_url(f"{live_server.url}/planning/plans/{plan.pk}/")
    after = _plan_figures(page)
    months = after["months"]
    assert months["2026-09"]["target"] == month_before[september] - moved
    assert months["2026-12"]["target"] == month_before[december] + moved
    for key, line in months.items():
        moved_here = -moved if "2026-09" <= key < "2026-12" else 0
        assert line["cumulative_target"] == (
            before["months"][key]["cumulative_target"] + moved_here
        ), key
        assert line["actual"] == before["months"][key]["actual"], key
    # Saudi Arabia's target to date (months up to this one) drops by the units moved
    # past this month; its actual stays: 402 units, 888 in the whole plan.
    today = timezone.localdate()
    shifted = moved if september <= date(today.year, today.month, 1) < december else 0
    saudi_before, saudi_after = before["markets"]["Saudi Arabia"], after["markets"]["Saudi Arabia"]
    assert saudi_after["target"] == saudi_before["target"] - shifted
    assert saudi_after["actual"] == saudi_before["actual"] == 402
    assert saudi_after["attainment"] == percent(saudi_after["actual"], saudi_after["target"])
    assert after["actual"] == before["actual"] == 888
    assert after["differences"] == []  # the steps still add up: units moved, none added
    assert after["lines"]["Rich"] == before["lines"]["Rich"]
    # The chart draws the same cumulative target as the table.
    chart = json.loads(page.locator("#plan-chart-data").text_content())
    assert chart["target"] == [line["cumulative_target"] for line in months.values()]
    assert chart["months"] == list(months)
    assert page.locator("#plan-chart canvas").count() >= 1
    assert page.outside_requests == []


def _plan_figures(page) -> dict:
    """The plan page's figures: KPIs, the by-month, by-market and by-line tables."""
    months = {
        row[0]: {
            "target": whole_number(row[1]),
            "actual": whole_number(row[2]),
            "cumulative_target": whole_number(row[3]),
            "cumulative_actual": whole_number(row[4]),
        }
        for row in table_rows(page.get_by_role("table", name="By month"))
    }
    markets = {
        row[0]: {
            "target": whole_number(row[1]),
            "actual": whole_number(row[2]),
            "attainment": None if row[3] == "—" else decimal_number(row[3]),
        }
        for row in table_rows(page.get_by_role("table", name="By market, to date"))
    }
    lines = {
        row[0]: {"target": whole_number(row[1]), "actual": whole_number(row[2])}
        for row in table_rows(page.get_by_role("table", name="By product line"))
    }
    differences = page.locator(".alert-warning li").all_inner_texts()
    return {
        "actual": whole_number(page.locator("#kpi-actual").inner_text()),
        "months": months,
        "markets": markets,
        "lines": lines,
        "differences": differences,
    }
