"""Peers' real access bugs, replayed against Seabridge as regression tests."""

import pytest

from seabridge.catalog.models import Homologation, Variant
from seabridge.core.errors import Forbidden
from seabridge.core.scope import Action, Area, require, restrict
from seabridge.core.tests.world import World, build_world, grant


@pytest.fixture
def world(db) -> World:
    world = build_world()
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.SALES],
    )
    return world


def bearer(world: World, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.token_for(name)}"}


def test_a_partner_that_may_read_rows_may_not_update_them(world, client):
    """NetBox #22617: an import updated rows the user could only add. Every write path
    (imports included, when they come) asks ``require(..., Action.CHANGE)`` per row."""
    saudi = world.saudi_homologation
    with pytest.raises(Forbidden):
        require(world.partner_admin, saudi, Action.CHANGE)
    assert restrict(world.partner_admin, Homologation.objects.all(), Action.CHANGE).count() == 0
    response = client.patch(
        f"/api/v1/catalog/homologations/{saudi.pk}",
        {"certificate_ref": "FORGED"},
        content_type="application/json",
        headers=bearer(world, "partner_admin"),
    )
    assert response.status_code == 403
    assert Homologation.objects.get(pk=saudi.pk).certificate_ref == ""


def test_a_list_filter_cannot_widen_the_scope(world, client):
    """ERPNext #37335: a report ignored the user's restrictions when filtered."""
    response = client.get(
        f"/api/v1/catalog/variants?brand={world.nezha_brand.pk}",
        headers=bearer(world, "jac_viewer"),
    )
    assert response.json()["count"] == 0
    response = client.get(
        "/api/v1/catalog/homologations?country=OM", headers=bearer(world, "partner_viewer")
    )
    assert response.json()["count"] == 0
    response = client.get("/api/v1/catalog/homologations", headers=bearer(world, "partner_viewer"))
    assert sorted(item["country"] for item in response.json()["items"]) == ["IQ", "SA"]


def test_a_lookup_by_id_does_not_bypass_the_scope(world, client):
    """Saleor docs #1796: fetching an object by its id skipped the permission check."""
    response = client.get(
        f"/api/v1/catalog/variants/{world.nezha_variant.pk}", headers=bearer(world, "jac_admin")
    )
    assert response.status_code == 404
    oman = Homologation.objects.get(variant=world.jac_variant, country_id="OM")
    response = client.get(
        f"/api/v1/catalog/homologations/{oman.pk}", headers=bearer(world, "partner_admin")
    )
    assert response.status_code == 404
    # A foreign id in a body is answered exactly like an id that does not exist.
    foreign = client.post(
        "/api/v1/catalog/variants",
        {
            "product_line_id": world.nezha_variant.product_line_id,
            "code": "X1",
            "name": "X1",
            "body": "suv",
            "powertrain": "bev",
            "hs_code": "87038000",
        },
        content_type="application/json",
        headers=bearer(world, "jac_admin"),
    )
    missing = client.post(
        "/api/v1/catalog/variants",
        {
            "product_line_id": 999_999,
            "code": "X1",
            "name": "X1",
            "body": "suv",
            "powertrain": "bev",
            "hs_code": "87038000",
        },
        content_type="application/json",
        headers=bearer(world, "jac_admin"),
    )
    assert foreign.status_code == missing.status_code == 422
    assert foreign.json()["error"]["fields"]["product_line_id"] == [
        message.replace("999999", str(world.nezha_variant.product_line_id))
        for message in missing.json()["error"]["fields"]["product_line_id"]
    ]
    assert Variant.objects.filter(code="X1").count() == 0


def test_a_filter_on_a_related_field_reveals_no_foreign_rows(world, client):
    """NetBox #21988: filtering by a related object's attribute listed rows of other tenants."""
    response = client.get(
        "/api/v1/catalog/variants?q=V-BEV", headers=bearer(world, "partner_viewer")
    )
    assert response.json()["count"] == 0
    response = client.get(
        f"/api/v1/agreements/?grantee={world.partner.pk}", headers=bearer(world, "nezha_admin")
    )
    assert response.json()["count"] == 0
    response = client.get("/api/v1/catalog/product-lines?q=V", headers=bearer(world, "jac_viewer"))
    assert [item["name"] for item in response.json()["items"]] == []


def test_every_rule_joins_one_row_to_at_most_one_and_restrict_needs_no_distinct(world):
    """A scoped list counts its rows without DISTINCT (COUNT over SELECT DISTINCT of every
    column read and sorted 1,000,000 vehicles per page): rules may only follow
    to-one relations, and a rule through a to-many relation is refused when declared."""
    from django.core.exceptions import ImproperlyConfigured

    from seabridge.agreements.models import Agreement
    from seabridge.core.scope import ScopeRule, register, registered_models
    from seabridge.vehicles.models import Vehicle

    assert len(registered_models()) == 16
    query = str(restrict(world.partner_admin, Vehicle.objects.all()).query)
    assert "DISTINCT" not in query.upper()
    assert restrict(world.partner_admin, Homologation.objects.all()).count() == 2

    with pytest.raises(ImproperlyConfigured) as refused:
        register(Agreement, ScopeRule(area=Area.SALES, brand="scope_entries__brand"))
    assert str(refused.value) == (
        "Agreement: scope path 'scope_entries__brand' crosses the to-many relation 'scope_entries'."
    )
    assert Agreement not in registered_models()
