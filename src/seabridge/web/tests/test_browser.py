"""Pages in a real Chromium against a live server: nothing may leave 127.0.0.1."""

import pytest

from seabridge.conftest import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_works_in_chromium_and_arabic_runs_right_to_left(page, live_server, user):
    page.goto(f"{live_server.url}/sign-in/")
    assert page.title() == "Sign in · Seabridge"
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.get_by_label("User name or e-mail").fill("amina")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, amina"

    page.get_by_label("Language").select_option("ar")
    page.wait_for_function("document.documentElement.lang === 'ar'")
    assert page.locator("html").get_attribute("dir") == "rtl"
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"

    assert page.outside_requests == []
    assert page.console_errors == []


def test_api_docs_load_from_our_own_files(page, live_server, user):
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Seabridge API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.outside_requests == []
    assert [error for error in page.console_errors if "Content Security Policy" in error] == []
