"""Failed sign-ins and API tokens are limited, the lock holds against the right secret,
an administrator can lift it, and every failure is in the audit trail.

Issue 18: "thirty wrong passwords in a row are answered without delay, and the right one
then works; API tokens can be guessed at any rate". The limit is three here.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command

from seabridge.accounts.auth import TOKEN_ATTEMPT
from seabridge.accounts.tests.conftest import make_token
from seabridge.conftest import TEST_PASSWORD
from seabridge.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LIMIT = 3
LOCKED_PAGE = "signing in is refused, even with the right password, for 15 minutes"
LYON = "192.0.2.10"
LAGOS = "198.51.100.7"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def sign_in(client, username: str, password: str, address: str = LYON):
    return client.post(
        "/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def audited(action: str) -> list[dict]:
    return [event.changes for event in AuditEvent.objects.filter(action=action).order_by("pk")]


def age_attempts(minutes: int) -> None:
    """As if the counted failures had happened ``minutes`` earlier."""
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(minutes=minutes)
        )


# --- sign-in -----------------------------------------------------------------------------


def test_after_the_limit_the_right_password_is_refused_too(client, people):
    for _ in range(LIMIT - 1):
        assert sign_in(client, "amina", "wrong-password").status_code == 200
    assert sign_in(client, "amina", "wrong-password").status_code == 429  # the one that locks
    response = sign_in(client, "amina", TEST_PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert LOCKED_PAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_from_any_address(client, people):
    for number in range(LIMIT):
        sign_in(client, "amina", "wrong-password", address=f"203.0.113.{number + 1}")
    assert sign_in(client, "amina", TEST_PASSWORD, address=LAGOS).status_code == 429
    assert sign_in(client, "bo", TEST_PASSWORD, address=LAGOS).status_code == 302


def test_the_lock_is_per_address_for_any_account(client, people):
    for username in ("amina", "bo", "chen"):
        sign_in(client, username, "wrong-password")
    assert sign_in(client, "dara", TEST_PASSWORD).status_code == 429
    assert sign_in(client, "dara", TEST_PASSWORD, address=LAGOS).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, people):
    for _ in range(LIMIT):
        sign_in(client, "amina", "wrong-password")
    assert sign_in(client, "amina", TEST_PASSWORD).status_code == 429
    age_attempts(16)
    assert sign_in(client, "amina", TEST_PASSWORD).status_code == 302


def test_an_administrator_lifts_the_lock(client, people):
    for _ in range(LIMIT):
        sign_in(client, "amina", "wrong-password")
    assert sign_in(client, "amina", TEST_PASSWORD).status_code == 429
    call_command("axes_reset_username", "amina")
    assert sign_in(client, "amina", TEST_PASSWORD).status_code == 302


def test_every_failed_sign_in_and_every_success_is_audited(client, people):
    for _ in range(LIMIT):
        sign_in(client, "amina", "wrong-password")
    sign_in(client, "amina", TEST_PASSWORD)
    sign_in(client, "bo", TEST_PASSWORD, address=LAGOS)
    assert audited("sign_in.failed") == [
        {"username": "amina", "address": LYON, "locked_out": False},
        {"username": "amina", "address": LYON, "locked_out": False},
        {"username": "amina", "address": LYON, "locked_out": True},
        {"username": "amina", "address": LYON, "locked_out": True},
    ]
    assert audited("sign_in") == [{"address": LAGOS}]
    assert AuditEvent.objects.get(action="sign_in").actor_label == "bo"


# --- API tokens --------------------------------------------------------------------------


def me(client, token: str, address: str = LYON):
    return client.get(
        "/api/v1/accounts/me", headers={"Authorization": f"Bearer {token}"}, REMOTE_ADDR=address
    )


def test_after_the_limit_of_wrong_tokens_every_token_from_the_address_is_a_429(client, people):
    _token, right = make_token(people.actor(people.admin))
    for number in range(LIMIT):
        assert me(client, f"sbk_guess{number}").status_code == 401
    response = me(client, right)
    assert response.status_code == 429
    assert 895 <= int(response["Retry-After"]) <= 900
    body = response.json()
    assert body["error"]["code"] == "too_many_attempts"
    assert body["error"]["message"] == (
        "Too many wrong API tokens came from this address: every token from it is refused "
        f"for {response['Retry-After']} seconds."
    )
    assert body["error"]["fields"] == {}
    assert me(client, right, address=LAGOS).status_code == 200


def test_wrong_tokens_are_counted_by_address_apart_from_sign_ins(client, people):
    _token, right = make_token(people.actor(people.admin))
    for _ in range(LIMIT - 1):
        sign_in(client, "amina", "wrong-password")
    me(client, "sbk_guess")
    # Two wrong passwords and one wrong token: the tokens' count is one.
    assert me(client, right).status_code == 200
    assert AccessAttempt.objects.get(username=TOKEN_ATTEMPT).failures_since_start == 1


def test_the_token_lock_ends_after_the_cool_off(client, people):
    _token, right = make_token(people.actor(people.admin))
    for _ in range(LIMIT):
        me(client, "sbk_guess")
    assert me(client, right).status_code == 429
    age_attempts(16)
    assert me(client, right).status_code == 200


def test_every_wrong_and_every_refused_token_is_audited(client, people):
    _token, right = make_token(people.actor(people.admin))
    for _ in range(LIMIT):
        me(client, "sbk_guess")
    me(client, right)
    assert audited("api_token.failed") == [
        {"address": LYON, "locked_out": False},
        {"address": LYON, "locked_out": False},
        {"address": LYON, "locked_out": True},
        {"address": LYON, "locked_out": True},
    ]


def test_a_good_token_costs_one_query_to_authenticate(client, people, django_assert_num_queries):
    _token, right = make_token(people.actor(people.admin))
    me(client, right)  # stamps last use once
    # the token with its failure count, then /me's own memberships
    with django_assert_num_queries(2):
        assert me(client, right).status_code == 200
