"""API endpoints of the accounts app: who am I, organisations, members and API tokens.

A browser session acts, for an organisation's endpoints, as the person's
membership in that organisation; a token-authenticated request acts as the
token's one membership and sees nothing else.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from seabridge.accounts.auth import bound_actor
from seabridge.accounts.choices import OrganizationKind, OrganizationStatus, Role
from seabridge.accounts.filters import MemberFilter, OrganizationFilter
from seabridge.accounts.models import ApiToken, Membership, Organization
from seabridge.accounts.selectors import (
    api_token_get,
    api_tokens_of,
    member_get,
    members_of,
    memberships_of_user,
    organization_with_actor,
    organizations_visible_to,
)
from seabridge.accounts.services import (
    api_token_create,
    api_token_revoke,
    member_change_role,
    member_invite,
    member_remove,
    organization_update,
)
from seabridge.core.errors import Forbidden, NotFound
from seabridge.core.pagination import PageNumberPagination
from seabridge.core.scope import Actor
from seabridge.core.types import IsoDateTime, PathId
from seabridge.core.views import request_actor

router = Router(tags=["accounts"])


# --- schemas -------------------------------------------------------------------------


class UserOut(Schema):
    id: int
    username: str
    email: str
    full_name: str

    @staticmethod
    def resolve_full_name(user: User) -> str:
        return user.get_full_name()


class OrganizationBriefOut(Schema):
    id: int
    short_name: str
    kind: OrganizationKind


class OrganizationOut(Schema):
    id: int
    kind: OrganizationKind
    legal_name: str
    short_name: str
    home_country: str = Field(..., alias="home_country_id", description="ISO 3166 alpha-2.")
    languages: list[str]
    status: OrganizationStatus
    founded_year: int | None
    description: str
    created_at: datetime
    updated_at: datetime


class OrganizationIn(Schema):
    """The facts an organisation's admin may change; leave out what stays as it is."""

    legal_name: str | None = Field(None, min_length=1, max_length=200)
    short_name: str | None = Field(None, min_length=1, max_length=60)
    home_country: str | None = Field(None, min_length=2, max_length=2, description="ISO alpha-2.")
    languages: list[str] | None = Field(None, max_length=20)
    founded_year: int | None = Field(None, ge=1800, le=2100)
    description: str | None = Field(None, max_length=5000)


class MembershipOut(Schema):
    id: int
    organization_id: int
    user: UserOut
    role: Role
    created_at: datetime


class MyMembershipOut(Schema):
    id: int
    organization: OrganizationBriefOut
    role: Role


class MeOut(Schema):
    user: UserOut
    organization: OrganizationBriefOut | None
    role: Role | None
    memberships: list[MyMembershipOut]


class MemberInviteIn(Schema):
    email: str = Field(..., min_length=3, max_length=150)
    role: Role = Role.VIEWER


class MemberRoleIn(Schema):
    role: Role


class ApiTokenOut(Schema):
    id: int
    name: str
    key_prefix: str
    organization: OrganizationBriefOut
    role: Role
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime
    is_usable: bool

    @staticmethod
    def resolve_organization(token: ApiToken) -> Organization:
        return token.membership.organization

    @staticmethod
    def resolve_role(token: ApiToken) -> str:
        return token.membership.role


class ApiTokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    expires_at: IsoDateTime = Field(
        ..., description="When the token stops working (at most a year)."
    )


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(
        ..., alias="clear_token", description="The clear token; shown this once and never again."
    )


# --- helpers -------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # the API's authentication lets no anonymous caller in
        raise NotFound()
    return user


def _organization(
    request: HttpRequest, organization_id: PathId
) -> tuple[Organization, Actor | None]:
    return organization_with_actor(
        user=_user(request), organization_id=organization_id, bound_actor=bound_actor(request)
    )


def _acting(actor: Actor | None) -> Actor:
    """The actor for a write; a superuser who is not a member may only look."""
    if actor is None:
        raise Forbidden()
    return actor


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# --- me ------------------------------------------------------------------------------


@router.get("/me", response=MeOut, summary="Who is calling, for which organisation and role")
def me(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    actor = request_actor(request)
    return {
        "user": user,
        "organization": actor.organization if actor else None,
        "role": actor.role if actor else None,
        "memberships": list(memberships_of_user(user=user)),
    }


# --- organisations -------------------------------------------------------------------


@router.get(
    "/organizations",
    response=list[OrganizationOut],
    summary="Organisations the caller belongs to (superusers: all)",
)
@paginate(PageNumberPagination)
def organization_list(
    request: HttpRequest, filters: Query[OrganizationFilter]
) -> QuerySet[Organization]:
    organizations = organizations_visible_to(user=_user(request), bound_actor=bound_actor(request))
    return filters.filter(organizations).order_by("short_name", "pk")


@router.get(
    "/organizations/{organization_id}", response=OrganizationOut, summary="Read an organisation"
)
def organization_detail(request: HttpRequest, organization_id: PathId) -> Organization:
    organization, _actor = _organization(request, organization_id)
    return organization


@router.patch(
    "/organizations/{organization_id}",
    response=OrganizationOut,
    summary="Change an organisation's facts (its admins)",
)
def organization_patch(
    request: HttpRequest, organization_id: PathId, payload: OrganizationIn
) -> Organization:
    organization, actor = _organization(request, organization_id)
    return organization_update(
        actor=_acting(actor), organization=organization, data=payload.dict(exclude_unset=True)
    )


# --- members -------------------------------------------------------------------------


@router.get(
    "/organizations/{organization_id}/members",
    response=list[MembershipOut],
    summary="An organisation's members and their roles",
)
@paginate(PageNumberPagination)
def member_list(
    request: HttpRequest, organization_id: PathId, filters: Query[MemberFilter]
) -> QuerySet[Membership]:
    organization, _actor = _organization(request, organization_id)
    return filters.filter(members_of(organization=organization))


@router.post(
    "/organizations/{organization_id}/members",
    response={201: MembershipOut},
    summary="Invite a person by e-mail (admins)",
)
def member_create(
    request: HttpRequest, organization_id: PathId, payload: MemberInviteIn
) -> Status[Membership]:
    _organization_found, actor = _organization(request, organization_id)
    membership = member_invite(
        actor=_acting(actor), email=payload.email, role=payload.role, site_url=_site_url(request)
    )
    return Status(201, membership)


@router.patch(
    "/organizations/{organization_id}/members/{membership_id}",
    response=MembershipOut,
    summary="Change a member's role (admins; never one's own)",
)
def member_patch(
    request: HttpRequest, organization_id: PathId, membership_id: PathId, payload: MemberRoleIn
) -> Membership:
    organization, actor = _organization(request, organization_id)
    membership = member_get(organization=organization, membership_id=membership_id)
    return member_change_role(actor=_acting(actor), membership=membership, role=payload.role)


@router.delete(
    "/organizations/{organization_id}/members/{membership_id}",
    response={204: None},
    summary="Remove a member (admins; never the last admin)",
)
def member_delete(
    request: HttpRequest, organization_id: PathId, membership_id: PathId
) -> Status[None]:
    organization, actor = _organization(request, organization_id)
    membership = member_get(organization=organization, membership_id=membership_id)
    member_remove(actor=_acting(actor), membership=membership)
    return Status(204, None)


# --- tokens --------------------------------------------------------------------------


def _token_membership_id(request: HttpRequest) -> int | None:
    """A token-bound request sees only its own membership's tokens."""
    actor = bound_actor(request)
    return actor.membership_id if actor else None


@router.get("/tokens", response=list[ApiTokenOut], summary="The caller's API tokens")
@paginate(PageNumberPagination)
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    return api_tokens_of(user=_user(request), membership_id=_token_membership_id(request))


@router.post(
    "/tokens",
    response={201: ApiTokenCreatedOut},
    summary="Create an API token for the acting organisation; the clear token is answered once",
)
def token_create(request: HttpRequest, payload: ApiTokenIn) -> Status[ApiToken]:
    actor = request_actor(request)
    token, clear_token = api_token_create(
        actor=_acting(actor), name=payload.name, expires_at=payload.expires_at
    )
    token = api_token_get(user=_user(request), token_id=token.pk)
    token.clear_token = clear_token  # type: ignore[attr-defined]  # answered this once
    return Status(201, token)


@router.post(
    "/tokens/{token_id}/revoke", response=ApiTokenOut, summary="Revoke one of the caller's tokens"
)
def token_revoke(request: HttpRequest, token_id: PathId) -> ApiToken:
    user = _user(request)
    token = api_token_get(user=user, token_id=token_id, membership_id=_token_membership_id(request))
    api_token_revoke(actor=user, token=token)
    return api_token_get(user=user, token_id=token_id)
