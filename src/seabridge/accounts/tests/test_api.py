from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from seabridge.accounts.models import ApiToken, Membership
from seabridge.accounts.tests.conftest import make_token
from seabridge.accounts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED = {
    "error": {
        "code": "not_authenticated",
        "message": "Sign in or send a valid API token.",
        "fields": {},
    }
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- token authentication ------------------------------------------------------------


def test_a_token_acts_for_its_own_membership(client, people):
    # Amina also works for Nezha, which a session would pick first; the token says JAC.
    MembershipFactory(user=people.admin.user, organization=people.nezha, role="viewer")
    token, clear_token = make_token(people.actor(people.admin))
    response = client.get("/api/v1/accounts/me", headers=bearer(clear_token))
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {
        "id": people.admin.user_id,
        "username": "amina",
        "email": "amina@example.com",
        "full_name": "Amina",
    }
    assert body["organization"] == {
        "id": people.jac.pk,
        "short_name": "JAC",
        "kind": "manufacturer",
    }
    assert body["role"] == "admin"
    assert [(item["organization"]["short_name"], item["role"]) for item in body["memberships"]] == [
        ("JAC", "admin"),
        ("Nezha", "viewer"),
    ]
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_an_expired_token_is_refused(client, people):
    token, clear_token = make_token(people.actor(people.admin))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/accounts/me", headers=bearer(clear_token))
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


def test_a_revoked_token_is_refused(client, people):
    token, clear_token = make_token(people.actor(people.admin))
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    response = client.get("/api/v1/accounts/me", headers=bearer(clear_token))
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


@pytest.mark.parametrize("clear_token", ["sbk_unknown-token-value", "not-even-our-prefix"])
def test_an_unknown_token_is_refused(client, people, clear_token):
    make_token(people.actor(people.admin))
    response = client.get("/api/v1/accounts/me", headers=bearer(clear_token))
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


def test_a_token_of_a_deactivated_person_is_refused(client, people):
    _token, clear_token = make_token(people.actor(people.admin))
    people.admin.user.is_active = False
    people.admin.user.save()
    assert client.get("/api/v1/accounts/me", headers=bearer(clear_token)).status_code == 401


def test_a_session_me_answers_the_acting_organisation(client, people):
    client.force_login(people.viewer.user)
    body = client.get("/api/v1/accounts/me").json()
    assert (body["organization"]["short_name"], body["role"]) == ("JAC", "viewer")


# --- organisations -------------------------------------------------------------------


def test_organisations_list_only_the_callers_own_with_a_fixed_query_count(
    client, people, django_assert_num_queries
):
    MembershipFactory(user=people.admin.user, organization=people.nezha, role="viewer")
    client.force_login(people.admin.user)
    # session, user, acting membership, count, page
    with django_assert_num_queries(5):
        response = client.get("/api/v1/accounts/organizations")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (2, 1, 50, 1)
    assert body["items"][0] == {
        "id": people.jac.pk,
        "kind": "manufacturer",
        "legal_name": "Anhui Jianghuai Automobile Group Co., Ltd.",
        "short_name": "JAC",
        "home_country": "CN",
        "languages": ["zh-hans", "en"],
        "status": "active",
        "founded_year": None,
        "description": "",
        "created_at": body["items"][0]["created_at"],
        "updated_at": body["items"][0]["updated_at"],
    }
    assert [item["short_name"] for item in body["items"]] == ["JAC", "Nezha"]
    filtered = client.get("/api/v1/accounts/organizations?q=hozon").json()
    assert [item["short_name"] for item in filtered["items"]] == ["Nezha"]


def test_a_bad_filter_value_is_a_422_naming_it(client, people):
    client.force_login(people.admin.user)
    response = client.get("/api/v1/accounts/organizations?kind=spaceship")
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["kind"]


def test_a_token_sees_only_its_organisation(client, people):
    MembershipFactory(user=people.admin.user, organization=people.nezha, role="viewer")
    _token, clear_token = make_token(people.actor(people.admin))
    body = client.get("/api/v1/accounts/organizations", headers=bearer(clear_token)).json()
    assert [item["short_name"] for item in body["items"]] == ["JAC"]
    response = client.get(
        f"/api/v1/accounts/organizations/{people.nezha.pk}", headers=bearer(clear_token)
    )
    assert response.status_code == 404


def test_a_superuser_sees_every_organisation(client, people, superuser):
    client.force_login(superuser)
    body = client.get("/api/v1/accounts/organizations").json()
    assert [item["short_name"] for item in body["items"]] == ["JAC", "Nezha"]


def test_another_organisation_is_not_found(client, people):
    client.force_login(people.admin.user)
    response = client.get(f"/api/v1/accounts/organizations/{people.nezha.pk}")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "fields": {}}
    }
    patch = client.patch(
        f"/api/v1/accounts/organizations/{people.nezha.pk}",
        {"legal_name": "Taken"},
        content_type="application/json",
    )
    assert patch.status_code == 404
    people.nezha.refresh_from_db()
    assert people.nezha.legal_name == "Hozon New Energy Automobile Co., Ltd."


def test_an_admin_patches_the_organisation(client, people):
    client.force_login(people.admin.user)
    response = client.patch(
        f"/api/v1/accounts/organizations/{people.jac.pk}",
        {"short_name": "JAC Motors", "languages": ["en", "ar"], "founded_year": 1964},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["short_name"], body["languages"], body["founded_year"]) == (
        "JAC Motors",
        ["en", "ar"],
        1964,
    )
    people.jac.refresh_from_db()
    assert people.jac.short_name == "JAC Motors"


def test_a_viewers_patch_is_refused_and_nothing_changes(client, people):
    _token, clear_token = make_token(people.actor(people.viewer))
    response = client.patch(
        f"/api/v1/accounts/organizations/{people.jac.pk}",
        {"legal_name": "Taken over"},
        content_type="application/json",
        headers=bearer(clear_token),
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "forbidden", "message": "This needs the Admin role in JAC.", "fields": {}}
    }
    people.jac.refresh_from_db()
    assert people.jac.legal_name == "Anhui Jianghuai Automobile Group Co., Ltd."


def test_a_bad_country_in_a_patch_is_a_422_naming_it(client, people):
    client.force_login(people.admin.user)
    response = client.patch(
        f"/api/v1/accounts/organizations/{people.jac.pk}",
        {"home_country": "ZZ"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "home_country": ["“ZZ” is not a known country code."]
    }


# --- members -------------------------------------------------------------------------


def test_members_are_listed_with_a_fixed_query_count(client, people, django_assert_num_queries):
    _token, clear_token = make_token(people.actor(people.viewer))
    client.get("/api/v1/accounts/me", headers=bearer(clear_token))  # stamps last use once
    # token, organisation, count, page (people joined)
    with django_assert_num_queries(4):
        response = client.get(
            f"/api/v1/accounts/organizations/{people.jac.pk}/members", headers=bearer(clear_token)
        )
    body = response.json()
    assert body["count"] == 3
    assert [(item["user"]["username"], item["role"]) for item in body["items"]] == [
        ("amina", "admin"),
        ("bo", "staff"),
        ("chen", "viewer"),
    ]
    only_admins = client.get(
        f"/api/v1/accounts/organizations/{people.jac.pk}/members?role=admin",
        headers=bearer(clear_token),
    ).json()
    assert [item["user"]["username"] for item in only_admins["items"]] == ["amina"]


def test_a_member_cannot_raise_their_own_role(client, people):
    _token, clear_token = make_token(people.actor(people.staff))
    response = client.patch(
        f"/api/v1/accounts/organizations/{people.jac.pk}/members/{people.staff.pk}",
        {"role": "admin"},
        content_type="application/json",
        headers=bearer(clear_token),
    )
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "forbidden",
        "message": "Nobody changes their own role; ask another admin.",
        "fields": {"role": ["Nobody changes their own role; ask another admin."]},
    }
    assert Membership.objects.get(pk=people.staff.pk).role == "staff"


def test_an_admin_changes_a_role_and_removes_a_member(client, people):
    client.force_login(people.admin.user)
    base = f"/api/v1/accounts/organizations/{people.jac.pk}/members"
    response = client.patch(
        f"{base}/{people.viewer.pk}", {"role": "manager"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["role"]) == (people.viewer.pk, "manager")
    assert Membership.objects.get(pk=people.viewer.pk).role == "manager"
    deleted = client.delete(f"{base}/{people.staff.pk}")
    assert deleted.status_code == 204
    assert not Membership.objects.filter(pk=people.staff.pk).exists()


def test_the_last_admin_cannot_be_removed(client, people):
    client.force_login(people.admin.user)
    response = client.delete(
        f"/api/v1/accounts/organizations/{people.jac.pk}/members/{people.admin.pk}"
    )
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "JAC needs at least one admin."
    assert Membership.objects.filter(pk=people.admin.pk).exists()


def test_a_member_of_another_organisation_is_not_found(client, people):
    client.force_login(people.admin.user)
    response = client.delete(
        f"/api/v1/accounts/organizations/{people.jac.pk}/members/{people.nezha_admin.pk}"
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=people.nezha_admin.pk).exists()


def test_an_admin_invites_a_new_person(client, people, django_capture_on_commit_callbacks):
    client.force_login(people.admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/accounts/organizations/{people.jac.pk}/members",
            {"email": "ewa@example.com", "role": "staff"},
            content_type="application/json",
        )
    assert response.status_code == 201
    body = response.json()
    assert (body["user"]["username"], body["organization_id"], body["role"]) == (
        "ewa@example.com",
        people.jac.pk,
        "staff",
    )
    assert [message.to for message in mail.outbox] == [["ewa@example.com"]]
    assert "http://testserver/accounts/set-password/" in mail.outbox[0].body


def test_inviting_a_member_again_is_a_409(client, people):
    client.force_login(people.admin.user)
    response = client.post(
        f"/api/v1/accounts/organizations/{people.jac.pk}/members",
        {"email": "chen@example.com", "role": "admin"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {"email": ["This person is already a member."]}
    assert Membership.objects.get(pk=people.viewer.pk).role == "viewer"


# --- tokens --------------------------------------------------------------------------


def test_a_token_is_created_answered_once_then_listed_and_revoked(client, people):
    client.force_login(people.staff.user)
    expires_at = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "Stock export", "expires_at": expires_at.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201
    created = response.json()
    clear_token = created["token"]
    assert clear_token.startswith("sbk_")
    assert (created["name"], created["key_prefix"], created["role"], created["is_usable"]) == (
        "Stock export",
        clear_token[:12],
        "staff",
        True,
    )
    assert created["organization"]["short_name"] == "JAC"
    assert not ApiToken.objects.filter(digest=clear_token).exists()

    listed = client.get("/api/v1/accounts/tokens").json()
    assert [item["name"] for item in listed["items"]] == ["Stock export"]
    assert "token" not in listed["items"][0]
    assert client.get("/api/v1/accounts/me", headers=bearer(clear_token)).status_code == 200

    revoked = client.post(f"/api/v1/accounts/tokens/{created['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["is_usable"] is False
    client.logout()
    assert client.get("/api/v1/accounts/me", headers=bearer(clear_token)).status_code == 401


def test_tokens_list_with_a_fixed_query_count(client, people, django_assert_num_queries):
    for number in range(3):
        make_token(people.actor(people.staff), name=f"Token {number}")
    client.force_login(people.staff.user)
    # session, user, acting membership, count, page (organisations joined)
    with django_assert_num_queries(5):
        body = client.get("/api/v1/accounts/tokens").json()
    assert [item["name"] for item in body["items"]] == ["Token 2", "Token 1", "Token 0"]


def test_another_persons_token_cannot_be_revoked(client, people):
    token, _clear_token = make_token(people.actor(people.staff))
    client.force_login(people.admin.user)
    response = client.post(f"/api/v1/accounts/tokens/{token.pk}/revoke")
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_an_expiry_in_the_past_is_a_422_naming_it(client, people):
    client.force_login(people.staff.user)
    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "Old", "expires_at": "2001-01-01T00:00:00Z"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "expires_at": ["The expiry must be in the future."]
    }
    assert ApiToken.objects.count() == 0
