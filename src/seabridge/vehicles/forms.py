"""Forms of the vehicles app: they parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seabridge.accounts.models import Organization
from seabridge.catalog.models import Brand
from seabridge.core.money import AmountFormField
from seabridge.markets.models import Country
from seabridge.vehicles.choices import CustomerKind
from seabridge.web.forms import StyledFormMixin


class DateInput(forms.DateInput):
    input_type = "date"


class RetailForm(StyledFormMixin, forms.Form):
    """A retail sale: who bought the vehicle, when, and for how much."""

    customer_kind = forms.ChoiceField(label=_("Customer is a"), choices=CustomerKind.choices)
    customer_name = forms.CharField(label=_("Customer name"), max_length=200)
    customer_country = forms.ModelChoiceField(
        label=_("Customer country"), queryset=Country.objects.all()
    )
    customer_email = forms.EmailField(label=_("Customer e-mail"), required=False)
    customer_phone = forms.CharField(label=_("Customer phone"), max_length=40, required=False)
    occurred_on = forms.DateField(label=_("Sold on"), widget=DateInput)
    price = AmountFormField(label=_("Price"))
    currency = forms.CharField(
        label=_("Currency"), max_length=3, help_text=_("ISO 4217 code, e.g. SAR")
    )
    document_ref = forms.CharField(
        label=_("Invoice or contract number"), max_length=120, required=False
    )


class DeliverForm(StyledFormMixin, forms.Form):
    """A bulk delivery of the selected vehicles into one dealer's stock."""

    vins = forms.CharField(label=_("Selected vehicles"), widget=forms.MultipleHiddenInput)
    dealer = forms.ModelChoiceField(label=_("Dealer"), queryset=Organization.objects.none())
    occurred_on = forms.DateField(label=_("Delivered on"), widget=DateInput)
    document_ref = forms.CharField(label=_("Delivery note"), max_length=120, required=False)

    def __init__(self, *args: Any, dealers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dealer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = dealers

    def clean_vins(self) -> list[str]:
        vins = self.data.getlist("vins") if hasattr(self.data, "getlist") else []
        cleaned = [vin.strip().upper() for vin in vins if vin.strip()]
        if not cleaned:
            raise forms.ValidationError(_("Select at least one vehicle."))
        if len(cleaned) > 1000:
            raise forms.ValidationError(_("Select at most 1,000 vehicles at once."))
        return cleaned


class MilestoneForm(StyledFormMixin, forms.Form):
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.none())
    every = forms.IntegerField(
        label=_("Every"), min_value=1, max_value=10**9, initial=100_000, required=False
    )

    def __init__(self, *args: Any, brands: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["brand"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = brands
