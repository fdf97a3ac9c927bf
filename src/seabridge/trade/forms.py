"""Forms of the trade app: they parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from seabridge.accounts.models import Organization
from seabridge.catalog.models import Brand, Variant
from seabridge.core.money import AmountFormField
from seabridge.markets.models import Country
from seabridge.trade.choices import Incoterm, PaymentTerms, ShipmentMode
from seabridge.trade.models import RATE_DECIMAL_PLACES, ExportOrder
from seabridge.web.forms import StyledFormMixin


class DateInput(forms.DateInput):
    input_type = "date"


class OrderTermsForm(StyledFormMixin, forms.Form):
    """The terms of an order that stay editable while it is a draft."""

    incoterm = forms.ChoiceField(label=_("Incoterms 2020 rule"), choices=Incoterm.choices)
    named_place = forms.CharField(label=_("Named place"), max_length=120, required=False)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, help_text=_("ISO 4217 code, e.g. USD")
    )
    payment_terms = forms.ChoiceField(label=_("Payment terms"), choices=PaymentTerms.choices)
    lc_number = forms.CharField(label=_("L/C number"), max_length=60, required=False)
    lc_expires_on = forms.DateField(label=_("L/C expiry"), required=False, widget=DateInput)
    requested_on = forms.DateField(label=_("Requested delivery"), required=False, widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OrderCreateForm(OrderTermsForm):
    number = forms.CharField(label=_("Order number"), max_length=40)
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.none())
    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=Organization.objects.none())
    destination = forms.ModelChoiceField(
        label=_("Destination"), queryset=Country.objects.order_by("name")
    )
    field_order = ["number", "brand", "buyer", "destination"]

    def __init__(
        self, *args: Any, brands: QuerySet[Brand], buyers: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        brand_field = self.fields["brand"]
        buyer_field = self.fields["buyer"]
        assert isinstance(brand_field, forms.ModelChoiceField)
        assert isinstance(buyer_field, forms.ModelChoiceField)
        brand_field.queryset = brands
        buyer_field.queryset = buyers


class OrderLineForm(StyledFormMixin, forms.Form):
    variant = forms.ModelChoiceField(label=_("Variant"), queryset=Variant.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    unit_price = AmountFormField(label=_("Unit price"))

    def __init__(self, *args: Any, variants: QuerySet[Variant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["variant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = variants


OrderLineFormSet = forms.formset_factory(OrderLineForm, extra=3, max_num=200, validate_max=True)


class VinsForm(StyledFormMixin, forms.Form):
    """VINs pasted one a line (commas and spaces also separate them)."""

    vins = forms.CharField(
        label=_("VINs"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One VIN a line."),
    )

    def clean_vins(self) -> list[str]:
        text = self.cleaned_data["vins"]
        return [vin for vin in text.replace(",", " ").split() if vin]


class AllocateForm(VinsForm):
    on = forms.DateField(label=_("Allocated on"), required=False, widget=DateInput)


class ShipmentForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("Shipment number"), max_length=40)
    orders = forms.ModelMultipleChoiceField(label=_("Orders"), queryset=ExportOrder.objects.none())
    mode = forms.ChoiceField(label=_("Mode"), choices=ShipmentMode.choices)
    carrier = forms.CharField(label=_("Carrier"), max_length=120, required=False)
    vessel = forms.CharField(label=_("Vessel"), max_length=120, required=False)
    voyage = forms.CharField(label=_("Voyage"), max_length=40, required=False)
    port_of_loading = forms.CharField(
        label=_("Port of loading"), max_length=5, help_text=_("UN/LOCODE, e.g. CNSHA")
    )
    port_of_discharge = forms.CharField(
        label=_("Port of discharge"), max_length=5, help_text=_("UN/LOCODE, e.g. SAJED")
    )
    bill_of_lading = forms.CharField(label=_("Bill of lading"), max_length=60, required=False)
    etd = forms.DateField(label=_("ETD"), required=False, widget=DateInput)
    eta = forms.DateField(label=_("ETA"), required=False, widget=DateInput)
    freight = AmountFormField(label=_("Freight"), required=False)
    insurance = AmountFormField(label=_("Insurance"), required=False)
    other_costs = AmountFormField(label=_("Other costs"), required=False)
    cost_currency = forms.CharField(label=_("Cost currency"), max_length=3, required=False)

    def __init__(self, *args: Any, orders: QuerySet[ExportOrder], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["orders"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = orders


class DateForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False)


class ExchangeRateForm(StyledFormMixin, forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3, help_text=_("e.g. USD"))
    on = forms.DateField(label=_("Date"), widget=DateInput)
    cny_per_unit = AmountFormField(
        label=_("CNY per unit"), allow_zero=False, places=RATE_DECIMAL_PLACES
    )
    confirm = forms.BooleanField(
        label=_("Record it even if it is far from the previous rate"),
        required=False,
        help_text=_(
            "A rate more than three times, or less than a third of, the previous rate of "
            "its currency is refused unless you tick this."
        ),
    )
