"""Case 3: Nezha International holds Nezha's overseas markets; a distributor in each.

:func:`nezha_build` writes, through the agreement services, Nezha's grant of every
overseas market to Nezha International (Hong Kong), and under it Nezha
International's grant to the distributor of each market; the dealers abroad are
granted under those in bulk afterwards.
"""

from __future__ import annotations

from seabridge.agreements.choices import AgreementKind
from seabridge.agreements.models import Agreement
from seabridge.catalog.models import Brand
from seabridge.demo.builders.agreements import agreement_grant
from seabridge.demo.builders.organisations import Parties
from seabridge.demo.data.nezha import (
    NEZHA_MARKETS,
    NEZHA_OVERSEAS_FROM,
    NEZHA_OVERSEAS_TITLE,
    NEZHA_SIGNED_IN,
    NEZHA_SIGNED_ON,
)


def nezha_build(*, parties: Parties, brand: Brand) -> dict[str, Agreement]:
    """Nezha International's grant and its distributors'; answers the distributors'
    grants by market."""
    overseas = agreement_grant(
        parties.admins["nezha"],
        kind=AgreementKind.DISTRIBUTION,
        grantee=parties.by_key["nezha_international"],
        title=NEZHA_OVERSEAS_TITLE,
        brand=brand,
        countries=NEZHA_MARKETS,
        effective_from=NEZHA_OVERSEAS_FROM,
        signed_on=NEZHA_SIGNED_ON,
        signed_in=NEZHA_SIGNED_IN,
    )
    names = parties.names
    return {
        code: agreement_grant(
            parties.admins["nezha_international"],
            kind=AgreementKind.DISTRIBUTION,
            grantee=parties.outlets["nezha"].importers[code],
            title=f"Nezha distribution in {names[code]}",
            brand=brand,
            countries=[code],
            effective_from=NEZHA_OVERSEAS_FROM,
            signed_on=NEZHA_SIGNED_ON,
            signed_in=NEZHA_SIGNED_IN,
            parent=overseas,
        )
        for code in NEZHA_MARKETS
    }
