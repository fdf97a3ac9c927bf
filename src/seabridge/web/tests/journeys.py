"""What the browser journeys share: a small demo world, signing in, reading the page.

The world is the demo's (:func:`seabridge.demo.world.world_build`: organisations, the
named demo people, agreements, the Zhengzhou Nissan–Zhongjiang memorandum and its
three-step plan) with the vehicles of one maker only, Zhengzhou Nissan (about 18,000
with their events, drawn as ``seabridge demo`` draws them), so that it is built in a
few seconds for each test.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from seabridge.conftest import ARTIFACTS
from seabridge.demo.histories import DEMO_SEED, maker_history, maker_plans
from seabridge.demo.world import DEMO_PASSWORD, DemoWorld, world_build, world_finish

BRAND = "Zhengzhou Nissan"
NUMBER = re.compile(r"[+-]?\d[\d,\s\u00a0\u202f.]*")


@dataclass(frozen=True)
class SmallDemo:
    """The demo world with Zhengzhou Nissan's vehicles, and how long it took to build."""

    world: DemoWorld
    vehicles: int
    seconds: float


def small_demo_build() -> SmallDemo:
    """The static demo world, Zhengzhou Nissan's vehicles and the plan's milestones."""
    started = time.perf_counter()
    world = world_build()
    plan, maker = maker_plans(world)[0]
    assert plan.key == BRAND
    vehicles = maker_history(random.Random(DEMO_SEED), plan, maker)
    world_finish(world)
    return SmallDemo(world, vehicles, time.perf_counter() - started)


def translated(language: str, message: str) -> str:
    """``message`` as the pages show it in ``language`` (from the same catalogues)."""
    with translation.override(language):
        return gettext(message)


def sign_in(page: Any, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in on the sign-in page as a person of the demo world, and land on the home page."""
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("User name or e-mail").fill(email)
    page.get_by_label("Password").fill(password)
    follow(page, page.get_by_role("button", name="Sign in"))
    page.wait_for_url(f"{base_url}/")


def follow(page: Any, target: Any) -> None:
    """Click a link or a submit button and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        target.click()


def switch_language(page: Any, code: str) -> None:
    """Choose a language with the header's switcher (it submits itself on change)."""
    page.locator("#language-select").select_option(code)
    page.wait_for_function(f"document.documentElement.lang === {code!r}")
    page.wait_for_load_state()


def snapshot(page: Any, request: Any, step: str) -> None:
    """A screenshot of a step of the journey, kept beside the final one in the artifacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    node = request.node.nodeid
    name = node.replace("/", "_").replace("::", "__").replace("[", "_").strip("]")
    page.screenshot(path=str(ARTIFACTS / f"{name}--{step}.png"), full_page=True)


def whole_number(text: str) -> int:
    """The one whole number in ``text``, whatever the locale's grouping of digits."""
    found = NUMBER.findall(text)
    assert len(found) == 1, f"expected one number in {text!r}, found {found}"
    return int(re.sub(r"[^\d-]", "", found[0]))


def last_number(text: str) -> int:
    """The last whole number in ``text`` (e.g. the units after a period's dates)."""
    found = NUMBER.findall(text)
    assert found, f"no number in {text!r}"
    return int(re.sub(r"[^\d-]", "", found[-1]))


def decimal_number(text: str) -> Decimal:
    """The one decimal number in ``text`` written with "." as the decimal separator."""
    found = NUMBER.findall(text)
    assert len(found) == 1, f"expected one number in {text!r}, found {found}"
    return Decimal(re.sub(r"[^\d.+-]", "", found[0]))


def sign_out(page: Any, base_url: str) -> None:
    follow(page, page.get_by_role("button", name="Sign out"))
    page.wait_for_url(f"{base_url}/sign-in/")


def table_rows(table: Any) -> list[list[str]]:
    """The body of a table, as the text of each cell (header cells of a row included)."""
    rows: list[list[str]] = table.evaluate(
        "table => Array.from(table.tBodies).flatMap(body => Array.from(body.rows)).map("
        "row => Array.from(row.cells).map(cell => cell.innerText.trim()))"
    )
    return rows
