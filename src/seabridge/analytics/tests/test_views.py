"""The analytics dashboard: exact figures for JAC's viewer and for the partner, the
vehicles behind each figure, the chart downloads, field errors, a fixed number of
queries and the right-to-left page.

The history is a small set of JAC wholesales (and one of Nezha's) from 2022 to
2025, bulk-created with their events and counted into the fact tables by the
rebuild. The dashboard under test is JAC's sales for the year to date through
15 June 2025, against 1 January to 15 June 2024:

========  ===================================  ==========================
market    2025-01-01 … 2025-06-15              2024-01-01 … 2024-06-15
========  ===================================  ==========================
CN (home) 01-10, 03-05, 06-10                  02-10, 06-14
SA        02-01, 05-20 (BEV), 06-01, 06-12 BEV 03-01 (and 06-16, outside)
IQ        04-15                                —
NG        05-05                                —
OM        (06-20, outside)                     01-20
TH        —                                    — (2022-07-01: "ever")
========  ===================================  ==========================

Zhongjiang, granted JAC in Saudi Arabia and Iraq for sales, counts only those.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from seabridge.analytics.facts import facts_rebuild
from seabridge.catalog.choices import Powertrain
from seabridge.catalog.models import Variant
from seabridge.catalog.tests.factories import VariantFactory
from seabridge.core.scope import Area
from seabridge.core.tests.world import World, build_world, grant
from seabridge.markets.models import Country
from seabridge.markets.tests.factories import CountryFactory
from seabridge.planning.choices import PlanStatus
from seabridge.planning.models import PlanPhase, SalesPlan
from seabridge.vehicles.choices import EventType, VehicleState
from seabridge.vehicles.models import Vehicle, VehicleEvent
from seabridge.vehicles.tests.access import valid_vin

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("analytics:dashboard")
SELECTION = {"measure": "sales", "period": "ytd", "to": "2025-06-15"}


def chart_url(name: str, format: str) -> str:
    return reverse("analytics:chart", kwargs={"name": name, "format": format})


# --- the history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sale:
    market: str
    on: date
    powertrain: str = Powertrain.DIESEL
    brand: str = "JAC"


JAC_SALES = [
    Sale("TH", date(2022, 7, 1)),
    Sale("CN", date(2023, 5, 5)),
    Sale("OM", date(2024, 1, 20)),
    Sale("CN", date(2024, 2, 10)),
    Sale("SA", date(2024, 3, 1)),
    Sale("CN", date(2024, 6, 14)),
    Sale("SA", date(2024, 6, 16)),
    Sale("CN", date(2025, 1, 10)),
    Sale("SA", date(2025, 2, 1)),
    Sale("CN", date(2025, 3, 5)),
    Sale("IQ", date(2025, 4, 15)),
    Sale("NG", date(2025, 5, 5)),
    Sale("SA", date(2025, 5, 20), Powertrain.BEV),
    Sale("SA", date(2025, 6, 1)),
    Sale("CN", date(2025, 6, 10)),
    Sale("SA", date(2025, 6, 12), Powertrain.BEV),
    Sale("OM", date(2025, 6, 20)),
]
NEZHA_SALE = Sale("SA", date(2025, 3, 1), Powertrain.BEV, brand="Nezha")
PRICES = {"CN": (Decimal("100000"), "CNY")}
EXPORT_PRICE = (Decimal("20000.50"), "USD")
PRODUCTION_LEAD = timedelta(days=30)


def vin_of(number: int) -> str:
    return valid_vin(f"LJ12EKR10S{number:07d}")


def record_sales(world: World, sales: list[Sale], *, first_number: int = 1) -> list[Vehicle]:
    """Wholesaled vehicles with their events, straight into the tables; then the facts
    are counted again from the events, as ``seabridge analytics_facts --rebuild`` does."""
    variants: dict[tuple[str, str], Variant] = {
        ("JAC", Powertrain.DIESEL): world.jac_variant,
        ("JAC", Powertrain.BEV): world.__dict__["jac_bev"],
        ("Nezha", Powertrain.BEV): world.nezha_variant,
    }
    vehicles = []
    for number, sale in enumerate(sales, start=first_number):
        variant = variants[(sale.brand, sale.powertrain)]
        vehicles.append(
            Vehicle(
                vin=vin_of(number) if sale.brand == "JAC" else valid_vin(f"LUZBGAFB0S{number:07d}"),
                brand_id=variant.brand_id,
                variant=variant,
                produced_on=sale.on - PRODUCTION_LEAD,
                state=VehicleState.IN_STOCK if sale.market == "CN" else VehicleState.SHIPPED,
                market_id=sale.market,
                holder=world.jac if sale.brand == "JAC" else world.nezha,
                wholesaled_on=sale.on,
            )
        )
    Vehicle.objects.bulk_create(vehicles)
    events = []
    for vehicle, sale in zip(vehicles, sales, strict=True):
        price, currency = PRICES.get(sale.market, EXPORT_PRICE)
        events.append(
            VehicleEvent(
                vehicle=vehicle,
                type=EventType.PRODUCED,
                to_state=VehicleState.PRODUCED,
                occurred_on=vehicle.produced_on,
            )
        )
        events.append(
            VehicleEvent(
                vehicle=vehicle,
                type=EventType.DELIVERED if sale.market == "CN" else EventType.SHIPPED,
                from_state=VehicleState.ALLOCATED,
                to_state=vehicle.state,
                occurred_on=sale.on,
                country_id=sale.market,
                is_wholesale=True,
                price=price,
                currency=currency,
            )
        )
    VehicleEvent.objects.bulk_create(events)
    facts_rebuild()
    return vehicles


@pytest.fixture
def world(db) -> World:
    world = build_world()
    world.agreement = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.SALES],
    )
    world.__dict__["jac_bev"] = VariantFactory.create(
        product_line__brand=world.jac_brand,
        product_line__name="iEV",
        code="IEV-BEV",
        powertrain=Powertrain.BEV,
    )
    return world


@pytest.fixture
def history(world) -> list[Vehicle]:
    vehicles = record_sales(world, [*JAC_SALES, NEZHA_SALE])
    plan = SalesPlan.objects.create(
        brand=world.jac_brand,
        agreement=world.agreement,
        title="Gulf 2025",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        cumulative_target=50,
        owner=world.jac,
        status=PlanStatus.ACTIVE,
    )
    phase = PlanPhase.objects.create(
        plan=plan,
        number=1,
        name="Saudi Arabia and Iraq",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        target=50,
    )
    phase.markets.set(Country.objects.filter(code__in=["SA", "IQ"]))
    SalesPlan.objects.create(
        brand=world.jac_brand,
        title="Domestic draft",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        cumulative_target=10,
        owner=world.jac,
    )
    return vehicles


def vins(vehicles: list[Vehicle], *markets: str, start: date, end: date) -> set[str]:
    return {
        vehicle.vin
        for vehicle in vehicles
        if vehicle.brand.name == "JAC"
        and (not markets or vehicle.market_id in markets)
        and vehicle.wholesaled_on is not None
        and start <= vehicle.wholesaled_on <= end
    }


# --- reading the page ----------------------------------------------------------------------


def sign_in(client: Any, actor: Any) -> None:
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """The text of every element with an id, the rows of every table with an id, and
    the links (``href``) inside each element with an id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.texts: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, id)
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def _ids(self) -> list[str]:
        return [element_id for _tag, element_id in self._open if element_id]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for element_id in self._ids():
            self.texts[element_id].append(" ")
        if self._cell is not None:
            self._cell.append(" ")  # a nested element reads as a separate word
        if tag == "a" and values.get("href"):
            for element_id in self._ids():
                self.links.setdefault(element_id, []).append(str(values["href"]))
        if tag in VOID:
            return
        new_id = values.get("id")
        self._open.append((tag, new_id))
        if new_id:
            self.texts[new_id] = []
        if tag == "table" and new_id:
            self._table = new_id
            self.tables[new_id] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "table":
            self._table = None
        while self._open:
            open_tag, _element_id = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element_id in self._ids():
            self.texts[element_id].append(data)
        if self._cell is not None:
            self._cell.append(data)

    def text(self, element_id: str) -> str:
        return " ".join("".join(self.texts[element_id]).split())

    def body(self, table_id: str) -> list[list[str]]:
        """The table's rows below its header."""
        return self.tables[table_id][1:]


def page_of(client: Any, query: dict[str, Any] | None = None) -> Page:
    response = client.get(DASHBOARD, query if query is not None else SELECTION)
    assert response.status_code == 200
    return Page(response.content.decode())


def link_query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert parts.path == reverse("vehicles:vehicle-list")
    return {name: values[0] for name, values in parse_qs(parts.query).items()}


def listed_vins(client: Any, url: str) -> set[str]:
    """The VINs the vehicle list shows at ``url``."""
    response = client.get(url)
    assert response.status_code == 200
    page = Page(response.content.decode())
    links = [link for key, found in page.links.items() if key == "results" for link in found]
    return {
        link.rstrip("/").rsplit("/", 1)[-1]
        for link in links
        if link.startswith("/vehicles/") and link.count("/") == 3
    }


# --- the figures ---------------------------------------------------------------------------


def test_jac_viewer_sees_every_figure_of_jac(client, world, history):
    sign_in(client, world.jac_viewer)
    page = page_of(client)
    assert page.text("selection-summary") == (
        "Sales (wholesale) · Year to date 2025-01-01–2025-06-15"
    )
    assert page.text("kpi-total") == (
        "Sales (wholesale) 9 Year on year: +125.0 % vs 2024-01-01–2024-06-15: 4"
    )
    assert page.text("kpi-month") == (
        "Month on month (2025-06) 3 Month on month: +200.0 % vs 2025-05-01–2025-05-15: 1"
    )
    assert page.text("kpi-ytd") == "Year to date 9 2025-01-01–2025-06-15"
    assert page.text("kpi-cumulative") == "Cumulative since launch 16 2022-07-01–2025-06-15"
    assert page.text("kpi-domestic") == (
        "Domestic 3 Year on year: +50.0 % vs 2024-01-01–2024-06-15: 2 1 country"
    )
    assert page.text("kpi-international") == (
        "International 6 Year on year: +200.0 % vs 2024-01-01–2024-06-15: 2 3 countries"
    )
    assert page.text("kpi-countries") == "Countries covered 4 6 ever Regions: GCC"
    assert page.text("kpi-new-energy") == "New-energy share 22.2 % 2 BEV, PHEV and EREV units"
    assert page.text("kpi-revenue") == (
        "Revenue CN¥300,000.00 $120,003.00 Wholesale prices, by order currency."
    )
    assert page.body("table-trend") == [
        ["2025-01", "1", "1", "0.0 %"],
        ["2025-02", "1", "1", "0.0 %"],
        ["2025-03", "1", "1", "0.0 %"],
        ["2025-04", "1", "0", "new"],
        ["2025-05", "2", "0", "new"],
        ["2025-06", "3", "1", "+200.0 %"],
    ]
    assert page.body("table-split") == [
        ["Domestic", "3", "2", "+50.0 %", "1"],
        ["International", "6", "2", "+200.0 %", "3"],
    ]
    assert page.body("table-markets-top") == [
        ["1", "Saudi Arabia SA", "4", "1", "+300.0 %"],
        ["2", "China CN domestic", "3", "2", "+50.0 %"],
        ["3", "Iraq IQ", "1", "0", "new"],
        ["4", "Nigeria NG", "1", "0", "new"],
        ["5", "Oman OM", "0", "1", "-100.0 %"],
    ]
    assert "table-markets-bottom" not in page.tables  # five markets fit in one table
    assert page.body("table-mix") == [
        ["Diesel", "7", "77.8 %"],
        ["Battery electric (BEV)", "2", "22.2 %"],
    ]
    # JAC owns the brand: its production milestones (unit 1, the Thai pickup of 2022).
    assert page.body("table-milestones") == [["1", "06/01/2022", vin_of(1), "—"]]
    # The active plan, as of 15 June 2025: SA 4 and IQ 1 of 50; the draft is not shown.
    assert page.body("table-plans") == [
        ["Gulf 2025 Wholesale units · 2025-01-01–2025-12-31", "5", "50", "10.0 %"]
    ]


def test_the_partner_counts_only_jac_in_saudi_arabia_and_iraq(client, world, history):
    sign_in(client, world.partner_viewer)
    page = page_of(client)
    assert page.text("kpi-total") == (
        "Sales (wholesale) 5 Year on year: +400.0 % vs 2024-01-01–2024-06-15: 1"
    )
    assert page.text("kpi-month") == (
        "Month on month (2025-06) 2 Month on month: new vs 2025-05-01–2025-05-15: 0"
    )
    assert page.text("kpi-cumulative") == "Cumulative since launch 7 2024-03-01–2025-06-15"
    assert page.text("kpi-domestic") == (
        "Domestic 0 Year on year: — vs 2024-01-01–2024-06-15: 0 0 countries"
    )
    assert page.text("kpi-international") == (
        "International 5 Year on year: +400.0 % vs 2024-01-01–2024-06-15: 1 2 countries"
    )
    assert page.text("kpi-countries") == "Countries covered 2 2 ever Regions: GCC"
    assert page.text("kpi-new-energy") == "New-energy share 40.0 % 2 BEV, PHEV and EREV units"
    assert page.text("kpi-revenue") == ("Revenue $100,002.50 Wholesale prices, by order currency.")
    assert page.body("table-trend") == [
        ["2025-01", "0", "0", "—"],
        ["2025-02", "1", "0", "new"],
        ["2025-03", "0", "1", "-100.0 %"],
        ["2025-04", "1", "0", "new"],
        ["2025-05", "1", "0", "new"],
        ["2025-06", "2", "0", "new"],
    ]
    assert page.body("table-markets-top") == [
        ["1", "Saudi Arabia SA", "4", "1", "+300.0 %"],
        ["2", "Iraq IQ", "1", "0", "new"],
    ]
    assert "table-milestones" not in page.tables  # production figures are the maker's
    assert page.body("table-plans") == [
        ["Gulf 2025 Wholesale units · 2025-01-01–2025-12-31", "5", "50", "10.0 %"]
    ]


def test_a_foreign_maker_sees_only_its_own_brand(client, world, history):
    sign_in(client, world.nezha_admin)
    page = page_of(client, {})
    assert "JAC" not in page.text("dashboard-filters")
    response = client.get(DASHBOARD, {**SELECTION, "brand": world.jac_brand.pk})
    page = Page(response.content.decode())
    assert "kpi-total" not in page.texts
    assert page.text("id_brand_error") == (
        f"Select a valid choice. {world.jac_brand.pk} is not one of the available choices."
    )
    nezha = page_of(client, {**SELECTION, "brand": world.nezha_brand.pk})
    assert nezha.text("kpi-total").startswith("Sales (wholesale) 1 Year on year: new")


def test_a_person_of_no_organisation_sees_no_figures(client, world, history):
    client.force_login(world.lonely)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.text("no-brands").startswith("No brand's figures are open to you")
    assert "kpi-total" not in page.texts
    assert "dashboard-filters" not in page.texts


def test_the_defaults_are_the_first_brand_sales_and_the_year_to_date(client, world, history):
    sign_in(client, world.jac_viewer)
    response = client.get(DASHBOARD)
    form = response.context["form"]
    selection = response.context["selection"]
    today = form.today
    assert selection.brand == world.jac_brand
    assert selection.measure == "sales"
    assert selection.period_kind == "ytd"
    assert (selection.period.start, selection.period.end) == (date(today.year, 1, 1), today)
    assert selection.query == (
        f"brand={world.jac_brand.pk}&measure=sales&period=ytd&to={today.isoformat()}"
    )


def test_other_periods_and_measures(client, world, history):
    sign_in(client, world.jac_viewer)
    year = page_of(client, {"period": "year", "year": "2024"})
    assert year.text("kpi-total") == (
        "Sales (wholesale) 5 Year on year: +400.0 % vs 2023-01-01–2023-12-31: 1"
    )
    quarter = page_of(client, {"period": "quarter", "year": "2025", "quarter": "2"})
    assert quarter.text("kpi-total") == (
        "Sales (wholesale) 7 Year on year: +250.0 % vs 2024-04-01–2024-06-30: 2"
    )
    custom = page_of(client, {"period": "custom", "from": "2025-05-01", "to": "2025-05-31"})
    assert custom.text("kpi-total") == (
        "Sales (wholesale) 2 Year on year: new vs 2024-05-01–2024-05-31: 0"
    )
    # Production counts in China, on the day 30 days before each sale.
    production = page_of(client, {**SELECTION, "measure": "production"})
    assert production.text("kpi-total") == (
        "Production 9 Year on year: +125.0 % vs 2024-01-01–2024-06-15: 4"
    )
    assert production.text("kpi-revenue") == (
        "Revenue Revenue is recorded for sales (wholesale) only."
    )
    # The Gulf only: Saudi Arabia and Oman.
    gulf = page_of(client, {**SELECTION, "region": "gcc"})
    assert gulf.text("kpi-total") == (
        "Sales (wholesale) 4 Year on year: +100.0 % vs 2024-01-01–2024-06-15: 2"
    )
    line = page_of(client, {**SELECTION, "product_line": world.__dict__["jac_bev"].product_line_id})
    assert line.text("kpi-total") == (
        "Sales (wholesale) 2 Year on year: new vs 2024-01-01–2024-06-15: 0"
    )


# --- the vehicles behind each figure -------------------------------------------------------


def test_each_figure_links_to_the_vehicles_behind_it(client, world, history):
    sign_in(client, world.jac_viewer)
    page = page_of(client)
    brand = str(world.jac_brand.pk)
    total, base = page.links["kpi-total"]
    assert link_query(total) == {
        "brand": brand,
        "wholesaled_from": "2025-01-01",
        "wholesaled_to": "2025-06-15",
    }
    this_year = (date(2025, 1, 1), date(2025, 6, 15))
    last_year = (date(2024, 1, 1), date(2024, 6, 15))
    assert listed_vins(client, total) == vins(history, start=this_year[0], end=this_year[1])
    assert len(listed_vins(client, total)) == 9
    assert listed_vins(client, base) == vins(history, start=last_year[0], end=last_year[1])
    domestic, _domestic_base = page.links["kpi-domestic"]
    assert link_query(domestic)["domestic"] == "true"
    assert listed_vins(client, domestic) == vins(
        history, "CN", start=this_year[0], end=this_year[1]
    )
    international, _base = page.links["kpi-international"]
    assert listed_vins(client, international) == vins(
        history, "SA", "IQ", "NG", start=this_year[0], end=this_year[1]
    )
    (cumulative,) = page.links["kpi-cumulative"]
    assert link_query(cumulative) == {"brand": brand, "wholesaled_to": "2025-06-15"}
    assert len(listed_vins(client, cumulative)) == 16
    month, _month_base = page.links["kpi-month"]
    assert listed_vins(client, month) == vins(
        history, start=date(2025, 6, 1), end=date(2025, 6, 15)
    )
    saudi = next(link for link in page.links["table-markets-top"] if "market=SA" in link)
    assert listed_vins(client, saudi) == vins(history, "SA", start=this_year[0], end=this_year[1])


def test_the_partners_links_list_only_its_vehicles(client, world, history):
    sign_in(client, world.partner_viewer)
    page = page_of(client)
    total, base = page.links["kpi-total"]
    assert listed_vins(client, total) == vins(
        history, "SA", "IQ", start=date(2025, 1, 1), end=date(2025, 6, 15)
    )
    assert len(listed_vins(client, total)) == 5
    assert listed_vins(client, base) == {vin_of(5)}  # SA, 2024-03-01


# --- downloads -----------------------------------------------------------------------------


def test_the_trend_downloads_as_csv(client, world, history):
    sign_in(client, world.jac_viewer)
    response = client.get(chart_url("trend", "csv"), SELECTION)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="trend-jac-sales-2025-01-01-2025-06-15.csv"'
    )
    assert b"".join(response.streaming_content).decode() == (
        "\ufeffMonth,Units,Units a year earlier,Year on year (%)\r\n"
        "2025-01,1,1,0.0\r\n"
        "2025-02,1,1,0.0\r\n"
        "2025-03,1,1,0.0\r\n"
        "2025-04,1,0,\r\n"
        "2025-05,2,0,\r\n"
        "2025-06,3,1,200.0\r\n"
    )


def test_markets_split_and_mix_download_as_csv(client, world, history):
    sign_in(client, world.partner_viewer)

    def csv_of(name: str) -> str:
        response = client.get(chart_url(name, "csv"), SELECTION)
        assert response.status_code == 200
        return b"".join(response.streaming_content).decode()

    assert csv_of("markets") == (
        "\ufeffRank,Market code,Market,Domestic,Units,Units a year earlier,Year on year (%)\r\n"
        "1,SA,Saudi Arabia,no,4,1,300.0\r\n"
        "2,IQ,Iraq,no,1,0,\r\n"
    )
    assert csv_of("split") == (
        "\ufeffSide,Units,Units a year earlier,Year on year (%),Countries\r\n"
        "Domestic,0,0,,0\r\n"
        "International,5,1,400.0,2\r\n"
    )
    assert csv_of("mix") == (
        "\ufeffPowertrain,Units,Share (%)\r\nDiesel,3,60.0\r\nBattery electric (BEV),2,40.0\r\n"
    )


def test_the_markets_download_as_xlsx(client, world, history):
    sign_in(client, world.jac_viewer)
    response = client.get(chart_url("markets", "xlsx"), SELECTION)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="markets-jac-sales-2025-01-01-2025-06-15.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        [
            "Rank",
            "Market code",
            "Market",
            "Domestic",
            "Units",
            "Units a year earlier",
            "Year on year (%)",
        ],
        [1, "SA", "Saudi Arabia", "no", 4, 1, 300],
        [2, "CN", "China", "yes", 3, 2, 50],
        [3, "IQ", "Iraq", "no", 1, 0, None],
        [4, "NG", "Nigeria", "no", 1, 0, None],
        [5, "OM", "Oman", "no", 0, 1, -100],
    ]


def test_the_milestones_download_is_the_brand_owners_alone(client, world, history):
    sign_in(client, world.jac_viewer)
    response = client.get(chart_url("milestones", "xlsx"), SELECTION)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Unit", "Produced on", "VIN", "Days since previous", "Time since previous"]
    # Excel has no dates, only date-times; an empty cell reads back as None.
    assert rows[1:] == [[1, datetime(2022, 6, 1), vin_of(1), None, None]]
    sign_in(client, world.partner_viewer)
    assert client.get(chart_url("milestones", "csv"), SELECTION).status_code == 403


def test_an_unknown_chart_or_format_is_not_found(client, world, history):
    sign_in(client, world.jac_viewer)
    assert client.get(chart_url("secrets", "csv"), SELECTION).status_code == 404
    assert client.get(chart_url("trend", "pdf"), SELECTION).status_code == 404


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"period": "year", "year": "next"}, "year", "Enter a whole number."),
        (
            {"period": "year", "year": "1"},
            "year",
            "Ensure this value is greater than or equal to 1950.",
        ),
        ({"market": "ZZ"}, "market", "ZZ is not an ISO 3166 country code."),
        ({"market": "Saudi"}, "market", "Ensure this value has at most 2 characters (it has 5)."),
        (
            {"measure": "profit"},
            "measure",
            "Select a valid choice. profit is not one of the available choices.",
        ),
        ({"to": "2025-13-01"}, "to", "Enter a valid date."),
        (
            {"period": "custom", "from": "2025-06-01", "to": "2025-05-01"},
            "to",
            "The period ends before it starts.",
        ),
        (
            {"period": "custom", "to": "2025-05-01"},
            "from",
            "Give the first and the last day.",
        ),
        (
            {"region": "atlantis"},
            "region",
            "Select a valid choice. atlantis is not one of the available choices.",
        ),
    ],
)
def test_a_bad_filter_is_shown_on_its_field(client, world, history, query, field, message):
    sign_in(client, world.jac_viewer)
    response = client.get(DASHBOARD, query)
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.text(f"id_{field}_error") == message
    label = next(str(bound.label) for bound in response.context["form"] if bound.html_name == field)
    assert f"{label}: {message}" in page.text("filter-errors")
    assert "kpi-total" not in page.texts
    download = client.get(chart_url("trend", "csv"), query)
    assert download.status_code == 400
    assert download.content.decode() == f"{field}: {message}"


def test_another_brands_product_line_is_refused(client, world, history):
    sign_in(client, world.nezha_admin)
    nezha_line = world.nezha_variant.product_line_id
    response = client.get(DASHBOARD, {"product_line": nezha_line, "brand": world.nezha_brand.pk})
    assert response.status_code == 200
    sign_in(client, world.jac_admin)
    response = client.get(DASHBOARD, {"product_line": world.jac_line.pk})
    assert response.status_code == 200
    assert response.context["selection"].product_line == world.jac_line
    response = client.get(DASHBOARD, {"product_line": nezha_line})
    page = Page(response.content.decode())
    assert page.text("id_product_line_error") == (
        f"Select a valid choice. {nezha_line} is not one of the available choices."
    )


# --- speed ---------------------------------------------------------------------------------

# For a year to date ending mid-month, one active plan and one milestone:
#  4  session, user, membership (the actor), the acting-for switcher's memberships
#  5  the form's choices: brands and product lines (each the grants, then the rows), regions
#  1  the grants behind the facts' scope condition
#  8  KPIs: this year and last by market (whole months, then the days of June: 4), since
#     launch by market (days, months, years: 3, which the cumulative figure reuses), regions
#  7  month on month (2), the first day (1), the trend (4)
#  2  market names (the ranking's, and in the page's language)
#  4  milestones: the owner check (grants, brand), the count, unit 1
#  8  the active plans (1) and the one plan's progress (7)
# None of them reads vehicles one by one: adding vehicles, markets and months adds none.
DASHBOARD_QUERIES = 39


def test_the_page_reads_a_fixed_number_of_queries(
    client, world, history, django_assert_num_queries
):
    sign_in(client, world.jac_viewer)
    client.get(DASHBOARD, SELECTION)  # warm the session
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(DASHBOARD, SELECTION).status_code == 200
    # Ten times the vehicles, in more markets and months: the same queries.
    more = [
        Sale(market, date(2025, month, day))
        for market in ("SA", "IQ", "OM", "NG", "CN", "TH")
        for month in (1, 2, 3, 4, 5, 6)
        for day in (3, 11, 14)
    ]
    record_sales(world, more, first_number=1000)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD, SELECTION)
    assert (
        Page(response.content.decode())
        .text("kpi-total")
        .startswith("Sales (wholesale) 117 Year on year")
    )


# --- right to left -------------------------------------------------------------------------


def test_the_page_reads_right_to_left_in_arabic(client, world, history):
    sign_in(client, world.jac_viewer)
    client.post(reverse("set_language"), {"language": "ar", "next": DASHBOARD})
    response = client.get(DASHBOARD, SELECTION)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "vendor/bootstrap/bootstrap.rtl.min.css" in html
    assert "analytics/dashboard.js" in html
    assert "vendor/echarts/echarts.min.js" in html
    # The charts' figures travel as JSON (no inline script: the CSP forbids them).
    assert '<script id="analytics-charts" type="application/json">' in html
    assert "<script>" not in html
    assert response.context["charts"]["trend"]["units"] == [1, 1, 1, 1, 2, 3]


@pytest.mark.parametrize("measure", ["sales", "retail", "production", "shipped", "in_operation"])
@pytest.mark.parametrize(
    "period",
    [
        {"period": "ytd"},
        {"period": "year", "year": "2025"},
        {"period": "quarter"},
        {"period": "month", "year": "2025", "month": "2"},
        {"period": "rolling", "to": "2025-06-15"},
        {"period": "custom", "from": "2024-12-20", "to": "2025-01-10"},
    ],
)
def test_every_measure_and_period_renders(client, world, history, measure, period):
    sign_in(client, world.partner_viewer)
    response = client.get(DASHBOARD, {"measure": measure, "region": "gcc", **period})
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.text("kpi-total").startswith(str(response.context["kpis"].measure.label))
    # Figures whose vehicles the list can show link to it; the others do not pretend to.
    has_list = measure in ("sales", "retail")
    assert bool(page.links.get("kpi-total")) is has_list
    for chart in ("trend", "markets", "mix", "split"):
        query = response.context["selection"].query
        assert client.get(f"{chart_url(chart, 'csv')}?{query}").status_code == 200


def test_many_markets_show_the_top_and_the_bottom_ten(client, world, history):
    """Twenty-two markets: the ten with the most units, then the ten with the fewest."""
    codes = [f"A{letter}" for letter in "ABCDEFGHIJKLMNOPQ"]  # 17 more markets
    for code in codes:
        CountryFactory.create(code=code, name=f"Land {code}", names={"ar": f"بلد {code}"})
    # Market AA gets 1 unit in 2025, AB 2, … AQ 17.
    record_sales(
        world,
        [
            Sale(code, date(2025, 3, 10))
            for rank, code in enumerate(codes, start=1)
            for _unit in range(rank)
        ],
        first_number=500,
    )
    sign_in(client, world.jac_viewer)
    page = page_of(client)
    top = page.body("table-markets-top")
    bottom = page.body("table-markets-bottom")
    assert [row[:3] for row in top] == [
        [str(rank), f"Land A{letter} A{letter}", str(units)]
        for rank, (letter, units) in enumerate(
            zip("QPONMLKJIH", range(17, 7, -1), strict=True), start=1
        )
    ]
    # Ranked by units, then by units a year earlier, then by code.
    assert [row[1] for row in bottom] == [
        "Land AE AE",
        "Saudi Arabia SA",
        "Land AD AD",
        "China CN domestic",
        "Land AC AC",
        "Land AB AB",
        "Land AA AA",
        "Iraq IQ",
        "Nigeria NG",
        "Oman OM",
    ]
    assert [row[0] for row in bottom] == [str(rank) for rank in range(13, 23)]
    assert page.text("markets-title") == "Markets, most units first"
    assert page.text("markets-top-title") == "Top 10 markets"
    assert page.text("markets-bottom-title") == "Bottom 10 markets of 22"
    # In Arabic, the markets carry their Arabic names.
    client.post(reverse("set_language"), {"language": "ar", "next": DASHBOARD})
    arabic = page_of(client)
    assert arabic.body("table-markets-top")[0][1] == "بلد AQ AQ"
