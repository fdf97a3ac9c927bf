import pytest

from seabridge.catalog.choices import Powertrain, SteeringSide
from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
from seabridge.catalog.tests.factories import BrandFactory, ProductLineFactory, VariantFactory
from seabridge.core.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/catalog"

# Queries of one variant list page, whatever its length: session, user, membership (the
# actor), the agreement grants (the scope module), the count, and the page's rows with their
# brand and product line in one join.
VARIANT_LIST_QUERIES = 6


@pytest.fixture
def staff_client(client, staff_membership):
    client.force_login(staff_membership.user)
    return client


@pytest.fixture
def viewer_client(client, viewer_membership):
    client.force_login(viewer_membership.user)
    return client


def error_fields(response):
    return response.json()["error"]["fields"]


# --- brands --------------------------------------------------------------------------------


def test_the_brand_list_holds_only_the_callers_brands(staff_client, brand, foreign_brand):
    BrandFactory.create(name="Sunray", owner=brand.owner)
    response = staff_client.get(f"{API}/brands")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["name"] for item in body["items"]] == ["JAC", "Sunray"]
    assert body["items"][0] == {"id": brand.pk, "name": "JAC", "owner_id": brand.owner_id}


def test_another_makers_brand_is_a_404(staff_client, foreign_brand):
    response = staff_client.get(f"{API}/brands/{foreign_brand.pk}")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "fields": {}}
    }


def test_creating_a_brand_answers_201(staff_client, maker):
    response = staff_client.post(
        f"{API}/brands", {"name": "Zhengzhou Nissan"}, content_type="application/json"
    )
    assert response.status_code == 201
    brand = Brand.objects.get()
    assert response.json() == {"id": brand.pk, "name": "Zhengzhou Nissan", "owner_id": maker.pk}


def test_a_duplicate_brand_name_is_a_422_naming_name(staff_client, brand):
    response = staff_client.post(f"{API}/brands", {"name": "jAc"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert error_fields(response) == {"name": ["A brand named jAc already exists."]}
    assert Brand.objects.count() == 1
    assert AuditEvent.objects.count() == 0


def test_a_viewer_cannot_create_a_brand(viewer_client, brand):
    response = viewer_client.post(
        f"{API}/brands", {"name": "Another"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This needs the Staff role in JAC."
    assert Brand.objects.count() == 1


def test_a_viewer_reads_but_cannot_rename_a_brand(viewer_client, brand):
    assert viewer_client.get(f"{API}/brands/{brand.pk}").json()["name"] == "JAC"
    response = viewer_client.patch(
        f"{API}/brands/{brand.pk}", {"name": "Renamed"}, content_type="application/json"
    )
    assert response.status_code == 403
    brand.refresh_from_db()
    assert brand.name == "JAC"


def test_another_makers_brand_cannot_be_renamed(staff_client, foreign_brand):
    response = staff_client.patch(
        f"{API}/brands/{foreign_brand.pk}", {"name": "Mine"}, content_type="application/json"
    )
    assert response.status_code == 404
    foreign_brand.refresh_from_db()
    assert foreign_brand.name == "Nezha"


def test_the_api_refuses_anonymous_callers(client, brand):
    assert client.get(f"{API}/brands").status_code == 401


# --- product lines -------------------------------------------------------------------------


def test_product_lines_are_listed_and_filtered_by_brand(staff_client, brand, foreign_brand):
    ProductLineFactory.create(brand=brand, name="T8")
    ProductLineFactory.create(brand=brand, name="T9")
    ProductLineFactory.create(brand=foreign_brand, name="V")
    body = staff_client.get(f"{API}/product-lines").json()
    assert (body["count"], [item["name"] for item in body["items"]]) == (2, ["T8", "T9"])
    body = staff_client.get(f"{API}/product-lines", {"brand": foreign_brand.pk}).json()
    assert body["count"] == 0


def test_a_product_line_cannot_be_added_to_another_makers_brand(staff_client, foreign_brand):
    response = staff_client.post(
        f"{API}/product-lines",
        {"brand_id": foreign_brand.pk, "name": "V"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert error_fields(response) == {"brand_id": [f"No such record: {foreign_brand.pk}."]}
    assert ProductLine.objects.count() == 0


def test_a_product_line_is_created_and_patched(staff_client, brand):
    response = staff_client.post(
        f"{API}/product-lines",
        {"brand_id": brand.pk, "name": "T8", "launched_on": "2019-06-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    line_id = response.json()["id"]
    response = staff_client.patch(
        f"{API}/product-lines/{line_id}",
        {"description": "Mid-size pickup"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": line_id,
        "brand_id": brand.pk,
        "name": "T8",
        "description": "Mid-size pickup",
        "launched_on": "2019-06-01",
    }


# --- variants ------------------------------------------------------------------------------


def variant_payload(line, **overrides):
    return {
        "product_line_id": line.pk,
        "code": "T8-DC-25D",
        "name": "T8 double cab 2.5 diesel",
        "body": "pickup_double_cab",
        "powertrain": "diesel",
        "hs_code": "87042100",
        "list_price": "118800.00",
        "list_price_currency": "CNY",
        **overrides,
    }


def test_creating_a_variant_answers_it_with_is_new_energy(staff_client, line):
    response = staff_client.post(
        f"{API}/variants",
        variant_payload(line, powertrain="bev", code="T9-EV", hs_code="87038000"),
        content_type="application/json",
    )
    assert response.status_code == 201
    variant = Variant.objects.get()
    assert response.json() == {
        "id": variant.pk,
        "brand_id": line.brand_id,
        "product_line_id": line.pk,
        "code": "T9-EV",
        "name": "T8 double cab 2.5 diesel",
        "body": "pickup_double_cab",
        "powertrain": "bev",
        "steering": "lhd",
        "emission_standard": "",
        "engine": "",
        "hs_code": "87038000",
        "list_price": "118800.0000",
        "list_price_currency": "CNY",
        "is_active": True,
        "is_new_energy": True,
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hs_code": "85044000"}, "hs_code"),
        ({"list_price": "-5"}, "list_price"),
        ({"list_price_currency": "ZZZ"}, "list_price_currency"),
        ({"powertrain": "steam"}, "powertrain"),
        ({"code": ""}, "code"),
    ],
)
def test_bad_variant_input_is_a_422_naming_the_field(staff_client, line, overrides, field):
    response = staff_client.post(
        f"{API}/variants", variant_payload(line, **overrides), content_type="application/json"
    )
    assert response.status_code == 422
    assert list(error_fields(response)) == [field]
    assert Variant.objects.count() == 0


def test_a_duplicate_variant_code_is_a_422_on_code(staff_client, line):
    VariantFactory.create(product_line=line, code="T8-DC-25D")
    response = staff_client.post(
        f"{API}/variants", variant_payload(line, code="t8-dc-25d"), content_type="application/json"
    )
    assert response.status_code == 422
    assert error_fields(response) == {
        "code": ["JAC already has a variant with the code t8-dc-25d."]
    }
    assert Variant.objects.count() == 1


def test_a_viewer_cannot_create_a_variant(viewer_client, line):
    response = viewer_client.post(
        f"{API}/variants", variant_payload(line), content_type="application/json"
    )
    assert response.status_code == 403
    assert Variant.objects.count() == 0


def test_the_variant_list_filters_by_new_energy_and_search(staff_client, line, foreign_brand):
    VariantFactory.create(product_line=line, code="T8-D", powertrain=Powertrain.DIESEL)
    VariantFactory.create(product_line=line, code="T9-EV", powertrain=Powertrain.BEV)
    VariantFactory.create(product_line=line, code="T9-PH", powertrain=Powertrain.PHEV)
    VariantFactory.create(product_line__brand=foreign_brand, code="V-EV", powertrain=Powertrain.BEV)

    def codes(**query):
        body = staff_client.get(f"{API}/variants", query).json()
        return body["count"], [item["code"] for item in body["items"]]

    assert codes() == (3, ["T8-D", "T9-EV", "T9-PH"])
    assert codes(new_energy="true") == (2, ["T9-EV", "T9-PH"])
    assert codes(new_energy="false") == (1, ["T8-D"])
    assert codes(q="t9") == (2, ["T9-EV", "T9-PH"])
    assert codes(powertrain="phev") == (1, ["T9-PH"])
    assert codes(brand=foreign_brand.pk) == (0, [])


def test_another_makers_variant_is_a_404_and_cannot_be_patched(staff_client, foreign_brand):
    variant = VariantFactory.create(product_line__brand=foreign_brand, code="V-EV")
    assert staff_client.get(f"{API}/variants/{variant.pk}").status_code == 404
    response = staff_client.patch(
        f"{API}/variants/{variant.pk}", {"name": "Taken"}, content_type="application/json"
    )
    assert response.status_code == 404
    variant.refresh_from_db()
    assert variant.name != "Taken"


def test_patching_a_variant_with_a_bad_hs_code_changes_nothing(staff_client, line):
    variant = VariantFactory.create(product_line=line, hs_code="87042100")
    response = staff_client.patch(
        f"{API}/variants/{variant.pk}", {"hs_code": "1234"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert error_fields(response) == {
        "hs_code": [
            "A vehicle's HS code starts with 8703 (passenger cars) or 8704 (goods vehicles)."
        ]
    }
    variant.refresh_from_db()
    assert variant.hs_code == "87042100"


@pytest.mark.parametrize("number", [3, 30])
def test_the_variant_list_runs_a_fixed_number_of_queries(
    staff_client, line, number, django_assert_num_queries
):
    other_line = ProductLineFactory.create(brand=line.brand, name="T9")
    for index in range(number):
        VariantFactory.create(product_line=line if index % 2 else other_line)
    with django_assert_num_queries(VARIANT_LIST_QUERIES):
        response = staff_client.get(f"{API}/variants", {"page_size": 50})
    assert response.json()["count"] == number


# --- homologations -------------------------------------------------------------------------


def test_a_right_hand_drive_variant_in_saudi_arabia_is_a_422_on_country(
    staff_client, line, saudi_arabia
):
    variant = VariantFactory.create(product_line=line, steering=SteeringSide.RIGHT)
    response = staff_client.post(
        f"{API}/homologations",
        {"variant_id": variant.pk, "country": "SA", "status": "approved"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert error_fields(response) == {
        "country": [
            "A right-hand drive variant cannot be homologated in Saudi Arabia, "
            "where traffic keeps to the right."
        ]
    }
    assert Homologation.objects.count() == 0


def test_a_right_hand_drive_variant_in_thailand_is_recorded(staff_client, line, thailand):
    variant = VariantFactory.create(product_line=line, steering=SteeringSide.RIGHT)
    response = staff_client.post(
        f"{API}/homologations",
        {
            "variant_id": variant.pk,
            "country": "th",
            "status": "approved",
            "valid_until": "2027-12-31",
            "certificate_ref": "TISI-2025-0042",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    homologation = Homologation.objects.get()
    assert response.json() == {
        "id": homologation.pk,
        "variant_id": variant.pk,
        "country": "TH",
        "status": "approved",
        "valid_until": "2027-12-31",
        "certificate_ref": "TISI-2025-0042",
    }
    response = staff_client.patch(
        f"{API}/homologations/{homologation.pk}",
        {"status": "expired"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["status"]) == (200, "expired")
    body = staff_client.get(f"{API}/homologations", {"country": "TH"}).json()
    assert (body["count"], body["items"][0]["status"]) == (1, "expired")


def test_an_unknown_country_is_a_422_on_country(staff_client, line):
    variant = VariantFactory.create(product_line=line)
    response = staff_client.post(
        f"{API}/homologations",
        {"variant_id": variant.pk, "country": "QQ"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert error_fields(response) == {"country": ["QQ is not a known country code."]}


def test_another_makers_homologations_are_invisible(staff_client, foreign_brand, thailand):
    variant = VariantFactory.create(product_line__brand=foreign_brand, steering=SteeringSide.RIGHT)
    homologation = Homologation.objects.create(variant=variant, country=thailand)
    assert staff_client.get(f"{API}/homologations").json()["count"] == 0
    assert staff_client.get(f"{API}/homologations/{homologation.pk}").status_code == 404
