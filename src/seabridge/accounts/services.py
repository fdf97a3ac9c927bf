"""Writes owned by accounts: organisations, memberships (invite, role, removal) and API tokens.

Every function checks who may do it, refuses with a :mod:`seabridge.core.errors`
error before anything is written, and records what it changed in the audit trail
in the same transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from seabridge.accounts.choices import OrganizationKind, OrganizationStatus, Role
from seabridge.accounts.models import ApiToken, Membership, Organization
from seabridge.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from seabridge.core.scope import Actor
from seabridge.core.services import audit_record, field_changes
from seabridge.markets.models import Country

#: Fields an organisation's admin may change; kind and status stay with superusers.
ORGANIZATION_EDITABLE_FIELDS = (
    "legal_name",
    "short_name",
    "home_country",
    "languages",
    "founded_year",
    "description",
)
TOKEN_RANDOM_BYTES = 32
TOKEN_LONGEST_LIFETIME = timedelta(days=366)
DEFAULT_SITE_URL = "http://127.0.0.1:8000"


# --- organisations -------------------------------------------------------------------


def _organization_values(organization: Organization) -> dict[str, Any]:
    return {
        name: getattr(organization, "home_country_id" if name == "home_country" else name)
        for name in ("kind", "status", *ORGANIZATION_EDITABLE_FIELDS)
    }


def _normalized_languages(value: Any) -> list[str]:
    """Language codes as BCP 47 tags babel knows (``zh-Hans`` → ``zh-hans``), without repeats."""
    if not isinstance(value, list | tuple):
        raise ValidationFailed(fields={"languages": [_("Give a list of language codes.")]})
    codes: list[str] = []
    for item in value:
        code = str(item).strip().replace("_", "-").lower()
        try:
            Locale.parse(code, sep="-")
        except (UnknownLocaleError, ValueError, TypeError):
            raise ValidationFailed(
                fields={"languages": [_("“%(code)s” is not a language code.") % {"code": item}]}
            ) from None
        if code not in codes:
            codes.append(code)
    return codes


def _country(value: Country | str | None) -> Country:
    if isinstance(value, Country):
        return value
    code = str(value or "").strip().upper()
    country = Country.objects.filter(pk=code).first() if len(code) == 2 else None
    if country is None:
        raise ValidationFailed(
            fields={
                "home_country": [_("“%(code)s” is not a known country code.") % {"code": value}]
            }
        )
    return country


def _validate_organization(organization: Organization) -> None:
    """Field rules and the case-insensitive uniqueness of both names, each naming its field."""
    errors: dict[str, list[str]] = {}
    try:
        organization.full_clean(validate_constraints=False, validate_unique=False)
    except ValidationError as error:
        errors.update({name: list(messages) for name, messages in error.message_dict.items()})
    for name in ("legal_name", "short_name"):
        value = getattr(organization, name)
        if "\x00" in value:
            errors.setdefault(name, []).append(_("This text contains a NUL character."))
        duplicate = (
            Organization.objects.filter(**{f"{name}__iexact": value})
            .exclude(pk=organization.pk)
            .exists()
        )
        if duplicate:
            errors.setdefault(name, []).append(_("Another organisation already has this name."))
    year = organization.founded_year
    if year is not None and not 1800 <= year <= timezone.now().year:
        errors.setdefault("founded_year", []).append(_("Give a year between 1800 and this year."))
    if errors:
        raise ValidationFailed(fields=errors)


def _save_organization(organization: Organization) -> None:
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        # Another writer took the name between our check and the insert.
        raise ValidationFailed(
            fields={"short_name": [_("Another organisation already has this name.")]}
        ) from None


@transaction.atomic
def organization_create(
    *,
    created_by: User,
    kind: OrganizationKind | str,
    legal_name: str,
    short_name: str,
    home_country: Country | str,
    languages: Iterable[str] = (),
    status: OrganizationStatus | str = OrganizationStatus.ACTIVE,
    founded_year: int | None = None,
    description: str = "",
    first_admin: User | None = None,
) -> Organization:
    """Create an organisation (superusers only), optionally with its first admin."""
    if not created_by.is_superuser:
        raise Forbidden(_("Only a superuser creates organisations."))
    organization = Organization(
        kind=kind,
        legal_name=legal_name.strip(),
        short_name=short_name.strip(),
        home_country=_country(home_country),
        languages=_normalized_languages(list(languages)),
        status=status,
        founded_year=founded_year,
        description=description,
    )
    _validate_organization(organization)
    _save_organization(organization)
    audit_record(
        actor=created_by,
        action="organization.create",
        obj=organization,
        changes=_organization_values(organization),
    )
    if first_admin is not None:
        membership = Membership.objects.create(
            user=first_admin, organization=organization, role=Role.ADMIN
        )
        audit_record(
            actor=created_by,
            action="membership.create",
            obj=membership,
            changes={"user": first_admin.pk, "organization": organization.pk, "role": Role.ADMIN},
        )
    return organization


def _require_acting_for(actor: Actor, organization_id: int) -> None:
    """Refuse (as not found) work on an organisation the actor does not act for."""
    if actor.organization_id != organization_id:
        raise NotFound()


@transaction.atomic
def organization_update(
    *, actor: Actor, organization: Organization, data: Mapping[str, Any]
) -> Organization:
    """Change an organisation's facts; only its admins may, and only the editable fields."""
    _require_acting_for(actor, organization.pk)
    actor.require_role(Role.ADMIN)
    unknown = sorted(set(data) - set(ORGANIZATION_EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed(
            fields={name: [_("This field cannot be changed here.")] for name in unknown}
        )
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = _organization_values(organization)
    for name, value in data.items():
        if name == "home_country":
            organization.home_country = _country(value)
        elif name == "languages":
            organization.languages = _normalized_languages(value)
        elif name in ("legal_name", "short_name"):
            setattr(organization, name, str(value or "").strip())
        elif name == "description":
            organization.description = "" if value is None else str(value)
        else:
            setattr(organization, name, value)
    _validate_organization(organization)
    changes = field_changes(before, _organization_values(organization))
    if changes:
        _save_organization(organization)
        audit_record(
            actor=actor.user, action="organization.update", obj=organization, changes=changes
        )
    return organization


# --- members -------------------------------------------------------------------------


def _role(value: Role | str, *, field: str = "role") -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValidationFailed(fields={field: [_("Choose one of the roles.")]}) from None


def _membership_of_actor_organization(actor: Actor, membership: Membership) -> Membership:
    """The membership, locked, if it belongs to the actor's organisation; else not found."""
    _require_acting_for(actor, membership.organization_id)
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def _admin_ids_locked(actor: Actor) -> set[int]:
    """Lock the organisation's admin memberships and check the actor is still one of them.

    Two admins demoting or removing each other at once must not leave none: the
    lock makes the second writer see the first one's change.
    """
    admin_ids = set(
        Membership.objects.select_for_update()
        .filter(organization_id=actor.organization_id, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if actor.membership_id not in admin_ids:
        raise Forbidden(
            _("This needs the %(role)s role in %(organization)s.")
            % {"role": Role.ADMIN.label, "organization": actor.organization}
        )
    return admin_ids


def _site_url(site_url: str | None) -> str:
    return (site_url or getattr(settings, "SITE_URL", "") or DEFAULT_SITE_URL).rstrip("/")


def set_password_link(*, user: User, site_url: str | None = None) -> str:
    """An absolute link where ``user`` chooses a password; it stops working once used."""
    path = reverse(
        "accounts:set-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{_site_url(site_url)}{path}"


def _send_invitation(
    *, user: User, organization: Organization, role: Role, is_new: bool, site_url: str | None
) -> None:
    values = {"organization": organization.short_name, "role": role.label}
    if is_new:
        subject = _("You are invited to %(organization)s on Seabridge") % values
        body = _(
            "You have been invited to work for %(organization)s on Seabridge as %(role)s.\n\n"
            "Choose your password here to sign in:\n%(link)s\n"
        ) % {**values, "link": set_password_link(user=user, site_url=site_url)}
    else:
        subject = _("You now work for %(organization)s on Seabridge") % values
        body = _(
            "You have been added to %(organization)s on Seabridge as %(role)s.\n\n"
            "Sign in as usual and choose %(organization)s in the header:\n%(link)s\n"
        ) % {**values, "link": f"{_site_url(site_url)}{reverse('web:sign-in')}"}
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def member_invite(
    *, actor: Actor, email: str, role: Role | str, site_url: str | None = None
) -> Membership:
    """Add the person with ``email`` to the actor's organisation (admins only).

    A person not yet on Seabridge gets an account without a usable password and an
    e-mail with a link to choose one; a known person gets a notice. The e-mail
    leaves once the transaction commits.
    """
    actor.require_role(Role.ADMIN)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed(fields={"email": [_("Enter a valid e-mail address.")]}) from None
    chosen_role = _role(role)
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    is_new = user is None
    if user is None:
        if User.objects.filter(username__iexact=email).exists():
            raise Conflict(
                _("A person already uses this e-mail address as user name."),
                fields={"email": [_("A person already uses this e-mail address as user name.")]},
            )
        user = User(username=email, email=email)
        user.set_unusable_password()
        user.save()
        audit_record(actor=actor.user, action="user.invite", obj=user, changes={"email": email})
    elif Membership.objects.filter(user=user, organization_id=actor.organization_id).exists():
        raise Conflict(
            _("This person is already a member of %(organization)s.")
            % {"organization": actor.organization},
            fields={"email": [_("This person is already a member.")]},
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, organization_id=actor.organization_id, role=chosen_role
            )
    except IntegrityError:
        raise Conflict(
            _("This person is already a member of %(organization)s.")
            % {"organization": actor.organization},
            fields={"email": [_("This person is already a member.")]},
        ) from None
    audit_record(
        actor=actor.user,
        action="membership.create",
        obj=membership,
        changes={"user": user.pk, "organization": actor.organization_id, "role": chosen_role},
    )
    organization = actor.organization
    invited = user
    transaction.on_commit(
        lambda: _send_invitation(
            user=invited,
            organization=organization,
            role=chosen_role,
            is_new=is_new,
            site_url=site_url,
        )
    )
    return membership


@transaction.atomic
def member_change_role(*, actor: Actor, membership: Membership, role: Role | str) -> Membership:
    """Give another member of the actor's organisation a new role (admins only).

    Nobody changes their own role, and the organisation keeps at least one admin.
    """
    membership = _membership_of_actor_organization(actor, membership)
    if membership.pk == actor.membership_id or membership.user_id == actor.user.pk:
        raise Forbidden(
            _("Nobody changes their own role; ask another admin."),
            fields={"role": [_("Nobody changes their own role; ask another admin.")]},
        )
    actor.require_role(Role.ADMIN)
    chosen_role = _role(role)
    admin_ids = _admin_ids_locked(actor)
    if membership.role == chosen_role:
        return membership
    if membership.pk in admin_ids and chosen_role != Role.ADMIN and len(admin_ids) <= 1:
        raise Conflict(
            _("%(organization)s needs at least one admin.") % {"organization": actor.organization},
            fields={"role": [_("The last admin cannot be given another role.")]},
        )
    before = membership.role
    membership.role = chosen_role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=actor.user,
        action="membership.change_role",
        obj=membership,
        changes={"role": [before, chosen_role]},
    )
    return membership


@transaction.atomic
def member_remove(*, actor: Actor, membership: Membership) -> None:
    """Remove a member (and their API tokens for it) from the actor's organisation (admins only).

    The organisation keeps at least one admin.
    """
    actor.require_role(Role.ADMIN)
    membership = _membership_of_actor_organization(actor, membership)
    admin_ids = _admin_ids_locked(actor)
    if membership.pk in admin_ids and len(admin_ids) <= 1:
        raise Conflict(
            _("%(organization)s needs at least one admin.") % {"organization": actor.organization}
        )
    token_count = membership.tokens.count()
    audit_record(
        actor=actor.user,
        action="membership.remove",
        obj=membership,
        changes={
            "user": membership.user_id,
            "organization": membership.organization_id,
            "role": membership.role,
            "tokens_removed": token_count,
        },
    )
    membership.delete()


# --- API tokens ----------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor: Actor, name: str, expires_at: datetime) -> tuple[ApiToken, str]:
    """Create a token acting as the actor's membership; the clear token is returned once.

    Only its SHA-256 digest is stored, so nobody can show it again.
    """
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the token a name.")]
    elif len(name) > ApiToken._meta.get_field("name").max_length or "\x00" in name:  # type: ignore[operator]
        errors["name"] = [_("Use at most 100 characters.")]
    now = timezone.now()
    if expires_at is None or timezone.is_naive(expires_at):
        errors["expires_at"] = [_("Give an expiry date and time with its time zone.")]
    elif expires_at <= now:
        errors["expires_at"] = [_("The expiry must be in the future.")]
    elif expires_at > now + TOKEN_LONGEST_LIFETIME:
        errors["expires_at"] = [_("A token lives at most one year.")]
    if errors:
        raise ValidationFailed(fields=errors)
    clear_token = ApiToken.PREFIX + secrets.token_urlsafe(TOKEN_RANDOM_BYTES)
    token = ApiToken.objects.create(
        membership_id=actor.membership_id,
        name=name,
        key_prefix=clear_token[:12],
        digest=ApiToken.digest_of(clear_token),
        expires_at=expires_at,
    )
    audit_record(
        actor=actor.user,
        action="api_token.create",
        obj=token,
        changes={
            "name": name,
            "key_prefix": token.key_prefix,
            "membership": actor.membership_id,
            "expires_at": expires_at,
        },
    )
    return token, clear_token


@transaction.atomic
def api_token_revoke(*, actor: Actor | User, token: ApiToken) -> ApiToken:
    """Revoke one of the person's own tokens; revoking a revoked token changes nothing."""
    user = actor.user if isinstance(actor, Actor) else actor
    locked = (
        ApiToken.objects.select_for_update()
        .filter(pk=token.pk, membership__user_id=user.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=user,
            action="api_token.revoke",
            obj=locked,
            changes={"revoked_at": locked.revoked_at},
        )
    return locked
