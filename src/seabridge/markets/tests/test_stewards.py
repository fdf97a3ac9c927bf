"""Who keeps a market profile (issue 18): the platform's stewards every field, the
partners granted the market its field notes, nobody else anything."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from seabridge.core.errors import Forbidden
from seabridge.core.models import AuditEvent
from seabridge.core.scope import Area
from seabridge.core.tests.world import World, add_steward, build_world, grant
from seabridge.markets.models import Country, MarketProfile
from seabridge.markets.services import market_profile_update, profile_fields_editable_by

pytestmark = pytest.mark.django_db

NOTES = ("fuel_quality_notes", "notes")
EVERY_FIELD = (
    "traffic_side",
    "emission_standard",
    "fuel_quality_notes",
    "import_duty_pickup_pct",
    "import_duty_passenger_pct",
    "currency",
    "official_languages",
    "is_resource_rich",
    "notes",
)


@pytest.fixture
def world() -> World:
    """Zhongjiang is granted JAC in Saudi Arabia and Iraq (after-sales only: any area
    makes a partner of the market)."""
    world = build_world()
    add_steward(world)
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.AFTER_SALES],
    )
    return world


def profile_values(code: str) -> dict[str, Any]:
    return dict(MarketProfile.objects.filter(country_id=code).values().get())


def saudi() -> Country:
    return Country.objects.get(code="SA")


def test_what_each_caller_may_change(world: World) -> None:
    oman = Country.objects.get(code="OM")
    assert profile_fields_editable_by(world.steward, oman) == EVERY_FIELD
    assert profile_fields_editable_by(world.partner_admin, saudi()) == NOTES
    assert profile_fields_editable_by(world.partner_admin, oman) == ()
    assert profile_fields_editable_by(world.partner_viewer, saudi()) == ()
    # The brand owner is not granted its own markets: the profile is not its to keep.
    assert profile_fields_editable_by(world.jac_admin, saudi()) == ()
    assert profile_fields_editable_by(world.nezha_admin, saudi()) == ()
    assert profile_fields_editable_by(None, saudi()) == ()


def test_a_partner_keeps_the_field_notes_audited_with_who_and_for_whom(world: World) -> None:
    market_profile_update(
        actor=world.partner_admin,
        country=saudi(),
        data={"fuel_quality_notes": "Diesel 10 ppm in Riyadh, 500 ppm up-country"},
    )
    assert profile_values("SA")["fuel_quality_notes"] == (
        "Diesel 10 ppm in Riyadh, 500 ppm up-country"
    )
    event = AuditEvent.objects.get(action="market_profile.update")
    assert (event.actor_id, event.object_id, event.changes) == (
        world.partner_admin.user.pk,
        "SA",
        {
            "fuel_quality_notes": ["", "Diesel 10 ppm in Riyadh, 500 ppm up-country"],
            "acting_for": world.partner.pk,
        },
    )


def test_a_partner_may_not_change_the_stewards_fields(world: World) -> None:
    before = profile_values("SA")
    with pytest.raises(Forbidden) as refused:
        market_profile_update(
            actor=world.partner_admin,
            country=saudi(),
            data={"notes": "x", "import_duty_pickup_pct": "0", "currency": "USD"},
        )
    assert refused.value.message == (
        "Reference data is kept by the platform's stewards; as a partner granted "
        "Saudi Arabia you may change its field notes only."
    )
    assert refused.value.fields == {
        "import_duty_pickup_pct": ["Only a steward changes this field."],
        "currency": ["Only a steward changes this field."],
    }
    assert profile_values("SA") == before
    assert not AuditEvent.objects.filter(action="market_profile.update").exists()


def test_a_partner_may_not_touch_a_market_it_is_not_granted(world: World) -> None:
    before = profile_values("OM")
    with pytest.raises(Forbidden) as refused:
        market_profile_update(
            actor=world.partner_admin, country=Country.objects.get(code="OM"), data={"notes": "x"}
        )
    assert refused.value.message == (
        "Market profiles are kept by the platform's stewards; the partners granted "
        "Oman may change its field notes."
    )
    assert profile_values("OM") == before


def test_an_agreement_not_in_force_makes_no_partner(world: World) -> None:
    grant(
        by=world.nezha_admin,
        to=world.dealer,
        brands=[world.nezha_brand],
        countries=["NG"],
        areas=[Area.SALES],
        effective_from=date(2020, 1, 1),
        effective_to=date(2020, 12, 31),
    )
    grant(
        by=world.nezha_admin,
        to=world.dealer,
        brands=[world.nezha_brand],
        countries=["TH"],
        areas=[Area.SALES],
        activate=False,
    )
    for code in ("NG", "TH"):
        with pytest.raises(Forbidden):
            market_profile_update(
                actor=world.dealer_admin,
                country=Country.objects.get(code=code),
                data={"notes": "x"},
            )
    assert MarketProfile.objects.filter(notes="x").count() == 0


def _sign_in(client, world: World, name: str) -> None:
    actor = world.actors[name]
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()


def test_the_api_lets_a_partner_patch_the_notes_only(client, world: World) -> None:
    _sign_in(client, world, "partner_admin")
    url = "/api/v1/markets/countries/SA/profile"
    response = client.patch(url, {"notes": "Ramadan slows customs"}, "application/json")
    assert (response.status_code, response.json()["notes"]) == (200, "Ramadan slows customs")
    before = profile_values("SA")
    response = client.patch(url, {"is_resource_rich": False}, "application/json")
    assert response.status_code == 403
    assert response.json()["error"]["fields"] == {
        "is_resource_rich": ["Only a steward changes this field."]
    }
    assert profile_values("SA") == before


def test_the_page_offers_a_partner_the_field_notes(client, world: World) -> None:
    _sign_in(client, world, "partner_admin")
    detail = client.get("/markets/countries/SA/").content.decode()
    assert 'href="/markets/countries/SA/profile/edit/">Edit field notes</a>' in detail
    form = client.get("/markets/countries/SA/profile/edit/").content.decode()
    assert 'name="fuel_quality_notes"' in form
    assert 'name="notes"' in form
    assert 'name="import_duty_pickup_pct"' not in form
    assert "as a partner in this market you keep its field notes" in form
    response = client.post(
        "/markets/countries/SA/profile/edit/",
        {"fuel_quality_notes": "95 RON everywhere", "notes": "", "import_duty_pickup_pct": "0"},
    )
    assert (response.status_code, response["Location"]) == (302, "/markets/countries/SA/")
    after = profile_values("SA")
    assert (after["fuel_quality_notes"], after["import_duty_pickup_pct"]) == (
        "95 RON everywhere",
        None,
    )
    assert "/profile/edit/" not in client.get("/markets/countries/OM/").content.decode()


def test_the_page_offers_a_steward_the_whole_profile(client, world: World) -> None:
    _sign_in(client, world, "steward")
    detail = client.get("/markets/countries/OM/").content.decode()
    assert 'href="/markets/countries/OM/profile/edit/">Edit profile</a>' in detail
    form = client.get("/markets/countries/OM/profile/edit/").content.decode()
    assert all(f'name="{name}"' in form for name in EVERY_FIELD)
    assert "field notes" not in form
