import time
from decimal import Decimal

import pytest
from django.core.management import call_command

from seabridge.accounts.choices import Role
from seabridge.accounts.selectors import actor_from_membership
from seabridge.core.errors import Forbidden, NotFound, ValidationFailed
from seabridge.core.models import AuditEvent
from seabridge.markets.choices import TrafficSide
from seabridge.markets.models import BusinessRegion, Country, MarketProfile
from seabridge.markets.services import (
    business_region_create,
    business_region_update,
    left_hand_traffic_codes,
    market_profile_update,
    reference_data_load,
)

pytestmark = pytest.mark.django_db


def snapshot():
    """Every markets row, as plain values, to compare two states of the database."""
    return {
        "countries": list(Country.objects.order_by("code").values()),
        "profiles": list(MarketProfile.objects.order_by("country_id").values()),
        "regions": list(BusinessRegion.objects.order_by("code").values()),
        "memberships": sorted(
            BusinessRegion.countries.through.objects.values_list(
                "businessregion__code", "country_id"
            )
        ),
    }


def test_loading_creates_every_iso_country_with_a_profile_and_the_default_regions():
    summary = reference_data_load()
    assert Country.objects.count() == 249
    assert MarketProfile.objects.count() == 249
    assert sorted(BusinessRegion.objects.values_list("code", flat=True)) == [
        "africa",
        "asean",
        "central-asia",
        "europe",
        "gcc",
        "latin-america",
        "middle-east",
        "oceania",
        "south-america",
        "southeast-asia",
    ]
    assert (summary.countries, summary.countries_created, summary.countries_refreshed) == (
        249,
        249,
        0,
    )
    assert (summary.profiles_created, summary.regions_created) == (249, 10)
    assert summary.region_memberships_created == 257


def test_saudi_arabia_has_its_names_region_currency_and_profile(markets):
    saudi = Country.objects.get(code="SA")
    assert saudi.alpha3 == "SAU"
    assert saudi.numeric == "682"
    assert saudi.name == "Saudi Arabia"
    assert saudi.names == {
        "en": "Saudi Arabia",
        "zh-hans": "沙特阿拉伯",
        "ar": "المملكة العربية السعودية",
        "es": "Arabia Saudí",
        "pt-br": "Arábia Saudita",
        "fr": "Arabie saoudite",
        "ru": "Саудовская Аравия",
    }
    assert saudi.localized_name("ar") == "المملكة العربية السعودية"
    assert saudi.localized_name("zh-hans") == "沙特阿拉伯"
    assert (saudi.m49_region, saudi.m49_region_code) == ("Asia", "142")
    assert (saudi.m49_subregion, saudi.m49_subregion_code) == ("Western Asia", "145")
    assert saudi.currency == "SAR"
    assert (saudi.latitude, saudi.longitude) == (Decimal("24.126290"), Decimal("44.546375"))
    assert sorted(saudi.business_regions.values_list("code", flat=True)) == [
        "gcc",
        "middle-east",
    ]
    profile = saudi.profile
    assert (profile.traffic_side, profile.currency, profile.official_languages) == (
        TrafficSide.RIGHT,
        "SAR",
        ["ar"],
    )
    assert profile.import_duty_pickup_pct is None


def test_m49_codes_keep_their_three_digits_and_currencies_are_current(markets):
    assert Country.objects.get(code="NG").m49_region_code == "002"
    assert Country.objects.get(code="AU").m49_region_code == "009"
    assert Country.objects.get(code="CL").m49_subregion_code == "419"
    # hdx ships retired codes for these; babel's legal tender wins.
    assert Country.objects.get(code="HR").currency == "EUR"
    assert Country.objects.get(code="VE").currency == "VES"
    assert Country.objects.get(code="ZM").currency == "ZMW"
    assert Country.objects.get(code="AQ").m49_region_code == ""


@pytest.mark.parametrize(
    ("code", "side"),
    [
        ("GB", TrafficSide.LEFT),
        ("JP", TrafficSide.LEFT),
        ("TH", TrafficSide.LEFT),
        ("ZA", TrafficSide.LEFT),
        ("SA", TrafficSide.RIGHT),
        ("CN", TrafficSide.RIGHT),
        ("NG", TrafficSide.RIGHT),
        ("CL", TrafficSide.RIGHT),
    ],
)
def test_every_profile_knows_its_drive_side(markets, code, side):
    assert MarketProfile.objects.get(country_id=code).traffic_side == side


def test_the_left_hand_traffic_list_holds_75_known_codes(markets):
    codes = left_hand_traffic_codes()
    assert len(codes) == 75
    assert set(Country.objects.filter(code__in=codes).values_list("code", flat=True)) == codes
    assert MarketProfile.objects.filter(traffic_side=TrafficSide.LEFT).count() == 75


def test_loading_twice_changes_nothing(markets):
    before = snapshot()
    summary = reference_data_load()
    assert not summary.changed_anything
    assert snapshot() == before


def test_a_reload_keeps_what_users_edited(markets, steward):
    actor = actor_from_membership(steward)
    market_profile_update(
        actor=actor,
        country=Country.objects.get(code="SA"),
        data={"import_duty_pickup_pct": Decimal("5"), "traffic_side": TrafficSide.LEFT},
    )
    gcc = BusinessRegion.objects.get(code="gcc")
    business_region_update(
        actor=actor, region=gcc, data={"countries": ["SA", "AE"], "name": "Gulf states"}
    )
    Country.objects.filter(code="SA").update(names={"en": "Old name"})
    summary = reference_data_load()
    assert (summary.countries_refreshed, summary.profiles_created, summary.regions_created) == (
        1,
        0,
        0,
    )
    profile = MarketProfile.objects.get(country_id="SA")
    assert (profile.import_duty_pickup_pct, profile.traffic_side) == (
        Decimal("5.00"),
        TrafficSide.LEFT,
    )
    gcc.refresh_from_db()
    assert gcc.name == "Gulf states"
    assert sorted(gcc.countries.values_list("code", flat=True)) == ["AE", "SA"]
    assert Country.objects.get(code="SA").names["ar"] == "المملكة العربية السعودية"


def test_a_deleted_profile_is_recreated_without_touching_the_others(markets):
    MarketProfile.objects.filter(country_id="JP").delete()
    summary = reference_data_load()
    assert summary.profiles_created == 1
    assert MarketProfile.objects.get(country_id="JP").traffic_side == TrafficSide.LEFT


def test_loading_is_fast_once_the_libraries_are_read(markets):
    MarketProfile.objects.all().delete()
    BusinessRegion.objects.all().delete()
    Country.objects.all().delete()
    started = time.perf_counter()
    reference_data_load()
    # A budget, not a benchmark: the fixture runs in many tests.
    assert time.perf_counter() - started < 2


def test_the_command_prints_a_one_line_summary(capsys):
    call_command("load_markets")
    first = capsys.readouterr().out
    assert first == (
        "Markets reference data: 249 countries (249 new, 0 refreshed), "
        "249 market profiles new, 10 business regions new (257 memberships).\n"
    )
    call_command("load_markets")
    assert capsys.readouterr().out == (
        "Markets reference data: 249 countries (0 new, 0 refreshed), "
        "0 market profiles new, 0 business regions new (0 memberships).\n"
    )


# --- editing ------------------------------------------------------------------------------


def test_a_steward_changes_a_profile_and_the_change_is_audited(markets, steward):
    actor = actor_from_membership(steward)
    profile = market_profile_update(
        actor=actor,
        country=Country.objects.get(code="SA"),
        data={
            "import_duty_pickup_pct": Decimal("5"),
            "emission_standard": " Euro 4 ",
            "currency": "sar",
            "official_languages": ["ar", "en"],
            "is_resource_rich": True,
        },
    )
    profile.refresh_from_db()
    assert (
        profile.import_duty_pickup_pct,
        profile.emission_standard,
        profile.currency,
        profile.official_languages,
        profile.is_resource_rich,
    ) == (Decimal("5.00"), "Euro 4", "SAR", ["ar", "en"], True)
    event = AuditEvent.objects.get()
    assert (event.action, event.object_id, event.actor_id) == (
        "market_profile.update",
        "SA",
        steward.user_id,
    )
    assert event.changes == {
        "import_duty_pickup_pct": [None, "5.00"],
        "emission_standard": ["", "Euro 4"],
        "official_languages": [["ar"], ["ar", "en"]],
        "is_resource_rich": [False, True],
        "acting_for": steward.organization_id,
    }


def test_an_unchanged_profile_writes_no_audit_event(markets, steward):
    market_profile_update(
        actor=actor_from_membership(steward),
        country=Country.objects.get(code="SA"),
        data={"currency": "SAR", "traffic_side": "right"},
    )
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        (
            {"import_duty_pickup_pct": Decimal("-1")},
            {"import_duty_pickup_pct": ["An import duty cannot be negative."]},
        ),
        (
            {"import_duty_passenger_pct": Decimal("1000.01")},
            {"import_duty_passenger_pct": ["An import duty cannot exceed 1000%."]},
        ),
        (
            {"import_duty_pickup_pct": Decimal("1.234")},
            {"import_duty_pickup_pct": ["Use at most two decimal places."]},
        ),
        ({"currency": "XYZ"}, {"currency": ["XYZ is not an ISO 4217 currency code."]}),
        ({"traffic_side": "middle"}, {"traffic_side": ["Choose one of: right, left."]}),
        (
            {"official_languages": ["ar", "klingon"]},
            {"official_languages": ["Unknown language codes: klingon."]},
        ),
        ({"country": "CN"}, {"country": ["This field cannot be changed here."]}),
        (
            {"import_duty_pickup_pct": Decimal("-1"), "currency": "XYZ"},
            {
                "import_duty_pickup_pct": ["An import duty cannot be negative."],
                "currency": ["XYZ is not an ISO 4217 currency code."],
            },
        ),
    ],
)
def test_bad_profile_input_is_refused_naming_the_field_and_nothing_changes(
    markets, steward, data, fields
):
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        market_profile_update(
            actor=actor_from_membership(steward),
            country=Country.objects.get(code="SA"),
            data={"notes": "ignored", **data},
        )
    assert refused.value.fields == fields
    assert snapshot() == before
    assert AuditEvent.objects.count() == 0


def test_an_organisation_with_no_agreement_cannot_change_reference_data(markets, staff):
    """Issue 18: any member's staff could change any country's profile and regions."""
    actor = actor_from_membership(staff)
    saudi = Country.objects.get(code="SA")
    gcc = BusinessRegion.objects.get(code="gcc")
    before = snapshot()
    with pytest.raises(Forbidden) as refused:
        market_profile_update(
            actor=actor, country=saudi, data={"import_duty_pickup_pct": Decimal("0")}
        )
    assert refused.value.message == (
        "Market profiles are kept by the platform's stewards; the partners granted "
        "Saudi Arabia may change its field notes."
    )
    with pytest.raises(Forbidden) as refused:
        market_profile_update(actor=actor, country=saudi, data={"notes": "x"})
    with pytest.raises(Forbidden) as refused:
        business_region_create(actor=actor, code="west-africa", name="West Africa")
    assert refused.value.message == (
        "Reference data is kept by the platform's stewards; ask one to change it."
    )
    with pytest.raises(Forbidden):
        business_region_update(actor=actor, region=gcc, data={"countries": ["SA"]})
    assert snapshot() == before
    assert AuditEvent.objects.count() == 0


def test_viewers_and_people_without_an_organisation_cannot_edit(markets, viewer):
    saudi = Country.objects.get(code="SA")
    before = snapshot()
    with pytest.raises(Forbidden):
        market_profile_update(
            actor=actor_from_membership(viewer), country=saudi, data={"notes": "x"}
        )
    with pytest.raises(NotFound):
        market_profile_update(actor=None, country=saudi, data={"notes": "x"})
    with pytest.raises(NotFound):
        business_region_create(actor=None, code="west-africa", name="West Africa")
    assert snapshot() == before


def test_a_superuser_acting_as_a_viewer_only_reads(markets, steward):
    """The membership's role still caps what a platform administrator does through it
    (a viewer's API token must not change reference data)."""
    steward.role = Role.VIEWER
    steward.save()
    before = snapshot()
    with pytest.raises(Forbidden) as refused:
        market_profile_update(
            actor=actor_from_membership(steward),
            country=Country.objects.get(code="SA"),
            data={"emission_standard": "Euro 5"},
        )
    assert refused.value.message == (
        "Market profiles are kept by the platform's stewards; the partners granted "
        "Saudi Arabia may change its field notes."
    )
    with pytest.raises(Forbidden) as refused:
        business_region_create(
            actor=actor_from_membership(steward), code="west-africa", name="West Africa"
        )
    assert refused.value.message == "This needs the Staff role in Seabridge Operations."
    assert snapshot() == before


def test_a_steward_creates_a_business_region_by_country_codes(markets, steward):
    region = business_region_create(
        actor=actor_from_membership(steward),
        code="west-africa",
        name="West Africa",
        names={"fr": "Afrique de l'Ouest"},
        countries=["ng", "GH", "SN", "GH"],
    )
    assert (region.code, region.name, region.names) == (
        "west-africa",
        "West Africa",
        {"fr": "Afrique de l'Ouest"},
    )
    assert sorted(region.countries.values_list("code", flat=True)) == ["GH", "NG", "SN"]
    event = AuditEvent.objects.get()
    assert (event.action, event.object_id) == ("business_region.create", str(region.pk))
    assert event.changes["countries"] == ["GH", "NG", "SN"]


def test_unknown_country_codes_and_taken_codes_are_named(markets, steward):
    actor = actor_from_membership(steward)
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        business_region_create(actor=actor, code="gcc", name="Gulf", countries=["SA", "XX", "QQ"])
    assert refused.value.fields == {"countries": ["Unknown country codes: QQ, XX."]}
    with pytest.raises(ValidationFailed) as refused:
        business_region_create(actor=actor, code="gcc", name="Gulf", countries=["SA"])
    assert refused.value.fields == {"code": ["A business region with this code already exists."]}
    with pytest.raises(ValidationFailed) as refused:
        business_region_create(actor=actor, code="Bad Code", name="")
    assert refused.value.fields == {
        "code": ["Use lower-case letters, digits and hyphens (at most 40)."],
        "name": ["This field is required."],
    }
    assert snapshot() == before


def test_updating_a_region_changes_only_what_was_sent(markets, steward):
    gcc = BusinessRegion.objects.get(code="gcc")
    region = business_region_update(
        actor=actor_from_membership(steward), region=gcc, data={"countries": ["SA", "AE", "KW"]}
    )
    assert region.name == "GCC"
    assert sorted(region.countries.values_list("code", flat=True)) == ["AE", "KW", "SA"]
    event = AuditEvent.objects.get()
    assert event.changes == {
        "countries": [["AE", "BH", "KW", "OM", "QA", "SA"], ["AE", "KW", "SA"]],
        "acting_for": steward.organization_id,
    }
