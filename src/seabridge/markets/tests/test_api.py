import pytest

from seabridge.accounts.selectors import actor_from_membership
from seabridge.core.models import AuditEvent
from seabridge.markets.models import BusinessRegion, MarketProfile
from seabridge.markets.services import market_profile_update

pytestmark = pytest.mark.django_db

NOT_FOUND = {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def profile_row(code):
    return MarketProfile.objects.filter(country_id=code).values().get()


def test_a_country_reads_in_the_callers_language(client, user, markets):
    client.force_login(user)
    response = client.get("/api/v1/markets/countries/sa", headers={"Accept-Language": "ar"})
    assert response.status_code == 200
    body = response.json()
    assert body["localized_name"] == "المملكة العربية السعودية"
    assert body["names"]["zh-hans"] == "沙特阿拉伯"
    assert {key: body[key] for key in ("code", "alpha3", "name", "currency")} == {
        "code": "SA",
        "alpha3": "SAU",
        "name": "Saudi Arabia",
        "currency": "SAR",
    }
    assert (body["m49_region"], body["m49_region_code"], body["m49_subregion"]) == (
        "Asia",
        "142",
        "Western Asia",
    )
    assert (body["traffic_side"], body["business_regions"]) == ("right", ["gcc", "middle-east"])
    assert (body["latitude"], body["longitude"]) == (24.12629, 44.546375)


def test_the_country_list_filters_and_paginates(client, user, markets):
    client.force_login(user)
    body = client.get(
        "/api/v1/markets/countries", {"business_region": "gcc", "page_size": 4}
    ).json()
    assert (body["count"], body["page"], body["pages"]) == (6, 1, 2)
    assert [country["code"] for country in body["items"]] == ["BH", "KW", "OM", "QA"]
    left_in_asean = client.get(
        "/api/v1/markets/countries", {"business_region": "asean", "traffic_side": "left"}
    ).json()
    assert [country["code"] for country in left_in_asean["items"]] == [
        "BN",
        "ID",
        "MY",
        "SG",
        "TH",
        "TL",
    ]
    africa = client.get("/api/v1/markets/countries", {"region": "2", "page_size": 1}).json()
    assert africa["count"] == 60
    search = client.get("/api/v1/markets/countries", {"q": "saudi"}).json()
    assert [country["code"] for country in search["items"]] == ["SA"]
    by_alpha3 = client.get("/api/v1/markets/countries", {"q": "chn"}).json()
    assert [country["code"] for country in by_alpha3["items"]] == ["CN"]
    # "Guinea-Bissau" contains "sau" too: the search matches names as well as codes.
    by_name = client.get("/api/v1/markets/countries", {"q": "SAU"}).json()
    assert [country["code"] for country in by_name["items"]] == ["GW", "SA"]


def test_the_country_list_searches_the_callers_language(client, user, markets):
    client.force_login(user)
    body = client.get(
        "/api/v1/markets/countries", {"q": "沙特"}, headers={"Accept-Language": "zh-hans"}
    ).json()
    assert [country["code"] for country in body["items"]] == ["SA"]


def test_the_country_list_runs_a_fixed_number_of_queries(
    client, user, markets, django_assert_num_queries
):
    client.force_login(user)
    # session, user, memberships (actor), count, countries with profiles, their regions
    with django_assert_num_queries(6):
        response = client.get("/api/v1/markets/countries", {"page_size": 200})
    assert response.status_code == 200
    assert len(response.json()["items"]) == 200


def test_the_region_list_runs_a_fixed_number_of_queries(
    client, user, markets, django_assert_num_queries
):
    client.force_login(user)
    with django_assert_num_queries(6):
        body = client.get("/api/v1/markets/regions").json()
    assert body["count"] == 10
    gcc = next(region for region in body["items"] if region["code"] == "gcc")
    assert gcc["countries"] == ["AE", "BH", "KW", "OM", "QA", "SA"]
    assert gcc["names"]["ar"] == "مجلس التعاون الخليجي"


def test_an_unknown_country_or_region_is_a_404_in_the_error_shape(client, user, markets):
    client.force_login(user)
    for path in (
        "/api/v1/markets/countries/XX",
        "/api/v1/markets/countries/XX/profile",
        "/api/v1/markets/regions/nowhere",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    response = client.patch(
        "/api/v1/markets/countries/XX/profile", {"notes": "x"}, content_type="application/json"
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_a_person_without_an_organisation_reads_reference_data(client, user, markets):
    client.force_login(user)
    response = client.get("/api/v1/markets/countries/JP/profile")
    assert response.status_code == 200
    assert response.json()["traffic_side"] == "left"
    assert response.json()["official_languages"] == ["ja"]


def test_a_steward_patches_a_profile_and_only_the_sent_fields_change(client, steward, markets):
    client.force_login(steward.user)
    before = profile_row("SA")
    response = client.patch(
        "/api/v1/markets/countries/SA/profile",
        {"import_duty_pickup_pct": "5.5", "emission_standard": "Euro 4"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["country"], body["import_duty_pickup_pct"], body["emission_standard"]) == (
        "SA",
        "5.50",
        "Euro 4",
    )
    after = profile_row("SA")
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"import_duty_pickup_pct", "emission_standard", "updated_at"}
    assert AuditEvent.objects.get().changes == {
        "import_duty_pickup_pct": [None, "5.50"],
        "emission_standard": ["", "Euro 4"],
        "acting_for": steward.organization_id,
    }


def test_staff_of_an_organisation_with_no_agreement_cannot_patch(client, staff, markets):
    """Issue 18: any member's staff could change any country's market profile."""
    client.force_login(staff.user)
    before = profile_row("SA")
    response = client.patch(
        "/api/v1/markets/countries/SA/profile",
        {"import_duty_pickup_pct": "0", "notes": "duty-free"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "forbidden",
            "message": "Market profiles are kept by the platform's stewards; the partners "
            "granted Saudi Arabia may change its field notes.",
            "fields": {},
        }
    }
    response = client.patch(
        "/api/v1/markets/regions/gcc", {"countries": ["SA"]}, content_type="application/json"
    )
    assert (response.status_code, response.json()["error"]["message"]) == (
        403,
        "Reference data is kept by the platform's stewards; ask one to change it.",
    )
    assert profile_row("SA") == before
    assert BusinessRegion.objects.get(code="gcc").countries.count() == 6
    assert AuditEvent.objects.count() == 0


def test_a_negative_duty_is_a_422_naming_the_field_and_nothing_changes(client, steward, markets):
    client.force_login(steward.user)
    before = profile_row("SA")
    response = client.patch(
        "/api/v1/markets/countries/SA/profile",
        {"import_duty_pickup_pct": -5, "notes": "should not be saved"},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("validation_error", "Some fields are not valid.")
    assert error["fields"] == {
        "import_duty_pickup_pct": ["Ensure this value is greater than or equal to 0."]
    }
    assert profile_row("SA") == before
    assert AuditEvent.objects.count() == 0


def test_an_unknown_currency_is_a_422_from_the_service(client, steward, markets):
    client.force_login(steward.user)
    before = profile_row("SA")
    response = client.patch(
        "/api/v1/markets/countries/SA/profile",
        {"currency": "ABC", "notes": "should not be saved"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "currency": ["ABC is not an ISO 4217 currency code."]
    }
    assert profile_row("SA") == before


def test_a_viewer_cannot_patch_and_nothing_changes(client, viewer, markets):
    client.force_login(viewer.user)
    before = profile_row("SA")
    response = client.patch(
        "/api/v1/markets/countries/SA/profile",
        {"import_duty_pickup_pct": "5"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "forbidden",
            "message": "Market profiles are kept by the platform's stewards; the partners "
            "granted Saudi Arabia may change its field notes.",
            "fields": {},
        }
    }
    assert profile_row("SA") == before


def test_a_person_without_an_organisation_cannot_patch(client, user, markets):
    client.force_login(user)
    response = client.patch(
        "/api/v1/markets/regions/gcc", {"name": "Gulf"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert BusinessRegion.objects.get(code="gcc").name == "GCC"


def test_anonymous_callers_are_refused(client, markets):
    assert client.get("/api/v1/markets/countries").status_code == 401


def test_a_steward_creates_and_changes_a_region(client, steward, markets):
    client.force_login(steward.user)
    response = client.post(
        "/api/v1/markets/regions",
        {"code": "east-africa", "name": "East Africa", "countries": ["KE", "tz", "UG"]},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json() == {
        "code": "east-africa",
        "name": "East Africa",
        "localized_name": "East Africa",
        "names": {},
        "countries": ["KE", "TZ", "UG"],
    }
    response = client.patch(
        "/api/v1/markets/regions/east-africa",
        {"names": {"fr": "Afrique de l'Est"}, "countries": ["KE", "RW"]},
        content_type="application/json",
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 200
    assert (response.json()["localized_name"], response.json()["countries"]) == (
        "Afrique de l'Est",
        ["KE", "RW"],
    )
    assert client.get("/api/v1/markets/regions", {"country": "RW"}).json()["count"] == 2


def test_a_region_with_unknown_countries_is_a_422_and_not_created(client, steward, markets):
    client.force_login(steward.user)
    response = client.post(
        "/api/v1/markets/regions",
        {"code": "nowhere", "name": "Nowhere", "countries": ["KE", "ZZ"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"countries": ["Unknown country codes: ZZ."]}
    assert not BusinessRegion.objects.filter(code="nowhere").exists()


def test_a_region_with_a_bad_code_is_a_422_naming_the_field(client, steward, markets):
    client.force_login(steward.user)
    response = client.post(
        "/api/v1/markets/regions",
        {"code": "Not A Slug", "name": "Bad"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["code"]
    assert BusinessRegion.objects.count() == 10


def test_an_edited_profile_reads_back(client, staff, steward, markets):
    market_profile_update(
        actor=actor_from_membership(steward),
        country=markets and MarketProfile.objects.get(country_id="NG").country,
        data={"is_resource_rich": True, "import_duty_passenger_pct": "35"},
    )
    client.force_login(staff.user)
    body = client.get("/api/v1/markets/countries/NG/profile").json()
    assert (body["is_resource_rich"], body["import_duty_passenger_pct"]) == (True, "35.00")


@pytest.mark.parametrize(
    ("language", "message", "field"),
    [
        (
            "fr",
            "Certains champs ne sont pas valides.",
            "Assurez-vous que cette valeur est supérieure ou égale à 0.",
        ),
        ("ar", "بعض الحقول غير صالحة.", "تحقق من أن تكون هذه القيمة أكثر من 0 أو مساوية لها."),
        ("zh-hans", "部分字段无效。", "确保该值大于或等于0。"),
    ],
)
def test_a_refusal_is_worded_in_the_accept_language(
    client, staff, markets, language, message, field
):
    """Pydantic's own English is not what the API answers: the schema's refusals are
    translated like the services' (the client's ``Accept-Language`` chooses)."""
    client.force_login(staff.user)
    before = profile_row("SA")
    response = client.patch(
        "/api/v1/markets/countries/SA/profile",
        {"import_duty_pickup_pct": -5},
        content_type="application/json",
        headers={"Accept-Language": language},
    )
    assert (response.status_code, response.json()["error"]) == (
        422,
        {
            "code": "validation_error",
            "message": message,
            "fields": {"import_duty_pickup_pct": [field]},
        },
    )
    assert profile_row("SA") == before
    assert AuditEvent.objects.count() == 0
