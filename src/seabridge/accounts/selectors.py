"""Reads owned by accounts: who acts for whom, memberships, tokens."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from seabridge.accounts.choices import Role
from seabridge.accounts.models import ApiToken, Membership, Organization
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
