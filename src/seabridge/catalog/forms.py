"""Forms of the catalog app: they parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seabridge.catalog.choices import BodyType, HomologationStatus, Powertrain, SteeringSide
from seabridge.catalog.models import ProductLine
from seabridge.core.money import AmountFormField
from seabridge.markets.models import Country
from seabridge.web.forms import StyledFormMixin


class DateInput(forms.DateInput):
    input_type = "date"


class BrandForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)


class ProductLineForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, help_text=_("e.g. NAVARA, T8, V"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    launched_on = forms.DateField(label=_("Launched on"), required=False, widget=DateInput)


class VariantForm(StyledFormMixin, forms.Form):
    product_line = forms.ModelChoiceField(
        label=_("Product line"), queryset=ProductLine.objects.none()
    )
    code = forms.CharField(
        label=_("Variant code"), max_length=40, help_text=_("The maker's code, used in imports.")
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    body = forms.ChoiceField(label=_("Body"), choices=BodyType.choices)
    powertrain = forms.ChoiceField(label=_("Powertrain"), choices=Powertrain.choices)
    steering = forms.ChoiceField(label=_("Steering"), choices=SteeringSide.choices)
    emission_standard = forms.CharField(label=_("Emission standard"), max_length=40, required=False)
    engine = forms.CharField(
        label=_("Engine or battery"),
        max_length=80,
        required=False,
        help_text=_("e.g. 2.5 L diesel, 64 kWh"),
    )
    hs_code = forms.CharField(
        label=_("HS code"),
        max_length=14,
        help_text=_("8704 goods vehicles, 8703 passenger cars"),
    )
    list_price = AmountFormField(label=_("List price"), required=False)
    list_price_currency = forms.CharField(
        label=_("List price currency"),
        max_length=3,
        required=False,
        help_text=_("ISO 4217 code, e.g. CNY"),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, product_lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product_line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = product_lines


class HomologationForm(StyledFormMixin, forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all())
    status = forms.ChoiceField(label=_("Status"), choices=HomologationStatus.choices)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)
    certificate_ref = forms.CharField(
        label=_("Certificate reference"), max_length=80, required=False
    )

    def __init__(self, *args: Any, country_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if country_fixed:
            self.fields["country"].disabled = True
