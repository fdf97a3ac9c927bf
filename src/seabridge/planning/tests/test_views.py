"""The planning pages: each renders for the plan's parties, saves through one service,
shows a refusal next to the field at fault, and answers 404 to a foreign maker. Pages are
read for what they say (:class:`~seabridge.planning.tests.pages.Page`), not for markup.

The plan under test lies wholly in the past (January to June 2025), so that "as of
today" figures do not move with the calendar: the plan is over, its projection is
what it sold.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from seabridge.core.scope import Area
from seabridge.core.tests.world import grant
from seabridge.planning import services
from seabridge.planning.choices import MilestoneStatus, PlanStatus
from seabridge.planning.models import PlanApproval, PlanMilestone, PlanPhase, SalesPlan, Target
from seabridge.planning.tests.pages import Page
from seabridge.trade.services import LineInput, export_order_create
from seabridge.vehicles.models import Vehicle


def sign_in(client, actor):
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()


def gulf_plan(world, *, title="Gulf 2025", cumulative_target=12) -> SalesPlan:
    """JAC's half-year plan under the memorandum: two steps, ten units of monthly targets."""
    plan = services.sales_plan_create(
        actor=world.jac_staff,
        brand=world.jac_brand,
        agreement=world.agreement,
        data=services.PlanInput(
            title=title,
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 6, 30),
            cumulative_target=cumulative_target,
        ),
    )
    services.plan_phases_set(
        actor=world.jac_staff,
        plan=plan,
        phases=[
            services.PhaseInput(
                1, "Gulf entry", date(2025, 1, 1), date(2025, 3, 31), ["SA", "OM"], 4
            ),
            services.PhaseInput(2, "Iraq", date(2025, 4, 1), date(2025, 6, 30), ["SA", "IQ"], 6),
        ],
    )
    return plan


@pytest.fixture
def gulf(world) -> SalesPlan:
    plan = gulf_plan(world)
    services.plan_targets_set(
        actor=world.jac_staff,
        plan=plan,
        rows=[
            services.TargetInput(date(2025, 1, 1), "SA", 1),
            services.TargetInput(date(2025, 2, 1), "SA", 1),
            services.TargetInput(date(2025, 3, 1), "OM", 2),
            services.TargetInput(date(2025, 4, 1), "SA", 2),
            services.TargetInput(date(2025, 5, 1), "IQ", 2),
            services.TargetInput(date(2025, 6, 1), "IQ", 2),
        ],
    )
    sales = [
        ("SA", date(2025, 1, 10)),
        ("SA", date(2025, 1, 20)),
        ("SA", date(2025, 2, 10)),
        ("SA", date(2025, 4, 5)),
        ("SA", date(2025, 4, 6)),
        ("IQ", date(2025, 5, 20)),
    ]
    for number, (market, on) in enumerate(sales, start=1):
        Vehicle.objects.create(
            vin=f"LJ1PAGE0AA{number:07d}",
            brand=world.jac_brand,
            variant=world.jac_variant,
            produced_on=date(2025, 1, 2),
            market_id=market,
            holder=world.jac,
            wholesaled_on=on,
        )
    return plan


def snapshot() -> tuple:
    return (
        list(SalesPlan.objects.order_by("pk").values_list()),
        list(PlanPhase.objects.order_by("pk").values_list()),
        list(Target.objects.order_by("pk").values_list()),
        list(PlanMilestone.objects.order_by("pk").values_list()),
        list(PlanApproval.objects.order_by("pk").values_list()),
    )


# --- list ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_the_owner_its_plans_filtered_and_as_a_partial(client, world, gulf):
    sign_in(client, world.jac_viewer)
    url = reverse("planning:plan-list")
    page = Page.of(client.get(url))
    assert page.body("Sales plans") == [
        [
            "Gulf 2025",
            "JAC",
            "JAC to Zhongjiang",
            "01/01/2025 – 06/30/2025",
            "Wholesale units",
            "12",
            "Draft",
        ]
    ]
    assert page.links_to(reverse("planning:plan-detail", args=[gulf.pk])) == ["Gulf 2025"]
    assert page.choices("plan-brand") == [("", "All"), (str(world.jac_brand.pk), "JAC")]
    assert page.links_to(reverse("planning:plan-create")) == []  # a viewer does not plan
    closed = Page.of(client.get(url, {"status": "closed"}))
    assert closed.body("Sales plans") == [["No sales plans."]]
    found = client.get(url, {"q": "gulf", "brand": world.jac_brand.pk}, HTTP_HX_REQUEST="true")
    partial = Page.of(found)
    assert [row[0] for row in partial.body("Sales plans")] == ["Gulf 2025"]
    assert "<html" not in found.content.decode()  # the results alone, for HTMX to swap in


@pytest.mark.django_db
def test_a_foreign_maker_sees_no_plan(client, world, gulf):
    sign_in(client, world.nezha_admin)
    page = Page.of(client.get(reverse("planning:plan-list")))
    assert page.body("Sales plans") == [["No sales plans."]]
    assert page.choices("plan-brand") == [("", "All")]


# --- create and edit -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_owner_drafts_a_plan_in_pages(client, world):
    sign_in(client, world.jac_staff)
    url = reverse("planning:plan-create")
    page = Page.of(client.get(url))
    assert page.choices("id_brand") == [("", "---------"), (str(world.jac_brand.pk), "JAC")]
    assert page.choices("id_agreement") == [
        ("", "---------"),
        (str(world.agreement.pk), "JAC to Zhongjiang"),
    ]
    response = client.post(
        url,
        {
            "brand": world.jac_brand.pk,
            "agreement": world.agreement.pk,
            "title": "Gulf 2026",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "measure": "retail",
            "cumulative_target": "400",
            "notes": "Dealers in Riyadh first.",
        },
    )
    plan = SalesPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:plan-detail", args=[plan.pk])
    assert (
        plan.brand,
        plan.agreement,
        plan.owner,
        plan.starts_on,
        plan.ends_on,
        plan.measure,
        plan.cumulative_target,
        plan.notes,
        plan.status,
    ) == (
        world.jac_brand,
        world.agreement,
        world.jac,
        date(2026, 1, 1),
        date(2026, 12, 31),
        "retail",
        400,
        "Dealers in Riyadh first.",
        PlanStatus.DRAFT,
    )


@pytest.mark.django_db
def test_the_partner_may_plan_the_granted_brand_only_under_the_agreement(client, world):
    sign_in(client, world.partner_admin)
    url = reverse("planning:plan-create")
    page = Page.of(client.get(url))
    assert page.choices("id_brand") == [("", "---------"), (str(world.jac_brand.pk), "JAC")]
    response = client.post(
        url,
        {
            "brand": world.jac_brand.pk,
            "agreement": "",
            "title": "Our own JAC plan",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "measure": "wholesale",
            "cumulative_target": "100",
        },
    )
    assert response.status_code == 200
    assert Page.of(response).text_of("id_brand_error") == (
        "Only JAC plans JAC without an agreement."
    )
    assert not SalesPlan.objects.exists()


@pytest.mark.django_db
def test_no_foreign_agreement_or_brand_is_offered_or_taken(client, world):
    """Nezha's agreement with Zhongjiang is still a draft: the scope does not show
    Zhongjiang the brand, so the page neither offers it nor takes it (JAC, a maker with
    no part in that agreement, is offered neither)."""
    draft = grant(
        by=world.nezha_admin,
        to=world.partner,
        brands=[world.nezha_brand],
        countries=["SA"],
        areas=[Area.SALES],
        activate=False,
    )
    url = reverse("planning:plan-create")
    sign_in(client, world.jac_staff)
    page = Page.of(client.get(url))
    assert [text for _value, text in page.choices("id_agreement")] == [
        "---------",
        "JAC to Zhongjiang",
    ]
    sign_in(client, world.partner_admin)
    page = Page.of(client.get(url))
    assert page.choices("id_brand") == [("", "---------"), (str(world.jac_brand.pk), "JAC")]
    response = client.post(
        url,
        {
            "brand": world.nezha_brand.pk,
            "agreement": draft.pk,
            "title": "Nezha in Riyadh",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "measure": "wholesale",
            "cumulative_target": "100",
        },
    )
    assert response.status_code == 200
    assert Page.of(response).text_of("id_brand_error") == (
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert not SalesPlan.objects.exists()


@pytest.mark.django_db
def test_a_plan_ending_before_it_starts_shows_the_error_on_the_field(client, world):
    sign_in(client, world.jac_staff)
    response = client.post(
        reverse("planning:plan-create"),
        {
            "brand": world.jac_brand.pk,
            "title": "Backwards",
            "starts_on": "2026-12-31",
            "ends_on": "2026-01-01",
            "measure": "wholesale",
            "cumulative_target": "100",
        },
    )
    assert response.status_code == 200
    assert Page.of(response).text_of("id_ends_on_error") == "The plan ends before it starts."
    assert not SalesPlan.objects.exists()


@pytest.mark.django_db
def test_the_owner_edits_a_plan(client, world, gulf):
    sign_in(client, world.jac_staff)
    url = reverse("planning:plan-edit", args=[gulf.pk])
    page = Page.of(client.get(url))
    assert (page.value("title"), page.value("cumulative_target")) == ("Gulf 2025", "12")
    response = client.post(
        url,
        {
            "title": "Gulf first half 2025",
            "starts_on": "2025-01-01",
            "ends_on": "2025-06-30",
            "measure": "wholesale",
            "cumulative_target": "10",
            "notes": "",
        },
    )
    assert response.status_code == 302
    gulf.refresh_from_db()
    assert (gulf.title, gulf.cumulative_target) == ("Gulf first half 2025", 10)


# --- detail --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_detail_shows_plan_against_actual(client, world, gulf):
    sign_in(client, world.jac_viewer)
    response = client.get(reverse("planning:plan-detail", args=[gulf.pk]))
    html = response.content.decode()
    page = Page(html)
    assert [page.text_of(f"kpi-{name}") for name in ("actual", "target", "attainment", "gap")] == [
        "6",
        "12",
        "50.0 %",
        "6",
    ]
    assert page.text_of("kpi-projection") == "At this pace: 6 of 12"
    chart = json.loads(html.split('id="plan-chart-data" type="application/json">')[1].split("<")[0])
    assert chart == {
        "months": ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"],
        "target": [1, 2, 4, 6, 8, 10],
        "actual": [2, 3, 3, 5, 6, 6],
        "names": {"target": "Cumulative target", "actual": "Cumulative actual"},
    }
    assert "plan_chart.js" in html
    assert "echarts.min.js" in html
    assert page.body("By month") == [
        ["2025-01", "1", "2", "1", "2"],
        ["2025-02", "1", "1", "2", "3"],
        ["2025-03", "2", "0", "4", "3"],
        ["2025-04", "2", "2", "6", "5"],
        ["2025-05", "2", "1", "8", "6"],
        ["2025-06", "2", "0", "10", "6"],
    ]
    # Most behind first: Iraq 1 of 4, Oman none of 2, Saudi Arabia 5 of 4.
    assert page.body("By market, to date") == [
        ["Iraq", "4", "1", "25.0 %", "Behind"],
        ["Oman", "2", "0", "0.0 %", "Behind"],
        ["Saudi Arabia", "4", "5", "125.0 %", "On track"],
    ]
    assert "Monthly targets add up to 10; the plan's cumulative target is 12." in page.text
    # Step 1: SA in January and February; step 2: SA in April, IQ in May.
    assert "Gulf entry 01/01/2025 – 03/31/2025 · Markets: OM, SA 3 of 4 units" in page.text
    assert "Iraq 04/01/2025 – 06/30/2025 · Markets: IQ, SA 3 of 6 units" in page.text
    assert "JAC: awaiting approval Zhongjiang: awaiting approval" in page.text
    approve = reverse("planning:plan-approve", args=[gulf.pk])
    assert page.form_to(approve) is None  # a viewer does not approve


@pytest.mark.django_db
def test_both_parties_approve_and_the_manager_activates(client, world, gulf):
    sign_in(client, world.jac_manager)
    detail = reverse("planning:plan-detail", args=[gulf.pk])
    approve = reverse("planning:plan-approve", args=[gulf.pk])
    transition = reverse("planning:plan-transition", args=[gulf.pk])
    form = Page.of(client.get(detail)).form_to(approve)
    assert form is not None
    assert form.buttons == ["Approve"]
    response = client.post(approve)
    assert response.status_code == 302
    assert response["Location"] == detail
    page = Page.of(client.get(detail))
    assert "Your approval of Gulf 2025 is recorded." in page.text
    assert "JAC: approved by jac_manager on" in page.text
    assert "Zhongjiang: awaiting approval" in page.text
    assert page.form_to(approve) is None  # JAC approves once
    sign_in(client, world.partner_admin)
    client.post(approve)
    gulf.refresh_from_db()
    assert gulf.status == PlanStatus.APPROVED
    page = Page.of(client.get(detail))
    assert [(form.hidden, form.buttons) for form in page.forms if form.action == transition] == [
        ({"status": "draft"}, ["Mark Draft"]),
        ({"status": "active"}, ["Mark Active"]),
    ]
    client.post(transition, {"status": "active"})
    gulf.refresh_from_db()
    assert gulf.status == PlanStatus.ACTIVE


# --- steps ---------------------------------------------------------------------------------


def phases_body(*steps: dict) -> dict:
    body = {
        "phases-TOTAL_FORMS": str(len(steps)),
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "50",
    }
    for index, step in enumerate(steps):
        body.update({f"phases-{index}-{name}": value for name, value in step.items()})
    return body


@pytest.mark.django_db
def test_the_steps_form_replaces_all_steps(client, world, gulf):
    sign_in(client, world.partner_admin)
    url = reverse("planning:plan-phases", args=[gulf.pk])
    page = Page.of(client.get(url))
    assert [page.value(name) for name in ("phases-0-name", "phases-0-markets")] == [
        "Gulf entry",
        "OM, SA",
    ]
    assert page.value("phases-1-markets") == "IQ, SA"
    response = client.post(
        url,
        phases_body(
            {
                "number": "1",
                "name": "Whole half-year",
                "starts_on": "2025-01-01",
                "ends_on": "2025-06-30",
                "markets": "sa, iq om",
                "target": "12",
            }
        ),
    )
    assert response.status_code == 302
    phase = PlanPhase.objects.get(plan=gulf)
    assert (phase.name, phase.target, sorted(phase.markets.values_list("code", flat=True))) == (
        "Whole half-year",
        12,
        ["IQ", "OM", "SA"],
    )


@pytest.mark.django_db
def test_unchanged_steps_are_kept_and_a_step_marked_for_deletion_goes(client, world, gulf):
    sign_in(client, world.jac_staff)
    url = reverse("planning:plan-phases", args=[gulf.pk])
    first = {
        "number": "1",
        "name": "Gulf entry",
        "starts_on": "2025-01-01",
        "ends_on": "2025-03-31",
        "markets": "OM, SA",
        "target": "4",
    }
    second = {**first, "number": "2", "name": "Iraq", "starts_on": "2025-04-01"}
    second.update(ends_on="2025-06-30", markets="IQ, SA", target="8")
    body = phases_body(first, second, {"number": "", "name": "", "markets": "", "target": ""})
    body["phases-INITIAL_FORMS"] = "2"
    assert client.post(url, body).status_code == 302
    assert list(PlanPhase.objects.filter(plan=gulf).values_list("number", "target")) == [
        (1, 4),
        (2, 8),
    ]
    body["phases-1-DELETE"] = "on"
    assert client.post(url, body).status_code == 302
    assert list(PlanPhase.objects.filter(plan=gulf).values_list("number", "target")) == [(1, 4)]


@pytest.mark.django_db
def test_step_errors_are_shown_next_to_their_fields_and_nothing_changes(client, world, gulf):
    sign_in(client, world.jac_staff)
    before = snapshot()
    response = client.post(
        reverse("planning:plan-phases", args=[gulf.pk]),
        phases_body(
            {
                "number": "1",
                "name": "Gulf entry",
                "starts_on": "2025-01-01",
                "ends_on": "2025-03-31",
                "markets": "SA, XX",
                "target": "4",
            },
            {
                "number": "2",
                "name": "Too late",
                "starts_on": "2025-04-01",
                "ends_on": "2025-08-31",
                "markets": "IQ",
                "target": "6",
            },
        ),
    )
    assert response.status_code == 200
    page = Page.of(response)
    assert page.text_of("id_phases-0-markets_error") == "XX is not a country."
    assert page.text_of("id_phases-1-starts_on_error") == (
        "Step 2 lies outside the plan (2025-01-01 to 2025-06-30)."
    )
    assert snapshot() == before


# --- targets -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_grid_saves_cells_and_shows_totals(client, world, gulf):
    sign_in(client, world.partner_admin)
    url = reverse("planning:plan-targets", args=[gulf.pk])
    page = Page.of(client.get(url))
    assert (page.value("cell-SA-2025-01"), page.value("cell-OM-2025-03")) == ("1", "2")
    assert page.value("cell-OM-2025-04") is None  # step 2 does not cover Oman
    assert page.value("cell-IQ-2025-01") is None  # nor step 1 Iraq
    response = client.post(
        url,
        {"line": "", "cell-OM-2025-03": "3", "cell-IQ-2025-06": "0", "cell-SA-2025-05": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert sorted(Target.objects.filter(plan=gulf).values_list("month", "market_id", "units")) == [
        (date(2025, 1, 1), "SA", 1),
        (date(2025, 2, 1), "SA", 1),
        (date(2025, 3, 1), "OM", 3),
        (date(2025, 4, 1), "SA", 2),
        (date(2025, 5, 1), "IQ", 2),
        (date(2025, 6, 1), "IQ", 0),
    ]
    page = Page.of(client.get(url))
    assert "Targets saved: 0 new, 2 changed." in page.text
    grid = next(rows for caption, rows in page.tables.items() if caption.startswith("Units by"))
    # Each market's row total, and the month totals and grand total below them.
    assert [(row[0], row[-1]) for row in grid[1:]] == [
        ("Oman OM", "3"),
        ("Saudi Arabia SA", "4"),
        ("Iraq IQ", "2"),
        ("Total", "9"),
    ]
    assert grid[-1] == ["Total", "1", "1", "3", "2", "2", "0", "9"]


@pytest.mark.django_db
def test_the_grid_saves_a_product_lines_targets(client, world, gulf):
    sign_in(client, world.jac_staff)
    url = reverse("planning:plan-targets", args=[gulf.pk])
    line = world.jac_line.pk
    page = Page.of(client.get(url, {"line": line}))
    assert page.choices("target-line") == [("", "All lines"), (str(line), "T8")]
    assert page.chosen("target-line") == [str(line)]
    assert page.value("cell-SA-2025-01") == ""  # no T8 targets yet
    response = client.post(url, {"line": line, "cell-SA-2025-01": "1"})
    assert response["Location"] == f"{url}?line={line}"
    assert Target.objects.get(plan=gulf, product_line=line).units == 1
    assert client.get(url, {"line": "999999"}).status_code == 404


@pytest.mark.django_db
def test_a_bad_cell_is_named_by_market_and_month_and_nothing_is_saved(client, world, gulf):
    sign_in(client, world.jac_staff)
    before = snapshot()
    response = client.post(
        reverse("planning:plan-targets", args=[gulf.pk]),
        {"cell-SA-2025-01": "5", "cell-IQ-2025-05": "two"},
    )
    assert response.status_code == 200
    page = Page.of(response)
    message = "Iraq, 2025-05: enter a whole number of units."
    assert message in page.text  # above the grid
    assert page.inputs["cell-IQ-2025-05"]["value"] == "two"
    assert page.inputs["cell-IQ-2025-05"]["aria-invalid"] == "true"
    assert page.text_of("cell-IQ-2025-05-error") == message  # and next to the cell
    assert page.value("cell-SA-2025-01") == "5"  # the other cells keep what was typed
    assert snapshot() == before


# --- milestones ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_milestones_are_added_completed_with_evidence_and_dropped(client, world, gulf):
    order = export_order_create(
        actor=world.jac_staff,
        number="EO-2025-001",
        brand=world.jac_brand,
        buyer=world.partner,  # a counterparty: the memorandum's grantee
        destination="SA",
        incoterm="CIF",
        currency="USD",
        payment_terms="tt",
        lines=[LineInput(variant_id=world.jac_variant.pk, quantity=2, unit_price=Decimal(1))],
    )
    sign_in(client, world.jac_staff)
    detail = reverse("planning:plan-detail", args=[gulf.pk])
    response = client.post(
        reverse("planning:milestone-create", args=[gulf.pk]),
        {
            "title": "Sample vehicles procured",
            "due_on": "2099-06-30",
            "owner": world.partner.pk,
            "condition": "",
            "condition_market": "",
            "condition_units": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    samples = PlanMilestone.objects.get(title="Sample vehicles procured")
    assert (samples.owner, samples.status) == (world.partner, MilestoneStatus.OPEN)
    client.post(
        reverse("planning:milestone-create", args=[gulf.pk]),
        {"title": "Showroom opened", "due_on": "2099-09-30", "owner": world.jac.pk},
    )
    showroom = PlanMilestone.objects.get(title="Showroom opened")

    complete = reverse("planning:milestone-complete", args=[gulf.pk, samples.pk])
    form = Page.of(client.get(complete))
    assert form.choices("id_evidence_order") == [("", "---------"), (str(order.pk), "EO-2025-001")]
    response = client.post(complete, {"completed_on": "2025-04-30", "evidence_order": order.pk})
    assert response.status_code == 302
    samples.refresh_from_db()
    assert (samples.status, samples.completed_on, samples.evidence_order) == (
        MilestoneStatus.DONE,
        date(2025, 4, 30),
        order,
    )
    page = Page.of(client.get(detail))
    assert page.links_to(reverse("trade:order-detail", args=[order.pk])) == ["EO-2025-001"]
    assert [row[:2] + row[4:6] for row in page.body("Milestones")] == [
        ["Sample vehicles procured", "06/30/2099", "Done 04/30/2025", "EO-2025-001"],
        ["Showroom opened", "09/30/2099", "Open", ""],
    ]

    sign_in(client, world.jac_manager)
    response = client.post(reverse("planning:milestone-drop", args=[gulf.pk, showroom.pk]))
    assert response.status_code == 302
    showroom.refresh_from_db()
    assert showroom.status == MilestoneStatus.DROPPED


@pytest.mark.django_db
def test_completing_without_evidence_names_the_note_field(client, world, gulf):
    milestone = services.plan_milestone_create(
        actor=world.jac_staff,
        plan=gulf,
        data=services.MilestoneInput(title="Dealer signed", due_on=date(2099, 1, 31)),
    )
    sign_in(client, world.jac_staff)
    response = client.post(
        reverse("planning:milestone-complete", args=[gulf.pk, milestone.pk]),
        {"completed_on": "2025-04-30"},
    )
    assert Page.of(response).text_of("id_evidence_note_error") == (
        "Give the evidence: an order, a shipment, a file or a note."
    )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.OPEN


# --- shortlist -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_shortlist_ranks_markets_and_takes_new_weights(client, world, gulf):
    sign_in(client, world.jac_staff)
    url = reverse("planning:plan-shortlist", args=[gulf.pk])
    page = Page.of(client.get(url))
    assert page.tables["Candidate markets"][0] == [
        "#",
        "Market",
        "Resource-rich market",
        "Low import duty on pickups",
        "Drive side fits",
        "An agreement covers it",
        "Units sold so far",
        "Score",
    ]
    ranked = page.body("Candidate markets")
    assert [row[:2] for row in ranked] == [
        ["1", "Nigeria NG"],
        ["2", "China CN"],
        ["3", "Thailand TH"],
    ]
    # Nigeria: no resource-rich profile, unknown duty, left-hand drive fits, the agreement
    # covers it, nothing sold there yet.
    assert ranked[0][2:] == ["no 0.0", "? 0.0", "LHD 20.0", "yes 20.0", "0 0.0", "40.0"]
    response = client.post(
        url,
        {
            "resource_rich": "25",
            "low_duty": "20",
            "drive_side_fit": "5",
            "agreement_covers": "50",
            "units_sold": "15",
        },
    )
    assert response.status_code == 302
    gulf.refresh_from_db()
    assert gulf.shortlist_weights == {
        "resource_rich": 25,
        "low_duty": 20,
        "drive_side_fit": 5,
        "agreement_covers": 50,
        "units_sold": 15,
    }
    response = client.post(url, {**gulf.shortlist_weights, "low_duty": "101"})
    assert Page.of(response).text_of("id_low_duty_error") == (
        "Ensure this value is less than or equal to 100."
    )


# --- a foreign maker -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_foreign_maker_gets_404_everywhere_and_changes_nothing(client, world, gulf):
    milestone = services.plan_milestone_create(
        actor=world.jac_staff,
        plan=gulf,
        data=services.MilestoneInput(title="Dealer signed", due_on=date(2099, 1, 31)),
    )
    sign_in(client, world.nezha_admin)
    before = snapshot()
    for name in (
        "plan-detail",
        "plan-edit",
        "plan-phases",
        "plan-targets",
        "plan-shortlist",
        "milestone-create",
    ):
        url = reverse(f"planning:{name}", args=[gulf.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"title": "Taken"}).status_code == 404, name
    for name in ("plan-approve", "plan-transition"):
        url = reverse(f"planning:{name}", args=[gulf.pk])
        assert client.post(url, {"status": "active"}).status_code == 404, name
    for name in ("milestone-complete", "milestone-drop", "milestone-document"):
        url = reverse(f"planning:{name}", args=[gulf.pk, milestone.pk])
        assert client.post(url, {"completed_on": "2025-04-30"}).status_code == 404, name
    assert snapshot() == before
