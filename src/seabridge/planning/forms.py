"""Forms of the planning app: they parse input; the services decide and write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from seabridge.accounts.models import Organization
from seabridge.agreements.models import Agreement
from seabridge.catalog.models import Brand
from seabridge.markets.models import Country
from seabridge.planning.choices import Measure, MilestoneCondition
from seabridge.trade.models import ExportOrder, Shipment
from seabridge.web.forms import StyledFormMixin

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


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
        label=_("Cumulative target (units)"), min_value=0, max_value=2_147_483_647
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
    target = forms.IntegerField(label=_("Target (units)"), min_value=0, max_value=2_147_483_647)

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


PhaseFormSet = forms.formset_factory(
    PhaseForm, extra=1, can_delete=True, max_num=50, validate_max=True
)


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
        label=_("Condition units"), min_value=1, max_value=2_147_483_647, required=False
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
