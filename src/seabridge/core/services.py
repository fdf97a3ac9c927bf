"""Writes owned by core: the audit trail. (Background jobs are in :mod:`seabridge.core.jobs`.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db import models

from seabridge.core.models import AuditEvent

JSONScalar = str | int | float | bool | None


def _json_value(value: Any) -> Any:
    """Render a field value for the audit trail's JSON (dates, decimals and keys as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return str(value)


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail, inside the caller's transaction.

    ``changes`` maps a field name to its new value, or to a ``[before, after]``
    pair as returned by :func:`field_changes`.
    """
    user = actor if isinstance(actor, User) and actor.pk else None
    event = AuditEvent(
        actor=user,
        actor_label=user.get_username() if user else "system",
        action=action,
        changes={name: _json_value(value) for name, value in (changes or {}).items()},
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:200]
    event.save()
    return event


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [before, after]}`` for every field whose value differs."""
    return {
        name: [_json_value(before.get(name)), _json_value(value)]
        for name, value in after.items()
        if before.get(name) != value
    }
