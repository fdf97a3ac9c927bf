"""The scope module: the one door through which every business row is read or written.

An :class:`Actor` is a person acting for one organisation with one role. Pages,
API endpoints, exports, imports, reports and tasks ask this module which rows an
actor may see and what it may do with them; nobody filters by organisation
anywhere else.

Each scoped model declares a :class:`ScopeRule` (in its app's ``scope_rules.py`` or
``ready()``): where its brand and market are, which organisations stand in a named
relationship to a row (the holder of a vehicle, the seller and the buyer of an
order, the party of a plan), who of them sees it, and for each write action which
relationships allow it. Reading: the brand owner, the grantees of an agreement in
force covering the row's brand, market and area (the ceiling, read through
:mod:`seabridge.core.grants`), and the relationships the rule names. Writing: only
the relationships the rule lists for the action — a grant alone never allows a
write; the brand owner acts as the rule says, the partner granted a market acts for
it only where the rule says so (and only a trade partner or importer, never a
dealer), the holder on what it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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

from seabridge.core import grants
from seabridge.core.choices import ROLE_RANK, Area, Role
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
    # The counterparty's answer to what the other side decided (a buyer accepts or
    # disputes the order its seller confirmed).
    RESPOND = "respond", _l("Respond")


ACTION_ROLE = {
    Action.VIEW: Role.VIEWER,
    Action.CREATE: Role.STAFF,
    Action.CHANGE: Role.STAFF,
    Action.DELETE: Role.STAFF,
    Action.APPROVE: Role.MANAGER,
    Action.RESPOND: Role.MANAGER,
}


# The built-in relationships every rule may name in ``writes``.
OWNER = "owner"  # the actor's organisation owns the row's brand
MARKET_PARTNER = "market_partner"  # a trade partner or importer granted the row's market

# Organisation kinds that act for a market they are granted (accounts' OrganizationKind
# values): the trade partner and the national importer. A dealer or a service provider
# is granted a market to see it, and acts only on its own rows.
MARKET_ACTING_KINDS = frozenset({"trade_partner", "distributor"})


@dataclass(frozen=True)
class ScopeRule:
    """Who sees a scoped model's rows and who may write them, by relationship.

    ``brand`` and ``market`` are ORM paths from the model (``"brand"``,
    ``"variant__brand"``, ``"country"``; ``"self"`` for the brand itself);
    ``market=None`` means the record is brand-wide (a product line is not in one
    market). ``relations`` names the organisations that stand in a relationship to
    a row, each an ORM path to an organisation (``{"holder": "holder"}``,
    ``{"seller": "seller", "buyer": "buyer"}``). ``sees`` lists the relations whose
    organisation sees the row besides the owner and the grantees. ``writes`` says,
    for each write action, which relationships allow it: :data:`OWNER`,
    :data:`MARKET_PARTNER` or a name from ``relations`` listed in ``sees``; an action
    it does not name is allowed to nobody. ``any_area`` lets a grant in any area
    reveal the row (a partner granted only after-sales still needs the brand's
    variants). ``grants_reveal=False`` keeps rows that span several markets (a plan)
    from being revealed by a grant of the brand in any one market.
    """

    area: Area
    brand: str
    market: str | None = None
    relations: Mapping[str, str] = field(default_factory=dict)
    sees: tuple[str, ...] = ()
    writes: Mapping[Action, tuple[str, ...]] = field(default_factory=dict)
    any_area: bool = False
    grants_reveal: bool = True


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


def _check_rule(model: type[models.Model], rule: ScopeRule) -> None:
    """Refuse a rule whose paths cross to-many relations, that lets an organisation write
    what it cannot see, or that names an unknown relation or action."""
    paths = (rule.market, *rule.relations.values())
    for path in (None if rule.brand == "self" else rule.brand, *paths):
        if path is not None:
            _require_forward(model, path)
    for name in rule.sees:
        if name not in rule.relations:
            raise ImproperlyConfigured(f"{model.__name__}: sees an unknown relation {name!r}.")
    for action, allowed in rule.writes.items():
        if action == Action.VIEW:
            raise ImproperlyConfigured(f"{model.__name__}: reading is not a write action.")
        for name in allowed:
            if name == MARKET_PARTNER and (rule.market is None or not rule.grants_reveal):
                raise ImproperlyConfigured(
                    f"{model.__name__}: {action} by the market partner needs a market "
                    "that grants reveal."
                )
            if name not in (OWNER, MARKET_PARTNER, *rule.sees):
                raise ImproperlyConfigured(
                    f"{model.__name__}: {action} by {name!r}, which does not see the row."
                )


def register(model: type[models.Model], rule: ScopeRule) -> None:
    """Declare ``model`` as scoped; every query for it must then go through :func:`restrict`."""
    _check_rule(model, rule)
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


def _relation_q(actor: Actor, rule: ScopeRule, name: str) -> Q:
    """Rows whose ``name`` relationship is the actor's organisation."""
    if name == OWNER:
        return _owner_q(actor, rule)
    if name == MARKET_PARTNER:
        if actor.organization.kind not in MARKET_ACTING_KINDS:
            return grants.NOTHING
        return grants.granted_q(actor, rule, area=rule.area)
    return Q(**{rule.relations[name]: actor.organization_id})


def _visibility_q(actor: Actor, rule: ScopeRule) -> Q:
    condition = _owner_q(actor, rule)
    if rule.grants_reveal:
        condition |= grants.granted_q(actor, rule)
    for name in rule.sees:
        condition |= _relation_q(actor, rule, name)
    return condition


def _write_q(actor: Actor, rule: ScopeRule, action: Action) -> Q:
    """Rows the actor may ``action``: one of the relationships the rule lists for it.
    Each of them sees the row (checked by :func:`register`), so the grants stay the
    ceiling without being asked twice."""
    condition = grants.NOTHING
    for name in rule.writes.get(action, ()):
        condition |= _relation_q(actor, rule, name)
    return condition


def restrict(
    actor: Actor | None, queryset: QuerySet[M], action: Action = Action.VIEW
) -> QuerySet[M]:
    """The rows of ``queryset`` that ``actor`` may ``action``; none for no actor or role."""
    if actor is None or not actor.has_role(ACTION_ROLE[action]):
        return queryset.none()
    rule = rule_for(queryset.model)
    if action == Action.VIEW:
        return queryset.filter(_visibility_q(actor, rule))
    return queryset.filter(_write_q(actor, rule, action))


def related(actor: Actor | None, queryset: QuerySet[M], relation: str) -> QuerySet[M]:
    """The rows of ``queryset`` to which the actor's organisation stands in ``relation``
    (:data:`OWNER`, :data:`MARKET_PARTNER` or one the rule names): the brands it owns,
    the vehicles it holds, the orders it sold."""
    if actor is None:
        return queryset.none()
    rule = rule_for(queryset.model)
    if relation not in (OWNER, MARKET_PARTNER, *rule.relations):
        raise LookupError(f"{queryset.model.__name__} has no relation {relation!r}.")
    return queryset.filter(_relation_q(actor, rule, relation))


def creation_rule(
    actor: Actor | None, model: type[models.Model]
) -> Callable[[int, int, str], bool]:
    """Whether ``actor`` may create a ``model`` row, as a question of a brand's id, its
    owner's id and a market, with the actor's grants read once (an import asks it for
    every row): the rule's relationships for creating say who — the brand owner, or the
    trade partner or importer granted the market. (The named relationships, such as
    the seller, are the actor itself on a new row.)"""
    if actor is None or not actor.has_role(ACTION_ROLE[Action.CREATE]):
        return lambda brand_id, owner_id, market: False
    rule = rule_for(model)
    allowed = rule.writes.get(Action.CREATE, ())
    owns = OWNER in allowed
    granted: dict[int, set[str]] = {}
    if MARKET_PARTNER in allowed and actor.organization.kind in MARKET_ACTING_KINDS:
        granted = grants.grants_of(actor.organization_id, area=rule.area)
    organization_id = actor.organization_id

    def may(brand_id: int, owner_id: int, market: str) -> bool:
        return (owns and owner_id == organization_id) or market in granted.get(brand_id, ())

    return may


def may_create(
    actor: Actor | None, model: type[models.Model], *, brand_id: int, owner_id: int, market: str
) -> bool:
    """Whether ``actor`` may create one ``model`` row of a brand in a market
    (:func:`creation_rule`)."""
    return creation_rule(actor, model)(brand_id, owner_id, market)


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


def sees_personal_data(actor: Actor | None, *, recorded_by_id: int | None, owner_id: int) -> bool:
    """Whether ``actor`` may see personal data on a row it sees: a retail customer's
    name and contacts, the price a customer paid. Only the organisation that recorded
    it and the brand owner (``owner_id``) do; the other grantees of the market do not."""
    return actor is not None and actor.organization_id in (recorded_by_id, owner_id)


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
