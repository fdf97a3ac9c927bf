"""The access rule, shown with exact counts: ownership, agreements in force, sub-grants."""

from datetime import date

import pytest
from django.utils import timezone

from seabridge.agreements.choices import AgreementStatus
from seabridge.agreements.models import Agreement
from seabridge.agreements.services import agreement_terminate, agreements_expire
from seabridge.catalog.models import Brand, Homologation, Variant
from seabridge.core.errors import Forbidden, NotFound
from seabridge.core.grants import granted_q
from seabridge.core.scope import Action, Area, ScopeRule, get_visible, require, restrict
from seabridge.core.tests.world import grant

SALES_HOMOLOGATIONS = Homologation.objects.order_by("country_id")
# The same rows seen as if they belonged to after-sales: an area the partner is not granted.
AFTER_SALES_RULE = ScopeRule(area=Area.AFTER_SALES, brand="variant__brand", market="country")


def countries(queryset):
    return [row.country_id for row in queryset.order_by("country_id")]


def test_an_owner_sees_its_brand_everywhere_and_no_other_brand(world):
    assert countries(restrict(world.jac_admin, SALES_HOMOLOGATIONS)) == ["IQ", "NG", "OM", "SA"]
    assert list(restrict(world.jac_admin, Brand.objects.all())) == [world.jac_brand]
    assert countries(restrict(world.nezha_admin, SALES_HOMOLOGATIONS)) == ["SA"]


def test_without_an_agreement_a_partner_sees_nothing(world):
    assert restrict(world.partner_admin, SALES_HOMOLOGATIONS).count() == 0
    assert restrict(world.partner_admin, Brand.objects.all()).count() == 0


def test_a_partner_sees_exactly_what_its_agreement_grants(world):
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.SALES],
    )
    assert countries(restrict(world.partner_admin, SALES_HOMOLOGATIONS)) == ["IQ", "SA"]
    assert countries(restrict(world.partner_viewer, SALES_HOMOLOGATIONS)) == ["IQ", "SA"]
    # Not Oman, not Nigeria, not Nezha's Saudi homologation.
    assert not restrict(world.partner_admin, SALES_HOMOLOGATIONS).filter(country_id="OM").exists()
    assert (
        not restrict(world.partner_admin, SALES_HOMOLOGATIONS)
        .filter(variant__brand=world.nezha_brand)
        .exists()
    )
    # Not rows of an area it was not granted.
    assert (
        Homologation.objects.filter(granted_q(world.partner_admin, AFTER_SALES_RULE)).count() == 0
    )
    assert list(restrict(world.partner_admin, Brand.objects.all())) == [world.jac_brand]


def test_a_lookup_by_id_outside_the_scope_is_not_found(world):
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    oman = Homologation.objects.get(country_id="OM")
    with pytest.raises(NotFound):
        get_visible(world.partner_admin, Homologation.objects.all(), pk=oman.pk)
    with pytest.raises(NotFound):
        require(world.partner_admin, oman, Action.CHANGE)


def test_roles_limit_actions_inside_the_scope(world):
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    saudi = Homologation.objects.get(variant__brand=world.jac_brand, country_id="SA")
    # Catalogue rows are the owner's to write, whatever the partner's role.
    with pytest.raises(Forbidden):
        require(world.partner_admin, saudi, Action.CHANGE)
    with pytest.raises(Forbidden):
        require(world.partner_viewer, saudi, Action.CHANGE)
    require(world.jac_admin, saudi, Action.CHANGE)
    assert restrict(world.partner_viewer, SALES_HOMOLOGATIONS, Action.CHANGE).count() == 0


def test_when_the_agreement_ends_the_partner_sees_nothing(world):
    agreement = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.SALES],
    )
    agreement_terminate(actor=world.jac_admin, agreement=agreement)
    assert restrict(world.partner_admin, SALES_HOMOLOGATIONS).count() == 0
    assert restrict(world.partner_admin, Brand.objects.all()).count() == 0


def test_an_agreement_past_its_end_date_stops_granting_before_anyone_marks_it(world):
    yesterday = timezone.localdate().replace(year=timezone.localdate().year - 1)
    agreement = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
        effective_from=date(2020, 1, 1),
        effective_to=yesterday,
    )
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.ACTIVE
    assert restrict(world.partner_admin, SALES_HOMOLOGATIONS).count() == 0
    assert agreements_expire() == 1
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.EXPIRED


def test_a_dealer_under_a_sub_grant_sees_only_its_part(world):
    memorandum = grant(
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
        parent=memorandum,
    )
    assert countries(restrict(world.dealer_admin, SALES_HOMOLOGATIONS)) == ["SA"]
    assert countries(restrict(world.partner_admin, SALES_HOMOLOGATIONS)) == ["IQ", "SA"]

    agreement_terminate(actor=world.jac_admin, agreement=memorandum)
    assert restrict(world.dealer_admin, SALES_HOMOLOGATIONS).count() == 0
    assert Agreement.objects.get(pk=sub_grant.pk).status == AgreementStatus.TERMINATED


def test_an_after_sales_partner_sees_the_catalogue_but_not_sales_rows(world):
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.AFTER_SALES],
    )
    assert list(restrict(world.partner_admin, Brand.objects.all())) == [world.jac_brand]
    assert list(restrict(world.partner_admin, Variant.objects.all())) == [world.jac_variant]
    assert restrict(world.partner_admin, SALES_HOMOLOGATIONS).count() == 0
