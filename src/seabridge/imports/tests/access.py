"""The imports app's rows in the authorization matrix (see core/tests/authorization.py).

An import belongs to the organisation its person acted for: JAC's members see JAC's
imports (its staff check and commit them); nobody else learns that they exist. Any
member's staff may send a file: its rows then pass the scope module one by one.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from seabridge.accounts.choices import Role
from seabridge.core.tests.authorization import JAC_ONLY, Access, Policy
from seabridge.core.tests.world import World

PROFILE_CSV = b"country,notes\nSA,Diesel 50 ppm sulphur in Riyadh\n"
NO_ORGANISATION = {"lonely": 403}


def extend_world(world: World) -> None:
    from seabridge.imports.services import import_upload

    world.__dict__["jac_import"] = import_upload(
        actor=world.jac_staff, kind="market_profiles", data=PROFILE_CSV, filename="jac-matrix.csv"
    )


def _import_id(world: World) -> int:
    return world.__dict__["jac_import"].pk


def _upload(world: World) -> dict[str, Any]:
    return {
        "file": SimpleUploadedFile("profiles.csv", PROFILE_CSV, "text/csv"),
        "dry_run": "true",
    }


PARAMETERS = {"import_id": _import_id, "kind": lambda world: "market_profiles"}

API: dict[str, Policy] = {
    "GET /api/v1/imports/kinds": Policy(Access.SIGNED_IN),
    "GET /api/v1/imports/": Policy(Access.SCOPED_LIST, own_ids=lambda world: {_import_id(world)}),
    "GET /api/v1/imports/{kind}/{import_id}": Policy(Access.SCOPED, expect=JAC_ONLY),
    # A person of no organisation has nowhere to import into: 404, as for every write.
    "POST /api/v1/imports/{kind}": Policy(
        Access.MEMBER, role=Role.STAFF, success=202, format="multipart", body=_upload
    ),
}


def _pk(world: World) -> dict[str, Any]:
    return {"pk": _import_id(world)}


PAGES: dict[str, Policy] = {
    "GET imports:import-list": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {"jac-matrix.csv"}, expect=NO_ORGANISATION
    ),
    "GET imports:import-new": Policy(Access.MEMBER, role=Role.STAFF, expect=NO_ORGANISATION),
    "GET imports:import-detail": Policy(Access.SCOPED, params=_pk),
    "POST imports:import-mapping": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        success=302,
        params=_pk,
        body=lambda world: {"country": "0", "notes": "1"},
    ),
    "POST imports:import-check": Policy(Access.SCOPED, role=Role.STAFF, success=302, params=_pk),
    "POST imports:import-commit": Policy(Access.SCOPED, role=Role.STAFF, success=302, params=_pk),
    "GET imports:import-report": Policy(
        Access.SCOPED, params=lambda world: {**_pk(world), "format": "xlsx"}
    ),
    "GET imports:import-template": Policy(
        Access.SIGNED_IN, params=lambda world: {"kind": "retail_sales", "format": "xlsx"}
    ),
}
