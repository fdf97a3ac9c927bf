"""Kinds of import of trade: export orders (one row per order line), shipment manifests
and exchange rates.

Both kinds read a file whose rows share a header record (the order, the shipment):
the rows of one order or shipment must agree on its columns, and problems of the
header record are reported once, on its first row. Each kind checks a file in
three steps: references (brands, buyers, countries, variants, orders, shipments,
vehicles) are resolved in one query per kind of reference for the whole file, every
row passing the scope module through :func:`~seabridge.core.scope.restrict`; each
order or shipment is checked, every problem of its rows reported (an order's terms
by the trade services' own rule, :func:`~seabridge.trade.services.check_terms`);
and the rows that passed are classified by what Seabridge holds. Writes go through
the trade services, so that an import records the same events and audit trail as
the pages do.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final, Literal, NamedTuple

from babel.numbers import is_currency
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from seabridge.accounts.models import Organization
from seabridge.agreements.selectors import counterparties_visible
from seabridge.catalog.models import Brand, Variant
from seabridge.core.errors import FieldErrors, ValidationFailed
from seabridge.core.money import AMOUNT_DECIMAL_PLACES, amount_problem, currency_code
from seabridge.core.scope import Action, creation_rule, is_steward, restrict
from seabridge.imports.choices import ColumnType
from seabridge.imports.kinds import Column, Context, ImportKind, Prepared, Row, register
from seabridge.markets.models import Country
from seabridge.trade.choices import (
    OrderStatus,
    PaymentTerms,
    ShipmentMode,
    ShipmentStatus,
)
from seabridge.trade.models import (
    Allocation,
    ExchangeRate,
    ExportOrder,
    ExportOrderLine,
    Shipment,
    ShipmentVehicle,
)
from seabridge.trade.services import (
    ORDER_OPEN_FOR_ALLOCATION,
    ORDER_OPEN_FOR_SHIPPING,
    UNLOCODE,
    LineInput,
    PreviousRate,
    ShipmentInput,
    check_terms,
    exchange_rate_band_problem,
    exchange_rate_problem,
    exchange_rate_set,
    export_order_create,
    export_order_update,
    shipment_add_vehicles,
    shipment_create,
    vehicles_allocate,
)
from seabridge.vehicles.choices import VehicleState
from seabridge.vehicles.imports import VIN
from seabridge.vehicles.models import Vehicle

# How partners write payment terms and shipment modes, folded (lower case, letters and
# digits only), to our codes.
PAYMENT_TERMS_WRITTEN = {
    "tt": PaymentTerms.TT,
    "telegraphictransfer": PaymentTerms.TT,
    "wiretransfer": PaymentTerms.TT,
    "transferencia": PaymentTerms.TT,
    "transferenciabancaria": PaymentTerms.TT,
    "电汇": PaymentTerms.TT,
    "تحويلبنكي": PaymentTerms.TT,
    "lc": PaymentTerms.LC,
    "letterofcredit": PaymentTerms.LC,
    "cartadecredito": PaymentTerms.LC,
    "cartadecrédito": PaymentTerms.LC,
    "信用证": PaymentTerms.LC,
    "اعتمادمستندي": PaymentTerms.LC,
    "dp": PaymentTerms.DP,
    "documentsagainstpayment": PaymentTerms.DP,
    "付款交单": PaymentTerms.DP,
}
SHIPMENT_MODES_WRITTEN = {
    "roro": ShipmentMode.RORO,
    "rollonrolloff": ShipmentMode.RORO,
    "滚装": ShipmentMode.RORO,
    "滚装船": ShipmentMode.RORO,
    "container": ShipmentMode.CONTAINER,
    "contenedor": ShipmentMode.CONTAINER,
    "集装箱": ShipmentMode.CONTAINER,
    "حاوية": ShipmentMode.CONTAINER,
    "rail": ShipmentMode.RAIL,
    "ferrocarril": ShipmentMode.RAIL,
    "铁路": ShipmentMode.RAIL,
    "قطار": ShipmentMode.RAIL,
    "truck": ShipmentMode.TRUCK,
    "camion": ShipmentMode.TRUCK,
    "camión": ShipmentMode.TRUCK,
    "卡车": ShipmentMode.TRUCK,
    "公路": ShipmentMode.TRUCK,
    "شاحنة": ShipmentMode.TRUCK,
}
_NOT_WORD = re.compile(r"[\W_]+")
# What checking a row answers for a row already in Seabridge as it says.
UNCHANGED: Final = "unchanged"
PRICE_QUANTUM = Decimal(1).scaleb(-AMOUNT_DECIMAL_PLACES)


# --- small helpers shared by both kinds ------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _code(value: Any) -> str:
    return _text(value).upper()


def _folded(value: Any) -> str:
    return _NOT_WORD.sub("", _text(value).casefold())


def _same(value: Any) -> Any:
    """What two cells of a header column must share to agree (text ignores case)."""
    return _text(value).casefold() if isinstance(value, str) or value is None else value


def _shown(value: Any) -> str:
    if value is None or value == "":
        return _("an empty cell")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _group(
    context: Context,
    rows: Iterable[Row],
    key: str,
    shared: Sequence[str],
    disagreement: Callable[[dict[str, Any]], str],
) -> dict[str, list[Row]]:
    """Rows by their ``key`` column; a row whose ``shared`` columns differ from the first
    row of its group is reported, in each column that differs."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        number = _text(row[key])
        group = groups.setdefault(number, [])
        if group:
            first = group[0]
            for name in shared:
                if context.headers and name not in context.headers:
                    continue
                if _same(row[name]) != _same(first[name]):
                    context.error(
                        row,
                        name,
                        disagreement(
                            {
                                "number": number,
                                "first": first.number,
                                "expected": _shown(first[name]),
                                "value": _shown(row[name]),
                            }
                        ),
                    )
        group.append(row)
    return groups


def _given(context: Context, name: str) -> bool:
    """Whether the file has the column ``name`` (a missing optional column changes nothing)."""
    return not context.headers or name in context.headers


def _folded_names(values: Iterable[Any]) -> set[str]:
    return {_text(value).casefold() for value in values if _text(value)}


# --- export orders ------------------------------------------------------------------------


ORDER_COLUMNS = (
    "brand",
    "buyer",
    "destination",
    "incoterm",
    "currency",
    "payment_terms",
    "named_place",
    "lc_number",
    "lc_expires_on",
    "requested_on",
)
# The order's terms an import may change while the order is a draft.
ORDER_TERMS = (
    "incoterm",
    "named_place",
    "currency",
    "payment_terms",
    "lc_number",
    "lc_expires_on",
    "requested_on",
)


@dataclass
class _NewOrder:
    number: str
    brand: Brand
    buyer: Organization
    destination: str
    terms: dict[str, Any]
    lines: list[LineInput]


@dataclass
class _OrderChange:
    order: ExportOrder
    changes: dict[str, Any]
    lines: list[LineInput] | None


@dataclass
class _OrderTerms:
    """The order-level columns of an order's first row, cleaned."""

    brand: Brand | None = None
    buyer: Organization | None = None
    destination: str = ""
    terms: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Orders:
    """What checking order rows needs, read once for the file."""

    brands: dict[str, Brand]  # folded name → a brand the actor works with
    buyers: dict[str, Organization]  # folded short name → organisation
    countries: set[str]  # the destinations that exist
    variants: dict[tuple[int, str], Variant]  # (brand, folded code) → variant
    stored: dict[str, ExportOrder]  # number → the order in Seabridge
    visible: set[int]  # the stored orders the actor sees
    changeable: set[int]  # … and may change
    stored_lines: dict[int, dict[int, ExportOrderLine]]  # order → variant → line
    may_sell: Callable[[int, int, str], bool]  # (brand, its owner, destination) → may draft


@register
class ExportOrders(ImportKind):
    """Export orders, one row per order line, keyed by order number and variant.

    A new order number drafts a new order. An order already in Seabridge whose rows
    say what it already holds is left alone; otherwise its terms and the lines the
    file names change, while it is a draft and the actor may change it. Lines the
    file does not name stay as they are.
    """

    code = "export_orders"
    label = _l("Export orders")
    description = _l(
        "One row per order line. Rows with the same order number form one order and "
        "give it the same brand, buyer, destination and terms."
    )
    columns = (
        Column(
            "order_number",
            _l("Order number"),
            ColumnType.TEXT,
            required=True,
            example="EO-2025-001",
            max_length=40,
            aliases=("order no", "po number", "订单号", "订单编号", "Nº de pedido", "رقم الطلب"),
        ),
        Column(
            "brand",
            _l("Brand"),
            ColumnType.TEXT,
            required=True,
            example="JAC",
            max_length=60,
            aliases=("品牌", "Marca", "العلامة التجارية"),
        ),
        Column(
            "buyer",
            _l("Buyer"),
            ColumnType.TEXT,
            required=True,
            example="Riyadh Motors",
            max_length=60,
            aliases=("customer", "买方", "客户", "Comprador", "Cliente", "المشتري"),
            help=_l("The buyer's short name in Seabridge."),
        ),
        Column(
            "destination",
            _l("Destination"),
            ColumnType.CODE,
            required=True,
            example="SA",
            max_length=2,
            aliases=("country", "目的国", "País de destino", "Destino", "بلد الوجهة", "الوجهة"),
            help=_l("ISO 3166 country code, e.g. SA."),
        ),
        Column(
            "incoterm",
            _l("Incoterm"),
            ColumnType.CODE,
            required=True,
            example="CIF",
            max_length=3,
            aliases=("incoterms", "贸易术语", "价格条款", "Incoterm 2020", "شروط التسليم"),
        ),
        Column(
            "currency",
            _l("Currency"),
            ColumnType.CODE,
            required=True,
            example="USD",
            max_length=3,
            aliases=("币种", "货币", "Moneda", "Divisa", "العملة"),
        ),
        Column(
            "payment_terms",
            _l("Payment terms"),
            ColumnType.CODE,
            required=True,
            example="T/T",
            aliases=("付款方式", "支付方式", "Forma de pago", "Condiciones de pago", "شروط الدفع"),
            help=_l("T/T, L/C or D/P."),
        ),
        Column(
            "named_place",
            _l("Named place"),
            ColumnType.TEXT,
            example="Jeddah",
            max_length=120,
            aliases=("指定地点", "交货地点", "Lugar convenido", "المكان المسمى"),
        ),
        Column(
            "lc_number",
            _l("L/C number"),
            ColumnType.TEXT,
            example="",
            max_length=60,
            aliases=("信用证号", "Número de carta de crédito", "رقم الاعتماد"),
        ),
        Column(
            "lc_expires_on",
            _l("L/C expiry"),
            ColumnType.DATE,
            example="",
            aliases=("信用证有效期", "Vencimiento de carta de crédito", "انتهاء الاعتماد"),
        ),
        Column(
            "variant",
            _l("Variant"),
            ColumnType.CODE,
            required=True,
            example="T8-D",
            max_length=40,
            aliases=("variant code", "车型代码", "车型", "Variante", "Código de versión", "الطراز"),
        ),
        Column(
            "quantity",
            _l("Quantity"),
            ColumnType.INTEGER,
            required=True,
            example=20,
            aliases=("qty", "数量", "Cantidad", "الكمية"),
        ),
        Column(
            "unit_price",
            _l("Unit price"),
            ColumnType.DECIMAL,
            required=True,
            example=Decimal("18500.00"),
            aliases=("price", "单价", "Precio unitario", "سعر الوحدة"),
        ),
        Column(
            "requested_on",
            _l("Requested delivery"),
            ColumnType.DATE,
            example=date(2025, 6, 30),
            aliases=(
                "要求交货日期",
                "交货日期",
                "Fecha de entrega solicitada",
                "تاريخ التسليم المطلوب",
            ),
        ),
    )
    key = ("order_number", "variant")

    def check(self, context: Context, rows: Sequence[Row]) -> Prepared:
        groups = _group(
            context,
            rows,
            "order_number",
            ORDER_COLUMNS,
            lambda values: (
                _(
                    "Order %(number)s has %(expected)s in row %(first)s and %(value)s here; "
                    "the rows of one order must agree."
                )
                % values
            ),
        )
        found = self._resolve(context, rows, groups)
        prepared = Prepared(payload={"create": [], "update": []})
        for number, group in groups.items():
            header, lines = self._check_order(context, group, found)
            if not all(context.ok(row) for row in group):
                continue
            order = found.stored.get(number)
            if order is not None:
                self._classify(context, prepared, group, order, header, lines, found)
                continue
            assert header.brand is not None
            assert header.buyer is not None
            prepared.created += len(group)
            prepared.payload["create"].append(
                _NewOrder(
                    number=number,
                    brand=header.brand,
                    buyer=header.buyer,
                    destination=header.destination,
                    terms=header.terms,
                    lines=lines,
                )
            )
        return prepared

    def _resolve(
        self, context: Context, rows: Sequence[Row], groups: dict[str, list[Row]]
    ) -> _Orders:
        """Every brand, buyer, country, variant and order the file names, in one query per
        kind, with the orders the actor may see and change and the grants of its sales."""
        actor = context.actor
        brand_names = _folded_names(row["brand"] for row in rows)
        brands = {
            brand.name.casefold(): brand
            for brand in restrict(actor, Brand.objects.all())
            if brand.name.casefold() in brand_names
        }
        stored = {
            order.number: order
            for order in ExportOrder.objects.filter(number__in=list(groups)).select_related(
                "brand", "buyer"
            )
        }
        visible = set(
            restrict(
                actor, ExportOrder.objects.filter(pk__in=[order.pk for order in stored.values()])
            ).values_list("pk", flat=True)
        )
        stored_lines: dict[int, dict[int, ExportOrderLine]] = defaultdict(dict)
        for line in ExportOrderLine.objects.filter(order_id__in=visible).order_by("pk"):
            stored_lines[line.order_id][line.variant_id] = line
        return _Orders(
            brands=brands,
            # Only a counterparty (or itself, refused by name) is a buyer one may name.
            buyers={
                organization.short_name.casefold(): organization
                for organization in Organization.objects.filter(
                    Q(pk=actor.organization_id)
                    | Q(pk__in=counterparties_visible(actor).values("pk"))
                )
                .annotate(folded=Lower("short_name"))
                .filter(folded__in=_folded_names(row["buyer"] for row in rows))
            },
            countries=set(
                Country.objects.filter(
                    code__in={_code(row["destination"]) for row in rows}
                ).values_list("code", flat=True)
            ),
            variants={
                (variant.brand_id, variant.code.casefold()): variant
                for variant in restrict(
                    actor,
                    Variant.objects.annotate(folded=Lower("code")).filter(
                        brand__in=list(brands.values()),
                        folded__in=_folded_names(row["variant"] for row in rows),
                    ),
                )
            },
            stored=stored,
            visible=visible,
            changeable=set(
                restrict(
                    actor, ExportOrder.objects.filter(pk__in=visible), Action.CHANGE
                ).values_list("pk", flat=True)
            ),
            stored_lines=stored_lines,
            may_sell=creation_rule(actor, ExportOrder),
        )

    def _check_order(
        self, context: Context, group: list[Row], found: _Orders
    ) -> tuple[_OrderTerms, list[LineInput]]:
        """An order's rows checked: its header on its first row, each line, its terms by
        the trade rules, and whether the actor may draft it (a new number) or what an
        import may not change (an order in Seabridge); every problem reported."""
        first = group[0]
        header = self._check_header(context, first, found)
        lines = self._check_lines(context, group, header.brand, found.variants)
        order = found.stored.get(_text(first["order_number"]))
        if order is not None and order.pk in found.visible:
            held = {name: getattr(order, name) for name in ORDER_TERMS}
            self._check_terms(context, first, {**held, **header.terms})
            self._check_fixed(context, first, order, header, found)
            return header, lines
        self._check_terms(context, first, header.terms)
        if order is not None:
            context.error(
                first,
                "order_number",
                _("Order number %(number)s is taken.") % {"number": order.number},
            )
        elif header.brand is not None and header.destination in found.countries:
            brand = header.brand
            if not found.may_sell(brand.pk, brand.owner_id, header.destination):
                context.error(
                    first,
                    "brand",
                    _("%(organization)s may not sell %(brand)s in %(country)s.")
                    % {
                        "organization": context.actor.organization,
                        "brand": brand.name,
                        "country": header.destination,
                    },
                )
        return header, lines

    @staticmethod
    def _check_terms(context: Context, row: Row, terms: dict[str, Any]) -> None:
        """The order's terms by the trade services' rules: an Incoterms 2020 rule, and a
        letter of credit with its number and its expiry date."""
        errors = FieldErrors()
        check_terms(
            errors,
            incoterm=terms.get("incoterm", ""),
            payment_terms=terms.get("payment_terms", ""),
            lc_number=terms.get("lc_number") or "",
            lc_expires_on=terms.get("lc_expires_on"),
        )
        for name, messages in errors.fields.items():
            if name == "payment_terms":
                continue  # the terms as written are read (and refused) by _check_header
            for message in messages:
                context.error(row, name, message)

    @staticmethod
    def _check_fixed(
        context: Context, row: Row, order: ExportOrder, header: _OrderTerms, found: _Orders
    ) -> None:
        """What an import does not change of an order in Seabridge: its brand, buyer and
        destination (those the row names as something that exists)."""
        fixed = {
            "brand": (header.brand, order.brand, order.brand.name),
            "buyer": (header.buyer, order.buyer, order.buyer.short_name),
            "destination": (
                header.destination if header.destination in found.countries else None,
                order.destination_id,
                order.destination_id,
            ),
        }
        for name, (given, held, shown) in fixed.items():
            if given is not None and given != held:
                context.error(
                    row,
                    name,
                    _("Order %(number)s is for %(value)s; an import cannot change that.")
                    % {"number": order.number, "value": shown},
                )

    def _check_lines(
        self,
        context: Context,
        group: list[Row],
        brand: Brand | None,
        variants: dict[tuple[int, str], Variant],
    ) -> list[LineInput]:
        """The order's lines, one per row; each row's problems reported."""
        lines: list[LineInput] = []
        seen: dict[int, int] = {}
        for row in group:
            line = self._check_line(context, row, brand, variants)
            if line is None:
                continue
            if line.variant_id in seen:
                context.error(
                    row,
                    "variant",
                    _("Row %(first)s already gives %(code)s for order %(number)s.")
                    % {
                        "first": seen[line.variant_id],
                        "code": _text(row["variant"]),
                        "number": _text(row["order_number"]),
                    },
                )
                continue
            seen[line.variant_id] = row.number
            lines.append(line)
        return lines

    def _check_header(self, context: Context, row: Row, found: _Orders) -> _OrderTerms:
        """The order-level columns of the order's first row, each read and checked (the
        terms' rules by :meth:`_check_terms`)."""
        header = _OrderTerms()
        brand_name = _text(row["brand"])
        header.brand = found.brands.get(brand_name.casefold())
        if header.brand is None:
            context.error(
                row,
                "brand",
                _("%(name)s is not a brand you work with.") % {"name": brand_name},
            )
        buyer_name = _text(row["buyer"])
        header.buyer = found.buyers.get(buyer_name.casefold())
        if header.buyer is None:
            context.error(
                row,
                "buyer",
                _("There is no organisation called %(name)s.") % {"name": buyer_name},
            )
        elif header.buyer.pk == context.actor.organization_id:
            context.error(row, "buyer", _("An organisation cannot buy from itself."))
        header.destination = _code(row["destination"])
        if header.destination not in found.countries:
            context.error(
                row,
                "destination",
                _("%(code)s is not an ISO 3166 country code.") % {"code": header.destination},
            )
        terms = header.terms
        if _given(context, "incoterm"):
            terms["incoterm"] = _code(row["incoterm"])
        if _given(context, "currency"):
            terms["currency"] = _code(row["currency"])
            try:
                currency_code(terms["currency"])
            except ValidationFailed as refusal:
                for message in refusal.fields["currency"]:
                    context.error(row, "currency", message)
        if _given(context, "payment_terms"):
            written = _text(row["payment_terms"])
            payment_terms = PAYMENT_TERMS_WRITTEN.get(_folded(written))
            if payment_terms is None:
                context.error(
                    row,
                    "payment_terms",
                    _("%(value)s is not a payment term; use T/T, L/C or D/P.") % {"value": written},
                )
            terms["payment_terms"] = str(payment_terms or "")
        for name in ("named_place", "lc_number"):
            if _given(context, name):
                terms[name] = _text(row[name])
        for name in ("lc_expires_on", "requested_on"):
            if _given(context, name):
                terms[name] = row[name]
        return header

    def _check_line(
        self,
        context: Context,
        row: Row,
        brand: Brand | None,
        variants: dict[tuple[int, str], Variant],
    ) -> LineInput | None:
        code = _text(row["variant"])
        variant = variants.get((brand.pk, code.casefold())) if brand is not None else None
        if brand is not None and variant is None:
            context.error(
                row,
                "variant",
                _("%(code)s is not a variant of %(brand)s.") % {"code": code, "brand": brand.name},
            )
        quantity: int = row["quantity"]
        if quantity <= 0:
            context.error(row, "quantity", _("The quantity must be more than 0."))
        price: Decimal = row["unit_price"]
        problem = amount_problem(price)
        if problem is not None:
            context.error(row, "unit_price", problem)
        if variant is None or not context.ok(row):
            return None
        return LineInput(variant_id=variant.pk, quantity=quantity, unit_price=price)

    @staticmethod
    def _classify(
        context: Context,
        prepared: Prepared,
        group: list[Row],
        order: ExportOrder,
        header: _OrderTerms,
        lines: list[LineInput],
        found: _Orders,
    ) -> None:
        """Compare an order in Seabridge with its rows (each new, changed or the same);
        a change is one the actor may make to a draft, or each changed row is reported."""
        stored_lines = found.stored_lines[order.pk]
        changes = {
            name: value for name, value in header.terms.items() if getattr(order, name) != value
        }
        merged = {
            variant_id: LineInput(variant_id, line.quantity, line.unit_price)
            for variant_id, line in stored_lines.items()
        }
        changed_rows: list[Row] = []
        for row, line in zip(group, lines, strict=True):
            held = merged.get(line.variant_id)
            if held is None:
                prepared.created += 1
                changed_rows.append(row)
            elif changes or (held.quantity, held.unit_price) != (line.quantity, line.unit_price):
                prepared.updated += 1
                changed_rows.append(row)
            else:
                prepared.unchanged += 1
            merged[line.variant_id] = line
        if not changed_rows:
            return
        problem = None
        if order.pk not in found.changeable:
            problem = _("You may not change order %(number)s.") % {"number": order.number}
        elif order.status != OrderStatus.DRAFT:
            problem = _(
                "Order %(number)s is already %(status)s; only a draft order can be changed."
            ) % {"number": order.number, "status": OrderStatus(order.status).label.lower()}
        if problem is not None:
            for row in changed_rows:
                context.error(row, "order_number", problem)
            return
        lines_changed = len(merged) != len(stored_lines) or any(
            (line.quantity, line.unit_price)
            != (stored_lines[variant_id].quantity, stored_lines[variant_id].unit_price)
            for variant_id, line in merged.items()
            if variant_id in stored_lines
        )
        prepared.payload["update"].append(
            _OrderChange(
                order=order,
                changes=changes,
                lines=list(merged.values()) if lines_changed else None,
            )
        )

    def apply(self, context: Context, prepared: Prepared) -> None:
        actor = context.actor
        done = 0
        total = prepared.changes
        for new in prepared.payload["create"]:
            export_order_create(
                actor=actor,
                number=new.number,
                brand=new.brand,
                buyer=new.buyer,
                destination=new.destination,
                lines=new.lines,
                **new.terms,
            )
            done += len(new.lines)
            context.progress(done, total, None)
        for change in prepared.payload["update"]:
            export_order_update(
                actor=actor, order=change.order, changes=change.changes, lines=change.lines
            )
            done += len(change.lines or ())
            context.progress(min(done, total), total, None)


# --- shipments ------------------------------------------------------------------------------


SHIPMENT_COLUMNS = (
    "mode",
    "port_of_loading",
    "port_of_discharge",
    "carrier",
    "vessel",
    "voyage",
    "bill_of_lading",
    "etd",
    "eta",
)


@dataclass
class _ShipmentWrites:
    """What applying a manifest writes: new shipments, allocations, vehicles loaded."""

    new: list[tuple[ShipmentInput, list[ExportOrder]]] = field(default_factory=list)
    allocate: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    lines: dict[int, ExportOrderLine] = field(default_factory=dict)
    load: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class _Manifest:
    """The references a manifest names, resolved once for the whole file."""

    shipments: dict[str, Shipment]
    shipments_visible: set[int]
    shipments_changeable: set[int]
    shipment_orders: dict[int, set[int]]
    orders: dict[str, ExportOrder]
    orders_changeable: set[int]
    lines: dict[tuple[int, int], ExportOrderLine]  # (order, variant) → line
    taken: dict[tuple[int, int], int]  # (order, variant) → vehicles allocated to the line
    vehicles: dict[str, Vehicle]
    allocated: dict[int, tuple[int, str]]  # vehicle → (order id, order number)
    on_shipment: dict[int, list[tuple[int, str, str]]]  # vehicle → (shipment id, number, status)


class _Loading(NamedTuple):
    """A vehicle a manifest's row loads: the line it is allocated to first, if it is not yet."""

    row: Row
    vehicle: Vehicle
    order: ExportOrder
    line: ExportOrderLine | None


def _port(value: Any) -> str:
    return _code(value).replace(" ", "")


@register
class Shipments(ImportKind):
    """A shipment manifest: the VINs of a shipment, keyed by shipment number and VIN.

    A shipment number not in Seabridge plans a new shipment for the orders its rows
    name. Each VIN not yet allocated is allocated to the line of its order with the
    vehicle's variant, and loaded on the shipment. A VIN already on the shipment is
    left alone.
    """

    code = "shipments"
    label = _l("Shipments")
    description = _l(
        "A manifest: one row per VIN. Rows with the same shipment number form one "
        "shipment and give it the same mode, ports, vessel and dates."
    )
    columns = (
        Column(
            "shipment_number",
            _l("Shipment number"),
            ColumnType.TEXT,
            required=True,
            example="SH-2025-001",
            max_length=40,
            aliases=("shipment no", "运单号", "发运编号", "Nº de embarque", "رقم الشحنة"),
        ),
        Column(
            "order_number",
            _l("Order number"),
            ColumnType.TEXT,
            required=True,
            example="EO-2025-001",
            max_length=40,
            aliases=("order no", "po number", "订单号", "Nº de pedido", "رقم الطلب"),
        ),
        VIN,
        Column(
            "mode",
            _l("Mode"),
            ColumnType.CODE,
            example="roro",
            aliases=("运输方式", "Modo de transporte", "وسيلة الشحن"),
            help=_l("roro, container, rail or truck; needed for a new shipment."),
        ),
        Column(
            "port_of_loading",
            _l("Port of loading"),
            ColumnType.CODE,
            example="CNSHA",
            max_length=5,
            aliases=("POL", "装货港", "起运港", "Puerto de carga", "ميناء الشحن"),
            help=_l("UN/LOCODE, e.g. CNSHA; needed for a new shipment."),
        ),
        Column(
            "port_of_discharge",
            _l("Port of discharge"),
            ColumnType.CODE,
            example="SAJED",
            max_length=5,
            aliases=("POD", "卸货港", "目的港", "Puerto de descarga", "ميناء التفريغ"),
            help=_l("UN/LOCODE, e.g. SAJED; needed for a new shipment."),
        ),
        Column(
            "carrier",
            _l("Carrier"),
            ColumnType.TEXT,
            example="COSCO",
            max_length=120,
            aliases=("承运人", "船公司", "Transportista", "Naviera", "الناقل"),
        ),
        Column(
            "vessel",
            _l("Vessel"),
            ColumnType.TEXT,
            example="Morning Ace",
            max_length=120,
            aliases=("船名", "Buque", "السفينة"),
        ),
        Column(
            "voyage",
            _l("Voyage"),
            ColumnType.TEXT,
            example="025W",
            max_length=40,
            aliases=("航次", "Viaje", "الرحلة"),
        ),
        Column(
            "bill_of_lading",
            _l("Bill of lading"),
            ColumnType.TEXT,
            example="COSU6400001",
            max_length=60,
            aliases=("B/L", "BL", "提单号", "Conocimiento de embarque", "بوليصة الشحن"),
        ),
        Column(
            "etd",
            _l("ETD"),
            ColumnType.DATE,
            example=date(2025, 5, 2),
            aliases=("预计开航日期", "Fecha estimada de salida", "موعد المغادرة المتوقع"),
        ),
        Column(
            "eta",
            _l("ETA"),
            ColumnType.DATE,
            example=date(2025, 5, 30),
            aliases=("预计到港日期", "Fecha estimada de llegada", "موعد الوصول المتوقع"),
        ),
    )
    key = ("shipment_number", "vin")

    def check(self, context: Context, rows: Sequence[Row]) -> Prepared:
        groups = _group(
            context,
            rows,
            "shipment_number",
            SHIPMENT_COLUMNS,
            lambda values: (
                _(
                    "Shipment %(number)s has %(expected)s in row %(first)s and %(value)s here; "
                    "the rows of one shipment must agree."
                )
                % values
            ),
        )
        manifest = self._resolve(context, rows, groups)
        prepared = Prepared(payload=_ShipmentWrites())
        taken = defaultdict(int, manifest.taken)
        first_row_of_vin: dict[str, int] = {}
        for number, group in groups.items():
            shipment = manifest.shipments.get(number)
            if shipment is not None and shipment.pk not in manifest.shipments_visible:
                context.error(
                    group[0],
                    "shipment_number",
                    _("Shipment number %(number)s is taken.") % {"number": number},
                )
                continue
            orders = self._check_orders(context, group, shipment, manifest)
            data = self._check_header(context, group[0], shipment)
            loading: list[_Loading] = []
            for row in group:
                vin = _code(row["vin"])
                if vin in first_row_of_vin:
                    context.error(
                        row,
                        "vin",
                        _("%(vin)s is already in row %(first)s.")
                        % {"vin": vin, "first": first_row_of_vin[vin]},
                    )
                    continue
                first_row_of_vin[vin] = row.number
                order = orders.get(_text(row["order_number"]))
                loaded = self._check_vin(context, row, vin, order, shipment, manifest, taken)
                if loaded == UNCHANGED:
                    prepared.unchanged += 1
                elif isinstance(loaded, _Loading):
                    loading.append(loaded)
            self._classify(context, prepared, number, group, shipment, data, loading, manifest)
        return prepared

    def _classify(
        self,
        context: Context,
        prepared: Prepared,
        number: str,
        group: list[Row],
        shipment: Shipment | None,
        data: ShipmentInput | None,
        loading: list[_Loading],
        manifest: _Manifest,
    ) -> None:
        """What a shipment's rows write when none has a problem: a new shipment, the
        allocations of its vehicles not yet allocated, and the vehicles it loads."""
        if not loading:
            return
        if shipment is not None and not self._may_load(context, loading, shipment, manifest):
            return
        if not all(context.ok(row) for row in group):
            return
        writes: _ShipmentWrites = prepared.payload
        if shipment is None:
            assert data is not None
            used = {entry.order.pk: entry.order for entry in loading}
            writes.new.append((data, list(used.values())))
        for entry in loading:
            if entry.line is not None:
                writes.allocate[entry.line.pk].append(entry.vehicle.pk)
                writes.lines[entry.line.pk] = entry.line
        writes.load[number] += [entry.vehicle.pk for entry in loading]
        prepared.created += len(loading)

    def _check_vin(
        self,
        context: Context,
        row: Row,
        vin: str,
        order: ExportOrder | None,
        shipment: Shipment | None,
        manifest: _Manifest,
        taken: dict[tuple[int, int], int],
    ) -> _Loading | Literal["unchanged"] | None:
        """What loading a row's VIN means: allocating it first (to the line of its order
        with its variant) or not, "unchanged" for a VIN on the shipment already, or None
        (reported) for a vehicle that cannot go, or whose order is refused (reported)."""
        vehicle = manifest.vehicles.get(vin)
        if vehicle is None:
            context.error(row, "vin", _("No vehicle with VIN %(vin)s was found.") % {"vin": vin})
            return None
        allocated = manifest.allocated.get(vehicle.pk)
        if order is not None and allocated is not None and allocated[0] != order.pk:
            context.error(
                row,
                "vin",
                _("%(vin)s is allocated to order %(order)s.") % {"vin": vin, "order": allocated[1]},
            )
            return None
        sailings = manifest.on_shipment.get(vehicle.pk, [])
        if shipment is not None and any(pk == shipment.pk for pk, *_rest in sailings):
            return UNCHANGED if order is not None else None
        elsewhere = [other for _pk, other, status in sailings if status == ShipmentStatus.PLANNED]
        if elsewhere:
            context.error(
                row,
                "vin",
                _("%(vin)s is already on shipment %(number)s.")
                % {"vin": vin, "number": elsewhere[0]},
            )
            return None
        if order is None:
            return None
        if allocated is None:
            line = self._line_for(context, row, vehicle, order, manifest, taken)
            return None if line is None else _Loading(row, vehicle, order, line)
        if vehicle.state != VehicleState.ALLOCATED:
            context.error(
                row,
                "vin",
                _("%(vin)s is %(state)s; it cannot be loaded on a shipment.")
                % {"vin": vin, "state": VehicleState(vehicle.state).label.lower()},
            )
            return None
        return _Loading(row, vehicle, order, None)

    def _resolve(
        self, context: Context, rows: Sequence[Row], groups: dict[str, list[Row]]
    ) -> _Manifest:
        """Every shipment, order, line, vehicle, allocation and loading the file names, in
        one query per kind."""
        actor = context.actor
        shipments = {
            shipment.number: shipment for shipment in Shipment.objects.filter(number__in=groups)
        }
        shipment_ids = [shipment.pk for shipment in shipments.values()]
        shipments_visible = set(
            restrict(actor, Shipment.objects.filter(pk__in=shipment_ids)).values_list(
                "pk", flat=True
            )
        )
        shipment_orders: dict[int, set[int]] = defaultdict(set)
        for shipment_id, order_id in Shipment.orders.through.objects.filter(
            shipment_id__in=shipments_visible
        ).values_list("shipment_id", "exportorder_id"):
            shipment_orders[shipment_id].add(order_id)
        orders = {
            order.number: order
            for order in restrict(
                actor,
                ExportOrder.objects.filter(number__in={_text(row["order_number"]) for row in rows}),
            )
        }
        orders_changeable = set(
            restrict(
                actor,
                ExportOrder.objects.filter(pk__in=[order.pk for order in orders.values()]),
                Action.CHANGE,
            ).values_list("pk", flat=True)
        )
        return _Manifest(
            shipments=shipments,
            shipments_visible=shipments_visible,
            shipments_changeable=set(
                restrict(
                    actor, Shipment.objects.filter(pk__in=shipments_visible), Action.CHANGE
                ).values_list("pk", flat=True)
            ),
            shipment_orders=shipment_orders,
            orders=orders,
            orders_changeable=orders_changeable,
            **self._resolve_lines(orders_changeable),
            **self._resolve_vehicles(context, rows),
        )

    @staticmethod
    def _resolve_lines(orders_changeable: set[int]) -> dict[str, Any]:
        """The lines of the orders the actor may ship, and how many vehicles each holds."""
        lines = {
            (line.order_id, line.variant_id): line
            for line in ExportOrderLine.objects.filter(
                order_id__in=orders_changeable
            ).select_related("variant")
        }
        taken: dict[tuple[int, int], int] = defaultdict(int)
        for order_id, variant_id, count in (
            Allocation.objects.filter(line__order_id__in=orders_changeable)
            .values_list("line__order_id", "line__variant_id")
            .annotate(count=Count("pk"))
            .values_list("line__order_id", "line__variant_id", "count")
        ):
            taken[(order_id, variant_id)] = count
        return {"lines": lines, "taken": taken}

    @staticmethod
    def _resolve_vehicles(context: Context, rows: Sequence[Row]) -> dict[str, Any]:
        """The vehicles the actor may change, with their allocations and loadings."""
        vehicles = {
            vehicle.vin: vehicle
            for vehicle in restrict(
                context.actor,
                Vehicle.objects.filter(vin__in={_code(row["vin"]) for row in rows}),
                Action.CHANGE,
            ).select_related("variant")
        }
        vehicle_ids = [vehicle.pk for vehicle in vehicles.values()]
        allocated = {
            vehicle_id: (order_id, order_number)
            for vehicle_id, order_id, order_number in Allocation.objects.filter(
                vehicle_id__in=vehicle_ids
            ).values_list("vehicle_id", "line__order_id", "line__order__number")
        }
        on_shipment: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        for vehicle_id, shipment_id, number, status in ShipmentVehicle.objects.filter(
            vehicle_id__in=vehicle_ids
        ).values_list("vehicle_id", "shipment_id", "shipment__number", "shipment__status"):
            on_shipment[vehicle_id].append((shipment_id, number, status))
        return {"vehicles": vehicles, "allocated": allocated, "on_shipment": on_shipment}

    def _check_orders(
        self,
        context: Context,
        group: list[Row],
        shipment: Shipment | None,
        manifest: _Manifest,
    ) -> dict[str, ExportOrder]:
        """The orders the shipment's rows name, each checked once (on its first row)."""
        found: dict[str, ExportOrder] = {}
        refused: dict[str, str] = {}
        first_order: ExportOrder | None = None
        for row in group:
            number = _text(row["order_number"])
            if number in refused:
                context.error(row, "order_number", refused[number])
                continue
            if number in found:
                continue
            order = manifest.orders.get(number)
            if order is None:
                problem = _("There is no order %(number)s.") % {"number": number}
            elif order.pk not in manifest.orders_changeable:
                problem = _("You may not ship order %(number)s.") % {"number": number}
            elif shipment is not None and order.pk not in manifest.shipment_orders[shipment.pk]:
                problem = _("Order %(order)s is not on shipment %(number)s.") % {
                    "order": number,
                    "number": shipment.number,
                }
            elif order.status not in ORDER_OPEN_FOR_SHIPPING:
                problem = _("Order %(number)s is %(status)s.") % {
                    "number": number,
                    "status": OrderStatus(order.status).label.lower(),
                }
            elif first_order is not None and (
                order.brand_id != first_order.brand_id
                or order.destination_id != first_order.destination_id
            ):
                problem = _("All orders of a shipment share one brand and one destination.")
            else:
                first_order = first_order or order
                found[number] = order
                continue
            context.error(row, "order_number", problem)
            refused[number] = problem
        return found

    def _check_header(
        self, context: Context, row: Row, shipment: Shipment | None
    ) -> ShipmentInput | None:
        """The shipment's columns on its first row: complete for a new shipment, the same
        as stored for one in Seabridge."""
        number = _text(row["shipment_number"])
        mode_written = _text(row["mode"])
        mode = SHIPMENT_MODES_WRITTEN.get(_folded(mode_written), "")
        ports = {name: _port(row[name]) for name in ("port_of_loading", "port_of_discharge")}
        if shipment is not None:
            given = {
                "mode": mode or mode_written,
                **ports,
                **{name: _text(row[name]) for name in ("carrier", "vessel", "voyage")},
                "bill_of_lading": _text(row["bill_of_lading"]),
                "etd": row["etd"],
                "eta": row["eta"],
            }
            for name, value in given.items():
                held = getattr(shipment, name)
                if value not in (None, "") and _same(value) != _same(held):
                    context.error(
                        row,
                        name,
                        _("Shipment %(number)s has %(value)s; an import does not change it.")
                        % {"number": number, "value": _shown(held)},
                    )
            return None
        if not mode_written:
            context.error(row, "mode", _("A new shipment needs its mode."))
        elif not mode:
            context.error(
                row,
                "mode",
                _("%(value)s is not a shipment mode; use one of: %(choices)s.")
                % {"value": mode_written, "choices": ", ".join(ShipmentMode.values)},
            )
        for name, port in ports.items():
            if not port:
                context.error(row, name, _("A new shipment needs its ports."))
            elif not UNLOCODE.match(port):
                context.error(
                    row, name, _("%(value)s is not a UN/LOCODE (e.g. CNSHA).") % {"value": port}
                )
        if row["etd"] and row["eta"] and row["eta"] < row["etd"]:
            context.error(row, "eta", _("The ETA is before the ETD."))
        return ShipmentInput(
            number=number,
            mode=mode,
            port_of_loading=ports["port_of_loading"],
            port_of_discharge=ports["port_of_discharge"],
            carrier=_text(row["carrier"]),
            vessel=_text(row["vessel"]),
            voyage=_text(row["voyage"]),
            bill_of_lading=_text(row["bill_of_lading"]),
            etd=row["etd"],
            eta=row["eta"],
        )

    def _line_for(
        self,
        context: Context,
        row: Row,
        vehicle: Vehicle,
        order: ExportOrder,
        manifest: _Manifest,
        taken: dict[tuple[int, int], int],
    ) -> ExportOrderLine | None:
        """The line of ``order`` a vehicle not yet allocated goes to, or None (reported)."""
        vin = vehicle.vin
        if order.status not in ORDER_OPEN_FOR_ALLOCATION:
            context.error(
                row,
                "order_number",
                _("Order %(number)s is %(status)s; vehicles are allocated to confirmed orders.")
                % {"number": order.number, "status": OrderStatus(order.status).label.lower()},
            )
            return None
        if vehicle.state != VehicleState.PRODUCED:
            context.error(
                row,
                "vin",
                _("%(vin)s is %(state)s; only a produced vehicle can be allocated.")
                % {"vin": vin, "state": VehicleState(vehicle.state).label.lower()},
            )
            return None
        key = (order.pk, vehicle.variant_id)
        line = manifest.lines.get(key)
        if line is None:
            context.error(
                row,
                "vin",
                _("%(vin)s is a %(variant)s; order %(order)s has no line for it.")
                % {"vin": vin, "variant": vehicle.variant.code, "order": order.number},
            )
            return None
        if taken[key] >= line.quantity:
            context.error(
                row,
                "vin",
                _("Order %(order)s takes %(quantity)s %(variant)s; %(vin)s is one too many.")
                % {
                    "order": order.number,
                    "quantity": line.quantity,
                    "variant": line.variant.code,
                    "vin": vin,
                },
            )
            return None
        taken[key] += 1
        return line

    def _may_load(
        self,
        context: Context,
        loading: list[_Loading],
        shipment: Shipment,
        manifest: _Manifest,
    ) -> bool:
        """Whether vehicles may still be loaded on a shipment in Seabridge (else reported)."""
        problem = None
        if shipment.pk not in manifest.shipments_changeable:
            problem = _("You may not change shipment %(number)s.") % {"number": shipment.number}
        elif shipment.status != ShipmentStatus.PLANNED:
            problem = _(
                "Shipment %(number)s is %(status)s; vehicles are loaded only while it is planned."
            ) % {
                "number": shipment.number,
                "status": ShipmentStatus(shipment.status).label.lower(),
            }
        if problem is None:
            return True
        for entry in loading:
            context.error(entry.row, "shipment_number", problem)
        return False

    def apply(self, context: Context, prepared: Prepared) -> None:
        actor = context.actor
        writes: _ShipmentWrites = prepared.payload
        for data, orders in writes.new:
            shipment_create(actor=actor, orders=orders, data=data)
        today = timezone.localdate()
        done = 0
        for line_id, vehicle_ids in writes.allocate.items():
            vehicles_allocate(
                actor=actor, line=writes.lines[line_id], vehicle_ids=vehicle_ids, allocated_on=today
            )
        shipments = Shipment.objects.in_bulk(list(writes.load), field_name="number")
        for number, vehicle_ids in writes.load.items():
            shipment_add_vehicles(actor=actor, shipment=shipments[number], vehicle_ids=vehicle_ids)
            done += len(vehicle_ids)
            context.progress(done, prepared.changes, None)


# --- exchange rates ------------------------------------------------------------------------


@dataclass(frozen=True)
class _RateWrite:
    currency: str
    on: date
    cny_per_unit: Decimal
    confirm: bool


def _rate_before(dates: list[date], rates: dict[date, Decimal], on: date) -> PreviousRate | None:
    """What :func:`~seabridge.trade.services.exchange_rate_previous` would answer for ``on``
    if ``rates`` (``dates`` sorted) were the stored rates of the currency."""
    index = bisect.bisect_left(dates, on)
    if index > 0:
        return PreviousRate(dates[index - 1], rates[dates[index - 1]])
    later = index + 1 if index < len(dates) and dates[index] == on else index
    if later < len(dates):
        return PreviousRate(dates[later], rates[dates[later]])
    return None


@register
class ExchangeRates(ImportKind):
    """Exchange rates (CNY per unit of a currency), keyed by currency and date; the
    platform's stewards import them.

    A row whose rate is stored already is left alone; a new date is recorded and a
    different rate corrects the stored one. A currency's rows are taken in date order,
    as if a steward entered them one by one: each is compared with the rate before it
    (stored, or earlier in the file), and one outside the sanity band is refused naming
    its row and both rates, unless its confirm cell says yes.
    """

    code = "exchange_rates"
    label = _l("Exchange rates")
    description = _l(
        "One row per currency and date: how many CNY one unit bought that day. Only the "
        "platform's stewards import exchange rates."
    )
    columns = (
        Column(
            "currency",
            _l("Currency"),
            ColumnType.CODE,
            required=True,
            example="USD",
            max_length=3,
            aliases=("币种", "货币", "Moneda", "Moeda", "Devise", "Валюта", "العملة"),
            help=_l("ISO 4217 code, e.g. USD."),
        ),
        Column(
            "on",
            _l("Date"),
            ColumnType.DATE,
            required=True,
            example=date(2025, 1, 2),
            aliases=("日期", "Fecha", "Data", "Дата", "التاريخ"),
        ),
        Column(
            "cny_per_unit",
            _l("CNY per unit"),
            ColumnType.DECIMAL,
            required=True,
            example=Decimal("7.1884"),
            aliases=("rate", "汇率", "Tipo de cambio", "Taxa de câmbio", "Taux", "Курс", "السعر"),
        ),
        Column(
            "confirm",
            _l("Confirm"),
            ColumnType.BOOLEAN,
            example=False,
            aliases=("确认", "Confirmar", "Confirmer", "Подтвердить", "تأكيد"),
            help=_l(
                "Yes records a rate more than three times, or less than a third of, the "
                "previous rate of its currency; such a rate is refused otherwise."
            ),
        ),
    )
    key = ("currency", "on")

    def check(self, context: Context, rows: Sequence[Row]) -> Prepared:
        writes: list[_RateWrite] = []
        prepared = Prepared(payload=writes)
        if not is_steward(context.actor):
            context.error(
                None,
                None,
                _("Reference data is kept by the platform's stewards; ask one to change it."),
            )
            return prepared
        by_currency: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            if self._row_ok(context, row):
                by_currency[_code(row["currency"])].append(row)
        stored: dict[str, dict[date, Decimal]] = defaultdict(dict)
        for currency, on, rate in ExchangeRate.objects.filter(
            currency__in=list(by_currency)
        ).values_list("currency", "on", "cny_per_unit"):
            stored[currency][on] = rate
        for currency in sorted(by_currency):
            self._check_currency(
                context, prepared, currency, by_currency[currency], stored[currency]
            )
        return prepared

    def _row_ok(self, context: Context, row: Row) -> bool:
        """Whether the row's currency and rate can be a rate at all (else reported)."""
        currency = _code(row["currency"])
        if not is_currency(currency):
            context.error(
                row,
                "currency",
                _("%(code)s is not an ISO 4217 currency code.") % {"code": currency},
            )
        elif currency == "CNY":
            context.error(row, "currency", _("Rates are kept in CNY; CNY itself needs none."))
        problem = exchange_rate_problem(row["cny_per_unit"])
        if problem is not None:
            context.error(row, "cny_per_unit", problem)
        return context.ok(row)

    def _check_currency(
        self,
        context: Context,
        prepared: Prepared,
        currency: str,
        rows: list[Row],
        stored: dict[date, Decimal],
    ) -> None:
        """Compare each row of one currency, in date order, with the rate before it."""
        rates = dict(stored)
        dates = sorted(rates)
        for row in sorted(rows, key=lambda row: row["on"]):
            on, rate = row["on"], row["cny_per_unit"]
            before = stored.get(on)
            if before == rate:
                prepared.unchanged += 1
                continue
            problem = exchange_rate_band_problem(
                currency=currency, cny_per_unit=rate, previous=_rate_before(dates, rates, on)
            )
            if problem is not None and not row["confirm"]:
                context.error(row, "cny_per_unit", problem)
                continue
            if before is None:
                prepared.created += 1
                bisect.insort(dates, on)
            else:
                prepared.updated += 1
            rates[on] = rate
            prepared.payload.append(_RateWrite(currency, on, rate, bool(row["confirm"])))

    def apply(self, context: Context, prepared: Prepared) -> None:
        # In the order check took them (each currency by date), so that the service
        # compares every rate with the same previous rate as the check did.
        writes: list[_RateWrite] = prepared.payload
        for done, write in enumerate(writes, start=1):
            exchange_rate_set(
                actor=context.actor,
                currency=write.currency,
                on=write.on,
                cny_per_unit=write.cny_per_unit,
                confirm=write.confirm,
            )
            context.progress(done, len(writes), None)
