"""Case 2: JAC's 132 national importers, each granted its market since 2009.

:func:`jac_build` writes, through the agreement services, JAC's distribution grant to
the importer of every export market in :data:`~seabridge.demo.data.jac.JAC_MARKETS`,
signed in Hefei; the dealers abroad are granted under them in bulk afterwards.
"""

from __future__ import annotations

from seabridge.agreements.choices import AgreementKind
from seabridge.agreements.models import Agreement
from seabridge.catalog.models import Brand
from seabridge.demo.builders.agreements import agreement_grant
from seabridge.demo.builders.organisations import Parties
from seabridge.demo.data.jac import JAC_GRANTS_FROM, JAC_MARKETS, JAC_SIGNED_ON


def jac_build(*, parties: Parties, brand: Brand) -> dict[str, Agreement]:
    """Every importer's grant; answers them by market."""
    names = parties.names
    return {
        code: agreement_grant(
            parties.admins["jac"],
            kind=AgreementKind.DISTRIBUTION,
            grantee=parties.outlets["jac"].importers[code],
            title=f"JAC distribution in {names[code]}",
            brand=brand,
            countries=[code],
            effective_from=JAC_GRANTS_FROM,
            signed_on=JAC_SIGNED_ON,
            signed_in="Hefei",
        )
        for code in JAC_MARKETS
    }
