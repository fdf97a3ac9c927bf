from datetime import date

import pytest

from seabridge.agreements import services
from seabridge.agreements.choices import AgreementKind, AgreementStatus
from seabridge.agreements.models import Agreement, AgreementScopeEntry
from seabridge.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from seabridge.core.models import AuditEvent
from seabridge.core.scope import Area
from seabridge.core.tests.world import grant


def _draft(actor, grantee, brands, countries, areas=(Area.SALES,), parent=None, **extra):
    return services.agreement_create(
        actor=actor,
        kind=AgreementKind.DISTRIBUTION,
        grantee=grantee,
        title="Distribution",
        effective_from=extra.pop("effective_from", date(2025, 1, 1)),
        effective_to=extra.pop("effective_to", date(2099, 12, 31)),
        parent=parent,
        scope=services.ScopeInput(
            brands=[brand.pk for brand in brands], countries=countries, areas=list(areas)
        ),
        **extra,
    )


def test_the_memorandum_is_recorded_as_signed(world):
    agreement = services.agreement_create(
        actor=world.jac_admin,
        kind=AgreementKind.MEMORANDUM,
        grantee=world.partner,
        title="Memorandum of cooperation",
        effective_from=date(2025, 4, 22),
        effective_to=date(2027, 12, 31),
        scope=services.ScopeInput(
            brands=[world.jac_brand.pk],
            countries=["SA", "IQ", "NG"],
            areas=[Area.SALES, Area.MARKETING, Area.CHANNEL, Area.AFTER_SALES],
        ),
        commitments=[
            ("sales_planning", "Three emerging markets, three years, three steps to 3,000 units."),
            ("brand_marketing", "Bi-weekly promotional activities."),
            ("channel_synergy", "The partner's overseas network and local teams."),
            ("after_sales", "Maintenance network, technician training, genuine parts."),
        ],
        signatories=[
            services.SignatoryInput("Yao Liwen", "Secretary of the Party Committee", world.jac.pk),
            services.SignatoryInput("Luo Kui", "General Manager", world.partner.pk),
        ],
    )
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.scope_entries.count() == 12  # 1 brand × 3 countries × 4 areas
    assert [item.topic for item in agreement.commitments.all()] == [
        "sales_planning",
        "brand_marketing",
        "channel_synergy",
        "after_sales",
    ]
    assert [person.name for person in agreement.signatories.all()] == ["Yao Liwen", "Luo Kui"]
    services.agreement_sign(
        actor=world.partner_admin,
        agreement=agreement,
        signed_on=date(2025, 4, 22),
        signed_in="Nanjing",
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on, agreement.signed_in) == (
        AgreementStatus.SIGNED,
        date(2025, 4, 22),
        "Nanjing",
    )
    assert list(AuditEvent.objects.for_object(agreement).values_list("action", flat=True)) == [
        "agreement.sign",
        "agreement.create",
    ]


def test_only_the_owner_grants_its_brand_directly(world):
    with pytest.raises(ValidationFailed) as caught:
        _draft(world.partner_admin, world.dealer, [world.jac_brand], ["SA"])
    assert caught.value.fields == {
        "brands": ["JAC is not yours to grant: only its owner grants it directly."]
    }
    assert Agreement.objects.count() == 0


def test_a_wider_sub_grant_is_refused_naming_what_exceeds(world):
    memorandum = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.SALES],
    )
    with pytest.raises(ValidationFailed) as caught:
        _draft(
            world.partner_admin,
            world.dealer,
            [world.jac_brand],
            ["SA", "OM"],
            areas=[Area.SALES, Area.AFTER_SALES],
            parent=memorandum,
        )
    assert caught.value.fields == {
        "scope": [
            "This exceeds the granting agreement's scope: JAC OM (After-sales), JAC OM (Sales), "
            "JAC SA (After-sales)."
        ]
    }
    assert Agreement.objects.count() == 1
    assert AgreementScopeEntry.objects.count() == 2


def test_a_sub_grant_must_lie_within_the_parent_period_and_be_under_a_grant_in_force(world):
    memorandum = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
        effective_to=date(2030, 12, 31),
    )
    with pytest.raises(ValidationFailed) as caught:
        _draft(
            world.partner_admin,
            world.dealer,
            [world.jac_brand],
            ["SA"],
            parent=memorandum,
            effective_to=None,
        )
    assert caught.value.fields == {
        "effective_to": ["A sub-grant must lie within the granting agreement's period."]
    }
    draft = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
        activate=False,
    )
    with pytest.raises(ValidationFailed) as caught:
        _draft(
            world.partner_admin,
            world.dealer,
            [world.jac_brand],
            ["SA"],
            parent=draft,
            effective_to=date(2030, 1, 1),
        )
    assert caught.value.fields == {"parent": ["The granting agreement is not in force."]}
    # Someone else's agreement cannot be used as a parent at all.
    with pytest.raises(NotFound):
        _draft(world.dealer_admin, world.nezha, [world.jac_brand], ["SA"], parent=memorandum)
    assert Agreement.objects.count() == 2


def test_bad_scope_input_names_each_field(world):
    with pytest.raises(ValidationFailed) as caught:
        services.agreement_create(
            actor=world.jac_admin,
            kind="lease",
            grantee=world.jac,
            title=" ",
            effective_from=date(2025, 1, 1),
            effective_to=date(2024, 1, 1),
            scope=services.ScopeInput(
                brands=[], countries=["XX"], regions=["atlantis"], areas=["sales", "space"]
            ),
        )
    assert caught.value.fields == {
        "kind": ["lease is not a kind of agreement."],
        "title": ["Give the agreement a title."],
        "grantee": ["An organisation cannot grant itself."],
        "effective_to": ["The agreement ends before it starts."],
        "brands": ["Choose at least one brand."],
        "areas": ["space is not an area."],
        "countries": ["XX is not an ISO 3166 country code."],
        "regions": ["There is no business region atlantis."],
    }
    assert Agreement.objects.count() == 0


def test_only_admins_manage_agreements_and_illegal_moves_are_refused(world):
    with pytest.raises(Forbidden):
        _draft(world.partner_viewer, world.dealer, [world.jac_brand], ["SA"])
    agreement = _draft(world.jac_admin, world.partner, [world.jac_brand], ["SA"])
    with pytest.raises(Conflict) as caught:
        services.agreement_activate(actor=world.jac_admin, agreement=agreement)
    assert caught.value.message == "An agreement that is draft cannot become active."
    with pytest.raises(Forbidden):
        services.agreement_sign(
            actor=world.partner_viewer,
            agreement=agreement,
            signed_on=date(2025, 1, 2),
            signed_in="",
        )
    with pytest.raises(NotFound):
        services.agreement_sign(
            actor=world.nezha_admin, agreement=agreement, signed_on=date(2025, 1, 2), signed_in=""
        )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (AgreementStatus.DRAFT, None)
