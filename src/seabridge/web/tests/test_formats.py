"""Numbers, money, dates, and country and language names in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from seabridge.conftest import TEST_PASSWORD
from seabridge.core.scope import Area
from seabridge.core.tests.world import build_world, grant
from seabridge.markets.models import Country
from seabridge.markets.services import reference_data_load
from seabridge.trade.tests.conftest import draft

TEMPLATE = Template(
    "{% load seabridge_formats %}"
    "{{ share|number:1 }}|{{ units|number }}|{{ price|money:'USD' }}|{{ price|money:'SAR' }}|"
    "{{ country.localized_name }}|{{ languages|language_names }}|{{ day|date:'SHORT_DATE_FORMAT' }}"
)

NBSP = "\xa0"
NARROW_NBSP = "\u202f"
RLM = "\u200f"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "1,234,567.5",
                "1,234,567",
                "$18,500.25",
                f"SAR{NBSP}18,500.25",
                "Saudi Arabia",
                "English and Arabic",
                "04/22/2025",
            ],
        ),
        (
            "zh-hans",
            [
                "1,234,567.5",
                "1,234,567",
                "US$18,500.25",
                f"SAR{NBSP}18,500.25",
                "沙特阿拉伯",
                "英语和阿拉伯语",
                "2025年4月22日",
            ],
        ),
        (
            "ar",
            [
                "1,234,567.5",
                "1,234,567",
                f"{RLM}18,500.25{NBSP}US$",
                f"{RLM}18,500.25{NBSP}ر.س.{RLM}",
                "المملكة العربية السعودية",
                "الإنجليزية والعربية",
                f"22{RLM}/04{RLM}/2025",
            ],
        ),
        (
            "fr",
            [
                f"1{NARROW_NBSP}234{NARROW_NBSP}567,5",
                f"1{NARROW_NBSP}234{NARROW_NBSP}567",
                f"18{NARROW_NBSP}500,25{NBSP}$US",
                f"18{NARROW_NBSP}500,25{NBSP}SAR",
                "Arabie saoudite",
                "anglais et arabe",
                "22/04/2025",
            ],
        ),
        (
            "ru",
            [
                f"1{NBSP}234{NBSP}567,5",
                f"1{NBSP}234{NBSP}567",
                f"18{NBSP}500,25{NBSP}$",
                f"18{NBSP}500,25{NBSP}SAR",
                "Саудовская Аравия",
                "английский и арабский",
                "22.04.2025",
            ],
        ),
        (
            "pt-br",
            [
                "1.234.567,5",
                "1.234.567",
                f"US${NBSP}18.500,25",
                f"SAR{NBSP}18.500,25",
                "Arábia Saudita",
                "inglês e árabe",
                "22/04/2025",
            ],
        ),
        (
            "es",
            [
                "1.234.567,5",
                "1.234.567",
                f"18.500,25{NBSP}US$",
                f"18.500,25{NBSP}SAR",
                "Arabia Saudí",
                "inglés y árabe",
                "22/04/2025",
            ],
        ),
    ],
)
@pytest.mark.django_db
def test_numbers_money_names_and_dates_as_each_language_writes_them(language, expected):
    """Country names are the registry's, as ``load_markets`` stores them."""
    reference_data_load()
    context = Context(
        {
            "country": Country.objects.get(code="SA"),
            "share": Decimal("1234567.5"),
            "units": 1234567,
            "price": Decimal("18500.25"),
            "languages": ["en", "ar"],
            "day": date(2025, 4, 22),
        }
    )
    with translation.override(language):
        assert TEMPLATE.render(context).split("|") == expected


def test_no_value_renders_empty_so_that_a_default_applies():
    template = Template(
        "{% load seabridge_formats %}[{{ nothing|number|default:'—' }}]"
        "[{{ nothing|money:'USD'|default:'—' }}][{{ 0|number:2 }}][{{ 'JPY-ish'|number }}]"
        "[{{ 1999|money:'JPY' }}][{{ '12.5'|money:'' }}]"
    )
    assert template.render(Context({"nothing": None})) == "[—][—][0.00][JPY-ish][¥1,999][12.50]"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "line", "destination"),
    [
        ("fr", f"18{NARROW_NBSP}500,25{NBSP}$US", "Arabie saoudite"),
        ("es", f"18.500,25{NBSP}US$", "Arabia Saudí"),
        ("zh-hans", "US$18,500.25", "沙特阿拉伯"),
    ],
)
def test_the_order_page_prints_money_and_the_country_in_the_readers_language(
    client, language, line, destination
):
    """Country names are those ``load_markets`` stores; the test country gets three."""
    world = build_world()
    grant(
        by=world.jac_admin,
        to=world.dealer,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    Country.objects.filter(code="SA").update(
        names={"fr": "Arabie saoudite", "es": "Arabia Saudí", "zh-hans": "沙特阿拉伯"}
    )
    order = draft(world, quantity=1200, unit_price="18500.25")
    client.login(username="jac_admin", password=TEST_PASSWORD)
    client.cookies["django_language"] = language
    html = client.get(reverse("trade:order-detail", args=[order.pk])).content.decode()
    assert f'<td class="text-end">{line}</td>' in html
    assert f'<dd class="col-sm-9">{destination}</dd>' in html
