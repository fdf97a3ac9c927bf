import re
from decimal import Decimal

import pytest

from seabridge.markets.models import BusinessRegion, MarketProfile

pytestmark = pytest.mark.django_db


def labels_cover_every_field(html):
    """Every visible input, select and textarea has a <label for=…> naming it."""
    ids = re.findall(
        r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|submit)")[^>]*id="([^"]+)"', html
    )
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
    return ids and set(ids) <= labelled


def test_pages_need_a_signed_in_person(client, markets):
    for path in ("/markets/", "/markets/countries/SA/", "/markets/regions/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/sign-in/?next={path}"


def test_the_country_list_shows_names_in_the_readers_language(client, user, markets):
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/markets/"})
    html = client.get("/markets/", {"business_region": "gcc"}).content.decode()
    assert '<a href="/markets/countries/SA/">المملكة العربية السعودية</a>' in html
    assert "<code>SA</code>" in html
    assert "/markets/countries/CN/" not in html
    assert labels_cover_every_field(html)
    assert "style=" not in html
    assert "<script>" not in html


def test_the_country_list_filters_into_results_for_htmx(client, user, markets):
    client.force_login(user)
    response = client.get(
        "/markets/",
        {"region": "002", "traffic_side": "left", "q": "south"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    html = response.content.decode()
    assert "<form" not in html
    assert '<a href="/markets/countries/ZA/">South Africa</a>' in html
    assert "Drives on the left (right-hand drive vehicles)" in html
    assert re.findall(r'href="/markets/countries/([A-Z]{2})/"', html) == ["ZA"]
    assert "1 record" in html


def test_the_country_list_paginates_with_htmx_links(client, user, markets):
    client.force_login(user)
    html = client.get("/markets/", {"q": "a"}).content.decode()
    assert 'hx-get="?q=a&amp;page=2"' in html
    assert 'hx-target="#results"' in html


def test_the_country_list_runs_a_fixed_number_of_queries(
    client, user, markets, django_assert_num_queries
):
    client.force_login(user)
    # session, user, memberships (actor), count, countries with profiles, their regions,
    # M49 regions and business regions for the filters
    with django_assert_num_queries(8):
        response = client.get("/markets/")
    assert response.status_code == 200


def test_a_bad_filter_value_is_shown_and_lists_nothing(client, user, markets):
    client.force_login(user)
    html = client.get("/markets/", {"traffic_side": "middle"}).content.decode()
    assert "<strong>traffic_side</strong>" in html
    assert "No country matches these filters." in html


def test_the_country_page_shows_profile_and_regions(client, steward, markets):
    client.force_login(steward.user)
    html = client.get("/markets/countries/sa/").content.decode()
    assert "Saudi Arabia" in html
    assert "Asia (142)" in html
    assert "Western Asia (145)" in html
    assert '<a href="/markets/regions/gcc/">GCC</a>' in html
    assert '<dd class="col-sm-7" lang="ar">المملكة العربية السعودية</dd>' in html
    assert (
        '<a class="btn btn-primary btn-sm" href="/markets/countries/SA/profile/edit/">'
        "Edit profile</a>" in html
    )


def test_an_unknown_country_page_is_a_404(client, user, markets):
    client.force_login(user)
    assert client.get("/markets/countries/XX/").status_code == 404
    assert client.get("/markets/regions/nowhere/").status_code == 404


def test_a_steward_edits_a_profile_through_the_form(client, steward, markets):
    client.force_login(steward.user)
    form = client.get("/markets/countries/SA/profile/edit/")
    html = form.content.decode()
    assert labels_cover_every_field(html)
    assert 'value="ar"' in html
    response = client.post(
        "/markets/countries/SA/profile/edit/",
        {
            "traffic_side": "right",
            "import_duty_pickup_pct": "5",
            "currency": "SAR",
            "official_languages": "ar, en",
            "emission_standard": "Euro 4",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/markets/countries/SA/"
    profile = MarketProfile.objects.get(country_id="SA")
    assert (profile.import_duty_pickup_pct, profile.official_languages) == (
        Decimal("5.00"),
        ["ar", "en"],
    )
    assert "The market profile was saved." in client.get("/markets/countries/SA/").content.decode()


def test_a_negative_duty_on_the_form_names_the_field_and_saves_nothing(client, steward, markets):
    client.force_login(steward.user)
    before = MarketProfile.objects.filter(country_id="SA").values().get()
    response = client.post(
        "/markets/countries/SA/profile/edit/",
        {"traffic_side": "right", "import_duty_pickup_pct": "-5", "currency": "XYZ"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<div class="invalid-feedback d-block" id="id_import_duty_pickup_pct_error">'
        "An import duty cannot be negative.</div>"
    ) in html
    assert "XYZ is not an ISO 4217 currency code." in html
    assert MarketProfile.objects.filter(country_id="SA").values().get() == before


def test_everyone_but_a_steward_is_sent_back(client, user, viewer, staff, markets):
    """Issue 18: any member's staff could change any country's profile and regions; a
    person with no agreement is neither offered the buttons nor let through."""
    regions = sorted(BusinessRegion.objects.values_list("code", "name"))
    for person in (user, viewer.user, staff.user):
        client.force_login(person)
        detail = client.get("/markets/countries/SA/").content.decode()
        assert "/profile/edit/" not in detail
        response = client.post(
            "/markets/countries/SA/profile/edit/",
            {"traffic_side": "left", "import_duty_pickup_pct": "5"},
        )
        assert response.status_code == 302
        assert response["Location"] == "/markets/countries/SA/"
        html = client.get(response["Location"]).content.decode()
        assert (
            "Market profiles are kept by the platform&#x27;s stewards; the partners granted "
            "Saudi Arabia may change its field notes."
        ) in html
        assert "/markets/regions/new/" not in client.get("/markets/regions/").content.decode()
        assert "/edit/" not in client.get("/markets/regions/gcc/").content.decode()
        refused = client.post("/markets/regions/new/", {"code": "levant", "name": "Levant"})
        assert refused["Location"] == "/markets/regions/"
        assert (
            "Reference data is kept by the platform&#x27;s stewards; ask one to change it."
            in client.get(refused["Location"]).content.decode()
        )
        refused = client.post("/markets/regions/gcc/edit/", {"name": "Gulf", "countries": "SA"})
        assert refused["Location"] == "/markets/regions/gcc/"
    profile = MarketProfile.objects.get(country_id="SA")
    assert (profile.traffic_side, profile.import_duty_pickup_pct) == ("right", None)
    assert sorted(BusinessRegion.objects.values_list("code", "name")) == regions
    assert BusinessRegion.objects.get(code="gcc").countries.count() == 6


def test_the_region_list_and_page(client, user, markets):
    client.force_login(user)
    html = client.get("/markets/regions/").content.decode()
    assert '<a href="/markets/regions/gcc/">GCC</a>' in html
    assert labels_cover_every_field(html)
    assert "/markets/regions/new/" not in html
    detail = client.get("/markets/regions/gcc/").content.decode()
    assert "6 member countries" in detail
    assert re.findall(r'href="/markets/countries/([A-Z]{2})/"', detail) == [
        "BH",
        "KW",
        "OM",
        "QA",
        "SA",
        "AE",
    ]


def test_a_steward_creates_and_edits_a_region_by_country_codes(client, steward, markets):
    client.force_login(steward.user)
    form = client.get("/markets/regions/new/").content.decode()
    assert labels_cover_every_field(form)
    assert (
        '<label for="id_name_zh_hans" class="form-label">Name in Simplified Chinese</label>' in form
    )
    response = client.post(
        "/markets/regions/new/",
        {
            "code": "east-africa",
            "name": "East Africa",
            "name_fr": "Afrique de l'Est",
            "countries": "KE, TZ ug",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/markets/regions/east-africa/"
    region = BusinessRegion.objects.get(code="east-africa")
    assert region.names == {"en": "East Africa", "fr": "Afrique de l'Est"}
    assert sorted(region.countries.values_list("code", flat=True)) == ["KE", "TZ", "UG"]

    edit = client.get("/markets/regions/east-africa/edit/").content.decode()
    assert 'id="id_code"' not in edit
    assert "KE TZ UG" in edit
    response = client.post(
        "/markets/regions/east-africa/edit/",
        {"name": "East Africa", "countries": "KE RW XX"},
    )
    assert response.status_code == 200
    assert "Unknown country codes: XX." in response.content.decode()
    assert sorted(region.countries.values_list("code", flat=True)) == ["KE", "TZ", "UG"]
    response = client.post(
        "/markets/regions/east-africa/edit/", {"name": "East Africa", "countries": "KE RW"}
    )
    assert response.status_code == 302
    assert sorted(region.countries.values_list("code", flat=True)) == ["KE", "RW"]


def test_a_taken_region_code_is_named_on_the_form(client, steward, markets):
    client.force_login(steward.user)
    response = client.post("/markets/regions/new/", {"code": "gcc", "name": "Gulf"})
    assert response.status_code == 200
    assert "A business region with this code already exists." in response.content.decode()
    assert BusinessRegion.objects.count() == 10
