"""Kinds of import of markets: market profiles, one row per country.

Only the columns a file has change a profile: a file of countries and import duties
leaves every other field as it is. In a column the file has, an empty cell clears
the field, except the traffic side and the resource-rich flag, which always hold a
value and are then left alone. Cells are cleaned and refused exactly as the profile
page does (:func:`market_profile_clean`), and written through
:func:`market_profile_update`, which decides who may edit (a steward every column, a
partner granted a country its field notes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from seabridge.core.errors import Forbidden, ValidationFailed
from seabridge.imports.choices import ColumnType
from seabridge.imports.kinds import Column, Context, ImportKind, Prepared, Row, register
from seabridge.markets.choices import TrafficSide
from seabridge.markets.models import Country, MarketProfile
from seabridge.markets.services import market_profile_clean, market_profile_update

# Column of the file → field of the profile, where the names differ.
FIELDS = {"resource_rich": "is_resource_rich"}
COLUMNS_OF = {field: column for column, field in FIELDS.items()}
# How partners write the traffic side (lower case) → ours. A left-hand-drive market
# drives on the right.
TRAFFIC_SIDES_WRITTEN = {
    "right": TrafficSide.RIGHT,
    "r": TrafficSide.RIGHT,
    "rht": TrafficSide.RIGHT,
    "lhd": TrafficSide.RIGHT,
    "derecha": TrafficSide.RIGHT,
    "右": TrafficSide.RIGHT,
    "靠右": TrafficSide.RIGHT,
    "右侧通行": TrafficSide.RIGHT,
    "يمين": TrafficSide.RIGHT,
    "اليمين": TrafficSide.RIGHT,
    "left": TrafficSide.LEFT,
    "l": TrafficSide.LEFT,
    "lht": TrafficSide.LEFT,
    "rhd": TrafficSide.LEFT,
    "izquierda": TrafficSide.LEFT,
    "左": TrafficSide.LEFT,
    "靠左": TrafficSide.LEFT,
    "左侧通行": TrafficSide.LEFT,
    "يسار": TrafficSide.LEFT,
    "اليسار": TrafficSide.LEFT,
}
LANGUAGE_SEPARATORS = re.compile(r"[\s,;、，/]+")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@register
class MarketProfiles(ImportKind):
    """Market profiles, keyed by country; the file's columns change, the others stay."""

    code = "market_profiles"
    label = _l("Market profiles")
    description = _l(
        "One row per country. Only the columns in the file change; an empty cell clears "
        "the field (the traffic side and the resource-rich flag stay as they are)."
    )
    columns = (
        Column(
            "country",
            _l("Country"),
            ColumnType.CODE,
            required=True,
            example="SA",
            max_length=2,
            aliases=("market", "国家", "市场", "País", "Mercado", "الدولة", "البلد"),
            help=_l("ISO 3166 country code, e.g. SA."),
        ),
        Column(
            "traffic_side",
            _l("Traffic side"),
            ColumnType.CODE,
            example=TrafficSide.RIGHT.value,
            aliases=("drive side", "行驶方向", "通行方向", "Sentido de circulación", "جهة السير"),
            help=_l("right or left: the side of the road traffic keeps to."),
        ),
        Column(
            "emission_standard",
            _l("Emission standard"),
            ColumnType.TEXT,
            example="Euro 5",
            max_length=60,
            aliases=("排放标准", "Norma de emisiones", "معيار الانبعاثات"),
        ),
        Column(
            "fuel_quality_notes",
            _l("Fuel quality notes"),
            ColumnType.TEXT,
            example="Diesel 50 ppm sulphur",
            aliases=("燃油品质", "Calidad del combustible", "جودة الوقود"),
        ),
        Column(
            "import_duty_pickup_pct",
            _l("Import duty on pickups (%)"),
            ColumnType.DECIMAL,
            example=Decimal("5.00"),
            aliases=("皮卡进口关税", "Arancel pickups", "رسوم استيراد البيك أب"),
        ),
        Column(
            "import_duty_passenger_pct",
            _l("Import duty on passenger cars (%)"),
            ColumnType.DECIMAL,
            example=Decimal("5.00"),
            aliases=("乘用车进口关税", "Arancel turismos", "رسوم استيراد سيارات الركاب"),
        ),
        Column(
            "currency",
            _l("Currency"),
            ColumnType.CODE,
            example="SAR",
            max_length=3,
            aliases=("币种", "货币", "Moneda", "العملة"),
        ),
        Column(
            "official_languages",
            _l("Official languages"),
            ColumnType.TEXT,
            example="ar",
            aliases=("官方语言", "Idiomas oficiales", "اللغات الرسمية"),
            help=_l("Language codes separated by commas, e.g. ar, en."),
        ),
        Column(
            "resource_rich",
            _l("Resource-rich"),
            ColumnType.BOOLEAN,
            example=True,
            aliases=("资源丰富", "Rico en recursos", "غني بالموارد"),
        ),
        Column(
            "notes",
            _l("Notes"),
            ColumnType.TEXT,
            example="",
            aliases=("备注", "Notas", "ملاحظات"),
        ),
    )
    key = ("country",)

    def check(self, context: Context, rows: Sequence[Row]) -> Prepared:
        given = [
            column.name
            for column in self.columns
            if column.name != "country" and (not context.headers or column.name in context.headers)
        ]
        codes = {_text(row["country"]).upper() for row in rows}
        countries = Country.objects.in_bulk(list(codes))
        profiles = MarketProfile.objects.in_bulk(list(codes))
        writes: list[tuple[Country, dict[str, Any]]] = []
        prepared = Prepared(payload=writes)
        seen: dict[str, int] = {}
        for row in rows:
            code = _text(row["country"]).upper()
            country = countries.get(code)
            if country is None:
                # The row's other cells are still checked: every problem in one report.
                context.error(
                    row, "country", _("%(code)s is not an ISO 3166 country code.") % {"code": code}
                )
            elif code in seen:
                context.error(
                    row,
                    "country",
                    _("Row %(first)s already gives the profile of %(code)s.")
                    % {"first": seen[code], "code": code},
                )
                continue
            else:
                seen[code] = row.number
            data = self._data(context, row, given)
            try:
                cleaned = market_profile_clean(actor=context.actor, country=country, data=data)
            except Forbidden as refusal:
                context.error(None, None, refusal.message)
                return prepared
            except ValidationFailed as refusal:
                for field, messages in refusal.fields.items():
                    for message in messages:
                        context.error(row, COLUMNS_OF.get(field, field), message)
                continue
            if country is None or not context.ok(row):
                continue
            profile = profiles.get(code)
            if profile is None:
                prepared.created += 1
                writes.append((country, cleaned))
                continue
            changed = {
                name: value for name, value in cleaned.items() if getattr(profile, name) != value
            }
            if changed:
                prepared.updated += 1
                writes.append((country, changed))
            else:
                prepared.unchanged += 1
        return prepared

    def _data(self, context: Context, row: Row, given: list[str]) -> dict[str, Any]:
        """The row's cells of the columns the file has, as the profile service takes them."""
        data: dict[str, Any] = {}
        for name in given:
            value = row[name]
            if name == "traffic_side":
                if value is None:
                    continue
                written = _text(value)
                side = TRAFFIC_SIDES_WRITTEN.get(written.casefold())
                if side is None:
                    context.error(
                        row,
                        name,
                        _("%(value)s is not a traffic side; use right or left.")
                        % {"value": written},
                    )
                    continue
                value = side.value
            elif name == "resource_rich" and value is None:
                continue
            elif name == "official_languages":
                value = [code for code in LANGUAGE_SEPARATORS.split(_text(value)) if code]
            elif name == "currency":
                value = _text(value).upper()
            data[FIELDS.get(name, name)] = value
        return data

    def apply(self, context: Context, prepared: Prepared) -> None:
        writes: list[tuple[Country, dict[str, Any]]] = prepared.payload
        for done, (country, data) in enumerate(writes, start=1):
            market_profile_update(actor=context.actor, country=country, data=data)
            context.progress(done, len(writes), None)
