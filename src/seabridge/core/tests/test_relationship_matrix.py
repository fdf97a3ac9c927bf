"""Every write × every relationship to the row: the exact answer, and no change when denied.

The cases are in core/tests/relationships.py. Each test builds the world once and
tries its write as each caller inside a savepoint that is rolled back, so every
caller meets the rows in the same state.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from seabridge.core.tests import relationships as matrix
from seabridge.core.tests.test_authorization_matrix import API_OPERATIONS, snapshot

ERROR_CODES = {403: "forbidden", 404: "not_found", 409: "conflict", 422: "validation_error"}


def _case_id(case: matrix.Case) -> str:
    return f"{case.operation} ({case.label})" if case.label else case.operation


@pytest.mark.parametrize("case", matrix.CASES, ids=_case_id)
def test_a_write_is_allowed_by_the_relationship_to_the_row(client, db, case):
    world, rows = matrix.build()
    tokens = {caller: world.token_for(matrix.ACTING_AS[caller]) for caller in matrix.CALLERS}
    method = case.operation.split(" ", 1)[0]
    answered = {}
    for caller in matrix.CALLERS:
        with transaction.atomic():
            if case.setup:
                case.setup(world, rows)
            before = snapshot()
            body = case.body(world, rows) if case.body else None
            response = client.generic(
                method,
                case.url(world, rows),
                data=b"" if body is None else json.dumps(body),
                content_type="application/json",
                headers={"Authorization": f"Bearer {tokens[caller]}"},
            )
            answered[caller] = response.status_code
            if response.status_code >= 400:
                assert response.json()["error"]["code"] == ERROR_CODES[response.status_code]
                assert snapshot() == before, f"{caller}'s refused write changed the database"
            transaction.set_rollback(True)
    assert answered == case.expect


def test_every_write_operation_is_in_the_relationship_matrix_or_exempt_with_a_reason():
    writes = {operation for operation in API_OPERATIONS if not operation.startswith("GET ")}
    covered = {case.operation for case in matrix.CASES} | set(matrix.EXEMPT)
    assert sorted(writes - covered) == []
    assert sorted(covered - writes) == [], "cases for operations that no longer exist"
    assert all(reason.strip() for reason in matrix.EXEMPT.values())


def test_a_sales_customer_and_price_are_shown_to_who_recorded_them_and_the_brand_owner(client, db):
    world, rows = matrix.build()
    seen = {}
    for caller in ("owner", "market_partner", "buyer", "holder", "competitor"):
        token = world.token_for(matrix.ACTING_AS[caller])
        response = client.get(
            f"/api/v1/vehicles/{matrix.SOLD_VIN}/events",
            headers={"Authorization": f"Bearer {token}"},
        )
        (sale,) = [event for event in response.json() if event["type"] == "retailed"]
        detail = client.get(
            f"/api/v1/vehicles/{matrix.SOLD_VIN}", headers={"Authorization": f"Bearer {token}"}
        ).json()
        seen[caller] = (sale["customer"], sale["price"], sale["currency"], detail["customer_id"])
    customer_id = rows.vehicles["sold"].customer_id
    recorded = ("Chidi Okafor", "24500000.0000", "NGN", customer_id)
    withheld = (None, None, "", None)
    assert seen == {
        "owner": recorded,
        "market_partner": withheld,
        "buyer": withheld,
        "holder": recorded,
        "competitor": withheld,
    }


def test_only_counterparties_are_offered_and_accepted_as_buyers(client, db):
    world, _rows = matrix.build()
    client.force_login(world.jac_admin.user)
    session = client.session
    session["acting_organization_id"] = world.jac.pk
    session.save()
    page = client.get("/trade/orders/new/").content.decode()
    offered = {
        name for name in ("Lagos Auto", "Ikeja Motors", "Zhongjiang", "Nezha") if name in page
    }
    assert offered == {"Lagos Auto", "Ikeja Motors", "Zhongjiang"}
    token = world.token_for("jac_admin")
    before = snapshot()
    body = matrix._new_order_body(world, _rows) | {"buyer_id": world.nezha.pk}
    response = client.post(
        "/api/v1/trade/orders",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (response.status_code, response.json()["error"]["fields"]) == (
        422,
        {"buyer_id": ["There is no such organisation."]},
    )
    assert snapshot() == before


def test_a_draft_sub_grant_cannot_be_widened_past_its_parent_by_an_edit(client, db):
    from seabridge.agreements.models import Agreement
    from seabridge.core.scope import Area
    from seabridge.core.tests.world import grant

    world, _rows = matrix.build()
    parent = Agreement.objects.get(grantee=world.__dict__["importer"])
    draft = grant(
        by=world.importer_admin,
        to=world.__dict__["ikeja"],
        brands=[world.jac_brand],
        countries=["NG"],
        areas=[Area.SALES],
        parent=parent,
        effective_to=parent.effective_to,
        activate=False,
    )
    token = world.token_for("importer_admin")
    before = snapshot()
    response = client.patch(
        f"/api/v1/agreements/{draft.pk}",
        json.dumps({"effective_to": None}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (response.status_code, response.json()["error"]["fields"]) == (
        422,
        {"effective_to": ["A sub-grant must lie within the granting agreement's period."]},
    )
    assert snapshot() == before
