"""Exchange rates are reference data with stewards (issue 18): recorded by a platform
administrator, by hand or from a file, with a sanity band against the previous rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from seabridge.core.errors import ValidationFailed
from seabridge.core.models import AuditEvent
from seabridge.core.scope import Actor
from seabridge.imports.choices import ImportStatus
from seabridge.imports.kinds import Context, Prepared, Row
from seabridge.trade import services
from seabridge.trade.imports import ExchangeRates
from seabridge.trade.models import ExchangeRate
from seabridge.trade.tests.conftest import bearer, sign_in

pytestmark = pytest.mark.django_db

RATES = "/api/v1/trade/exchange-rates"


def record(steward: Actor, on: str, rate: str, currency: str = "USD", **options: Any):
    return services.exchange_rate_set(
        actor=steward,
        currency=currency,
        on=date.fromisoformat(on),
        cny_per_unit=Decimal(rate),
        **options,
    )


def stored() -> list[tuple[str, str, str]]:
    return [
        (currency, on.isoformat(), f"{rate.normalize():f}")
        for currency, on, rate in ExchangeRate.objects.order_by("currency", "on").values_list(
            "currency", "on", "cny_per_unit"
        )
    ]


# --- the sanity band ------------------------------------------------------------------------


def test_a_rate_far_from_the_previous_one_is_refused_naming_both(world, steward):
    record(steward, "2025-01-02", "7.1")
    with pytest.raises(ValidationFailed) as refused:
        record(steward, "2025-02-03", "0.0001")
    assert refused.value.fields == {
        "cny_per_unit": [
            "0.0001 CNY per USD is less than 1/3 of the rate of 2025-01-02, 7.1 CNY; "
            "check it, or confirm it to record it anyway."
        ]
    }
    with pytest.raises(ValidationFailed) as refused:
        record(steward, "2025-02-03", "71")
    assert refused.value.fields == {
        "cny_per_unit": [
            "71 CNY per USD is more than 3 times the rate of 2025-01-02, 7.1 CNY; "
            "check it, or confirm it to record it anyway."
        ]
    }
    assert stored() == [("USD", "2025-01-02", "7.1")]
    assert AuditEvent.objects.filter(action__startswith="exchange_rate").count() == 1


def test_a_confirmed_rate_outside_the_band_is_recorded_and_the_audit_says_so(world, steward):
    record(steward, "2025-01-02", "7.1")
    record(steward, "2025-02-03", "21.3")  # exactly three times: inside the band
    record(steward, "2025-03-03", "7.1")  # exactly a third: inside
    rate = record(steward, "2025-04-01", "0.5", confirm=True)
    assert stored()[-1] == ("USD", "2025-04-01", "0.5")
    event = AuditEvent.objects.for_object(rate).get()
    assert event.changes == {
        "currency": "USD",
        "on": "2025-04-01",
        "cny_per_unit": "0.5",
        "confirmed_outside_band": True,
        "acting_for": steward.organization_id,
    }


def test_the_previous_rate_is_the_latest_before_else_the_first_after(world, steward):
    record(steward, "2025-03-01", "7.2")
    assert services.exchange_rate_previous("USD", date(2025, 3, 1)) is None
    assert services.exchange_rate_previous("USD", date(2025, 1, 1)) == services.PreviousRate(
        date(2025, 3, 1), Decimal("7.2")
    )
    with pytest.raises(ValidationFailed):
        record(steward, "2025-01-01", "72")  # earlier than any: compared with the one after
    record(steward, "2025-01-01", "7.3")
    # A correction of a date is compared with its neighbour, not with what it corrects.
    with pytest.raises(ValidationFailed):
        record(steward, "2025-03-01", "0.72")
    record(steward, "2025-03-01", "7.25")
    assert stored() == [("USD", "2025-01-01", "7.3"), ("USD", "2025-03-01", "7.25")]
    # Another currency has its own band, and its first rate none.
    record(steward, "2025-03-01", "0.0018", currency="NGN")


def test_the_api_takes_a_confirm_flag(client, world, steward):
    headers = bearer(world, "steward")
    body = {"currency": "USD", "on": "2025-01-02", "cny_per_unit": "7.1"}
    assert client.post(RATES, body, "application/json", headers=headers).status_code == 201
    far = {"currency": "USD", "on": "2025-02-03", "cny_per_unit": "0.14"}
    response = client.post(RATES, far, "application/json", headers=headers)
    assert (response.status_code, response.json()["error"]["fields"]) == (
        422,
        {
            "cny_per_unit": [
                "0.14 CNY per USD is less than 1/3 of the rate of 2025-01-02, 7.1 CNY; "
                "check it, or confirm it to record it anyway."
            ]
        },
    )
    response = client.post(RATES, {**far, "confirm": True}, "application/json", headers=headers)
    assert (response.status_code, response.json()["cny_per_unit"]) == (201, "0.14")


def test_the_page_refuses_a_far_rate_on_its_field_until_confirmed(client, world, steward):
    record(steward, "2025-01-02", "7.1")
    sign_in(client, steward)
    url = reverse("trade:exchange-rate-create")
    form = client.get(url).content.decode()
    assert 'type="checkbox" name="confirm"' in form
    far = {"currency": "USD", "on": "2025-02-03", "cny_per_unit": "710"}
    html = client.post(url, far).content.decode()
    assert (
        '<div class="invalid-feedback d-block" id="id_cny_per_unit_error">'
        "710 CNY per USD is more than 3 times the rate of 2025-01-02, 7.1 CNY; "
        "check it, or confirm it to record it anyway.</div>"
    ) in html
    assert len(stored()) == 1
    response = client.post(url, {**far, "confirm": "on"})
    assert (response.status_code, stored()[-1]) == (302, ("USD", "2025-02-03", "710"))


# --- the import of rates -------------------------------------------------------------------


def run(actor: Actor, *records: dict[str, Any]) -> tuple[Context, Prepared]:
    kind = ExchangeRates()
    context = Context(
        actor=actor, kind=kind, headers={column.name: column.name for column in kind.columns}
    )
    rows = [Row(number, dict(record)) for number, record in enumerate(records, start=2)]
    return context, kind.check(context, rows)


def problems(context: Context) -> list[tuple[int | None, str | None, str]]:
    return [(problem.row, problem.column, problem.message) for problem in context.problems]


def rate_row(currency: str, on: str, rate: str, confirm: bool | None = None) -> dict[str, Any]:
    return {
        "currency": currency,
        "on": date.fromisoformat(on),
        "cny_per_unit": Decimal(rate),
        "confirm": confirm,
    }


def import_rates(actor: Actor, text: str):
    from seabridge.imports.services import import_file

    return import_file(actor=actor, kind="exchange_rates", data=text.encode(), filename="rates.csv")


def test_a_file_of_rates_then_the_same_file_again(world, steward):
    record(steward, "2025-01-02", "7.1")
    text = (
        "Currency,Date,CNY per unit\n"
        "USD,2025-01-02,7.1\n"
        "USD,2025-02-03,7.15\n"
        "sar,2025-02-03,1.9\n"
        "USD,2025-01-15,7.12\n"
    )
    batch = import_rates(steward, text)
    assert (batch.status, batch.summary, batch.errors) == (
        ImportStatus.COMMITTED,
        {"created": 3, "updated": 0, "unchanged": 1},
        [],
    )
    assert stored() == [
        ("SAR", "2025-02-03", "1.9"),
        ("USD", "2025-01-02", "7.1"),
        ("USD", "2025-01-15", "7.12"),
        ("USD", "2025-02-03", "7.15"),
    ]
    again = import_rates(steward, text)
    assert (again.status, again.summary) == (
        ImportStatus.UNCHANGED,
        {"created": 0, "updated": 0, "unchanged": 4},
    )


def test_a_file_with_a_bad_row_writes_nothing_and_names_every_row(world, steward):
    record(steward, "2025-01-02", "7.1")
    before = (stored(), AuditEvent.objects.count())
    batch = import_rates(
        steward,
        "Currency,Date,CNY per unit\n"
        "USD,2025-02-03,7.15\n"
        "USD,2025-03-03,0.0001\n"
        "CNY,2025-03-03,1\n"
        "ABC,2025-03-03,2\n"
        "EUR,2025-03-03,-7.8\n"
        "EUR,2025-03-04,7.812345678\n",
    )
    assert (batch.status, batch.errors) == (
        ImportStatus.REFUSED,
        [
            {
                "row": 3,
                "column": "CNY per unit",
                "message": "0.0001 CNY per USD is less than 1/3 of the rate of 2025-02-03, "
                "7.15 CNY; check it, or confirm it to record it anyway.",
            },
            {
                "row": 4,
                "column": "Currency",
                "message": "Rates are kept in CNY; CNY itself needs none.",
            },
            {
                "row": 5,
                "column": "Currency",
                "message": "ABC is not an ISO 4217 currency code.",
            },
            {"row": 6, "column": "CNY per unit", "message": "A rate must be more than 0."},
            {"row": 7, "column": "CNY per unit", "message": "Use at most 8 decimal places."},
        ],
    )
    assert (stored(), AuditEvent.objects.count()) == before


def test_rows_of_a_file_are_compared_in_date_order_and_a_confirmed_row_passes(world, steward):
    record(steward, "2025-01-02", "7.1")
    context, prepared = run(
        steward,
        rate_row("USD", "2025-04-01", "0.5"),  # beside 2025-03-01 in the file: inside
        rate_row("USD", "2025-03-01", "0.6", confirm=True),  # beside 2025-01-02: confirmed
        rate_row("USD", "2025-05-01", "5", confirm=False),  # beside 2025-04-01: 10×
    )
    assert problems(context) == [
        (
            4,
            "cny_per_unit",
            "5 CNY per USD is more than 3 times the rate of 2025-04-01, 0.5 CNY; "
            "check it, or confirm it to record it anyway.",
        )
    ]
    context, prepared = run(
        steward,
        rate_row("USD", "2025-04-01", "0.5"),
        rate_row("USD", "2025-03-01", "0.6", confirm=True),
    )
    assert (problems(context), prepared.created) == ([], 2)
    ExchangeRates().apply(context, prepared)
    assert stored() == [
        ("USD", "2025-01-02", "7.1"),
        ("USD", "2025-03-01", "0.6"),
        ("USD", "2025-04-01", "0.5"),
    ]
    confirmed = AuditEvent.objects.filter(changes__confirmed_outside_band=True)
    assert [event.changes["on"] for event in confirmed] == ["2025-03-01"]


def test_only_a_steward_imports_rates(world, steward):
    for name in ("jac_admin", "partner_admin", "nezha_admin"):
        batch = import_rates(
            world.actors[name], "Currency,Date,CNY per unit\nUSD,2025-01-02,0.0001\n"
        )
        assert (batch.status, batch.errors) == (
            ImportStatus.REFUSED,
            [
                {
                    "row": None,
                    "column": None,
                    "message": "Reference data is kept by the platform's stewards; "
                    "ask one to change it.",
                }
            ],
        )
    assert ExchangeRate.objects.count() == 0
