"""A suspended organisation's people and tokens are refused at every door; its rows stay.

Issue 18: "a suspended organisation's people and tokens keep working". JAC is suspended
in each test; Amina is JAC's admin and, where a test says so, Nezha's viewer too.
"""

import pytest

from seabridge.accounts.choices import OrganizationStatus
from seabridge.accounts.models import ApiToken, Membership, Organization
from seabridge.accounts.selectors import ACTING_ORGANIZATION_SESSION_KEY, actor_from_membership
from seabridge.accounts.tests.conftest import make_token
from seabridge.accounts.tests.factories import MembershipFactory
from seabridge.conftest import TEST_PASSWORD
from seabridge.core.errors import OrganizationSuspended

pytestmark = pytest.mark.django_db

JAC_SUSPENDED = (
    "JAC is suspended: nobody may act for it, with a password or an API token, until it "
    "is reinstated. Its records are kept."
)
REFUSAL = {"error": {"code": "organization_suspended", "message": JAC_SUSPENDED, "fields": {}}}


def suspend(organization: Organization) -> None:
    Organization.objects.filter(pk=organization.pk).update(status=OrganizationStatus.SUSPENDED)


def rows() -> tuple:
    """What suspension must leave as it was: the organisation, its people, its tokens."""
    return (
        list(Organization.objects.order_by("pk").values_list()),
        list(Membership.objects.order_by("pk").values_list()),
        list(ApiToken.objects.order_by("pk").values_list("pk", "name", "revoked_at")),
    )


def act_for(client, membership: Membership) -> None:
    client.force_login(membership.user)
    session = client.session
    session[ACTING_ORGANIZATION_SESSION_KEY] = membership.organization_id
    session.save()


# --- sign-in -----------------------------------------------------------------------------


def test_a_person_whose_only_organisation_is_suspended_cannot_sign_in(client, people):
    suspend(people.jac)
    response = client.post("/sign-in/", {"username": "bo", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert JAC_SUSPENDED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_person_with_another_organisation_signs_in_for_that_one(client, people):
    MembershipFactory(user=people.admin.user, organization=people.nezha, role="viewer")
    suspend(people.jac)  # JAC sorts before Nezha, so it would be chosen first
    response = client.post("/sign-in/", {"username": "amina", "password": TEST_PASSWORD})
    assert response.status_code == 302
    body = client.get("/api/v1/accounts/me").json()
    assert (body["organization"]["short_name"], body["role"]) == ("Nezha", "viewer")
    assert [item["organization"]["short_name"] for item in body["memberships"]] == ["Nezha"]


# --- every request -----------------------------------------------------------------------


def test_a_session_acting_for_a_suspended_organisation_is_refused_then_moves_on(client, people):
    MembershipFactory(user=people.admin.user, organization=people.nezha, role="viewer")
    act_for(client, people.admin)
    suspend(people.jac)
    before = rows()
    response = client.post(
        f"/accounts/organizations/{people.jac.pk}/edit/",
        {"legal_name": "Renamed", "short_name": "JAC", "kind": "manufacturer"},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert JAC_SUSPENDED in html
    assert "Go on for another of your organisations" in html
    assert rows() == before
    assert ACTING_ORGANIZATION_SESSION_KEY not in client.session
    # Still signed in; the next request acts for Nezha, and JAC's pages stay closed.
    body = client.get("/api/v1/accounts/me").json()
    assert body["organization"]["short_name"] == "Nezha"
    assert client.get(f"/accounts/organizations/{people.jac.pk}/").status_code == 403


def test_an_api_call_in_a_session_acting_for_a_suspended_organisation_is_a_403(client, people):
    MembershipFactory(user=people.admin.user, organization=people.nezha, role="viewer")
    act_for(client, people.admin)
    suspend(people.jac)
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 403
    assert response.json() == REFUSAL


def test_a_signed_in_person_of_a_suspended_organisation_only_is_refused_and_signed_out(
    client, people
):
    act_for(client, people.staff)
    suspend(people.jac)
    response = client.get("/")
    assert response.status_code == 403
    html = response.content.decode()
    assert JAC_SUSPENDED in html
    assert "You have been signed out: you belong to no other organisation." in html
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"] == "/sign-in/?next=/"


def test_a_token_of_a_suspended_organisation_is_refused_and_changes_nothing(client, people):
    _token, clear_token = make_token(people.actor(people.admin))
    suspend(people.jac)
    before = rows()
    headers = {"Authorization": f"Bearer {clear_token}"}
    read = client.get("/api/v1/accounts/me", headers=headers)
    write = client.patch(
        f"/api/v1/accounts/organizations/{people.jac.pk}",
        {"legal_name": "Renamed"},
        content_type="application/json",
        headers=headers,
    )
    assert (read.status_code, read.json()) == (403, REFUSAL)
    assert (write.status_code, write.json()) == (403, REFUSAL)
    assert rows() == before


def test_no_actor_is_made_for_a_suspended_organisation(people):
    suspend(people.jac)
    membership = Membership.objects.select_related("user", "organization").get(pk=people.staff.pk)
    with pytest.raises(OrganizationSuspended) as refusal:
        actor_from_membership(membership)
    assert (refusal.value.status, refusal.value.code, refusal.value.message) == (
        403,
        "organization_suspended",
        JAC_SUSPENDED,
    )


def test_reinstating_the_organisation_opens_the_doors_again(client, people):
    _token, clear_token = make_token(people.actor(people.admin))
    suspend(people.jac)
    headers = {"Authorization": f"Bearer {clear_token}"}
    assert client.get("/api/v1/accounts/me", headers=headers).status_code == 403
    Organization.objects.filter(pk=people.jac.pk).update(status=OrganizationStatus.ACTIVE)
    assert client.get("/api/v1/accounts/me", headers=headers).status_code == 200
