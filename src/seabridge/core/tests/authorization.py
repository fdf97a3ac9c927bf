"""The authorization matrix: what every endpoint and page answers to every kind of caller.

Endpoints are *discovered* (the OpenAPI schema, the URL conf); this file only says,
for each, which access policy it follows, which role its action needs and, for
writes, a valid body. The meta-tests fail when an endpoint or page has no policy
here, and when a model with brand or market fields is not registered with the
scope module.

Callers tried for every endpoint: anonymous; a signed-in person with no
membership ("lonely"); JAC's viewer, staff, manager and admin (own scope); Nezha's
admin (a foreign maker with no grant: foreign scope); Zhongjiang's viewer and
admin (a partner granted JAC in Saudi Arabia and Iraq for sales, and grantee of
the draft agreement under test); and the steward (a platform administrator, admin of
Seabridge Operations, which no agreement grants anything), who keeps the reference
data. Unless a policy says otherwise, the partner and the steward are treated as
foreign.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from seabridge.accounts.choices import Role
from seabridge.core.tests.world import World

CALLERS = [
    "anonymous",
    "lonely",
    "jac_viewer",
    "jac_staff",
    "jac_manager",
    "jac_admin",
    "nezha_admin",
    "partner_viewer",
    "partner_admin",
    "steward",
]
OWN_ROLES = {
    "jac_viewer": Role.VIEWER,
    "jac_staff": Role.STAFF,
    "jac_manager": Role.MANAGER,
    "jac_admin": Role.ADMIN,
}
# Our apps and page namespaces are discovered (installed apps, the URL conf), never
# kept by hand: a new app's models and pages join the matrix by being installed.
OUR_APPS = [
    config.label for config in apps.get_app_configs() if config.name.startswith("seabridge.")
]


class Access(enum.Enum):
    PUBLIC = "public"  # anyone, signed in or not
    SIGNED_IN = "signed_in"  # any signed-in person: reference data, their own account
    MEMBER = "member"  # any signed-in person acting for an organisation, at the role given
    SCOPED = "scoped"  # one row of JAC's: 404 outside the scope, 403 below the role
    SCOPED_LIST = "scoped_list"  # a list: JAC's rows only for JAC's members
    STEWARD = "steward"  # reference data: only the platform's steward changes it (others 403)


@dataclass(frozen=True)
class Policy:
    access: Access
    role: Role = Role.VIEWER
    success: int = 200
    body: Callable[[World], dict[str, Any]] | None = None
    own_ids: Callable[[World], set[Any]] | None = None  # for lists: the JAC rows it must show
    id_key: str = "id"
    format: str = "json"  # json or form (pages)
    setup: Callable[[World], None] | None = None  # puts the row in the state the action needs
    query: Callable[[World], dict[str, Any]] | None = None  # query string for the request
    params: Callable[[World], dict[str, Any]] | None = None  # URL parameters (pages; API overrides)
    expect: dict[str, int] = field(default_factory=dict)  # per-caller exceptions to the rule
    # For a form page whose refusal is a redirect like its success: the callers that may
    # change the database; every other caller's answer must leave it as it was.
    writers: frozenset[str] | None = None


# Path parameters by name: the JAC-owned (own-scope) row each one points at.
PARAMETERS: dict[str, Callable[[World], Any]] = {
    "agreement_id": lambda world: world.agreement.pk,
    "job_id": lambda world: world.job.pk,
    "organization_id": lambda world: world.jac.pk,
    "membership_id": lambda world: world.jac_staff.membership_id,
    "token_id": lambda world: world.token_id("jac_viewer"),
    "brand_id": lambda world: world.jac_brand.pk,
    "line_id": lambda world: world.jac_line.pk,
    "variant_id": lambda world: world.jac_variant.pk,
    "homologation_id": lambda world: world.saudi_homologation.pk,
    "code": lambda world: "SA",
}

# Who else sees JAC's catalogue: the partner, through its sales grant (SA, IQ).
PARTNER_SEES = {"partner_viewer": 200, "partner_admin": 200}
# ... but the catalogue is the owner's to write.
PARTNER_MAY_NOT_WRITE = {"partner_viewer": 403, "partner_admin": 403}
# The markets pages send a person who may not edit back to the page with a message.
REDIRECTS_ALL_BUT_THE_STEWARD = {
    caller: 302 for caller in CALLERS if caller not in ("anonymous", "steward")
}
STEWARD_WRITES = frozenset({"steward"})
JAC_ONLY = {
    "nezha_admin": 404,
    "partner_viewer": 404,
    "partner_admin": 404,
}
# A superuser's pages (not its API token, which is bound to one organisation) see every
# organisation, and may only look at one they are not a member of.
SUPERUSER_LOOKS = {**JAC_ONLY, "steward": 200}
SUPERUSER_MAY_NOT_CHANGE = {**JAC_ONLY, "steward": 403}
# Only a manufacturer owns a brand: the steward's organisation is a service provider.
NOT_A_MAKER = {"lonely": 403, "partner_viewer": 403, "partner_admin": 403, "steward": 403}


def _pdf() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("memorandum.pdf", b"%PDF-1.7", "application/pdf")


def attach_document(world: World) -> None:
    from seabridge.agreements.services import agreement_update

    agreement_update(actor=world.jac_admin, agreement=world.agreement, document=_pdf())


def sign_agreement(world: World) -> None:
    from datetime import date

    from seabridge.agreements.services import agreement_sign

    agreement_sign(
        actor=world.jac_admin,
        agreement=world.agreement,
        signed_on=date(2025, 1, 5),
        signed_in="Hefei",
    )


def _agreement_body(world: World) -> dict[str, Any]:
    return {
        "kind": "distribution",
        "title": "Iraq distribution",
        "grantee_id": world.dealer.pk,
        "effective_from": "2025-01-01",
        "effective_to": "2027-12-31",
        "brands": [world.jac_brand.pk],
        "countries": ["IQ"],
        "areas": ["sales"],
    }


def _line_body(world: World) -> dict[str, Any]:
    return {"brand_id": world.jac_brand.pk, "name": "T9"}


def _variant_body(world: World) -> dict[str, Any]:
    return {
        "product_line_id": world.jac_line.pk,
        "code": "T8-P",
        "name": "T8 petrol double cab",
        "body": "pickup_double_cab",
        "powertrain": "petrol",
        "hs_code": "87042100",
        "list_price": "118000",
        "list_price_currency": "CNY",
    }


def _homologation_body(world: World) -> dict[str, Any]:
    return {"variant_id": world.jac_variant.pk, "country": "CN", "status": "pending"}


API: dict[str, Policy] = {
    # accounts: one's own organisations, members and tokens
    "GET /api/v1/accounts/me": Policy(Access.SIGNED_IN),
    "GET /api/v1/accounts/organizations": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {world.jac.pk}
    ),
    "GET /api/v1/accounts/organizations/{organization_id}": Policy(Access.SCOPED, expect=JAC_ONLY),
    "PATCH /api/v1/accounts/organizations/{organization_id}": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        body=lambda world: {"description": "Pickups since 1964."},
        expect=JAC_ONLY,
    ),
    "GET /api/v1/accounts/organizations/{organization_id}/members": Policy(
        Access.SCOPED, expect=JAC_ONLY
    ),
    "POST /api/v1/accounts/organizations/{organization_id}/members": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        success=201,
        body=lambda world: {"email": "new.person@example.com", "role": "viewer"},
        expect=JAC_ONLY,
    ),
    "PATCH /api/v1/accounts/organizations/{organization_id}/members/{membership_id}": Policy(
        Access.SCOPED, role=Role.ADMIN, body=lambda world: {"role": "manager"}, expect=JAC_ONLY
    ),
    "DELETE /api/v1/accounts/organizations/{organization_id}/members/{membership_id}": Policy(
        Access.SCOPED, role=Role.ADMIN, success=204, expect=JAC_ONLY
    ),
    "GET /api/v1/accounts/tokens": Policy(Access.SIGNED_IN),
    "POST /api/v1/accounts/tokens": Policy(
        Access.MEMBER,
        success=201,
        body=lambda world: {"name": "ERP sync", "expires_at": "2027-01-31T00:00:00Z"},
        expect={"lonely": 403},
    ),
    # A token is its owner's alone (jac_viewer's is under test).
    "POST /api/v1/accounts/tokens/{token_id}/revoke": Policy(
        Access.SCOPED,
        expect={"jac_staff": 404, "jac_manager": 404, "jac_admin": 404},
    ),
    # markets: reference data every signed-in person reads and the steward keeps (the
    # partner granted Saudi Arabia may change its profile's field notes, not its duties)
    "GET /api/v1/markets/countries": Policy(Access.SIGNED_IN),
    "GET /api/v1/markets/countries/{code}": Policy(Access.SIGNED_IN),
    "GET /api/v1/markets/countries/{code}/profile": Policy(Access.SIGNED_IN),
    "PATCH /api/v1/markets/countries/{code}/profile": Policy(
        Access.STEWARD,
        body=lambda world: {"import_duty_pickup_pct": "5.00", "is_resource_rich": True},
    ),
    "GET /api/v1/markets/regions": Policy(Access.SIGNED_IN),
    "POST /api/v1/markets/regions": Policy(
        Access.STEWARD,
        success=201,
        body=lambda world: {"code": "levant", "name": "Levant", "countries": ["IQ"]},
    ),
    "GET /api/v1/markets/regions/{code}": Policy(
        Access.SIGNED_IN, params=lambda world: {"code": "gcc"}
    ),
    "PATCH /api/v1/markets/regions/{code}": Policy(
        Access.STEWARD,
        body=lambda world: {"countries": ["SA", "OM", "IQ"]},
        params=lambda world: {"code": "gcc"},
    ),
    # catalog: the owner's; partners read what their grants cover
    "GET /api/v1/catalog/brands": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {world.jac_brand.pk}, expect=PARTNER_SEES
    ),
    "POST /api/v1/catalog/brands": Policy(
        Access.MEMBER,
        role=Role.STAFF,
        success=201,
        body=lambda world: {"name": "Shuailing"},
        expect=NOT_A_MAKER,
    ),
    "GET /api/v1/catalog/brands/{brand_id}": Policy(Access.SCOPED, expect=PARTNER_SEES),
    "PATCH /api/v1/catalog/brands/{brand_id}": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"name": "JAC Motors"},
        expect=PARTNER_MAY_NOT_WRITE,
    ),
    "GET /api/v1/catalog/product-lines": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {world.jac_line.pk}, expect=PARTNER_SEES
    ),
    "POST /api/v1/catalog/product-lines": Policy(
        Access.MEMBER,
        role=Role.STAFF,
        success=201,
        body=_line_body,
        expect={"lonely": 422, "nezha_admin": 422, **PARTNER_MAY_NOT_WRITE},
    ),
    "GET /api/v1/catalog/product-lines/{line_id}": Policy(Access.SCOPED, expect=PARTNER_SEES),
    "PATCH /api/v1/catalog/product-lines/{line_id}": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"description": "Diesel and petrol pickups."},
        expect=PARTNER_MAY_NOT_WRITE,
    ),
    "GET /api/v1/catalog/variants": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {world.jac_variant.pk}, expect=PARTNER_SEES
    ),
    "POST /api/v1/catalog/variants": Policy(
        Access.MEMBER,
        role=Role.STAFF,
        success=201,
        body=_variant_body,
        expect={"lonely": 422, "nezha_admin": 422, **PARTNER_MAY_NOT_WRITE},
    ),
    "GET /api/v1/catalog/variants/{variant_id}": Policy(Access.SCOPED, expect=PARTNER_SEES),
    "PATCH /api/v1/catalog/variants/{variant_id}": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"engine": "2.0 L turbo diesel"},
        expect=PARTNER_MAY_NOT_WRITE,
    ),
    "GET /api/v1/catalog/homologations": Policy(
        Access.SCOPED_LIST,
        own_ids=lambda world: {world.saudi_homologation.pk},
        expect=PARTNER_SEES,
    ),
    "POST /api/v1/catalog/homologations": Policy(
        Access.MEMBER,
        role=Role.STAFF,
        body=_homologation_body,
        expect={"lonely": 422, "nezha_admin": 422, **PARTNER_MAY_NOT_WRITE},
    ),
    "GET /api/v1/catalog/homologations/{homologation_id}": Policy(
        Access.SCOPED, expect=PARTNER_SEES
    ),
    "PATCH /api/v1/catalog/homologations/{homologation_id}": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"certificate_ref": "SASO-2025-0042"},
        expect=PARTNER_MAY_NOT_WRITE,
    ),
    "GET /api/v1/health": Policy(Access.PUBLIC),
    # A job is its starter's alone (jac_viewer started the one under test).
    "GET /api/v1/jobs/{job_id}": Policy(
        Access.SCOPED, expect={"jac_staff": 404, "jac_manager": 404, "jac_admin": 404}
    ),
    "GET /api/v1/agreements/": Policy(
        Access.SCOPED_LIST,
        own_ids=lambda world: {world.agreement.pk},
        expect={"partner_viewer": 200, "partner_admin": 200},
    ),
    # Others may draft agreements too, but not grant JAC's brand: a 422 naming the brand.
    "POST /api/v1/agreements/": Policy(
        Access.MEMBER,
        role=Role.ADMIN,
        success=201,
        body=_agreement_body,
        expect={"nezha_admin": 422, "partner_admin": 422},
    ),
    "GET /api/v1/agreements/market-visibility": Policy(
        Access.MEMBER,
        query=lambda world: {"brand": world.jac_brand.pk, "country": "SA"},
        # Only the brand's owner may ask who sees its market.
        expect={"nezha_admin": 404, "partner_viewer": 404, "partner_admin": 404},
    ),
    # The agreement under test is JAC's draft to Zhongjiang: both parties see it,
    # both parties' admins sign and terminate it, only the grantor activates it.
    "GET /api/v1/agreements/{agreement_id}": Policy(
        Access.SCOPED, expect={"partner_viewer": 200, "partner_admin": 200}
    ),
    "POST /api/v1/agreements/{agreement_id}/sign": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        body=lambda world: {"signed_on": "2025-02-01", "signed_in": "Hefei"},
        expect={"partner_viewer": 403, "partner_admin": 200},
    ),
    # Drafts are edited by the grantor's admin only; the grantee may look.
    "PATCH /api/v1/agreements/{agreement_id}": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        body=lambda world: {"title": "Memorandum, revised"},
        expect={"partner_viewer": 403, "partner_admin": 403},
    ),
    "POST /api/v1/agreements/{agreement_id}/document": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        format="multipart",
        body=lambda world: {"document": _pdf()},
        expect={"partner_viewer": 403, "partner_admin": 403},
    ),
    "POST /api/v1/agreements/{agreement_id}/activate": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        setup=sign_agreement,
        expect={"partner_viewer": 403, "partner_admin": 403},
    ),
    "POST /api/v1/agreements/{agreement_id}/terminate": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        expect={"partner_viewer": 403, "partner_admin": 200},
    ),
}


def _jac(world: World) -> dict[str, Any]:
    return {"pk": world.jac.pk}


PAGES: dict[str, Policy] = {
    # accounts
    "GET accounts:organization-list": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {"JAC Co., Ltd."}, expect={"steward": 200}
    ),
    "GET accounts:organization-detail": Policy(Access.SCOPED, params=_jac, expect=SUPERUSER_LOOKS),
    "GET accounts:organization-edit": Policy(
        Access.SCOPED, role=Role.ADMIN, params=_jac, expect=SUPERUSER_MAY_NOT_CHANGE
    ),
    "GET accounts:member-invite": Policy(
        Access.SCOPED, role=Role.ADMIN, params=_jac, expect=SUPERUSER_MAY_NOT_CHANGE
    ),
    "GET accounts:member-role": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        params=lambda world: {"pk": world.jac.pk, "membership_id": world.jac_staff.membership_id},
        expect=SUPERUSER_MAY_NOT_CHANGE,
    ),
    "GET accounts:member-remove": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        params=lambda world: {"pk": world.jac.pk, "membership_id": world.jac_staff.membership_id},
        expect=SUPERUSER_MAY_NOT_CHANGE,
    ),
    "GET accounts:token-list": Policy(Access.SIGNED_IN),
    "GET accounts:token-revoke": Policy(
        Access.SCOPED,
        params=lambda world: {"pk": world.token_id("jac_viewer")},
        expect={"jac_staff": 404, "jac_manager": 404, "jac_admin": 404},
    ),
    "POST accounts:act-as": Policy(
        Access.SCOPED,
        success=302,
        format="form",
        body=lambda world: {"organization": world.jac.pk, "next": "/"},
        expect=JAC_ONLY,
    ),
    # The invitation link: its token is the proof, so anyone holding it may open it.
    "GET accounts:set-password": Policy(
        Access.PUBLIC,
        success=302,  # Django moves the token from the URL into the session first
        params=lambda world: world.invitation_link(),
    ),
    # markets
    "GET markets:country-list": Policy(Access.SIGNED_IN),
    "GET markets:country-export": Policy(Access.SIGNED_IN, params=lambda world: {"format": "csv"}),
    "GET markets:country-detail": Policy(Access.SIGNED_IN, params=lambda world: {"code": "SA"}),
    # The partner granted Saudi Arabia gets the form of its field notes.
    "GET markets:profile-edit": Policy(
        Access.STEWARD,
        params=lambda world: {"code": "SA"},
        expect={**REDIRECTS_ALL_BUT_THE_STEWARD, "partner_admin": 200},
    ),
    "POST markets:profile-edit": Policy(
        Access.STEWARD,
        success=302,
        format="form",
        params=lambda world: {"code": "IQ"},
        body=lambda world: {"traffic_side": "left", "import_duty_pickup_pct": "0"},
        expect=REDIRECTS_ALL_BUT_THE_STEWARD,
        writers=STEWARD_WRITES,
    ),
    "GET markets:region-list": Policy(Access.SIGNED_IN),
    "GET markets:region-create": Policy(Access.STEWARD, expect=REDIRECTS_ALL_BUT_THE_STEWARD),
    "POST markets:region-create": Policy(
        Access.STEWARD,
        success=302,
        format="form",
        body=lambda world: {"code": "levant", "name": "Levant", "countries": "IQ"},
        expect=REDIRECTS_ALL_BUT_THE_STEWARD,
        writers=STEWARD_WRITES,
    ),
    "GET markets:region-detail": Policy(Access.SIGNED_IN, params=lambda world: {"code": "gcc"}),
    "GET markets:region-edit": Policy(
        Access.STEWARD,
        params=lambda world: {"code": "gcc"},
        expect=REDIRECTS_ALL_BUT_THE_STEWARD,
    ),
    "POST markets:region-edit": Policy(
        Access.STEWARD,
        success=302,
        format="form",
        params=lambda world: {"code": "gcc"},
        body=lambda world: {"name": "GCC", "countries": "SA OM IQ"},
        expect=REDIRECTS_ALL_BUT_THE_STEWARD,
        writers=STEWARD_WRITES,
    ),
    # catalog
    "GET catalog:brand-list": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {">JAC<"}, expect=PARTNER_SEES
    ),
    "GET catalog:brand-create": Policy(Access.MEMBER, role=Role.STAFF, expect=NOT_A_MAKER),
    "GET catalog:brand-detail": Policy(
        Access.SCOPED, params=lambda world: {"pk": world.jac_brand.pk}, expect=PARTNER_SEES
    ),
    "GET catalog:brand-edit": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        params=lambda world: {"pk": world.jac_brand.pk},
        expect=PARTNER_MAY_NOT_WRITE,
    ),
    "GET catalog:product-line-create": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        params=lambda world: {"brand_pk": world.jac_brand.pk},
        expect=PARTNER_MAY_NOT_WRITE,
    ),
    "GET catalog:product-line-detail": Policy(
        Access.SCOPED, params=lambda world: {"pk": world.jac_line.pk}, expect=PARTNER_SEES
    ),
    "GET catalog:product-line-edit": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        params=lambda world: {"pk": world.jac_line.pk},
        expect=PARTNER_MAY_NOT_WRITE,
    ),
    "GET catalog:variant-list": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {"T8-D"}, expect=PARTNER_SEES
    ),
    # A download: its rows are checked in catalog/tests/test_exports.py.
    "GET catalog:variant-export": Policy(
        Access.SCOPED_LIST, params=lambda world: {"format": "csv"}
    ),
    # The empty form opens for any staff; saving checks the product line's scope.
    "GET catalog:variant-create": Policy(Access.MEMBER, role=Role.STAFF, expect={"lonely": 403}),
    "GET catalog:variant-detail": Policy(
        Access.SCOPED, params=lambda world: {"pk": world.jac_variant.pk}, expect=PARTNER_SEES
    ),
    "GET catalog:variant-edit": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        params=lambda world: {"pk": world.jac_variant.pk},
        expect=PARTNER_MAY_NOT_WRITE,
    ),
    "GET catalog:homologation-create": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        params=lambda world: {"variant_pk": world.jac_variant.pk},
        expect=PARTNER_MAY_NOT_WRITE,
    ),
    "GET catalog:homologation-edit": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        params=lambda world: {"pk": world.saudi_homologation.pk},
        expect=PARTNER_MAY_NOT_WRITE,
    ),
    "GET web:home": Policy(Access.SIGNED_IN),
    # A signed-in person is sent on from the sign-in page.
    "GET web:sign-in": Policy(
        Access.PUBLIC, expect={caller: 302 for caller in CALLERS if caller != "anonymous"}
    ),
    "POST web:sign-out": Policy(Access.PUBLIC, success=302, body=lambda world: {}, format="form"),
    "GET core:job-detail": Policy(
        Access.SCOPED, expect={"jac_staff": 404, "jac_manager": 404, "jac_admin": 404}
    ),
    "GET agreements:agreement-list": Policy(
        Access.SCOPED_LIST,
        own_ids=lambda world: {world.agreement.title},
        expect={"partner_viewer": 200, "partner_admin": 200},
    ),
    # A download: its rows are checked in agreements/tests/test_exports.py.
    "GET agreements:agreement-export": Policy(
        Access.SCOPED_LIST, params=lambda world: {"format": "csv"}
    ),
    "GET agreements:agreement-create": Policy(Access.MEMBER),
    "GET agreements:market-visibility": Policy(
        Access.MEMBER, query=lambda world: {"brand": world.jac_brand.pk, "country": "SA"}
    ),
    "GET agreements:agreement-edit": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        expect={"partner_viewer": 403, "partner_admin": 403},
    ),
    "GET agreements:agreement-document": Policy(
        Access.SCOPED, setup=attach_document, expect={"partner_viewer": 200, "partner_admin": 200}
    ),
    "GET agreements:agreement-detail": Policy(
        Access.SCOPED, expect={"partner_viewer": 200, "partner_admin": 200}
    ),
    # Only the grantee sub-grants; the page opens for it (the service checks the role).
    "GET agreements:agreement-sub-grant": Policy(
        Access.SCOPED,
        expect={
            "jac_viewer": 404,
            "jac_staff": 404,
            "jac_manager": 404,
            "jac_admin": 404,
            "partner_viewer": 200,
            "partner_admin": 200,
        },
    ),
    "POST agreements:agreement-sign": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        success=302,
        format="form",
        body=lambda world: {"signed_on": "2025-02-01", "signed_in": "Hefei"},
        expect={"partner_viewer": 403, "partner_admin": 302},
    ),
    "POST agreements:agreement-activate": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        success=302,
        format="form",
        body=lambda world: {},
        setup=sign_agreement,
        expect={"partner_viewer": 403, "partner_admin": 403},
    ),
    "POST agreements:agreement-terminate": Policy(
        Access.SCOPED,
        role=Role.ADMIN,
        success=302,
        format="form",
        body=lambda world: {},
        expect={"partner_viewer": 403, "partner_admin": 302},
    ),
}

# Page URL keyword names → the JAC-owned row they point at (policies may override).
PAGE_PARAMETERS: dict[str, Callable[[World], Any]] = {
    "agreement_id": PARAMETERS["agreement_id"],
    "job_id": PARAMETERS["job_id"],
}


# --- discovery ----------------------------------------------------------------------


def api_operations() -> list[str]:
    """Every operation of the API as ``METHOD path``, from the OpenAPI schema."""
    from seabridge.api import api

    schema = api.get_openapi_schema()
    return sorted(
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    )


@dataclass(frozen=True)
class PageRoute:
    name: str  # namespace:name
    parameters: tuple[str, ...]
    methods: tuple[str, ...] = field(default=("GET",))


def _ours(resolver: URLResolver) -> bool:
    module = resolver.urlconf_module
    return getattr(module, "__name__", "").startswith("seabridge.")


def _walk(
    patterns: Iterable[URLPattern | URLResolver], namespace: str | None
) -> Iterable[tuple[str | None, URLPattern]]:
    """Every page of our apps' URL confs with its namespaced name (None when unnamed)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace and _ours(pattern):
                yield from _walk(pattern.url_patterns, pattern.namespace)
            elif pattern.namespace is None:
                yield from _walk(pattern.url_patterns, namespace)
        elif namespace is not None:
            yield (f"{namespace}:{pattern.name}" if pattern.name else None), pattern


def page_routes() -> dict[str, tuple[str, ...]]:
    """Every named page of our apps, with its URL keyword names, from the URL conf."""
    return {
        name: tuple(pattern.pattern.converters)
        for name, pattern in _walk(get_resolver().url_patterns, None)
        if name is not None
    }


def unnamed_routes() -> list[str]:
    """Routes of our apps without a name, which the matrix could not address."""
    return sorted(
        str(pattern.pattern)
        for name, pattern in _walk(get_resolver().url_patterns, None)
        if name is None
    )


def uncovered(discovered: Iterable[str], declared: Iterable[str]) -> list[str]:
    """What was discovered but has no policy (the meta-test wants this empty)."""
    return sorted(set(discovered) - set(declared))


SCOPE_TARGETS = ("accounts.Organization", "catalog.Brand", "catalog.Variant", "markets.Country")


def _label(target: Any) -> str:
    """A relation's target model as ``app.Model`` (a string until its app is loaded)."""
    return target if isinstance(target, str) else target._meta.label


def scoped_model_problems(models_to_check: Iterable[type[models.Model]]) -> list[str]:
    """Models that point at an organisation, a brand (or variant) or a country, or have
    a market, that no scope rule covers and that are not exempted with a reason."""
    from seabridge.core.scope import registered_models

    registered = registered_models()
    problems = []
    for model in models_to_check:
        if model in registered or model in SCOPE_EXEMPT:
            continue
        points_at_scope = any(
            (field.many_to_one or field.one_to_one or field.many_to_many)
            and not field.auto_created
            and _label(field.related_model) in SCOPE_TARGETS
            for field in model._meta.get_fields()
        )
        names = {field.name for field in model._meta.get_fields()}
        if points_at_scope or "market" in names:
            problems.append(model._meta.label)
    return problems


def our_models() -> list[type[models.Model]]:
    return [model for label in OUR_APPS for model in apps.get_app_config(label).get_models()]


def _exempt() -> dict[type[models.Model], str]:
    """Models that point at an organisation, brand or country without a scope rule, and
    the one place each is read through instead."""
    from seabridge.accounts.models import Membership, Organization
    from seabridge.agreements.models import Agreement, AgreementScopeEntry, Signatory
    from seabridge.imports.models import ImportBatch
    from seabridge.markets.models import BusinessRegion, MarketProfile
    from seabridge.planning.models import PlanApproval
    from seabridge.vehicles.models import Customer, Plant, StockCount

    return {
        AgreementScopeEntry: "the grant itself; read only through agreements_visible()",
        Agreement: "read through agreements.selectors.agreements_visible(): its parties",
        Signatory: "part of its agreement, read with it",
        Organization: "read through accounts.selectors (one's own) and "
        "agreements.selectors.counterparties_visible()",
        Membership: "one's own organisation's, read through accounts.selectors",
        BusinessRegion: "reference data every signed-in person reads; its stewards write it",
        MarketProfile: "reference data every signed-in person reads; its stewards write it",
        Plant: "a maker's own plants, named with its production",
        Customer: "personal data: shown only with a vehicle one sees, to who recorded it "
        "and the brand owner (scope.sees_personal_data in vehicles.selectors)",
        StockCount: "a dealer's own count, read through vehicles.selectors",
        PlanApproval: "part of its plan, read with it",
        ImportBatch: "the importing organisation's own, read through imports.selectors",
    }


SCOPE_EXEMPT: dict[type[models.Model], str] = {}


def load_exemptions() -> None:
    SCOPE_EXEMPT.update(_exempt())


# --- apps that declare their own policies ---------------------------------------------
# An app's ``tests/access.py`` holds ``API``, ``PAGES`` and ``PARAMETERS`` dicts like the
# ones above, and may define ``extend_world(world)`` to add its own JAC rows.
APPS_WITH_ACCESS_MODULES = [
    label for label in OUR_APPS if find_spec(f"seabridge.{label}.tests.access") is not None
]
WORLD_EXTENSIONS: list[Callable[[World], None]] = []


_MERGED: set[str] = set()


def merge_app_policies() -> None:
    """Merge each app's policies once. An app's access module that is still being
    imported (it imported this module first) has no ``API`` yet: it is merged by the
    next call, which the matrix tests make once everything is imported."""
    import importlib

    for label in APPS_WITH_ACCESS_MODULES:
        if label in _MERGED:
            continue
        module = importlib.import_module(f"seabridge.{label}.tests.access")
        if not hasattr(module, "API") and not hasattr(module, "PAGES"):
            continue
        _MERGED.add(label)
        API.update(getattr(module, "API", {}))
        PAGES.update(getattr(module, "PAGES", {}))
        PARAMETERS.update(getattr(module, "PARAMETERS", {}))
        PAGE_PARAMETERS.update(getattr(module, "PAGE_PARAMETERS", {}))
        if hasattr(module, "extend_world"):
            WORLD_EXTENSIONS.append(module.extend_world)


merge_app_policies()
