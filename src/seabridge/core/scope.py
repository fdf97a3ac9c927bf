"""The scope module: the one door through which every business row is read or written.

An :class:`Actor` is a person acting for one organisation with one role. Pages,
API endpoints, exports, imports, reports and tasks ask this module which rows an
actor may see and what it may do with them; nobody filters by organisation
anywhere else. (The agreement-based grants arrive with the agreements app.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import (
    ImproperlyConfigured,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
)
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from seabridge.accounts.choices import ROLE_RANK, Role
from seabridge.core import grants
from seabridge.core.choices import Area
from seabridge.core.errors import Forbidden, NotFound

M = TypeVar("M", bound=models.Model)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from seabridge.accounts.models import Organization


@dataclass(frozen=True)
class Actor:
    """A person acting for one organisation with the role their membership gives."""

    user: User
    organization: Organization
    role: Role
    membership_id: int

    @property
    def organization_id(self) -> int:
        return self.organization.pk

    def has_role(self, role: Role) -> bool:
        """Whether the actor's role includes ``role`` (admin ⊇ manager ⊇ staff ⊇ viewer)."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    def require_role(self, role: Role) -> None:
        """Refuse with 403 unless the actor's role includes ``role``."""
        if not self.has_role(role):
            raise Forbidden(
                _("This needs the %(role)s role in %(organization)s.")
                % {"role": role.label, "organization": self.organization}
            )

    def __str__(self) -> str:
        return f"{self.user.get_username()} for {self.organization} ({self.role})"


# --- scoped models -------------------------------------------------------------------


class Action(models.TextChoices):
    VIEW = "view", _l("View")
    CREATE = "create", _l("Create")
    CHANGE = "change", _l("Change")
    APPROVE = "approve", _l("Approve")
    DELETE = "delete", _l("Delete")


ACTION_ROLE = {
    Action.VIEW: Role.VIEWER,
    Action.CREATE: Role.STAFF,
    Action.CHANGE: Role.STAFF,
    Action.DELETE: Role.STAFF,
    Action.APPROVE: Role.MANAGER,
}


@dataclass(frozen=True)
class ScopeRule:
    """How to reach a scoped model's brand and market, and which area it belongs to.

    ``brand`` and ``market`` are ORM paths from the model (``"brand"``,
    ``"variant__brand"``, ``"country"``); ``market=None`` means the record is
    brand-wide (a product line is not in one market). ``owner_writes_only`` keeps
    writes with the brand owner even where agreements grant reading (the catalog);
    ``any_area`` lets a grant in any area reveal the row (a partner granted only
    after-sales still needs the brand's variants). ``party`` is a path to an
    organisation that is a party to the row (the grantee of the agreement a sales
    plan serves): it sees and works on the row as the outlet does on its own.
    ``grants_reveal=False`` keeps rows that span several markets (a plan) from
    being revealed by a grant of the brand in any one market. ``outlet_reads_only``
    lets the outlet organisation read the row but not change it (the buyer of an
    export order sees it; the seller confirms and prices it).
    """

    area: Area
    brand: str
    market: str | None = None
    outlet_organization: str | None = None
    owner_writes_only: bool = False
    any_area: bool = False
    party: str | None = None
    grants_reveal: bool = True
    outlet_reads_only: bool = False


_RULES: dict[type[models.Model], ScopeRule] = {}


def _require_forward(model: type[models.Model], path: str) -> None:
    """Refuse a rule path that crosses a to-many relation: the visibility condition must
    never join one row to many, so :func:`restrict` needs no DISTINCT (which made every
    count of a large list read and sort all its rows)."""
    current: type[models.Model] = model
    for name in path.split("__"):
        field = current._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            raise ImproperlyConfigured(
                f"{model.__name__}: scope path {path!r} crosses the to-many relation {name!r}."
            )
        if field.related_model is not None:
            current = field.related_model  # type: ignore[assignment]


def register(model: type[models.Model], rule: ScopeRule) -> None:
    """Declare ``model`` as scoped; every query for it must then go through :func:`restrict`."""
    paths = (rule.market, rule.outlet_organization, rule.party)
    for path in (None if rule.brand == "self" else rule.brand, *paths):
        if path is not None:
            _require_forward(model, path)
    _RULES[model] = rule


def rule_for(model: type[models.Model]) -> ScopeRule:
    try:
        return _RULES[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not registered with the scope module.") from None


def registered_models() -> dict[type[models.Model], ScopeRule]:
    return dict(_RULES)


def _owner_q(actor: Actor, rule: ScopeRule) -> Q:
    prefix = "" if rule.brand == "self" else f"{rule.brand}__"
    return Q(**{f"{prefix}owner_id": actor.organization_id})


def _granted_q(actor: Actor, rule: ScopeRule, *, for_write: bool) -> Q:
    """Rows an active agreement grants ``actor`` (filled in by the agreements app)."""
    return grants.granted_q(actor, rule)


def _visibility_q(actor: Actor, rule: ScopeRule, *, for_write: bool = False) -> Q:
    condition = _owner_q(actor, rule)
    if rule.grants_reveal and not (for_write and rule.owner_writes_only):
        condition |= _granted_q(actor, rule, for_write=for_write)
    if rule.outlet_organization and not (for_write and rule.outlet_reads_only):
        condition |= Q(**{rule.outlet_organization: actor.organization_id})
    if rule.party:
        condition |= Q(**{rule.party: actor.organization_id})
    return condition


def restrict(
    actor: Actor | None, queryset: QuerySet[M], action: Action = Action.VIEW
) -> QuerySet[M]:
    """The rows of ``queryset`` that ``actor`` may ``action``; none for no actor or role."""
    if actor is None or not actor.has_role(ACTION_ROLE[action]):
        return queryset.none()
    rule = rule_for(queryset.model)
    return queryset.filter(_visibility_q(actor, rule, for_write=action != Action.VIEW))


def visible_q(actor: Actor | None, model: type[models.Model]) -> Q:
    """The condition :func:`restrict` applies for reading ``model``, for reports that
    aggregate: computed once and reused across their queries (its conditions never join
    to many rows, see :func:`register`, so sums stay exact)."""
    if actor is None or not actor.has_role(ACTION_ROLE[Action.VIEW]):
        return Q(pk__in=[])
    return _visibility_q(actor, rule_for(model))


def get_visible(actor: Actor | None, queryset: QuerySet[M], **lookup: object) -> M:
    """One row by ``lookup`` if ``actor`` may see it; otherwise :class:`NotFound` (a 404)."""
    try:
        return restrict(actor, queryset).get(**lookup)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError):
        raise NotFound() from None


def allows(actor: Actor | None, obj: models.Model, action: Action = Action.CHANGE) -> bool:
    """Whether ``actor`` may ``action`` ``obj``: pages ask it to offer a button or a link;
    the service asks :func:`require` again when the action is taken."""
    return restrict(actor, type(obj)._default_manager.filter(pk=obj.pk), action).exists()


def require_actor(actor: Actor | None, role: Role = Role.STAFF) -> Actor:
    """The actor, with at least ``role``: a caller acting for no organisation gets a 404
    (no existence leak), one below the role a 403."""
    if actor is None:
        raise NotFound()
    actor.require_role(role)
    return actor


def require(actor: Actor | None, obj: models.Model, action: Action) -> None:
    """Refuse ``action`` on ``obj``: 404 when the actor cannot see it, 403 when it may only look.

    Call it before a write and again after the write, in the same transaction, so
    that a row moved out of the actor's scope rolls the write back.
    """
    model = type(obj)
    if actor is None or not restrict(actor, model._default_manager.filter(pk=obj.pk)).exists():
        raise NotFound()
    if not actor.has_role(ACTION_ROLE[action]):
        actor.require_role(ACTION_ROLE[action])
    allowed = restrict(actor, model._default_manager.filter(pk=obj.pk), action).exists()
    if not allowed:
        raise Forbidden()


# --- stewards of reference data -------------------------------------------------------


def is_steward(actor: Actor | None) -> bool:
    """Whether ``actor`` keeps the platform's reference data (countries, market profiles,
    business regions, exchange rates): a platform administrator (a superuser) acting for
    one of their organisations with at least the staff role (a viewer's membership, or
    its API token, only reads). Pages ask it to offer an edit button."""
    return (
        actor is not None
        and actor.user.is_active
        and actor.user.is_superuser
        and actor.has_role(Role.STAFF)
    )


def require_steward(actor: Actor | None) -> Actor:
    """The actor, if a steward of reference data (:func:`is_steward`): acting for no
    organisation is a 404, as for every write; a superuser acting as a viewer a 403 naming
    the role; anyone else a 403 that says who keeps the data."""
    if actor is None:
        raise NotFound()
    if actor.user.is_superuser:
        actor.require_role(Role.STAFF)
    if not is_steward(actor):
        raise Forbidden(
            _("Reference data is kept by the platform's stewards; ask one to change it.")
        )
    return actor
