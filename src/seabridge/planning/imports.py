"""Kinds of import of planning: the monthly targets grid of sales plans, in long form.

One row is the units planned for one month in one market (and one product line, or
all lines) of one plan. Rows are checked here as :func:`plan_targets_set` checks
them, so that each problem carries its row number; writing goes through that
service, one call per plan, so that an import keeps the same rules and audit trail
as the targets page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from seabridge.catalog.models import ProductLine
from seabridge.core.bulk import chunks
from seabridge.core.periods import month_end
from seabridge.core.scope import Action, restrict
from seabridge.imports.choices import ColumnType, DateOrder
from seabridge.imports.kinds import Column, Context, ImportKind, Prepared, Row, register
from seabridge.imports.values import MAX_YEAR, MIN_YEAR, CellError, parse_cell
from seabridge.markets.models import Country
from seabridge.planning.choices import PlanStatus
from seabridge.planning.models import PlanPhase, SalesPlan, Target
from seabridge.planning.services import MAX_TARGET_ROWS, TargetInput, plan_targets_set

# "12", "#12", "12.0" (a number cell read as text): the plan's id number.
PLAN_NUMBER = re.compile(r"^#?\s*(\d+)(?:\.0+)?$")
# A month without its day: 2025-07, 2025/7, 2025.07, 2025年7月, 07/2025, 7-2025.
YEAR_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$")
MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$")
# Full dates are read as every date column reads them.
DAY_COLUMN = Column("month", _l("Month"), ColumnType.DATE)
TargetKey = tuple[int, date, str, int | None]  # plan, month, market, product line


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_month(value: Any, *, date_order: str = DateOrder.DMY) -> date:
    """The first day of the month ``value`` names: a month written without its day
    (2025-07, 07/2025, 2025年7月), or any day of the month in any form a date column
    takes. Raises :class:`CellError`."""
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    text = _text(value)
    year_month = YEAR_MONTH.match(text)
    month_year = MONTH_YEAR.match(text)
    if year_month is not None:
        year, month = int(year_month.group(1)), int(year_month.group(2))
    elif month_year is not None:
        year, month = int(month_year.group(2)), int(month_year.group(1))
    else:
        day = parse_cell(text, DAY_COLUMN, date_order=date_order)
        return date(day.year, day.month, 1)
    if not 1 <= month <= 12 or not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(_("%(value)s is not a month; write it as 2025-07.") % {"value": text})
    return date(year, month, 1)


@dataclass
class _Plans:
    """The plans the file names, and what checking their rows needs, read once."""

    by_number: dict[int, SalesPlan]
    by_title: dict[str, list[SalesPlan]]
    changeable: set[int]
    steps: dict[int, list[tuple[date, date, set[str]]]]  # plan → (start, end, markets)
    product_lines: dict[tuple[int, str], int]  # (brand, folded name) → product line
    countries: set[str]
    targets: dict[TargetKey, int]  # units stored under each key

    def find(self, written: str) -> list[SalesPlan]:
        match = PLAN_NUMBER.match(written)
        if match is not None:
            plan = self.by_number.get(int(match.group(1)))
            if plan is not None:
                return [plan]
        return self.by_title.get(written, [])


@register
class SalesTargets(ImportKind):
    """Monthly targets of sales plans, keyed by plan, month, market and product line.

    A key not yet in Seabridge adds a target, a key with other units changes it,
    while the plan is open and the actor may change it.
    """

    code = "sales_targets"
    label = _l("Sales targets")
    description = _l(
        "The targets grid in long form: one row per plan, month, market and (optionally) "
        "product line. Any day of a month stands for the month."
    )
    columns = (
        Column(
            "plan",
            _l("Plan"),
            ColumnType.TEXT,
            required=True,
            example="Three-Year, Three-Step",
            max_length=200,
            aliases=("sales plan", "计划", "销售计划", "Plan de ventas", "الخطة", "خطة المبيعات"),
            help=_l("The plan's number as its page shows it, or its exact title."),
        ),
        Column(
            "month",
            _l("Month"),
            ColumnType.TEXT,
            required=True,
            example="2025-07",
            max_length=40,
            aliases=("月份", "Mes", "الشهر"),
            help=_l("A date in the month, or the month written 2025-07."),
        ),
        Column(
            "market",
            _l("Market"),
            ColumnType.CODE,
            required=True,
            example="SA",
            max_length=2,
            aliases=("country", "市场", "国家", "Mercado", "País", "السوق", "الدولة"),
            help=_l("ISO 3166 country code, e.g. SA."),
        ),
        Column(
            "product_line",
            _l("Product line"),
            ColumnType.TEXT,
            example="T8",
            max_length=60,
            aliases=("model", "车系", "产品线", "Línea de producto", "Modelo", "خط الإنتاج"),
            help=_l("Empty for all product lines."),
        ),
        Column(
            "units",
            _l("Units"),
            ColumnType.INTEGER,
            required=True,
            example=40,
            aliases=("target", "目标", "数量", "Unidades", "Objetivo", "الوحدات", "الهدف"),
        ),
    )
    key = ("plan", "month", "market", "product_line")

    def check(self, context: Context, rows: Sequence[Row]) -> Prepared:
        plans = self._resolve(context, rows)
        writes: dict[int, list[TargetInput]] = defaultdict(list)
        plan_of: dict[int, SalesPlan] = {}
        prepared = Prepared(payload={"plans": plan_of, "rows": writes})
        seen: dict[TargetKey, int] = {}
        for row in rows:
            checked = self._check_row(context, row, plans)
            if checked is None:
                continue
            plan, target = checked
            key = (plan.pk, target.month, target.market, target.product_line_id)
            if key in seen:
                context.error(
                    row,
                    None,
                    _("Row %(row)s repeats row %(first)s (%(key)s).")
                    % {
                        "row": row.number,
                        "first": seen[key],
                        "key": ", ".join(
                            part
                            for part in (
                                plan.title,
                                f"{target.month:%Y-%m}",
                                target.market,
                                _text(row["product_line"]),
                            )
                            if part
                        ),
                    },
                )
            seen.setdefault(key, row.number)
            if not context.ok(row):
                continue
            held = plans.targets.get(key)
            if held == target.units:
                prepared.unchanged += 1
                continue
            if held is None:
                prepared.created += 1
            else:
                prepared.updated += 1
            plan_of[plan.pk] = plan
            writes[plan.pk].append(target)
        return prepared

    def _check_row(
        self, context: Context, row: Row, plans: _Plans
    ) -> tuple[SalesPlan, TargetInput] | None:
        """A row's plan, month, market, product line and units, each checked (the month
        against the plan and its steps); None when the target cannot be told."""
        plan = self._plan(context, row, plans)
        market = _text(row["market"]).upper()
        if market not in plans.countries:
            context.error(
                row, "market", _("%(code)s is not an ISO 3166 country code.") % {"code": market}
            )
        units: int = row["units"]
        if units < 0:
            context.error(row, "units", _("A target cannot be negative."))
        month: date | None = None
        try:
            month = parse_month(row["month"], date_order=context.date_order)
        except CellError as error:
            context.error(row, "month", error.message)
        if plan is None:
            return None
        line_name = _text(row["product_line"])
        product_line = None
        if line_name:
            product_line = plans.product_lines.get((plan.brand_id, line_name.casefold()))
            if product_line is None:
                context.error(
                    row,
                    "product_line",
                    _("%(name)s is not a product line of %(brand)s.")
                    % {"name": line_name, "brand": plan.brand},
                )
        if month is None:
            return None
        self._check_month(context, row, plan, plans, month, market)
        if line_name and product_line is None:
            return None
        return plan, TargetInput(month, market, units, product_line)

    def _resolve(self, context: Context, rows: Sequence[Row]) -> _Plans:
        written = {_text(row["plan"]) for row in rows}
        numbers = set()
        for text in written:
            match = PLAN_NUMBER.match(text)
            if match is not None:
                numbers.add(int(match.group(1)))
        visible = list(
            restrict(
                context.actor,
                SalesPlan.objects.filter(Q(pk__in=numbers) | Q(title__in=written)),
            ).select_related("brand")
        )
        by_title: dict[str, list[SalesPlan]] = defaultdict(list)
        for plan in visible:
            by_title[plan.title].append(plan)
        plan_ids = [plan.pk for plan in visible]
        changeable = set(
            restrict(
                context.actor, SalesPlan.objects.filter(pk__in=plan_ids), Action.CHANGE
            ).values_list("pk", flat=True)
        )
        steps_markets: dict[tuple[int, int], tuple[date, date, set[str]]] = {}
        for plan_id, step_id, starts_on, ends_on, market in PlanPhase.objects.filter(
            plan_id__in=changeable
        ).values_list("plan_id", "pk", "starts_on", "ends_on", "markets"):
            step = steps_markets.setdefault((plan_id, step_id), (starts_on, ends_on, set()))
            if market:
                step[2].add(market)
        steps: dict[int, list[tuple[date, date, set[str]]]] = defaultdict(list)
        for (plan_id, _step_id), step in steps_markets.items():
            steps[plan_id].append(step)
        product_lines = {
            (brand_id, name.casefold()): pk
            for pk, brand_id, name in ProductLine.objects.filter(
                brand_id__in={plan.brand_id for plan in visible}
            ).values_list("pk", "brand_id", "name")
        }
        countries = set(
            Country.objects.filter(
                code__in={_text(row["market"]).upper() for row in rows}
            ).values_list("code", flat=True)
        )
        targets: dict[TargetKey, int] = {
            (plan_id, month, market, product_line): units
            for plan_id, month, market, product_line, units in Target.objects.filter(
                plan_id__in=changeable
            ).values_list("plan_id", "month", "market_id", "product_line_id", "units")
        }
        return _Plans(
            by_number={plan.pk: plan for plan in visible},
            by_title=dict(by_title),
            changeable=changeable,
            steps=dict(steps),
            product_lines=product_lines,
            countries=countries,
            targets=targets,
        )

    def _plan(self, context: Context, row: Row, plans: _Plans) -> SalesPlan | None:
        """The plan a row names, if the actor may set its targets (else reported)."""
        written = _text(row["plan"])
        found = plans.find(written)
        if not found:
            context.error(row, "plan", _("There is no plan %(plan)s.") % {"plan": written})
            return None
        if len(found) > 1:
            context.error(
                row,
                "plan",
                _("Several plans are called %(title)s; give the plan's number instead.")
                % {"title": written},
            )
            return None
        plan = found[0]
        if plan.pk not in plans.changeable:
            context.error(
                row, "plan", _("You may not change the plan %(title)s.") % {"title": plan.title}
            )
            return None
        if plan.status == PlanStatus.CLOSED:
            context.error(row, "plan", _("The plan %(title)s is closed.") % {"title": plan.title})
            return None
        return plan

    def _check_month(
        self,
        context: Context,
        row: Row,
        plan: SalesPlan,
        plans: _Plans,
        month: date,
        market: str,
    ) -> None:
        """The month lies in the plan, in a step whose markets include the row's market."""
        if month < date(plan.starts_on.year, plan.starts_on.month, 1) or month > plan.ends_on:
            context.error(
                row,
                "month",
                _("%(month)s is outside the plan %(title)s (%(start)s to %(end)s).")
                % {
                    "month": f"{month:%Y-%m}",
                    "title": plan.title,
                    "start": plan.starts_on.isoformat(),
                    "end": plan.ends_on.isoformat(),
                },
            )
        elif market in plans.countries and not any(
            market in codes and starts_on <= month_end(month) and ends_on >= month
            for starts_on, ends_on, codes in plans.steps.get(plan.pk, [])
        ):
            context.error(
                row,
                "market",
                _("%(market)s is not a market of the step covering %(month)s.")
                % {"market": market, "month": f"{month:%Y-%m}"},
            )

    def apply(self, context: Context, prepared: Prepared) -> None:
        plans: dict[int, SalesPlan] = prepared.payload["plans"]
        done = 0
        for plan_id, targets in prepared.payload["rows"].items():
            for chunk in chunks(targets, MAX_TARGET_ROWS):
                plan_targets_set(actor=context.actor, plan=plans[plan_id], rows=chunk)
                done += len(chunk)
                context.progress(done, prepared.changes, None)
