"""What agreements grant: rows an actor sees because an active agreement covers them.

The agreements app fills this in; until then nothing is granted beyond ownership.
Kept apart from :mod:`seabridge.core.scope` so that the rule's two halves
(ownership and grants) can each be read on their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from seabridge.core.scope import Actor, ScopeRule


def granted_q(actor: Actor, rule: ScopeRule, *, for_write: bool) -> Q:
    """A condition matching no row: no agreements exist yet."""
    return Q(pk__in=[])
