"""Accessibility and right-to-left checks of the main pages in a real Chromium.

axe-core (``axe/axe.min.js``, from npm, never served by Seabridge) is injected into each
page by the test itself and must find no serious or critical violation, in English and
in Arabic. Every form field has an accessible name, the pages work from the keyboard
alone, and in Arabic the header, tables and charts mirror.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from seabridge.analytics.facts import facts_rebuild
from seabridge.conftest import TEST_PASSWORD
from seabridge.core.scope import Area
from seabridge.core.tests.world import World, build_world, grant
from seabridge.imports.services import import_upload
from seabridge.planning.tests.conftest import three_steps
from seabridge.trade.services import (
    ShipmentInput,
    shipment_add_vehicles,
    shipment_create,
    vehicles_allocate,
)
from seabridge.trade.tests.conftest import ALLOCATED_ON, confirmed
from seabridge.vehicles.tests.conftest import jac_vin, produce

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "axe" / "axe.min.js"
# The person who signs in: JAC's administrator sees and may change every page below.
USERNAME = "jac_admin"


@dataclass
class Site:
    """The world of the access tests with a row behind every page under test."""

    world: World
    pages: dict[str, str]


def build_site() -> Site:
    """JAC's memorandum with Zhongjiang and its plan, three vehicles (two shipped to
    Riyadh Motors on a confirmed order), an uploaded import and the facts for the
    dashboard."""
    world = build_world()
    world.agreement = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ", "OM", "NG"],
        areas=[Area.SALES],
    )
    grant(
        by=world.jac_admin,
        to=world.dealer,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    plan = three_steps(world)
    vehicles = produce(world, 1, 2, 3)
    order = confirmed(world, unit_price="18500.25")
    vehicles_allocate(
        actor=world.jac_staff,
        line=order.lines.get(),
        vehicle_ids=[vehicle.pk for vehicle in vehicles[:2]],
        allocated_on=ALLOCATED_ON,
    )
    shipment = shipment_create(
        actor=world.jac_staff,
        orders=[order],
        data=ShipmentInput(
            number="SH-2025-001", mode="roro", port_of_loading="CNSHA", port_of_discharge="SAJED"
        ),
    )
    shipment_add_vehicles(
        actor=world.jac_staff,
        shipment=shipment,
        vehicle_ids=[vehicle.pk for vehicle in vehicles[:2]],
    )
    import_upload(
        actor=world.jac_admin,
        kind="production",
        data=f"VIN,Variant,Produced on\n{jac_vin(9)},T8-D,2025-03-01\n".encode(),
        filename="production.csv",
    )
    facts_rebuild()
    pages = {
        "home": reverse("web:home"),
        "dashboard": reverse("analytics:dashboard"),
        "vehicle list": reverse("vehicles:vehicle-list"),
        "vehicle timeline": reverse("vehicles:vehicle-timeline", args=[vehicles[0].vin]),
        "agreement list": reverse("agreements:agreement-list"),
        "agreement detail": reverse("agreements:agreement-detail", args=[world.agreement.pk]),
        "plan list": reverse("planning:plan-list"),
        "plan detail": reverse("planning:plan-detail", args=[plan.pk]),
        "plan targets": reverse("planning:plan-targets", args=[plan.pk]),
        "import list": reverse("imports:import-list"),
        "import upload": reverse("imports:import-new"),
        "shipment list": reverse("trade:shipment-list"),
        "order list": reverse("trade:order-list"),
    }
    return Site(world=world, pages=pages)


def choose_language(page: Any, live_server: Any, language: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def sign_in(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}{reverse('web:sign-in')}")
    page.locator("#id_username").fill(USERNAME)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # A <script> tag with axe's text would be refused by the page's Content Security
        # Policy (only our own origin's files run), which stays on; the DevTools
        # protocol evaluates the test's own copy of axe outside it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]


def serious(violations: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """The serious and critical violations as (rule, the elements' selectors)."""
    return [
        (violation["id"], [", ".join(node["target"]) for node in violation["nodes"]])
        for violation in violations
        if violation["impact"] in ("serious", "critical")
    ]


# Every visible form field with its accessible name: the text of its <label>s, else
# aria-labelledby's or aria-label's. (axe checks the same; this states it.)
FIELD_NAMES = """() => [...document.querySelectorAll("input, select, textarea")]
  .filter((field) => field.type !== "hidden")
  .map((field) => {
    const text = (element) => (element ? element.textContent.replace(/\\s+/g, " ").trim() : "");
    const labelledBy = (field.getAttribute("aria-labelledby") || "").split(/\\s+/)
      .map((id) => text(document.getElementById(id))).join(" ").trim();
    const labels = [...(field.labels || [])].map(text).join(" ").trim();
    const label = (field.getAttribute("aria-label") || "").trim();
    return [field.id || field.name, labelledBy || labels || label];
  })"""


def unnamed_fields(page: Any) -> list[str]:
    return [field for field, name in page.evaluate(FIELD_NAMES) if not name]


# Whether the focused element shows that it has the focus (an outline or Bootstrap's ring).
FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const box = element.getBoundingClientRect();
  return (outline || style.boxShadow !== "none") && box.width > 1 && box.height > 1;
}"""

# The focused element as a reader would name it: its id, else its text.
FOCUSED = """() => {
  const element = document.activeElement;
  return element.id || element.getAttribute("href") || element.textContent.trim();
}"""


def tab(page: Any) -> str:
    """Press Tab; answer the newly focused element, after checking its focus is visible."""
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert page.evaluate(FOCUS_SHOWN), f"the focus on {focused!r} is not visible"
    return focused


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_main_pages_have_no_serious_accessibility_violation(page, live_server, language):
    site = build_site()
    choose_language(page, live_server, language)
    page.goto(f"{live_server.url}{reverse('web:sign-in')}")
    found = {"sign in": serious(axe_violations(page))}
    unnamed = {"sign in": unnamed_fields(page)}
    sign_in(page, live_server)
    for name, path in site.pages.items():
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == language, name
        found[name] = serious(axe_violations(page))
        unnamed[name] = unnamed_fields(page)

    assert found == {name: [] for name in found}
    assert unnamed == {name: [] for name in unnamed}
    assert page.outside_requests == []
    assert page.console_errors == []


def test_form_fields_carry_their_labels(page, live_server):
    site = build_site()
    page.goto(f"{live_server.url}{reverse('web:sign-in')}")
    assert page.evaluate(FIELD_NAMES) == [
        ["language-select", "Language"],
        ["id_username", "User name or e-mail"],
        ["id_password", "Password"],
    ]
    sign_in(page, live_server)
    page.goto(f"{live_server.url}{site.pages['import upload']}")
    # After the header's two selects (acting organisation, language):
    assert page.evaluate(FIELD_NAMES)[2:] == [
        ["id_kind", "What the file holds"],
        ["id_file", "File"],
        ["id_encoding", "Text encoding (CSV)"],
        ["id_delimiter", "Delimiter (CSV)"],
        ["id_date_order", "Dates like 03/04/2025 mean"],
    ]


def test_sign_in_with_the_keyboard_alone(page, live_server):
    build_site()
    page.goto(f"{live_server.url}{reverse('web:sign-in')}")
    skip = tab(page)
    assert skip == "#main"
    assert page.get_by_role("link", name="Skip to content").is_visible()
    assert [tab(page) for _ in range(5)] == [
        "/",
        "language-select",
        "Change",
        "id_username",
        "id_password",
    ]
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(USERNAME)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    assert tab(page) == "Sign in"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Welcome, {USERNAME}"


def test_the_skip_link_and_the_menu_by_keyboard(page, live_server):
    site = build_site()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}{site.pages['vehicle list']}")
    assert tab(page) == "#main"
    assert tab(page) == "/"
    menu = [tab(page) for _ in range(4)]
    assert menu == [
        reverse("web:home"),
        reverse("analytics:dashboard"),
        reverse("accounts:organization-list"),
        reverse("markets:country-list"),
    ]
    # Back to the skip link; Enter moves the focus to the content, the next Tabs to the
    # page's own link and then to the first filter of the vehicle list.
    page.goto(f"{live_server.url}{site.pages['vehicle list']}")
    tab(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert [tab(page), tab(page)] == [reverse("vehicles:milestones"), "vehicle-q"]
    # A whole VIN and Enter open that vehicle's timeline.
    page.keyboard.type(jac_vin(1))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{site.pages['vehicle timeline']}")
    assert jac_vin(1) in page.get_by_role("heading", level=1).inner_text()


CHART_OPTION = """(id) => {
  const option = echarts.getInstanceByDom(document.getElementById(id)).getOption();
  return {
    inverse: option.xAxis[0].inverse,
    position: option.yAxis[0].position,
    legend: option.legend && option.legend.length
      ? [option.legend[0].left, option.legend[0].right, option.legend[0].align]
      : null,
  };
}"""

CHART_DRAWN = "(id) => window.echarts && echarts.getInstanceByDom(document.getElementById(id))"


def box(page: Any, selector: str) -> dict[str, float]:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize(
    ("language", "mirrored"),
    [
        (
            "en",
            {"inverse": False, "position": "left", "legend": [0, None, "left"]},
        ),
        (
            "ar",
            {"inverse": True, "position": "right", "legend": [None, 0, "right"]},
        ),
    ],
)
def test_arabic_mirrors_the_header_tables_forms_and_charts(page, live_server, language, mirrored):
    site = build_site()
    choose_language(page, live_server, language)
    sign_in(page, live_server)
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert stylesheet.endswith("bootstrap.rtl.min.css" if language == "ar" else "bootstrap.min.css")

    page.goto(f"{live_server.url}{site.pages['dashboard']}")
    for chart in ("chart-trend", "chart-split"):
        page.wait_for_function(CHART_DRAWN, arg=chart)
        assert page.evaluate(CHART_OPTION, chart) == mirrored, chart
    assert page.evaluate(CHART_OPTION, "chart-milestones") == {**mirrored, "legend": None}
    width = page.viewport_size["width"]
    brand = box(page, ".navbar-brand")
    language_switcher = box(page, ".language-switcher")
    if language == "ar":
        # The brand stands at the right edge, the language switcher at the left.
        assert width - (brand["x"] + brand["width"]) < 40
        assert language_switcher["x"] < 40
    else:
        assert brand["x"] < 40
        assert width - (language_switcher["x"] + language_switcher["width"]) < 40
    # A form's label sits over its field, from the reading direction's start.
    label = box(page, "label[for=id_measure]")
    field = box(page, "#id_measure")
    if language == "ar":
        assert round(label["x"] + label["width"]) == round(field["x"] + field["width"])
    else:
        assert round(label["x"]) == round(field["x"])

    page.goto(f"{live_server.url}{site.pages['plan detail']}")
    page.wait_for_function(CHART_DRAWN, arg="plan-chart")
    assert page.evaluate(CHART_OPTION, "plan-chart") == mirrored
    # The month table's first column (the month) is on the reading direction's start.
    month = box(page, "table thead th:first-child")
    target = box(page, "table thead th:nth-child(2)")
    assert (month["x"] > target["x"]) is (language == "ar")
    assert page.console_errors == []
