"""Every endpoint and page × every kind of caller: the exact answer, and no change when denied."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from seabridge.accounts.choices import ROLE_RANK, Role
from seabridge.core.choices import JobStatus
from seabridge.core.models import Job
from seabridge.core.scope import Area
from seabridge.core.tests import authorization as matrix
from seabridge.core.tests.world import World, add_steward, build_world, grant

matrix.load_exemptions()
matrix.merge_app_policies()  # apps whose access module was mid-import at first merge
API_OPERATIONS = matrix.api_operations()
PAGE_ROUTES = matrix.page_routes()
PAGE_CASES = sorted(key for key in matrix.PAGES if key.split(" ", 1)[1] in PAGE_ROUTES)


@pytest.fixture
def world(db) -> World:
    world = build_world()
    add_steward(world)
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.SALES],
    )
    from datetime import date

    from seabridge.agreements import services

    world.agreement = services.agreement_create(
        actor=world.jac_admin,
        kind="memorandum",
        grantee=world.partner,
        title="Memorandum under test",
        effective_from=date(2025, 4, 22),
        effective_to=date(2027, 12, 31),
        scope=services.ScopeInput(
            brands=[world.jac_brand.pk], countries=["SA", "IQ", "NG"], areas=["sales", "marketing"]
        ),
    )
    for extend in matrix.WORLD_EXTENSIONS:
        extend(world)
    world.job = Job.objects.create(
        kind="tests.matrix", created_by=world.jac_viewer.user, status=JobStatus.SUCCEEDED
    )
    return world


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of our apps' tables (token use times aside), to prove a refusal wrote nothing."""
    state = {}
    for model in matrix.our_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if field.attname != "last_used_at"
        ]
        state[model._meta.label] = sorted(model._default_manager.values_list(*fields), key=repr)
    return state


def expected_status(policy: matrix.Policy, caller: str, *, page: bool) -> int:
    if caller in policy.expect:
        return policy.expect[caller]
    # The steward's organisation is foreign with no agreement, like Nezha: outside
    # reference data it answers as Nezha's admin does unless the policy names it.
    foreign_like_nezha = caller == "steward" and policy.access is not matrix.Access.STEWARD
    if foreign_like_nezha and "nezha_admin" in policy.expect:
        return policy.expect["nezha_admin"]
    if policy.access is matrix.Access.PUBLIC:
        return policy.success
    if caller == "anonymous":
        return 302 if page else 401
    if policy.access in (matrix.Access.SIGNED_IN, matrix.Access.SCOPED_LIST):
        return policy.success
    if caller == "lonely":
        return 404
    if policy.access is matrix.Access.STEWARD:
        return policy.success if caller == "steward" else 403
    if policy.access is matrix.Access.MEMBER:
        role = matrix.OWN_ROLES.get(caller)
        admin = caller.endswith("admin") or caller == "steward"
        member_role = role or (Role.ADMIN if admin else Role.VIEWER)
        return policy.success if ROLE_RANK[member_role] >= ROLE_RANK[policy.role] else 403
    # SCOPED: only JAC's members see the row; the role decides what they may do.
    role = matrix.OWN_ROLES.get(caller)
    if role is None:
        return 404
    return policy.success if ROLE_RANK[role] >= ROLE_RANK[policy.role] else 403


def _sign_in(client, world: World, caller: str) -> dict[str, str]:
    if caller == "anonymous":
        return {}
    if caller == "lonely":
        client.force_login(world.lonely)
        return {}
    actor = world.actors[caller]
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()
    return {"Authorization": f"Bearer {world.token_for(caller)}"}


def _fill(template: str, world: World, policy: matrix.Policy) -> str:
    overrides = policy.params(world) if policy.params else {}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(overrides[name] if name in overrides else matrix.PARAMETERS[name](world))

    return re.sub(r"{(\w+)}", value, template)


@pytest.mark.parametrize("caller", matrix.CALLERS)
@pytest.mark.parametrize("operation", [op for op in API_OPERATIONS if op in matrix.API])
def test_api_matrix(client, world, operation, caller):
    policy = matrix.API[operation]
    method, template = operation.split(" ", 1)
    if policy.setup:
        policy.setup(world)
    url = _fill(template, world, policy)
    headers = _sign_in(client, world, caller)
    if caller == "lonely":
        headers = {}
    before = snapshot()
    body = policy.body(world) if policy.body else None
    query = "&".join(
        f"{key}={value}" for key, value in (policy.query(world) if policy.query else {}).items()
    )
    if policy.format == "multipart":
        response = client.post(url, data=body or {}, headers=headers, QUERY_STRING=query)
    else:
        response = client.generic(
            method,
            url,
            data=b"" if body is None else json.dumps(body),
            content_type="application/json",
            headers=headers,
            QUERY_STRING=query,
        )
    expected = expected_status(policy, caller, page=False)
    assert response.status_code == expected, (operation, caller, response.content[:300])
    if expected >= 400:
        assert (
            response.json()["error"]["code"]
            == {
                401: "not_authenticated",
                403: "forbidden",
                404: "not_found",
                422: "validation_error",
            }[expected]
        )
        assert snapshot() == before, "a refused request changed the database"
    if policy.own_ids and expected == 200:
        listed = {item[policy.id_key] for item in response.json()["items"]}
        own = policy.own_ids(world)
        sees_own = caller in matrix.OWN_ROLES or policy.expect.get(caller) == 200
        assert (own <= listed) if sees_own else not (own & listed), (operation, caller)


@pytest.mark.parametrize("caller", matrix.CALLERS)
@pytest.mark.parametrize("page", PAGE_CASES)
def test_page_matrix(client, world, page, caller):
    policy = matrix.PAGES[page]
    method, name = page.split(" ", 1)
    if policy.setup:
        policy.setup(world)
    kwargs = (
        policy.params(world)
        if policy.params
        else {
            parameter: matrix.PAGE_PARAMETERS[parameter](world) for parameter in PAGE_ROUTES[name]
        }
    )
    url = reverse(name, kwargs=kwargs)
    _sign_in(client, world, caller)
    before = snapshot()
    query = policy.query(world) if policy.query else {}
    if method == "GET":
        response = client.get(url, query)
    else:
        response = client.post(url, policy.body(world) if policy.body else {})
    expected = expected_status(policy, caller, page=True)
    assert response.status_code == expected, (page, caller)
    if caller == "anonymous" and expected == 302 and policy.access is not matrix.Access.PUBLIC:
        assert response["Location"].startswith("/sign-in/?next=")
    if expected >= 400 or (caller == "anonymous" and policy.access is not matrix.Access.PUBLIC):
        assert snapshot() == before, "a refused request changed the database"
    if policy.writers is not None and caller not in policy.writers:
        assert snapshot() == before, "a refused request changed the database"
    if policy.own_ids and expected == 200:
        html = response.content.decode()
        own = policy.own_ids(world)
        sees_own = caller in matrix.OWN_ROLES or policy.expect.get(caller) == 200
        assert (
            all(str(marker) in html for marker in own)
            if sees_own
            else not any(str(marker) in html for marker in own)
        ), (page, caller)


def test_every_api_operation_is_in_the_matrix():
    assert matrix.uncovered(API_OPERATIONS, matrix.API) == []
    assert matrix.uncovered(matrix.API, API_OPERATIONS) == [], (
        "policies for endpoints that no longer exist"
    )


def test_every_page_is_in_the_matrix():
    pages = [f"{'POST' if key in POST_ONLY else 'GET'} {key}" for key in PAGE_ROUTES]
    assert matrix.uncovered(pages, matrix.PAGES) == []


POST_ONLY = {
    name for key in matrix.PAGES for method, name in [key.split(" ", 1)] if method == "POST"
}


def test_every_path_parameter_has_an_own_scope_row():
    parameters = {name for template in API_OPERATIONS for name in re.findall(r"{(\w+)}", template)}
    assert sorted(parameters - set(matrix.PARAMETERS)) == []
    missing = [
        key
        for key, policy in matrix.PAGES.items()
        if policy.params is None
        and set(PAGE_ROUTES.get(key.split(" ", 1)[1], ())) - set(matrix.PAGE_PARAMETERS)
    ]
    assert missing == []


def test_the_meta_test_reports_an_endpoint_missing_from_the_matrix():
    assert matrix.uncovered([*API_OPERATIONS, "GET /api/v1/secret-report"], matrix.API) == [
        "GET /api/v1/secret-report"
    ]


def test_every_route_of_our_apps_has_a_name():
    assert matrix.unnamed_routes() == []


def test_every_model_with_brand_or_market_fields_is_registered_with_the_scope():
    assert matrix.scoped_model_problems(matrix.our_models()) == []


@isolate_apps("seabridge.core")
def test_the_meta_test_fails_on_an_unregistered_scoped_model():
    class SecretReport(models.Model):
        brand = models.ForeignKey("catalog.Brand", on_delete=models.CASCADE)
        market = models.CharField(max_length=2)

        class Meta:
            app_label = "core"

    class Note(models.Model):
        text = models.TextField()

        class Meta:
            app_label = "core"

    class Visit(models.Model):
        dealer = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE)

        class Meta:
            app_label = "core"

    assert matrix.scoped_model_problems([SecretReport, Note, Visit]) == [
        "core.SecretReport",
        "core.Visit",
    ]
