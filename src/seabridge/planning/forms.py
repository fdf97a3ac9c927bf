"""Forms of the planning app: they parse input; the services decide and write."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from seabridge.accounts.models import Organization
from seabridge.agreements.models import Agreement
from seabridge.catalog.models import Brand
from seabridge.core.errors import DomainError
from seabridge.markets.models import Country
from seabridge.planning.choices import Measure, MilestoneCondition
from seabridge.planning.models import PlanPhase
from seabridge.planning.selectors import TargetGrid
from seabridge.planning.services import PhaseInput, TargetInput
from seabridge.trade.models import ExportOrder, Shipment
from seabridge.web.forms import StyledFormMixin

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
MAX_UNITS = 2_147_483_647  # the most units an integer column holds on every database


class DateInput(forms.DateInput):
    input_type = "date"


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class PlanForm(StyledFormMixin, forms.Form):
    """A plan's own facts, as they stay editable."""

    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    cumulative_target = forms.IntegerField(
        label=_("Cumulative target (units)"), min_value=0, max_value=MAX_UNITS
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanCreateForm(PlanForm):
    """A new plan: its brand and, when it serves one, the agreement."""

    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.none())
    agreement = forms.ModelChoiceField(
        label=_("Agreement"),
        queryset=Agreement.objects.none(),
        required=False,
        help_text=_("Leave empty for a plan of your own brand."),
    )
    field_order = ["brand", "agreement", "title"]

    def __init__(
        self,
        *args: Any,
        brands: QuerySet[Brand],
        agreements: QuerySet[Agreement],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "brand", brands)
        _set_queryset(self, "agreement", agreements)


class PhaseForm(StyledFormMixin, forms.Form):
    """One step of a plan; markets are ISO codes separated by commas."""

    number = forms.IntegerField(label=_("Step"), min_value=1, max_value=32_767)
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    markets = forms.CharField(
        label=_("Markets"), max_length=500, help_text=_("ISO codes, e.g. SA, IQ, OM")
    )
    target = forms.IntegerField(label=_("Target (units)"), min_value=0, max_value=MAX_UNITS)

    def clean_markets(self) -> list[str]:
        text = self.cleaned_data["markets"]
        codes = [code.strip().upper() for code in re.split(r"[,\s]+", text) if code.strip()]
        wrong = [code for code in codes if not COUNTRY_CODE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("%(codes)s: a market is a two-letter ISO code."),
                params={"codes": ", ".join(wrong)},
            )
        if not codes:
            raise forms.ValidationError(_("Name at least one market."))
        return list(dict.fromkeys(codes))


class BasePhaseFormSet(forms.BaseFormSet[forms.Form]):
    """A plan's steps, all at once: saving replaces them. It turns the kept forms into the
    service's :class:`PhaseInput` and shows the service's ``phases.<index>.<field>``
    errors next to their field."""

    @staticmethod
    def initial_of(phases: Sequence[PlanPhase]) -> list[dict[str, Any]]:
        """The forms' initial values for the plan's current steps."""
        return [
            {
                "number": phase.number,
                "name": phase.name,
                "starts_on": phase.starts_on,
                "ends_on": phase.ends_on,
                "markets": ", ".join(sorted(country.code for country in phase.markets.all())),
                "target": phase.target,
            }
            for phase in phases
        ]

    def kept_forms(self) -> list[forms.Form]:
        """The forms that make a step (call after :meth:`is_valid`): an extra form left
        blank has no cleaned data; a step marked for deletion goes."""
        return [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def phases(self) -> list[PhaseInput]:
        """The steps to save, in the order of the kept forms."""
        return [
            PhaseInput(
                number=form.cleaned_data["number"],
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                markets=form.cleaned_data["markets"],
                target=form.cleaned_data["target"],
            )
            for form in self.kept_forms()
        ]

    def show_error(self, error: DomainError) -> list[str]:
        """Put ``phases.<index>.<field>`` errors next to their field (the index is the
        kept form's); answer the others, for the list above the steps."""
        kept = self.kept_forms()
        general: list[str] = []
        for key, texts in error.fields.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "phases" and parts[1].isdigit():
                index, name = int(parts[1]), parts[2]
                if index < len(kept) and name in kept[index].fields:
                    for text in texts:
                        kept[index].add_error(name, text)
                    continue
            general.extend(texts)
        if not error.fields:
            general.append(error.message)
        return general


# formset_factory answers a subclass of its ``formset``; the stubs say only BaseFormSet.
PhaseFormSet = cast(
    type[BasePhaseFormSet],
    forms.formset_factory(
        PhaseForm,
        formset=BasePhaseFormSet,
        extra=1,
        can_delete=True,
        max_num=50,
        validate_max=True,
    ),
)


def cell_name(market: str, month: str) -> str:
    """The input's name of the grid's cell for ``market`` (ISO code) in ``month`` (YYYY-MM)."""
    return f"cell-{market}-{month}"


def month_of(key: str) -> date:
    """The first day of the month ``YYYY-MM``."""
    year, month = key.split("-")
    return date(int(year), int(month), 1)


class TargetGridForm(forms.Form):
    """The monthly targets grid of one plan and product line: one optional whole number
    per cell a step covers (market × month). An empty cell changes nothing.

    Every error is named by its cell's market and month, both next to the cell and in
    the list above the grid (:attr:`summary`): the form's own (a cell that is not a
    whole number) and the service's, which names rows by their index (:meth:`show_error`).
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        grid: TargetGrid,
        product_line_id: int | None,
    ) -> None:
        super().__init__(data)
        self.grid = grid
        self.product_line_id = product_line_id
        self.summary: list[str] = []
        self.cell_errors: dict[str, list[str]] = {}
        self._row_cells: list[tuple[str, str]] = []  # the cell of each row given the service
        for market, month in grid.open_cell_keys():
            self.fields[cell_name(market, month)] = forms.CharField(required=False)

    def _label(self, market: str, month: str) -> dict[str, str]:
        return {"market": self.grid.market_names.get(market, market), "month": month}

    def _cell_error(self, market: str, month: str, message: str) -> None:
        name = cell_name(market, month)
        self.add_error(name, message)
        self.cell_errors.setdefault(name, []).append(message)
        self.summary.append(message)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        for market, month in self.grid.open_cell_keys():
            text = data.get(cell_name(market, month), "")
            label = self._label(market, month)
            # isascii: str.isdigit() also takes "²" and other digits int() refuses.
            if text and not (text.isascii() and text.isdigit()):
                message = _("%(market)s, %(month)s: enter a whole number of units.")
                self._cell_error(market, month, str(message) % label)
            elif text and int(text) > MAX_UNITS:
                message = _("%(market)s, %(month)s: at most %(max)s units.")
                self._cell_error(market, month, str(message) % {**label, "max": MAX_UNITS})
        return data

    def targets(self) -> list[TargetInput]:
        """The filled cells as the service's rows, in the grid's order (call after
        :meth:`is_valid`); :meth:`show_error` names the cell of each by its index."""
        rows = []
        self._row_cells = []
        for market, month in self.grid.open_cell_keys():
            text = self.cleaned_data.get(cell_name(market, month), "")
            if not text:
                continue
            rows.append(
                TargetInput(
                    month=month_of(month),
                    market=market,
                    units=int(text),
                    product_line_id=self.product_line_id,
                )
            )
            self._row_cells.append((market, month))
        return rows

    def show_error(self, error: DomainError) -> None:
        """The service's refusal: ``rows.<index>…`` next to its cell, named by market and
        month; anything else in the list above the grid."""
        for key, texts in error.fields.items():
            parts = key.split(".")
            if len(parts) >= 2 and parts[0] == "rows" and parts[1].isdigit():
                index = int(parts[1])
                if index < len(self._row_cells):
                    market, month = self._row_cells[index]
                    for text in texts:
                        message = _("%(market)s, %(month)s: %(error)s")
                        self._cell_error(
                            market,
                            month,
                            str(message) % {**self._label(market, month), "error": text},
                        )
                    continue
            self.summary.extend(texts)
        if not error.fields:
            self.summary.append(error.message)

    def table(self) -> list[dict[str, Any]]:
        """The grid's rows as the page shows them: each market with its total and its
        cells (the value posted, else the target stored; the cell's errors)."""
        grid = self.grid
        return [
            {
                "code": market,
                "name": grid.market_names.get(market, market),
                "total": grid.row_totals.get(market, 0),
                "cells": [self._cell(market, month) for month in grid.month_keys],
            }
            for market in grid.markets
        ]

    def _cell(self, market: str, month: str) -> dict[str, Any]:
        name = cell_name(market, month)
        is_open = name in self.fields
        posted = is_open and self.is_bound
        return {
            "name": name,
            "month": month,
            "is_open": is_open,
            "value": str(self.data.get(name, "")).strip()
            if posted
            else self.grid.cells.get((market, month), ""),
            "errors": self.cell_errors.get(name, []),
        }


class MilestoneForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Organization.objects.none(), required=False
    )
    condition = forms.ChoiceField(
        label=_("Condition"), choices=MilestoneCondition.choices, required=False
    )
    condition_market = forms.ModelChoiceField(
        label=_("Condition market"),
        queryset=Country.objects.order_by("name"),
        to_field_name="code",
        required=False,
        help_text=_("Leave empty to count every market."),
    )
    condition_units = forms.IntegerField(
        label=_("Condition units"), min_value=1, max_value=MAX_UNITS, required=False
    )

    def __init__(self, *args: Any, owners: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "owner", owners)


class MilestoneCompleteForm(StyledFormMixin, forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput)
    evidence_order = forms.ModelChoiceField(
        label=_("Export order"), queryset=ExportOrder.objects.none(), required=False
    )
    evidence_shipment = forms.ModelChoiceField(
        label=_("Shipment"), queryset=Shipment.objects.none(), required=False
    )
    evidence_note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_document = forms.FileField(label=_("Document"), required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        orders: QuerySet[ExportOrder],
        shipments: QuerySet[Shipment],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "evidence_order", orders)
        _set_queryset(self, "evidence_shipment", shipments)


FACTOR_LABELS = {
    "resource_rich": _("Resource-rich market"),
    "low_duty": _("Low import duty on pickups"),
    "drive_side_fit": _("Drive side fits"),
    "agreement_covers": _("An agreement covers it"),
    "units_sold": _("Units sold so far"),
}


class WeightsForm(StyledFormMixin, forms.Form):
    """How many points each shortlist factor gives at full strength (0 to 100)."""

    resource_rich = forms.IntegerField(
        label=FACTOR_LABELS["resource_rich"], min_value=0, max_value=100
    )
    low_duty = forms.IntegerField(label=FACTOR_LABELS["low_duty"], min_value=0, max_value=100)
    drive_side_fit = forms.IntegerField(
        label=FACTOR_LABELS["drive_side_fit"], min_value=0, max_value=100
    )
    agreement_covers = forms.IntegerField(
        label=FACTOR_LABELS["agreement_covers"], min_value=0, max_value=100
    )
    units_sold = forms.IntegerField(label=FACTOR_LABELS["units_sold"], min_value=0, max_value=100)
