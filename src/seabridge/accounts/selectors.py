"""Reads owned by accounts: who acts for whom, memberships, tokens."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from seabridge.accounts.choices import Role
from seabridge.accounts.models import ApiToken, Membership, Organization
from seabridge.core.errors import NotFound
from seabridge.core.scope import Actor

ACTING_ORGANIZATION_SESSION_KEY = "acting_organization_id"


def actor_from_membership(membership: Membership) -> Actor:
    return Actor(
        user=membership.user,
        organization=membership.organization,
        role=Role(membership.role),
        membership_id=membership.pk,
    )


def actor_for_user(*, user: User, organization_id: int | None = None) -> Actor | None:
    """The actor for ``user`` acting for ``organization_id``, else for their first organisation.

    Returns None for a person with no membership (they can sign in but see no business rows).
    """
    memberships = Membership.objects.filter(user=user).select_related("organization", "user")
    chosen = None
    if organization_id is not None:
        chosen = memberships.filter(organization_id=organization_id).first()
    if chosen is None:
        chosen = memberships.order_by("organization__short_name").first()
    return actor_from_membership(chosen) if chosen else None


def memberships_of_user(*, user: User) -> QuerySet[Membership]:
    """The organisations a person may act for, for the header's switcher."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__short_name")
    )


def actor_for_token(*, token: str) -> tuple[Actor, ApiToken] | None:
    """The actor an API token acts as, or None when it is unknown, expired or revoked."""
    if not token.startswith(ApiToken.PREFIX):
        return None
    found = (
        ApiToken.objects.usable()
        .select_related("membership__organization", "membership__user")
        .filter(digest=ApiToken.digest_of(token))
        .first()
    )
    if found is None or not found.membership.user.is_active:
        return None
    return actor_from_membership(found.membership), found


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
