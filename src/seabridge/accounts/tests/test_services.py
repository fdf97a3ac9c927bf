import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils import timezone
from django.utils.http import urlsafe_base64_decode

from seabridge.accounts import services
from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.models import ApiToken, Membership, Organization
from seabridge.accounts.tests.conftest import make_token
from seabridge.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from seabridge.core.models import AuditEvent
from seabridge.core.scope import Actor

pytestmark = pytest.mark.django_db


def audit_of(obj):
    return list(AuditEvent.objects.for_object(obj).values_list("action", "changes"))


# --- organisations -------------------------------------------------------------------


def test_a_superuser_creates_an_organisation_with_its_first_admin(people, superuser):
    organization = services.organization_create(
        created_by=superuser,
        kind=OrganizationKind.TRADE_PARTNER,
        legal_name="  Zhongjiang International Group ",
        short_name="Zhongjiang",
        home_country="cn",
        languages=["zh_Hans", "EN", "en"],
        founded_year=1980,
        first_admin=people.admin.user,
    )
    organization.refresh_from_db()
    assert (
        organization.kind,
        organization.legal_name,
        organization.short_name,
        organization.home_country_id,
        organization.languages,
        organization.status,
        organization.founded_year,
    ) == (
        "trade_partner",
        "Zhongjiang International Group",
        "Zhongjiang",
        "CN",
        ["zh-hans", "en"],
        "active",
        1980,
    )
    assert list(organization.memberships.values_list("user__username", "role")) == [
        ("amina", "admin")
    ]
    assert audit_of(organization) == [
        (
            "organization.create",
            {
                "kind": "trade_partner",
                "status": "active",
                "legal_name": "Zhongjiang International Group",
                "short_name": "Zhongjiang",
                "home_country": "CN",
                "languages": ["zh-hans", "en"],
                "founded_year": 1980,
                "description": "",
            },
        )
    ]


def test_only_a_superuser_creates_organisations(people):
    with pytest.raises(Forbidden):
        services.organization_create(
            created_by=people.admin.user,
            kind=OrganizationKind.DEALER,
            legal_name="Riyadh Motors",
            short_name="Riyadh Motors",
            home_country="SA",
        )
    assert Organization.objects.count() == 2


def test_a_duplicate_name_in_other_case_is_refused_naming_the_field(people, superuser):
    with pytest.raises(ValidationFailed) as refused:
        services.organization_create(
            created_by=superuser,
            kind=OrganizationKind.DEALER,
            legal_name="Another legal name",
            short_name="jac",
            home_country="SA",
        )
    assert refused.value.fields == {"short_name": ["Another organisation already has this name."]}
    assert Organization.objects.count() == 2


def test_an_admin_updates_the_facts_and_the_change_is_audited(people):
    actor = people.actor(people.admin)
    services.organization_update(
        actor=actor,
        organization=people.jac,
        data={"legal_name": "JAC Group", "home_country": "SA", "languages": ["en"]},
    )
    people.jac.refresh_from_db()
    assert (people.jac.legal_name, people.jac.home_country_id, people.jac.languages) == (
        "JAC Group",
        "SA",
        ["en"],
    )
    assert audit_of(people.jac) == [
        (
            "organization.update",
            {
                "legal_name": ["Anhui Jianghuai Automobile Group Co., Ltd.", "JAC Group"],
                "home_country": ["CN", "SA"],
                "languages": [["zh-hans", "en"], ["en"]],
            },
        )
    ]


@pytest.mark.parametrize("member", ["staff", "viewer"])
def test_a_non_admin_cannot_update_and_nothing_changes(people, member):
    with pytest.raises(Forbidden):
        services.organization_update(
            actor=people.actor(getattr(people, member)),
            organization=people.jac,
            data={"legal_name": "Taken over"},
        )
    people.jac.refresh_from_db()
    assert people.jac.legal_name == "Anhui Jianghuai Automobile Group Co., Ltd."
    assert audit_of(people.jac) == []


def test_an_admin_of_another_organisation_gets_not_found(people):
    with pytest.raises(NotFound):
        services.organization_update(
            actor=people.actor(people.nezha_admin),
            organization=people.jac,
            data={"legal_name": "X"},
        )


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"kind": "dealer"}, {"kind": ["This field cannot be changed here."]}),
        ({"home_country": "XX"}, {"home_country": ["“XX” is not a known country code."]}),
        ({"languages": ["klingon-x"]}, {"languages": ["“klingon-x” is not a language code."]}),
        ({"short_name": "nezha"}, {"short_name": ["Another organisation already has this name."]}),
        ({"legal_name": ""}, {"legal_name": ["This field cannot be blank."]}),
        ({"founded_year": 1700}, {"founded_year": ["Give a year between 1800 and this year."]}),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(people, data, fields):
    with pytest.raises(ValidationFailed) as refused:
        services.organization_update(
            actor=people.actor(people.admin), organization=people.jac, data=data
        )
    assert refused.value.fields == fields
    people.jac.refresh_from_db()
    assert (people.jac.short_name, people.jac.home_country_id) == ("JAC", "CN")


# --- members -------------------------------------------------------------------------


def test_an_admin_invites_a_known_person_who_gets_a_notice(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.member_invite(
            actor=people.actor(people.admin), email="DARA@example.com", role=Role.STAFF
        )
    assert (membership.user.username, membership.organization_id, membership.role) == (
        "dara",
        people.jac.pk,
        "staff",
    )
    assert User.objects.count() == 4
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["dara@example.com"], "You now work for JAC on Seabridge")
    ]
    assert "http://127.0.0.1:8000/sign-in/" in mail.outbox[0].body


def test_an_admin_invites_a_new_person_who_gets_a_set_password_link(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.member_invite(
            actor=people.actor(people.admin),
            email="ewa@example.com",
            role=Role.VIEWER,
            site_url="https://seabridge.example/",
        )
    person = membership.user
    assert (person.username, person.email, person.has_usable_password(), membership.role) == (
        "ewa@example.com",
        "ewa@example.com",
        False,
        "viewer",
    )
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["ewa@example.com"], "You are invited to JAC on Seabridge")
    ]
    link = next(line for line in mail.outbox[0].body.splitlines() if line.startswith("https://"))
    uid, token = link.removeprefix("https://seabridge.example/accounts/set-password/").split("/")[
        :2
    ]
    assert urlsafe_base64_decode(uid).decode() == str(person.pk)
    assert default_token_generator.check_token(person, token)
    assert link == services.set_password_link(user=person, site_url="https://seabridge.example")


def test_inviting_a_member_twice_is_a_conflict_and_sends_nothing(
    people, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Conflict) as refused,
    ):
        services.member_invite(
            actor=people.actor(people.admin), email="bo@example.com", role=Role.ADMIN
        )
    assert refused.value.status == 409
    assert refused.value.fields == {"email": ["This person is already a member."]}
    assert Membership.objects.get(pk=people.staff.pk).role == "staff"
    assert mail.outbox == []


def test_only_an_admin_invites(people):
    with pytest.raises(Forbidden):
        services.member_invite(
            actor=people.actor(people.staff), email="ewa@example.com", role=Role.VIEWER
        )
    assert not User.objects.filter(email="ewa@example.com").exists()


def test_a_bad_email_is_refused_naming_the_field(people):
    with pytest.raises(ValidationFailed) as refused:
        services.member_invite(actor=people.actor(people.admin), email="not-an-email", role="staff")
    assert refused.value.fields == {"email": ["Enter a valid e-mail address."]}


def test_an_admin_changes_another_members_role(people):
    services.member_change_role(
        actor=people.actor(people.admin), membership=people.viewer, role=Role.MANAGER
    )
    assert Membership.objects.get(pk=people.viewer.pk).role == "manager"
    assert audit_of(people.viewer) == [("membership.change_role", {"role": ["viewer", "manager"]})]


@pytest.mark.parametrize(("member", "role"), [("viewer", "admin"), ("staff", "manager")])
def test_nobody_raises_their_own_role(people, member, role):
    membership = getattr(people, member)
    with pytest.raises(Forbidden) as refused:
        services.member_change_role(
            actor=people.actor(membership), membership=membership, role=role
        )
    assert refused.value.message == "Nobody changes their own role; ask another admin."
    assert Membership.objects.get(pk=membership.pk).role == member
    assert audit_of(membership) == []


def test_not_even_an_admin_changes_their_own_role(people):
    with pytest.raises(Forbidden):
        services.member_change_role(
            actor=people.actor(people.admin), membership=people.admin, role=Role.VIEWER
        )
    assert Membership.objects.get(pk=people.admin.pk).role == "admin"


def test_a_manager_cannot_change_roles(people):
    people.staff.role = Role.MANAGER
    people.staff.save()
    with pytest.raises(Forbidden):
        services.member_change_role(
            actor=people.actor(people.staff), membership=people.viewer, role=Role.STAFF
        )
    assert Membership.objects.get(pk=people.viewer.pk).role == "viewer"


def test_a_membership_of_another_organisation_is_not_found(people):
    with pytest.raises(NotFound):
        services.member_change_role(
            actor=people.actor(people.admin), membership=people.nezha_admin, role=Role.VIEWER
        )
    with pytest.raises(NotFound):
        services.member_remove(actor=people.actor(people.admin), membership=people.nezha_admin)
    assert Membership.objects.get(pk=people.nezha_admin.pk).role == "admin"


def test_an_admin_demoted_by_another_admin_can_no_longer_manage(people):
    people.staff.role = Role.ADMIN
    people.staff.save()
    services.member_change_role(
        actor=people.actor(people.staff), membership=people.admin, role=Role.MANAGER
    )
    # Amina's actor was read before her demotion; the lock re-reads her role.
    stale = Actor(
        user=people.admin.user,
        organization=people.jac,
        role=Role.ADMIN,
        membership_id=people.admin.pk,
    )
    with pytest.raises(Forbidden):
        services.member_remove(actor=stale, membership=people.staff)
    assert Membership.objects.filter(organization=people.jac, role=Role.ADMIN).count() == 1


def test_an_admin_removes_a_member_and_their_tokens(people):
    make_token(people.actor(people.staff))
    services.member_remove(actor=people.actor(people.admin), membership=people.staff)
    assert not Membership.objects.filter(pk=people.staff.pk).exists()
    assert ApiToken.objects.count() == 0
    assert audit_of(people.staff) == [
        (
            "membership.remove",
            {
                "user": people.staff.user_id,
                "organization": people.jac.pk,
                "role": "staff",
                "tokens_removed": 1,
            },
        )
    ]


def test_the_last_admin_cannot_leave(people):
    with pytest.raises(Conflict) as refused:
        services.member_remove(actor=people.actor(people.admin), membership=people.admin)
    assert refused.value.message == "JAC needs at least one admin."
    assert Membership.objects.filter(pk=people.admin.pk, role=Role.ADMIN).exists()


def test_an_admin_may_leave_when_another_admin_remains(people):
    people.staff.role = Role.ADMIN
    people.staff.save()
    services.member_remove(actor=people.actor(people.admin), membership=people.admin)
    assert list(
        Membership.objects.filter(organization=people.jac).values_list("user__username", "role")
    ) == [("bo", "admin"), ("chen", "viewer")]


def test_only_an_admin_removes(people):
    with pytest.raises(Forbidden):
        services.member_remove(actor=people.actor(people.staff), membership=people.viewer)
    assert Membership.objects.filter(pk=people.viewer.pk).exists()


# --- API tokens ----------------------------------------------------------------------


def test_a_token_is_shown_once_and_only_its_digest_is_stored(people):
    token, clear_token = make_token(people.actor(people.viewer), name="Stock export")
    assert clear_token.startswith("sbk_")
    assert len(clear_token) == 4 + 43
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(clear_token.encode()).hexdigest()
    assert stored.key_prefix == clear_token[:12]
    assert (stored.name, stored.membership_id) == ("Stock export", people.viewer.pk)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(clear_token not in str(value) for value in row.values())
    assert clear_token not in str(AuditEvent.objects.for_object(token).get().changes)


@pytest.mark.parametrize(
    ("delta", "fields"),
    [
        (timedelta(minutes=-1), {"expires_at": ["The expiry must be in the future."]}),
        (timedelta(days=400), {"expires_at": ["A token lives at most one year."]}),
    ],
)
def test_a_token_expiry_must_be_in_the_coming_year(people, delta, fields):
    with pytest.raises(ValidationFailed) as refused:
        services.api_token_create(
            actor=people.actor(people.admin), name="x", expires_at=timezone.now() + delta
        )
    assert refused.value.fields == fields
    assert ApiToken.objects.count() == 0


def test_a_token_needs_a_name(people):
    with pytest.raises(ValidationFailed) as refused:
        services.api_token_create(
            actor=people.actor(people.admin),
            name="  ",
            expires_at=timezone.now() + timedelta(days=1),
        )
    assert refused.value.fields == {"name": ["Give the token a name."]}


def test_a_person_revokes_their_own_token_only(people):
    token, _clear = make_token(people.actor(people.staff))
    with pytest.raises(NotFound):
        services.api_token_revoke(actor=people.actor(people.admin), token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    revoked = services.api_token_revoke(actor=people.actor(people.staff), token=token)
    assert revoked.revoked_at is not None
    assert ApiToken.objects.usable().count() == 0
    again = services.api_token_revoke(actor=people.actor(people.staff), token=token)
    assert again.revoked_at == revoked.revoked_at
    assert [action for action, _changes in audit_of(token)] == [
        "api_token.revoke",
        "api_token.create",
    ]


def test_the_command_creates_an_organisation_as_a_superuser(people, superuser):
    from io import StringIO

    from django.core.management import CommandError, call_command

    output = StringIO()
    call_command(
        "create_organization",
        "--as=root",
        "--kind=dealer",
        "--legal-name=Riyadh Motors Co.",
        "--short-name=Riyadh Motors",
        "--country=SA",
        "--languages=ar,en",
        "--admin=bo",
        stdout=output,
    )
    organization = Organization.objects.get(short_name="Riyadh Motors")
    assert output.getvalue() == f"Created organisation Riyadh Motors (id {organization.pk}).\n"
    assert (organization.kind, organization.languages) == ("dealer", ["ar", "en"])
    assert list(organization.memberships.values_list("user__username", "role")) == [("bo", "admin")]
    with pytest.raises(
        CommandError, match=r"short_name: Another organisation already has this name\."
    ):
        call_command(
            "create_organization",
            "--as=root",
            "--kind=dealer",
            "--legal-name=Other",
            "--short-name=riyadh motors",
            "--country=SA",
        )
