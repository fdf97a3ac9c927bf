from datetime import date
from decimal import Decimal

import pytest

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.selectors import actor_from_membership
from seabridge.accounts.tests.factories import MembershipFactory, OrganizationFactory
from seabridge.catalog import services
from seabridge.catalog.choices import HomologationStatus, Powertrain, SteeringSide
from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
from seabridge.catalog.tests.factories import VariantFactory
from seabridge.core.errors import Forbidden, NotFound, ValidationFailed
from seabridge.core.models import AuditEvent
from seabridge.markets.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

RHD_IN_SAUDI_ARABIA = (
    "A right-hand drive variant cannot be homologated in Saudi Arabia, "
    "where traffic keeps to the right."
)


def variant_values(**overrides):
    values = {
        "code": "T8-DC-25D",
        "name": "T8 double cab 2.5 diesel",
        "body": "pickup_double_cab",
        "powertrain": Powertrain.DIESEL,
        "hs_code": "87042100",
        "list_price": Decimal("118800.00"),
        "list_price_currency": "cny",
    }
    return {**values, **overrides}


# --- brands --------------------------------------------------------------------------------


def test_a_maker_creates_a_brand_it_owns_and_the_audit_trail_records_it(actor, maker):
    brand = services.brand_create(actor=actor, name="  Zhengzhou Nissan ")
    assert (brand.name, brand.owner_id) == ("Zhengzhou Nissan", maker.pk)
    event = AuditEvent.objects.for_object(brand).get()
    assert (event.action, event.actor_label) == ("catalog.brand_created", "amina")
    assert event.changes == {"name": "Zhengzhou Nissan", "owner": maker.pk}


def test_a_duplicate_brand_name_in_any_case_is_refused_naming_the_field(actor, brand):
    with pytest.raises(ValidationFailed) as refused:
        services.brand_create(actor=actor, name="jac")
    assert refused.value.fields == {"name": ["A brand named jac already exists."]}
    assert list(Brand.objects.values_list("name", flat=True)) == ["JAC"]
    assert AuditEvent.objects.count() == 0


def test_a_duplicate_name_of_another_makers_brand_is_refused_too(actor, foreign_brand):
    with pytest.raises(ValidationFailed) as refused:
        services.brand_create(actor=actor, name="NEZHA")
    assert list(refused.value.fields) == ["name"]
    assert Brand.objects.count() == 1


def test_only_a_manufacturer_may_own_a_brand(user):
    partner = OrganizationFactory.create(
        short_name="Zhongjiang", kind=OrganizationKind.TRADE_PARTNER
    )
    actor = actor_from_membership(
        MembershipFactory.create(user=user, organization=partner, role=Role.ADMIN)
    )
    with pytest.raises(Forbidden) as refused:
        services.brand_create(actor=actor, name="Zhongjiang Motors")
    assert refused.value.message == "Only a manufacturer can own a brand."
    assert Brand.objects.count() == 0


def test_a_viewer_cannot_create_a_brand(viewer):
    with pytest.raises(Forbidden) as refused:
        services.brand_create(actor=viewer, name="Another")
    assert refused.value.message == "This needs the Staff role in JAC."
    assert Brand.objects.count() == 0


def test_renaming_a_brand_records_before_and_after(actor, brand):
    services.brand_update(actor=actor, brand=brand, name="JAC Motors")
    brand.refresh_from_db()
    assert brand.name == "JAC Motors"
    event = AuditEvent.objects.for_object(brand).get()
    assert event.changes == {"name": ["JAC", "JAC Motors"]}


def test_renaming_to_its_own_name_in_another_case_is_allowed(actor, brand):
    services.brand_update(actor=actor, brand=brand, name="Jac")
    assert Brand.objects.get().name == "Jac"


def test_another_makers_brand_cannot_be_renamed_and_is_unchanged(actor, foreign_brand):
    with pytest.raises(NotFound):
        services.brand_update(actor=actor, brand=foreign_brand, name="Mine now")
    foreign_brand.refresh_from_db()
    assert foreign_brand.name == "Nezha"
    assert AuditEvent.objects.count() == 0


# --- product lines ----------------------------------------------------------------------------


def test_a_product_line_is_added_to_an_own_brand(actor, brand):
    line = services.product_line_create(
        actor=actor, brand=brand, name="T9", launched_on=date(2023, 10, 1)
    )
    assert (line.brand_id, line.name, line.launched_on) == (brand.pk, "T9", date(2023, 10, 1))
    assert AuditEvent.objects.for_object(line).get().action == "catalog.product_line_created"


def test_a_duplicate_product_line_name_within_a_brand_is_refused(actor, line):
    with pytest.raises(ValidationFailed) as refused:
        services.product_line_create(actor=actor, brand=line.brand, name="t8")
    assert refused.value.fields == {"name": ["JAC already has a product line named t8."]}
    assert ProductLine.objects.count() == 1


def test_a_product_line_cannot_be_added_to_another_makers_brand(actor, foreign_brand):
    with pytest.raises(NotFound):
        services.product_line_create(actor=actor, brand=foreign_brand, name="V")
    assert ProductLine.objects.count() == 0


def test_a_viewer_cannot_add_a_product_line(viewer, brand):
    with pytest.raises(Forbidden):
        services.product_line_create(actor=viewer, brand=brand, name="T9")
    assert ProductLine.objects.count() == 0


def test_a_product_line_update_changes_only_what_is_given(actor, line):
    services.product_line_update(
        actor=actor, product_line=line, changes={"description": "Mid-size pickup"}
    )
    line.refresh_from_db()
    assert (line.name, line.description) == ("T8", "Mid-size pickup")
    assert AuditEvent.objects.for_object(line).get().changes == {
        "description": ["", "Mid-size pickup"]
    }


# --- variants ---------------------------------------------------------------------------------


def test_a_variant_takes_its_brand_from_the_product_line(actor, line):
    variant = services.variant_create(actor=actor, product_line=line, **variant_values())
    assert (variant.brand_id, variant.product_line_id) == (line.brand_id, line.pk)
    assert (str(variant.list_price), variant.list_price_currency) == ("118800.0000", "CNY")
    assert variant.steering == SteeringSide.LEFT
    assert AuditEvent.objects.for_object(variant).get().action == "catalog.variant_created"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"hs_code": "850440"},
            "hs_code",
            "A vehicle's HS code starts with 8703 (passenger cars) or 8704 (goods vehicles).",
        ),
        ({"hs_code": "870"}, "hs_code", "An HS code has 4 to 10 digits, e.g. 87042100."),
        ({"hs_code": "87042100123"}, "hs_code", "An HS code has 4 to 10 digits, e.g. 87042100."),
        ({"hs_code": "8704AB"}, "hs_code", "An HS code has 4 to 10 digits, e.g. 87042100."),
        ({"list_price": Decimal("-1")}, "list_price", "An amount cannot be negative."),
        (
            {"list_price_currency": "XYZ"},
            "list_price_currency",
            "XYZ is not an ISO 4217 currency code.",
        ),
        ({"list_price_currency": ""}, "list_price_currency", "A price needs its currency."),
        (
            {"powertrain": "steam"},
            "powertrain",
            "steam is not one of: diesel, petrol, bev, phev, erev.",
        ),
        ({"code": "  "}, "code", "This field is required."),
    ],
)
def test_bad_variant_input_is_refused_naming_the_field(actor, line, overrides, field, message):
    with pytest.raises(ValidationFailed) as refused:
        services.variant_create(actor=actor, product_line=line, **variant_values(**overrides))
    assert refused.value.fields == {field: [message]}
    assert Variant.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_an_hs_code_with_dots_is_stored_as_digits(actor, line):
    variant = services.variant_create(
        actor=actor, product_line=line, **variant_values(hs_code="8703.80")
    )
    assert variant.hs_code == "870380"


def test_a_duplicate_variant_code_within_a_brand_is_refused_on_code(actor, line):
    VariantFactory.create(product_line=line, code="T8-DC-25D")
    with pytest.raises(ValidationFailed) as refused:
        services.variant_create(actor=actor, product_line=line, **variant_values(code="t8-dc-25d"))
    assert refused.value.fields == {"code": ["JAC already has a variant with the code t8-dc-25d."]}
    assert Variant.objects.count() == 1


def test_the_same_variant_code_may_exist_in_another_brand(actor, line, foreign_brand):
    VariantFactory.create(product_line__brand=foreign_brand, code="T8-DC-25D")
    variant = services.variant_create(actor=actor, product_line=line, **variant_values())
    assert Variant.objects.filter(code="T8-DC-25D").count() == 2
    assert variant.brand_id == line.brand_id


def test_a_viewer_cannot_create_a_variant(viewer, line):
    with pytest.raises(Forbidden):
        services.variant_create(actor=viewer, product_line=line, **variant_values())
    assert Variant.objects.count() == 0


@pytest.mark.parametrize(
    ("powertrain", "expected"),
    [
        (Powertrain.BEV, True),
        (Powertrain.PHEV, True),
        (Powertrain.EREV, True),
        (Powertrain.DIESEL, False),
        (Powertrain.PETROL, False),
    ],
)
def test_new_energy_follows_the_powertrain(powertrain, expected):
    variant = VariantFactory.create(powertrain=powertrain)
    assert variant.is_new_energy is expected
    assert Variant.objects.new_energy().filter(pk=variant.pk).exists() is expected
    assert Variant.objects.fuel().filter(pk=variant.pk).exists() is not expected


def test_a_variant_update_records_what_changed(actor, line):
    variant = VariantFactory.create(product_line=line, code="T8-1", list_price=Decimal("100000.00"))
    variant.refresh_from_db()
    services.variant_update(
        actor=actor, variant=variant, changes={"list_price": Decimal("98000.00")}
    )
    variant.refresh_from_db()
    assert variant.list_price == Decimal("98000.00")
    assert AuditEvent.objects.for_object(variant).get().changes == {
        "list_price": ["100000.0000", "98000.0000"]
    }


def test_a_variant_cannot_change_steering_against_its_homologations(actor, line, thailand):
    variant = VariantFactory.create(product_line=line, steering=SteeringSide.RIGHT)
    services.homologation_set(actor=actor, variant=variant, country=thailand)
    with pytest.raises(ValidationFailed) as refused:
        services.variant_update(
            actor=actor, variant=variant, changes={"steering": SteeringSide.LEFT}
        )
    assert refused.value.fields == {
        "steering": [
            "The steering side cannot change: the variant is homologated in Thailand, "
            "where it would no longer fit the traffic side."
        ]
    }
    variant.refresh_from_db()
    assert variant.steering == SteeringSide.RIGHT


# --- homologations ----------------------------------------------------------------------------


def test_a_right_hand_drive_variant_is_refused_in_saudi_arabia(actor, line, saudi_arabia):
    variant = VariantFactory.create(product_line=line, steering=SteeringSide.RIGHT)
    with pytest.raises(ValidationFailed) as refused:
        services.homologation_set(
            actor=actor,
            variant=variant,
            country=saudi_arabia,
            status=HomologationStatus.APPROVED,
            certificate_ref="SASO-1",
        )
    assert refused.value.fields == {"country": [RHD_IN_SAUDI_ARABIA]}
    assert Homologation.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_right_hand_drive_variant_is_accepted_in_thailand(actor, line, thailand):
    variant = VariantFactory.create(product_line=line, steering=SteeringSide.RIGHT)
    homologation = services.homologation_set(
        actor=actor,
        variant=variant,
        country=thailand,
        status=HomologationStatus.APPROVED,
        valid_until=date(2027, 12, 31),
        certificate_ref="TISI-2025-0042",
    )
    stored = Homologation.objects.get()
    assert stored.pk == homologation.pk
    assert (stored.variant_id, stored.country_id, stored.status) == (variant.pk, "TH", "approved")
    assert (stored.valid_until, stored.certificate_ref) == (date(2027, 12, 31), "TISI-2025-0042")
    assert AuditEvent.objects.for_object(stored).get().action == "catalog.homologation_created"


def test_a_left_hand_drive_variant_is_refused_in_thailand(actor, line, thailand):
    variant = VariantFactory.create(product_line=line, steering=SteeringSide.LEFT)
    with pytest.raises(ValidationFailed) as refused:
        services.homologation_set(actor=actor, variant=variant, country=thailand)
    assert refused.value.fields == {
        "country": [
            "A left-hand drive variant cannot be homologated in Thailand, "
            "where traffic keeps to the left."
        ]
    }
    assert Homologation.objects.count() == 0


def test_a_country_without_profile_counts_as_right_hand_traffic(actor, line):
    chile = CountryFactory.create(code="CL", alpha3="CHL", numeric="152", name="Chile")
    left = VariantFactory.create(product_line=line, steering=SteeringSide.LEFT)
    right = VariantFactory.create(product_line=line, steering=SteeringSide.RIGHT)
    services.homologation_set(actor=actor, variant=left, country=chile)
    with pytest.raises(ValidationFailed) as refused:
        services.homologation_set(actor=actor, variant=right, country=chile)
    assert refused.value.fields == {
        "country": [
            "A right-hand drive variant cannot be homologated in Chile, "
            "where traffic keeps to the right."
        ]
    }
    assert list(Homologation.objects.values_list("variant_id", "country_id")) == [(left.pk, "CL")]


def test_setting_a_homologation_again_updates_the_one_row(actor, line, saudi_arabia):
    variant = VariantFactory.create(product_line=line)
    first = services.homologation_set(actor=actor, variant=variant, country=saudi_arabia)
    second = services.homologation_set(
        actor=actor,
        variant=variant,
        country=saudi_arabia,
        status=HomologationStatus.APPROVED,
        certificate_ref="SASO-77",
    )
    assert first.pk == second.pk
    assert Homologation.objects.count() == 1
    events = AuditEvent.objects.for_object(second).order_by("id")
    assert [event.action for event in events] == [
        "catalog.homologation_created",
        "catalog.homologation_updated",
    ]
    assert events[1].changes == {
        "status": ["pending", "approved"],
        "certificate_ref": ["", "SASO-77"],
    }


def test_another_makers_variant_cannot_be_homologated(actor, foreign_brand, saudi_arabia):
    variant = VariantFactory.create(product_line__brand=foreign_brand)
    with pytest.raises(NotFound):
        services.homologation_set(actor=actor, variant=variant, country=saudi_arabia)
    assert Homologation.objects.count() == 0


def test_a_viewer_cannot_homologate(viewer, line, saudi_arabia):
    variant = VariantFactory.create(product_line=line)
    with pytest.raises(Forbidden):
        services.homologation_set(actor=viewer, variant=variant, country=saudi_arabia)
    assert Homologation.objects.count() == 0
