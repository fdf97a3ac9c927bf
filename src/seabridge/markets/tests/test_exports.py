"""The country export: reference data for every signed-in person, each country with its
market profile, filtered like the list page, names in the reader's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from seabridge.core.tests.test_exports import csv_lines, xlsx_rows
from seabridge.markets.models import BusinessRegion, Country
from seabridge.markets.tests.factories import CountryFactory, MarketProfileFactory

pytestmark = pytest.mark.django_db

CSV = reverse("markets:country-export", args=["csv"])
XLSX = reverse("markets:country-export", args=["xlsx"])
HEADER = (
    "Country,ISO code,ISO alpha-3,UN M49 region,Business regions,Currency,Traffic side,"
    "Emission standard in force,Import duty on pickups (%),Import duty on passenger cars (%),"
    "Resource-rich,Official languages"
)
RIGHT = "Drives on the right (left-hand drive vehicles)"
OMAN = f"Oman,OM,OMN,Asia,GCC,OMR,{RIGHT},,,,no,"
SAUDI = f"Saudi Arabia,SA,SAU,Asia,GCC,SAR,{RIGHT},Euro 4,5.00,5.00,yes,ar"
THAILAND = "Thailand,TH,THA,Asia,,THB,,,,,,"
# Session, person and memberships; the countries with their profiles; their regions.
EXPORT_QUERIES = 5


@pytest.fixture
def countries(db) -> list[Country]:
    """Oman and Saudi Arabia (in the GCC, with profiles) and Thailand (no profile yet)."""
    asia = {"m49_region": "Asia", "m49_region_code": "142"}
    saudi = CountryFactory.create(
        code="SA",
        alpha3="SAU",
        name="Saudi Arabia",
        names={"en": "Saudi Arabia", "ar": "المملكة العربية السعودية", "zh-hans": "沙特阿拉伯"},
        currency="SAR",
        **asia,
    )
    oman = CountryFactory.create(
        code="OM",
        alpha3="OMN",
        numeric="512",
        name="Oman",
        names={"en": "Oman", "ar": "عُمان"},
        currency="OMR",
        **asia,
    )
    thailand = CountryFactory.create(
        code="TH", alpha3="THA", numeric="764", name="Thailand", currency="THB", **asia
    )
    MarketProfileFactory.create(
        country=saudi,
        emission_standard="Euro 4",
        import_duty_pickup_pct=Decimal("5.00"),
        import_duty_passenger_pct=Decimal("5.00"),
        is_resource_rich=True,
        official_languages=["ar"],
    )
    MarketProfileFactory.create(country=oman)
    gcc = BusinessRegion.objects.create(
        code="gcc", name="GCC", names={"ar": "مجلس التعاون الخليجي", "zh-hans": "海合会"}
    )
    gcc.countries.set([saudi, oman])
    return [oman, saudi, thailand]


def test_any_signed_in_person_gets_every_country_with_its_profile(client, user, countries):
    client.force_login(user)  # a member of no organisation: reference data is for all
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="countries-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert csv_lines(response) == [HEADER, OMAN, SAUDI, THAILAND, ""]


def test_a_person_signed_out_is_sent_to_sign_in(client, countries):
    response = client.get(CSV)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={CSV}"


def test_the_export_applies_the_list_filter(client, user, countries):
    client.force_login(user)
    assert csv_lines(client.get(CSV, {"business_region": "gcc"})) == [HEADER, OMAN, SAUDI, ""]
    assert csv_lines(client.get(CSV, {"q": "sau"})) == [HEADER, SAUDI, ""]
    assert csv_lines(client.get(CSV, {"traffic_side": "left"})) == [HEADER, ""]
    refused = client.get(CSV, {"region": "Asia"})
    assert refused.status_code == 422
    assert list(refused.json()["error"]["fields"]) == ["region"]


def test_names_are_in_the_readers_language(client, user, countries):
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/markets/"})
    rows = xlsx_rows(client.get(XLSX, {"business_region": "gcc"}).content)
    assert [row[:5] for row in rows[1:]] == [
        ["عُمان", "OM", "OMN", "Asia", "مجلس التعاون الخليجي"],
        ["المملكة العربية السعودية", "SA", "SAU", "Asia", "مجلس التعاون الخليجي"],
    ]
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/markets/"})
    lines = csv_lines(client.get(CSV, {"q": "SA"}))
    assert lines[1].split(",")[:5] == ["沙特阿拉伯", "SA", "SAU", "Asia", "海合会"]


def test_the_xlsx_keeps_duties_numbers(client, user, countries):
    client.force_login(user)
    rows = xlsx_rows(client.get(XLSX, {"q": "SA"}).content)
    assert rows == [
        HEADER.split(","),
        ["Saudi Arabia", "SA", "SAU", "Asia", "GCC", "SAR", RIGHT, "Euro 4", 5, 5, "yes", "ar"],
    ]


def test_the_real_reference_data_exports_in_a_fixed_number_of_queries(
    client, user, markets, django_assert_num_queries
):
    client.force_login(user)
    with django_assert_num_queries(EXPORT_QUERIES):
        lines = csv_lines(client.get(CSV))
    assert len(lines) == 2 + Country.objects.count()


def test_an_unknown_format_is_refused(client, user):
    client.force_login(user)
    response = client.get(reverse("markets:country-export", args=["numbers"]))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"format": ["Choose csv or xlsx, not numbers."]}


def test_the_list_page_links_its_downloads_with_the_filter(client, user, countries):
    client.force_login(user)
    html = client.get(reverse("markets:country-list"), {"business_region": "gcc"}).content
    text = html.decode()
    assert f'href="{CSV}?business_region=gcc"' in text
    assert f'href="{XLSX}?business_region=gcc"' in text
