"""Reads owned by accounts: who acts for whom, memberships, tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, QuerySet, When
from django.utils.translation import gettext as _

from seabridge.accounts.choices import OrganizationStatus, Role
from seabridge.accounts.models import ApiToken, Membership, Organization
from seabridge.core.errors import NotFound, OrganizationSuspended
from seabridge.core.scope import Actor

ACTING_ORGANIZATION_SESSION_KEY = "acting_organization_id"


def actor_from_membership(membership: Membership) -> Actor:
    """The actor a membership makes; :class:`OrganizationSuspended` when its organisation
    is suspended. Every actor (a session's, a token's, a job's, a command's) is made here,
    so that no door lets anyone act for a suspended organisation; its rows stay."""
    organization = membership.organization
    if organization.status == OrganizationStatus.SUSPENDED:
        raise OrganizationSuspended(
            _(
                "%(organization)s is suspended: nobody may act for it, with a password or an "
                "API token, until it is reinstated. Its records are kept."
            )
            % {"organization": organization}
        )
    return Actor(
        user=membership.user,
        organization=organization,
        role=Role(membership.role),
        membership_id=membership.pk,
    )


def actor_for_user(*, user: User, organization_id: int | None = None) -> Actor | None:
    """The actor for ``user`` acting for ``organization_id``, else for their first
    organisation that is not suspended.

    Returns None for a person with no membership (they can sign in but see no business
    rows). Raises :class:`OrganizationSuspended` when ``organization_id`` is a suspended
    organisation of theirs, or when every organisation they belong to is suspended.
    """
    memberships = Membership.objects.filter(user=user).select_related("organization", "user")
    chosen = None
    if organization_id is not None:
        chosen = memberships.filter(organization_id=organization_id).first()
    if chosen is None:
        # Active organisations first: a suspended one is chosen only when all are.
        suspended_last = Case(
            When(organization__status=OrganizationStatus.SUSPENDED, then=1), default=0
        )
        chosen = memberships.order_by(suspended_last, "organization__short_name").first()
    return actor_from_membership(chosen) if chosen else None


def memberships_of_user(*, user: User) -> QuerySet[Membership]:
    """The organisations a person may act for (none that is suspended), for the header's
    switcher."""
    return (
        Membership.objects.filter(user=user, organization__status=OrganizationStatus.ACTIVE)
        .select_related("organization")
        .order_by("organization__short_name")
    )


def api_token_usable(*, token: str, **annotations: Any) -> ApiToken | None:
    """The usable (not expired, not revoked) token with this secret whose person is
    active, with its membership, organisation and person, and ``annotations`` computed in
    the same query; None for any other secret."""
    if not token.startswith(ApiToken.PREFIX):
        return None
    found = (
        ApiToken.objects.usable()
        .select_related("membership__organization", "membership__user")
        .filter(digest=ApiToken.digest_of(token))
        .annotate(**annotations)
        .first()
    )
    if found is None or not found.membership.user.is_active:
        return None
    return found


def organization_by_short_name(short_name: str) -> Organization | None:
    return Organization.objects.filter(short_name__iexact=short_name).first()


def organizations_visible_to(
    *, user: User, bound_actor: Actor | None = None
) -> QuerySet[Organization]:
    """The organisations a person may look at: their own; superusers see all.

    A request bound to one membership (an API token) sees only that organisation.
    """
    organizations = Organization.objects.all()
    if bound_actor is not None:
        return organizations.filter(pk=bound_actor.organization_id)
    if user.is_superuser:
        return organizations
    return organizations.filter(memberships__user=user)


def organization_with_actor(
    *, user: User, organization_id: int, bound_actor: Actor | None = None
) -> tuple[Organization, Actor | None]:
    """The organisation if the person may see it, and the actor that acts for it.

    The actor is the person's membership in that organisation (the token's, for a
    token-bound request), or None for a superuser who only looks. Anything else
    is :class:`NotFound`, so that nobody learns which organisations exist.
    """
    organization = (
        organizations_visible_to(user=user, bound_actor=bound_actor)
        .filter(pk=organization_id)
        .first()
    )
    if organization is None:
        raise NotFound()
    if bound_actor is not None:
        return organization, bound_actor
    membership = (
        Membership.objects.filter(user=user, organization=organization)
        .select_related("user", "organization")
        .first()
    )
    return organization, actor_from_membership(membership) if membership else None


def members_of(*, organization: Organization) -> QuerySet[Membership]:
    """An organisation's members with their people, ordered by user name."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__username", "pk")
    )


def member_get(*, organization: Organization, membership_id: int) -> Membership:
    """One member of ``organization``; :class:`NotFound` for any other membership."""
    membership = members_of(organization=organization).filter(pk=membership_id).first()
    if membership is None:
        raise NotFound()
    return membership


def api_tokens_of(*, user: User, membership_id: int | None = None) -> QuerySet[ApiToken]:
    """A person's API tokens, newest first; with ``membership_id``, only that membership's."""
    tokens = ApiToken.objects.filter(membership__user=user).select_related(
        "membership__organization"
    )
    if membership_id is not None:
        tokens = tokens.filter(membership_id=membership_id)
    return tokens.order_by("-created_at", "-pk")


def api_token_get(*, user: User, token_id: int, membership_id: int | None = None) -> ApiToken:
    token = api_tokens_of(user=user, membership_id=membership_id).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    return token
