"""The dashboard's filter form: it parses the query string into a :class:`Selection`.

The form is always bound: what the query string leaves out takes its default (the
actor's first visible brand, sales, the year to date through today), so a bare
``/analytics/`` and a link with every field give the same kind of answer. Bad
input is an error on the field at fault, never a 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from seabridge.analytics.choices import Measure, PeriodKind
from seabridge.analytics.selectors import Filters, visible_brands
from seabridge.catalog.models import Brand, ProductLine
from seabridge.catalog.selectors import product_line_list
from seabridge.core.errors import ValidationFailed
from seabridge.core.periods import Period
from seabridge.core.scope import Actor
from seabridge.markets.models import BusinessRegion, Country
from seabridge.web.forms import StyledFormMixin

COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")
FIRST_YEAR = 1950  # the year before must still be a date the facts can hold
LAST_YEAR = 2200
MAX_YEARS = 10  # a longer period makes a trend of more months than a page can show

# Which fields each period kind reads; the others are ignored (and hidden by the script).
PERIOD_FIELDS: dict[str, tuple[str, ...]] = {
    PeriodKind.YEAR_TO_DATE: ("date_to",),
    PeriodKind.YEAR: ("year",),
    PeriodKind.QUARTER: ("year", "quarter"),
    PeriodKind.MONTH: ("year", "month"),
    PeriodKind.ROLLING: ("date_to",),
    PeriodKind.CUSTOM: ("date_from", "date_to"),
}
# ``from`` and ``to`` are Python keywords: the fields are ``date_from`` and ``date_to``,
# named in the query string as the analytics API names them.
QUERY_NAMES = {"date_from": "from", "date_to": "to"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


@dataclass(frozen=True)
class Selection:
    """What the dashboard shows: one brand's figures of one measure over one period."""

    brand: Brand
    product_line: ProductLine | None
    measure: Measure
    period_kind: PeriodKind
    period: Period
    region: BusinessRegion | None
    market: Country | None
    query: str  # the selection as a query string, every default spelled out

    @property
    def filters(self) -> Filters:
        return Filters(
            brand_ids=(self.brand.pk,),
            product_line_ids=(self.product_line.pk,) if self.product_line else (),
            market_codes=(self.market.code,) if self.market else (),
            region=self.region,
        )


class DashboardForm(StyledFormMixin, forms.Form):
    """The dashboard's filters; every choice list comes from what the actor may see."""

    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int)
    product_line = forms.TypedChoiceField(
        label=_("Product line"), coerce=int, required=False, empty_value=None
    )
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[
            ("", "—"),
            *[(number, format_lazy(_("Q{number}"), number=number)) for number in range(1, 5)],
        ],
        coerce=int,
        required=False,
        empty_value=None,
    )
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    date_from = forms.DateField(label=_("From"), widget=DateInput, required=False)
    date_to = forms.DateField(
        label=_("To"),
        widget=DateInput,
        required=False,
        help_text=_("Year to date and rolling 12 months end on this day (default: today)."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    market = forms.CharField(
        label=_("Market"),
        max_length=2,
        required=False,
        help_text=_("ISO code, e.g. SA"),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "size": 2}),
    )

    def __init__(
        self,
        query: Mapping[str, str],
        *,
        actor: Actor | None,
        today: date,
    ) -> None:
        self.today = today
        self.brands: list[Brand] = list(visible_brands(actor))
        lines: QuerySet[ProductLine] = product_line_list(actor=actor).filter(
            brand_id__in=[brand.pk for brand in self.brands]
        )
        self.product_lines = list(lines.order_by("brand__name", "name"))
        self.regions = list(BusinessRegion.objects.order_by("name"))
        defaults = {
            "brand": str(self.brands[0].pk) if self.brands else "",
            "measure": Measure.SALES.value,
            "period": PeriodKind.YEAR_TO_DATE.value,
        }
        names = [QUERY_NAMES.get(name, name) for name in self.base_fields]
        super().__init__({**defaults, **{name: query[name] for name in names if query.get(name)}})
        self._set_choices()

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix(QUERY_NAMES.get(field_name, field_name))

    def _set_choices(self) -> None:
        brand = self.fields["brand"]
        assert isinstance(brand, forms.ChoiceField)
        brand.choices = [(item.pk, item.name) for item in self.brands]
        line = self.fields["product_line"]
        assert isinstance(line, forms.ChoiceField)
        groups: dict[str, list[tuple[int, str]]] = {}
        names = {item.pk: item.name for item in self.brands}
        for item in self.product_lines:
            groups.setdefault(names.get(item.brand_id, ""), []).append((item.pk, item.name))
        line.choices = [("", _("All product lines")), *groups.items()]
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [
            ("", _("All regions")),
            *[(item.code, item.localized_name()) for item in self.regions],
        ]

    def fields_with_periods(self) -> list[tuple[forms.BoundField, str]]:
        """Each field with the period kinds that read it (empty: every kind), for the
        script that shows only the fields the chosen kind needs."""
        return [
            (
                self[name],
                " ".join(kind for kind, names in PERIOD_FIELDS.items() if name in names),
            )
            for name in self.fields
        ]

    # --- cleaning -----------------------------------------------------------------------

    def clean_market(self) -> Country | None:
        code = self.cleaned_data["market"].strip()
        if not code:
            return None
        if not COUNTRY_CODE.match(code):
            raise forms.ValidationError(_("A market is a two-letter ISO code, e.g. SA."))
        country = Country.objects.filter(code=code.upper()).first()
        if country is None:
            raise forms.ValidationError(
                _("%(code)s is not an ISO 3166 country code."), params={"code": code}
            )
        return country

    def clean_date_from(self) -> date | None:
        return self._in_range("date_from")

    def clean_date_to(self) -> date | None:
        return self._in_range("date_to")

    def _in_range(self, name: str) -> date | None:
        value: date | None = self.cleaned_data[name]
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        brand_id = data.get("brand")
        line_id = data.get("product_line")
        if brand_id is not None and line_id is not None:
            line = next((item for item in self.product_lines if item.pk == line_id), None)
            if line is None or line.brand_id != brand_id:
                self.add_error("product_line", _("This product line is not one of the brand's."))
        if not self.brands:
            self.add_error("brand", _("No brand's figures are open to you."))
        if "period" in data and not any(
            name in self.errors for name in PERIOD_FIELDS.get(data["period"], ())
        ):
            try:
                data["period_range"] = self._period(data)
            except ValidationFailed as error:
                for field, texts in error.fields.items():
                    for text in texts:
                        self.add_error(field if field in self.fields else "date_to", text)
        return data

    def _period(self, data: dict[str, Any]) -> Period:
        """The period the kind and its fields state; current periods end today."""
        kind = data["period"]
        today = self.today
        year = data.get("year") or today.year
        if kind == PeriodKind.YEAR_TO_DATE:
            return Period.year_to_date(data.get("date_to") or today)
        if kind == PeriodKind.ROLLING:
            return Period.rolling_twelve_months(data.get("date_to") or today)
        if kind == PeriodKind.CUSTOM:
            start, end = data.get("date_from"), data.get("date_to")
            missing = {
                name: [gettext("Give the first and the last day.")]
                for name, value in (("date_from", start), ("date_to", end))
                if value is None
            }
            if missing or start is None or end is None:
                raise ValidationFailed(fields=missing)
            period = Period(start, end)
            if period.end.year - period.start.year >= MAX_YEARS:
                raise ValidationFailed(
                    fields={
                        "date_from": [
                            gettext("Choose a period of at most %(years)d years.")
                            % {"years": MAX_YEARS}
                        ]
                    }
                )
            return period
        if kind == PeriodKind.YEAR:
            period = Period.year(year)
        elif kind == PeriodKind.QUARTER:
            period = Period.quarter(year, data.get("quarter") or (today.month - 1) // 3 + 1)
        else:
            period = Period.month(year, data.get("month") or today.month)
        # A year, quarter or month still running is compared up to today, like for like.
        if period.start <= today < period.end:
            return Period(period.start, today)
        return period

    # --- the answer ---------------------------------------------------------------------

    def selection(self) -> Selection:
        """The valid selection (call after :meth:`is_valid`)."""
        data = self.cleaned_data
        brand = next(item for item in self.brands if item.pk == data["brand"])
        line = next((item for item in self.product_lines if item.pk == data["product_line"]), None)
        region = next((item for item in self.regions if item.code == data["region"]), None)
        period: Period = data["period_range"]
        kind = PeriodKind(data["period"])
        query: dict[str, Any] = {"brand": brand.pk, "measure": data["measure"], "period": kind}
        if kind in (PeriodKind.YEAR_TO_DATE, PeriodKind.ROLLING, PeriodKind.CUSTOM):
            query["to"] = period.end.isoformat()
        if kind == PeriodKind.CUSTOM:
            query["from"] = period.start.isoformat()
        if kind in (PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH):
            query["year"] = period.start.year
        if kind == PeriodKind.QUARTER:
            query["quarter"] = (period.start.month - 1) // 3 + 1
        if kind == PeriodKind.MONTH:
            query["month"] = period.start.month
        if line is not None:
            query["product_line"] = line.pk
        if region is not None:
            query["region"] = region.code
        if data["market"] is not None:
            query["market"] = data["market"].code
        return Selection(
            brand=brand,
            product_line=line,
            measure=Measure(data["measure"]),
            period_kind=kind,
            period=period,
            region=region,
            market=data["market"],
            query=urlencode(query),
        )
