"""The agreement export: the agreements the list page shows (``agreements_visible``),
filtered alike, as CSV or XLSX with exact rows."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from seabridge.agreements import services
from seabridge.agreements.models import Agreement
from seabridge.core.scope import Area
from seabridge.core.tests.test_exports import csv_lines, xlsx_rows
from seabridge.core.tests.world import World, grant

pytestmark = pytest.mark.django_db

CSV = reverse("agreements:agreement-export", args=["csv"])
XLSX = reverse("agreements:agreement-export", args=["xlsx"])
HEADER = (
    "Title,Kind,Grantor,Grantee,Sub-grant,Granted under,Effective from,Effective to,Status,"
    "Signed on,Signed in"
)
JAC_TO_PARTNER = (
    "JAC to Zhongjiang,Distribution contract,JAC,Zhongjiang,no,,2025-01-01,2099-12-31,Active,"
    "2025-01-01,Nanjing"
)
SUB_GRANT = (
    "Zhongjiang to Riyadh Motors,Distribution contract,Zhongjiang,Riyadh Motors,yes,"
    "JAC to Zhongjiang,2025-02-01,2099-12-31,Active,2025-02-01,Nanjing"
)
# The dealer may not see the agreement its sub-grant hangs from.
SUB_GRANT_FOR_DEALER = SUB_GRANT.replace(",yes,JAC to Zhongjiang,", ",yes,,")
MEMORANDUM = (
    "江淮 × 中江 合作备忘录,Memorandum of cooperation,JAC,Zhongjiang,no,,2025-04-22,,Draft,,"
)
NEZHA_TO_PARTNER = (
    "Nezha to Zhongjiang,Distribution contract,Nezha,Zhongjiang,no,,2025-01-01,2099-12-31,Active,"
    "2025-01-01,Nanjing"
)


def sign_in(client, actor) -> None:
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()


@pytest.fixture
def agreements(world: World) -> dict[str, Agreement]:
    """JAC grants Zhongjiang Saudi sales, which sub-grants them to Riyadh Motors; JAC drafts
    a memorandum with Zhongjiang; Nezha grants Zhongjiang its own brand."""
    to_partner = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.SALES],
    )
    sub_grant = grant(
        by=world.partner_admin,
        to=world.dealer,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
        parent=to_partner,
        effective_from=date(2025, 2, 1),
    )
    memorandum = services.agreement_create(
        actor=world.jac_admin,
        kind="memorandum",
        grantee=world.partner,
        title="江淮 × 中江 合作备忘录",
        effective_from=date(2025, 4, 22),
        effective_to=None,
        scope=services.ScopeInput(brands=[world.jac_brand.pk], countries=["NG"], areas=["sales"]),
    )
    nezha = grant(
        by=world.nezha_admin,
        to=world.partner,
        brands=[world.nezha_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    return {"to_partner": to_partner, "sub": sub_grant, "memo": memorandum, "nezha": nezha}


def test_jac_member_gets_every_agreement_it_sees_latest_first(client, world, agreements):
    sign_in(client, world.jac_viewer)
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="agreements-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    # The sub-grant is Zhongjiang's, but it grants JAC's brand: JAC sees it.
    assert csv_lines(response) == [HEADER, MEMORANDUM, SUB_GRANT, JAC_TO_PARTNER, ""]


def test_each_party_exports_only_the_agreements_it_sees(client, world, agreements):
    sign_in(client, world.partner_viewer)
    assert csv_lines(client.get(CSV)) == [
        HEADER,
        MEMORANDUM,
        SUB_GRANT,
        NEZHA_TO_PARTNER,
        JAC_TO_PARTNER,
        "",
    ]
    sign_in(client, world.dealer_admin)
    assert csv_lines(client.get(CSV)) == [HEADER, SUB_GRANT_FOR_DEALER, ""]
    client.force_login(world.lonely)
    assert csv_lines(client.get(CSV)) == [HEADER, ""]


def test_the_export_applies_the_list_filter(client, world, agreements):
    sign_in(client, world.jac_viewer)
    assert csv_lines(client.get(CSV, {"kind": "memorandum"})) == [HEADER, MEMORANDUM, ""]
    assert csv_lines(client.get(CSV, {"q": "riyadh", "status": "active"})) == [
        HEADER,
        SUB_GRANT,
        "",
    ]
    refused = client.get(CSV, {"status": "lapsed"})
    assert refused.status_code == 422
    assert list(refused.json()["error"]["fields"]) == ["status"]


def test_the_xlsx_holds_typed_cells_and_neutralised_text(client, world, agreements):
    agreement = agreements["memo"]
    agreement.title = '=HYPERLINK("http://example.com","مذكرة تفاهم")'
    agreement.save(update_fields=["title"])
    sign_in(client, world.jac_viewer)
    response = client.get(XLSX, {"kind": "memorandum"})
    assert xlsx_rows(response.content) == [
        HEADER.split(","),
        [
            '\'=HYPERLINK("http://example.com","مذكرة تفاهم")',
            "Memorandum of cooperation",
            "JAC",
            "Zhongjiang",
            "no",
            None,
            datetime(2025, 4, 22),
            None,
            "Draft",
            None,
            None,
        ],
    ]


def test_an_unknown_format_is_refused(client, world):
    sign_in(client, world.jac_viewer)
    response = client.get(reverse("agreements:agreement-export", args=["txt"]))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"format": ["Choose csv or xlsx, not txt."]}


def test_the_list_page_links_its_downloads_with_the_filter(client, world, agreements):
    sign_in(client, world.jac_viewer)
    html = client.get(reverse("agreements:agreement-list"), {"kind": "memorandum"}).content
    text = html.decode()
    assert f'href="{CSV}?kind=memorandum"' in text
    assert f'href="{XLSX}?kind=memorandum"' in text
