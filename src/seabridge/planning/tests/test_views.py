"""The planning pages: each renders for the plan's parties, saves through one service,
shows a refusal next to the field at fault, and answers 404 to a foreign maker.

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

from seabridge.planning import services
from seabridge.planning.choices import MilestoneStatus, PlanStatus
from seabridge.planning.models import PlanApproval, PlanMilestone, PlanPhase, SalesPlan, Target
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
    html = client.get(url).content.decode()
    assert (
        f'<td><a href="{reverse("planning:plan-detail", args=[gulf.pk])}">Gulf 2025</a></td>\n'
        f"      <td>JAC</td><td>{world.agreement.title}</td>\n"
        "      <td>01/01/2025 – 06/30/2025</td>\n"
        "      <td>Wholesale units</td>\n"
        '      <td class="text-end">12</td>\n'
        "      <td>Draft</td>"
    ) in html
    assert f'<option value="{world.jac_brand.pk}">JAC</option>' in html
    assert "New sales plan" not in html  # a viewer does not plan
    closed = client.get(url, {"status": "closed"}).content.decode()
    assert "No sales plans." in closed
    assert "Gulf 2025" not in closed
    found = client.get(url, {"q": "gulf", "brand": world.jac_brand.pk}, HTTP_HX_REQUEST="true")
    partial = found.content.decode()
    assert "Gulf 2025" in partial
    assert "<html" not in partial


@pytest.mark.django_db
def test_a_foreign_maker_sees_no_plan(client, world, gulf):
    sign_in(client, world.nezha_admin)
    html = client.get(reverse("planning:plan-list")).content.decode()
    assert "No sales plans." in html
    assert "Gulf 2025" not in html


# --- create and edit -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_owner_drafts_a_plan_in_pages(client, world):
    sign_in(client, world.jac_staff)
    url = reverse("planning:plan-create")
    html = client.get(url).content.decode()
    brands = html.split('id="id_brand"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{world.jac_brand.pk}">JAC</option>' in brands
    assert "Nezha" not in brands
    agreements = html.split('id="id_agreement"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{world.agreement.pk}">{world.agreement.title}</option>' in agreements
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
    html = client.get(url).content.decode()
    brands = html.split('id="id_brand"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{world.jac_brand.pk}">JAC</option>' in brands
    assert "Nezha" not in brands
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
    assert (
        '<div class="invalid-feedback d-block" id="id_brand_error">'
        "Only JAC plans JAC without an agreement.</div>"
    ) in response.content.decode()
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
    assert (
        '<div class="invalid-feedback d-block" id="id_ends_on_error">'
        "The plan ends before it starts.</div>"
    ) in response.content.decode()
    assert not SalesPlan.objects.exists()


@pytest.mark.django_db
def test_the_owner_edits_a_plan(client, world, gulf):
    sign_in(client, world.jac_staff)
    url = reverse("planning:plan-edit", args=[gulf.pk])
    html = client.get(url).content.decode()
    assert 'name="title" value="Gulf 2025"' in html
    assert 'name="cumulative_target" value="12"' in html
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
    assert '<div class="fs-4" id="kpi-actual">6</div>' in html
    assert '<div class="fs-4" id="kpi-target">12</div>' in html
    assert '<div class="fs-4" id="kpi-attainment"><span dir="ltr">50.0 %</span></div>' in html
    assert '<div class="fs-4" id="kpi-gap">6</div>' in html
    assert '<div class="fs-6" id="kpi-projection">At this pace: 6 of 12</div>' in html
    chart = json.loads(html.split('id="plan-chart-data" type="application/json">')[1].split("<")[0])
    assert chart == {
        "months": ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"],
        "target": [1, 2, 4, 6, 8, 10],
        "actual": [2, 3, 3, 5, 6, 6],
        "names": {"target": "Cumulative target", "actual": "Cumulative actual"},
    }
    assert "plan_chart.js" in html
    assert "echarts.min.js" in html
    assert (
        '<tr><th scope="row">2025-03</th><td class="text-end">2</td><td class="text-end">0</td>'
        '<td class="text-end">4</td><td class="text-end">3</td></tr>'
    ) in html
    assert (
        '<tr class="table-warning"><th scope="row">Iraq</th><td class="text-end">4</td>'
        '<td class="text-end">1</td><td class="text-end">25.0 %</td>'
        '<td><span class="badge text-bg-warning">Behind</span></td></tr>'
    ) in html
    assert (
        '<tr><th scope="row">Saudi Arabia</th><td class="text-end">4</td>'
        '<td class="text-end">5</td><td class="text-end">125.0 %</td><td>On track</td></tr>'
    ) in html
    assert "<li>Monthly targets add up to 10; the plan&#x27;s cumulative target is 12.</li>" in html
    assert '<div class="fw-semibold">Gulf entry</div>' in html
    assert "01/01/2025 – 03/31/2025 ·\n      Markets: OM, SA" in html
    assert '<span class="text-end">3 of 4 units</span>' in html  # step 1: SA in January, February
    assert '<span class="text-end">3 of 6 units</span>' in html  # step 2: SA in April, IQ in May
    assert "JAC: awaiting approval" in html
    assert "Zhongjiang: awaiting approval" in html
    assert "Approve" not in html  # a viewer does not approve


@pytest.mark.django_db
def test_both_parties_approve_and_the_manager_activates(client, world, gulf):
    sign_in(client, world.jac_manager)
    detail = reverse("planning:plan-detail", args=[gulf.pk])
    assert '<button type="submit" class="btn btn-primary btn-sm">Approve</button>' in (
        client.get(detail).content.decode()
    )
    response = client.post(reverse("planning:plan-approve", args=[gulf.pk]))
    assert response.status_code == 302
    assert response["Location"] == detail
    html = client.get(detail).content.decode()
    assert "Your approval of Gulf 2025 is recorded." in html
    assert "JAC: approved by jac_manager on" in html
    assert "Zhongjiang: awaiting approval" in html
    sign_in(client, world.partner_admin)
    client.post(reverse("planning:plan-approve", args=[gulf.pk]))
    gulf.refresh_from_db()
    assert gulf.status == PlanStatus.APPROVED
    html = client.get(detail).content.decode()
    assert 'name="status" value="active"' in html
    assert 'name="status" value="draft"' in html
    client.post(reverse("planning:plan-transition", args=[gulf.pk]), {"status": "active"})
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
    html = client.get(url).content.decode()
    assert 'name="phases-0-name" value="Gulf entry"' in html
    assert 'name="phases-0-markets" value="OM, SA"' in html
    assert 'name="phases-1-markets" value="IQ, SA"' in html
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
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<div class="invalid-feedback d-block" id="id_phases-0-markets_error">'
        "XX is not a country.</div>"
    ) in html
    assert (
        '<div class="invalid-feedback d-block" id="id_phases-1-starts_on_error">'
        "Step 2 lies outside the plan (2025-01-01 to 2025-06-30).</div>"
    ) in html
    assert snapshot() == before


# --- targets -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_grid_saves_cells_and_shows_totals(client, world, gulf):
    sign_in(client, world.partner_admin)
    url = reverse("planning:plan-targets", args=[gulf.pk])
    html = client.get(url).content.decode()
    assert 'name="cell-SA-2025-01" value="1"' in html
    assert 'name="cell-OM-2025-03" value="2"' in html
    assert 'name="cell-OM-2025-04"' not in html  # step 2 does not cover Oman
    assert 'name="cell-IQ-2025-01"' not in html  # nor step 1 Iraq
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
    html = client.get(url).content.decode()
    assert "Targets saved: 0 new, 2 changed." in html
    total_cell = '<td class="text-end fw-semibold">'
    rows = {
        row.split("</th>", 1)[0]: row.rsplit(total_cell, 1)[1].split("<")[0]
        for row in html.split('<th scope="row">')[1:]
    }
    assert rows == {
        'Iraq <span class="text-body-secondary">IQ</span>': "2",
        'Oman <span class="text-body-secondary">OM</span>': "3",
        'Saudi Arabia <span class="text-body-secondary">SA</span>': "4",
        "Total": "0",
    }
    footer = html.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    assert [cell.split("<")[0] for cell in footer.split('fw-semibold">')[1:]] == [
        "1",
        "1",
        "3",
        "2",
        "2",
        "0",
    ]
    assert '<td class="text-end fw-bold">9</td>' in footer


@pytest.mark.django_db
def test_the_grid_saves_a_product_lines_targets(client, world, gulf):
    sign_in(client, world.jac_staff)
    url = reverse("planning:plan-targets", args=[gulf.pk])
    line = world.jac_line.pk
    html = client.get(url, {"line": line}).content.decode()
    assert f'<option value="{line}" selected>T8</option>' in html
    assert 'name="cell-SA-2025-01" value=""' in html  # no T8 targets yet
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
    html = response.content.decode()
    assert response.status_code == 200
    assert "<li>Iraq, 2025-05: enter a whole number of units.</li>" in html
    assert 'value="two" class="form-control form-control-sm text-end is-invalid"' in html
    assert snapshot() == before


# --- milestones ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_milestones_are_added_completed_with_evidence_and_dropped(client, world, gulf):
    order = export_order_create(
        actor=world.jac_staff,
        number="EO-2025-001",
        brand=world.jac_brand,
        buyer=world.dealer,
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
    form = client.get(complete).content.decode()
    orders = form.split('id="id_evidence_order"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{order.pk}">EO-2025-001</option>' in orders
    response = client.post(complete, {"completed_on": "2025-04-30", "evidence_order": order.pk})
    assert response.status_code == 302
    samples.refresh_from_db()
    assert (samples.status, samples.completed_on, samples.evidence_order) == (
        MilestoneStatus.DONE,
        date(2025, 4, 30),
        order,
    )
    html = client.get(detail).content.decode()
    assert f'<a href="{reverse("trade:order-detail", args=[order.pk])}">EO-2025-001</a>' in html

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
    assert (
        '<div class="invalid-feedback d-block" id="id_evidence_note_error">'
        "Give the evidence: an order, a shipment, a file or a note.</div>"
    ) in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.OPEN


# --- shortlist -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_shortlist_ranks_markets_and_takes_new_weights(client, world, gulf):
    sign_in(client, world.jac_staff)
    url = reverse("planning:plan-shortlist", args=[gulf.pk])
    html = client.get(url).content.decode()
    ranked = [
        row.split("</th>", 1)[0]
        for row in html.split("<tbody>", 1)[1].split('<th scope="row">')[1:]
    ]
    assert ranked == [
        'Nigeria <span class="text-body-secondary">NG</span>',
        'China <span class="text-body-secondary">CN</span>',
        'Thailand <span class="text-body-secondary">TH</span>',
    ]
    nigeria = html.split('Nigeria <span class="text-body-secondary">NG</span></th>', 1)[1]
    nigeria = nigeria.split("</tr>", 1)[0]
    assert [cell.split("</td>")[0] for cell in nigeria.split('<td class="text-end">')[1:]] == [
        'no <span class="badge text-bg-light">0.0</span>',
        '? <span class="badge text-bg-light">0.0</span>',
        'LHD <span class="badge text-bg-light">20.0</span>',
        'yes <span class="badge text-bg-light">20.0</span>',
        '0 <span class="badge text-bg-light">0.0</span>',
    ]
    assert '<td class="text-end fw-semibold">40.0</td>' in nigeria
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
    assert (
        '<div class="invalid-feedback d-block" id="id_low_duty_error">'
        "Ensure this value is less than or equal to 100.</div>"
    ) in response.content.decode()


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
