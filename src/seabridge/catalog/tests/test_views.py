import re

import pytest

from seabridge.catalog.choices import Powertrain, SteeringSide
from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
from seabridge.catalog.tests.factories import BrandFactory, ProductLineFactory, VariantFactory

pytestmark = pytest.mark.django_db

# Session, user, membership (the actor), the agreement grants (the scope module), the count
# and the page's rows: fixed, whatever the page's length.
VARIANT_LIST_FRAGMENT_QUERIES = 6


@pytest.fixture
def staff_client(client, staff_membership):
    client.force_login(staff_membership.user)
    return client


@pytest.fixture
def viewer_client(client, viewer_membership):
    client.force_login(viewer_membership.user)
    return client


def assert_csp_clean(html):
    """No inline styles or scripts: the CSP allows only our own files."""
    assert "style=" not in html
    assert "<style" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert re.search(r"\son[a-z]+=", html) is None


def test_catalog_pages_need_a_signed_in_person(client, brand):
    response = client.get("/catalog/")
    assert (response.status_code, response["Location"]) == (302, "/sign-in/?next=/catalog/")


def test_the_brand_list_shows_own_brands_only(staff_client, brand, foreign_brand):
    BrandFactory.create(name="Sunray", owner=brand.owner)
    response = staff_client.get("/catalog/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="/catalog/brands/{brand.pk}/">JAC</a>' in html
    assert "Sunray" in html
    assert "Nezha" not in html
    assert response.context["page"]["count"] == 2
    assert "2 records" in html
    assert '<a class="btn btn-primary btn-sm" href="/catalog/brands/new/">New brand</a>' in html
    assert_csp_clean(html)


def test_the_brand_list_filters_by_htmx_into_results(staff_client, brand):
    BrandFactory.create(name="Sunray", owner=brand.owner)
    response = staff_client.get("/catalog/", {"q": "sun"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Sunray" in html
    assert ">JAC</a>" not in html
    assert "1 record" in html


def test_another_makers_pages_are_404(staff_client, foreign_brand):
    line = ProductLineFactory.create(brand=foreign_brand, name="V")
    variant = VariantFactory.create(product_line=line)
    for path in (
        f"/catalog/brands/{foreign_brand.pk}/",
        f"/catalog/brands/{foreign_brand.pk}/edit/",
        f"/catalog/brands/{foreign_brand.pk}/product-lines/new/",
        f"/catalog/product-lines/{line.pk}/",
        f"/catalog/variants/{variant.pk}/",
        f"/catalog/variants/{variant.pk}/edit/",
        f"/catalog/variants/{variant.pk}/homologations/new/",
    ):
        assert staff_client.get(path).status_code == 404, path


def test_the_brand_detail_lists_its_product_lines(staff_client, brand):
    ProductLineFactory.create(brand=brand, name="T8")
    ProductLineFactory.create(brand=brand, name="T9")
    html = staff_client.get(f"/catalog/brands/{brand.pk}/").content.decode()
    assert re.findall(r'href="/catalog/product-lines/\d+/">(\w+)</a>', html) == ["T8", "T9"]
    assert f'href="/catalog/brands/{brand.pk}/edit/"' in html
    assert_csp_clean(html)


def test_a_viewer_sees_but_is_not_offered_edits(viewer_client, brand):
    response = viewer_client.get(f"/catalog/brands/{brand.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/catalog/brands/{brand.pk}/edit/" not in html
    assert "/catalog/brands/new/" not in viewer_client.get("/catalog/").content.decode()


def test_a_viewer_cannot_create_or_edit(viewer_client, brand, line):
    assert viewer_client.get("/catalog/brands/new/").status_code == 403
    assert viewer_client.post("/catalog/brands/new/", {"name": "Another"}).status_code == 403
    assert viewer_client.post(f"/catalog/brands/{brand.pk}/edit/", {"name": "X"}).status_code == 403
    assert viewer_client.get("/catalog/variants/new/").status_code == 403
    assert (
        viewer_client.post(f"/catalog/brands/{brand.pk}/product-lines/new/", {"name": "T9"})
    ).status_code == 403
    assert (Brand.objects.count(), ProductLine.objects.count(), Variant.objects.count()) == (
        1,
        1,
        0,
    )
    brand.refresh_from_db()
    assert brand.name == "JAC"


def test_the_brand_form_is_labelled_and_creates_a_brand(staff_client, maker):
    html = staff_client.get("/catalog/brands/new/").content.decode()
    assert '<label for="id_name" class="form-label">Name</label>' in html
    assert_csp_clean(html)
    response = staff_client.post("/catalog/brands/new/", {"name": "Zhengzhou Nissan"})
    brand = Brand.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/catalog/brands/{brand.pk}/")
    assert brand.owner_id == maker.pk


def test_a_duplicate_brand_name_shows_on_the_name_field(staff_client, brand):
    response = staff_client.post("/catalog/brands/new/", {"name": "jac"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["A brand named jac already exists."]}
    assert Brand.objects.count() == 1


def test_a_variant_is_created_from_its_product_line(staff_client, line):
    html = staff_client.get(f"/catalog/variants/new/?product_line={line.pk}").content.decode()
    assert f'<option value="{line.pk}" selected>JAC T8</option>' in html
    for name in ("product_line", "code", "body", "powertrain", "steering", "hs_code"):
        assert f'for="id_{name}"' in html
    response = staff_client.post(
        "/catalog/variants/new/",
        {
            "product_line": line.pk,
            "code": "T8-DC-25D",
            "name": "T8 double cab",
            "body": "pickup_double_cab",
            "powertrain": "diesel",
            "steering": "lhd",
            "hs_code": "87042100",
            "list_price": "118800",
            "list_price_currency": "CNY",
            "is_active": "on",
        },
    )
    variant = Variant.objects.get()
    assert response["Location"] == f"/catalog/variants/{variant.pk}/"
    assert (variant.brand_id, variant.code) == (line.brand_id, "T8-DC-25D")


def test_the_variant_list_filters_new_energy_into_results(staff_client, line, foreign_brand):
    VariantFactory.create(product_line=line, code="T8-D", powertrain=Powertrain.DIESEL)
    VariantFactory.create(product_line=line, code="T9-EV", powertrain=Powertrain.BEV)
    VariantFactory.create(product_line__brand=foreign_brand, code="V-EV", powertrain=Powertrain.BEV)
    page = staff_client.get("/catalog/variants/")
    html = page.content.decode()
    assert 'hx-target="#results"' in html
    assert '<label for="variant-new-energy" class="form-label">Energy</label>' in html
    assert page.context["page"]["count"] == 2
    assert "V-EV" not in html
    assert_csp_clean(html)
    fragment = staff_client.get(
        "/catalog/variants/", {"new_energy": "true"}, headers={"HX-Request": "true"}
    )
    html = fragment.content.decode()
    assert "<html" not in html
    assert re.findall(r'href="/catalog/variants/\d+/">([\w-]+)</a>', html) == ["T9-EV"]


def test_a_bad_filter_value_lists_nothing_and_names_the_field(staff_client, line):
    VariantFactory.create(product_line=line)
    response = staff_client.get("/catalog/variants/", {"powertrain": "steam"})
    assert response.context["page"]["count"] == 0
    assert list(response.context["filter_errors"]) == ["powertrain"]


@pytest.mark.parametrize("number", [3, 30])
def test_the_variant_list_fragment_runs_a_fixed_number_of_queries(
    staff_client, line, number, django_assert_num_queries
):
    for _index in range(number):
        VariantFactory.create(product_line=line)
    with django_assert_num_queries(VARIANT_LIST_FRAGMENT_QUERIES):
        response = staff_client.get("/catalog/variants/", headers={"HX-Request": "true"})
    assert response.context["page"]["count"] == number


def test_the_variant_list_paginates(staff_client, line):
    for _index in range(55):
        VariantFactory.create(product_line=line)
    html = staff_client.get("/catalog/variants/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in html
    assert len(re.findall(r'href="/catalog/variants/\d+/"', html)) == 5


def test_a_homologation_refused_for_the_drive_side_shows_on_country(
    staff_client, line, saudi_arabia
):
    variant = VariantFactory.create(product_line=line, steering=SteeringSide.RIGHT)
    response = staff_client.post(
        f"/catalog/variants/{variant.pk}/homologations/new/",
        {"country": "SA", "status": "approved"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "country": [
            "A right-hand drive variant cannot be homologated in Saudi Arabia, "
            "where traffic keeps to the right."
        ]
    }
    assert Homologation.objects.count() == 0


def test_a_homologation_is_recorded_and_shown_on_the_variant(staff_client, line, thailand):
    variant = VariantFactory.create(product_line=line, steering=SteeringSide.RIGHT)
    response = staff_client.post(
        f"/catalog/variants/{variant.pk}/homologations/new/",
        {"country": "TH", "status": "approved", "certificate_ref": "TISI-1"},
    )
    assert response["Location"] == f"/catalog/variants/{variant.pk}/"
    homologation = Homologation.objects.get()
    html = staff_client.get(f"/catalog/variants/{variant.pk}/").content.decode()
    assert "<td>Thailand</td>" in html
    assert "TISI-1" in html
    assert f"/catalog/homologations/{homologation.pk}/edit/" in html
    assert_csp_clean(html)
    response = staff_client.post(
        f"/catalog/homologations/{homologation.pk}/edit/",
        {"country": "SA", "status": "expired", "certificate_ref": "TISI-1"},
    )
    assert response.status_code == 302
    homologation.refresh_from_db()
    assert (homologation.country_id, homologation.status) == ("TH", "expired")
