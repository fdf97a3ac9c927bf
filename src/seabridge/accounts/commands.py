"""What every app's management commands share about people: the membership that
``--as ORG --user EMAIL`` name, as the actor the command acts as."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.db.models import Q

from seabridge.accounts.models import Membership
from seabridge.accounts.selectors import actor_from_membership
from seabridge.core.scope import Actor


def command_actor(options: dict[str, Any]) -> Actor | None:
    """The actor ``--as``/``--user`` name, or None when neither is given (the command
    then reads with a view of its own, e.g. the brand owner's)."""
    organization, user = options.get("as_organization"), options.get("user")
    if not organization and not user:
        return None
    if not (organization and user):
        raise CommandError("--as and --user go together: name the organisation and the person.")
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(organization__short_name__iexact=organization.strip())
        .filter(Q(user__email__iexact=user.strip()) | Q(user__username=user.strip()))
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise CommandError(f"--user {user} is not a member of --as {organization}.")
    return actor_from_membership(membership)
