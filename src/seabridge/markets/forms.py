"""Forms of the markets app: a market profile and a business region.

They parse input only; the services validate the business rules and their
refusals come back onto the form with :func:`seabridge.web.forms.apply_domain_error`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from seabridge.markets.choices import TrafficSide
from seabridge.markets.models import BusinessRegion, MarketProfile
from seabridge.web.forms import StyledFormMixin

CODE_SEPARATORS = re.compile(r"[\s,;]+")


def split_codes(value: str) -> list[str]:
    """``"ar, en fr"`` → ``["ar", "en", "fr"]``."""
    return [code for code in CODE_SEPARATORS.split(value or "") if code]


def name_field_name(language: str) -> str:
    return "name_" + language.replace("-", "_")


class MarketProfileForm(StyledFormMixin, forms.Form):
    """A market profile, or the part of it the person may change (``fields``: a
    steward all of it, a partner granted the market its field notes)."""

    traffic_side = forms.ChoiceField(label=_("Traffic side"), choices=TrafficSide.choices)
    emission_standard = forms.CharField(
        label=_("Emission standard in force"),
        max_length=60,
        required=False,
        help_text=_("For example Euro 5 or GCC Euro 4."),
    )
    fuel_quality_notes = forms.CharField(
        label=_("Fuel quality notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    import_duty_pickup_pct = forms.DecimalField(
        label=_("Import duty on pickups (%)"), required=False, max_digits=6, decimal_places=2
    )
    import_duty_passenger_pct = forms.DecimalField(
        label=_("Import duty on passenger cars (%)"),
        required=False,
        max_digits=6,
        decimal_places=2,
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, required=False, help_text=_("ISO 4217 code, e.g. SAR.")
    )
    official_languages = forms.CharField(
        label=_("Official languages"),
        required=False,
        help_text=_("Language codes separated by commas, e.g. ar, en."),
    )
    is_resource_rich = forms.BooleanField(label=_("Resource-rich market"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, fields: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in [name for name in self.fields if name not in fields]:
                del self.fields[name]

    @classmethod
    def initial_from(cls, profile: MarketProfile) -> dict[str, Any]:
        initial = {name: getattr(profile, name) for name in cls.base_fields}
        initial["official_languages"] = ", ".join(profile.official_languages)
        return initial

    def clean_official_languages(self) -> list[str]:
        return split_codes(self.cleaned_data["official_languages"])


class BusinessRegionForm(StyledFormMixin, forms.Form):
    """A business region: its code (only when created), names and member countries."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Lower-case letters, digits and hyphens, e.g. west-africa. It cannot change."),
    )
    name = forms.CharField(label=_("Name (English)"), max_length=80)
    countries = forms.CharField(
        label=_("Member countries"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("ISO country codes separated by spaces or commas, e.g. SA AE KW."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        for code, language_name in settings.LANGUAGES:
            if code == "en":
                continue
            self.fields[name_field_name(code)] = forms.CharField(
                label=_("Name in %(language)s") % {"language": language_name},
                max_length=80,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control", "lang": code}),
            )

    @classmethod
    def initial_from(cls, region: BusinessRegion) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "code": region.code,
            "name": region.name,
            "countries": " ".join(sorted(country.code for country in region.countries.all())),
        }
        for code, _language_name in settings.LANGUAGES:
            if code != "en":
                initial[name_field_name(code)] = region.names.get(code, "")
        return initial

    def service_data(self) -> dict[str, Any]:
        """The cleaned values in the shape the services take."""
        data = self.cleaned_data
        names = {"en": data["name"]}
        for code, _language_name in settings.LANGUAGES:
            if code != "en" and data.get(name_field_name(code)):
                names[code] = data[name_field_name(code)]
        result: dict[str, Any] = {
            "name": data["name"],
            "names": names,
            "countries": split_codes(data["countries"]),
        }
        if "code" in data:
            result["code"] = data["code"]
        return result
