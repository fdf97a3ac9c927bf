"""The vehicles app's kinds of import: production output, wholesale deliveries, retail
sales with their customers, and dealers' stock counts.

Each kind checks a file in three steps: it resolves every reference of the whole
file in a fixed number of queries (VINs a chunk of :data:`CHUNK` at a time), asking
the scope module which vehicles the actor may change; it checks each row's cells on
their own and against what they name, reporting every problem of the row; and it
classifies each row that passed by what is stored under its key (unchanged, new, or
a correction). The rules are the services' own (a price as
:func:`~seabridge.core.money.amount_problem` takes it, a date not before the
vehicle's history, the lifecycle's transitions), and writes go through the app's
bulk services.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final, Literal, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from seabridge.accounts.choices import Role
from seabridge.accounts.models import Organization
from seabridge.agreements.selectors import counterparties_visible
from seabridge.catalog.models import Variant
from seabridge.core.bulk import chunks
from seabridge.core.errors import ValidationFailed
from seabridge.core.money import amount_problem, currency_code
from seabridge.core.scope import Action, Actor, restrict
from seabridge.imports.choices import ColumnType
from seabridge.imports.kinds import Column, Context, ImportKind, Prepared, Row, register
from seabridge.markets.models import Country
from seabridge.vehicles.choices import (
    IN_OPERATION_STATES,
    TRANSITIONS,
    CustomerKind,
    EventType,
    StockCountResult,
    VehicleState,
)
from seabridge.vehicles.lifecycle import CHUNK
from seabridge.vehicles.models import (
    Customer,
    Plant,
    StockCount,
    StockCountLine,
    Vehicle,
    VehicleEvent,
)
from seabridge.vehicles.services import (
    DEALER_KINDS,
    MAX_PRODUCTION_ROWS,
    Delivery,
    NewCustomer,
    ProductionRow,
    RetailSale,
    too_early,
    vehicle_facts,
    vehicles_deliver_bulk,
    vehicles_produce,
    vehicles_retail_bulk,
)
from seabridge.vehicles.vin import normalize, vin_validate

EXAMPLE_VIN = "LJ12EKR14S4000001"

VIN = Column(
    "vin",
    _l("VIN"),
    ColumnType.CODE,
    required=True,
    example=EXAMPLE_VIN,
    max_length=17,
    aliases=(
        "车架号",
        "VIN码",
        "车辆识别代号",
        "车辆识别号",
        "底盘号",
        "número de chasis",
        "numero de chasis",
        "chasis",
        "número de bastidor",
        "bastidor",
        "número de serie",
        "رقم الهيكل",
        "رقم الشاصي",
        "رقم الشاسيه",
    ),
)
DOCUMENT = Column(
    "document_ref",
    _l("Document"),
    ColumnType.TEXT,
    example="INV-2025-0412",
    max_length=120,
    aliases=(
        "单据号",
        "单号",
        "凭证号",
        "发票号",
        "documento",
        "número de documento",
        "factura",
        "رقم المستند",
        "رقم الفاتورة",
    ),
)
DEALER_ALIASES = (
    "经销商",
    "经销商名称",
    "进口商",
    "concesionario",
    "distribuidor",
    "importador",
    "الوكيل",
    "الموزع",
    "اسم الوكيل",
)
# Customer kinds as partners write them, besides our values and labels.
CUSTOMER_KINDS = {
    "person": CustomerKind.PERSON,
    "persona": CustomerKind.PERSON,
    "particular": CustomerKind.PERSON,
    "个人": CustomerKind.PERSON,
    "فرد": CustomerKind.PERSON,
    "company": CustomerKind.COMPANY,
    "empresa": CustomerKind.COMPANY,
    "公司": CustomerKind.COMPANY,
    "企业": CustomerKind.COMPANY,
    "شركة": CustomerKind.COMPANY,
}
# After the sale: a row for these is compared with the recorded sale.
SOLD_STATES = IN_OPERATION_STATES
# The states the lifecycle delivers to a dealer and sells from.
DELIVERABLE = TRANSITIONS[EventType.DELIVERED][0]
SELLABLE = TRANSITIONS[EventType.RETAILED][0]
# What classifying a row answers for a row already in Seabridge as it says.
UNCHANGED: Final = "unchanged"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _state(state: str) -> str:
    return str(VehicleState(state).label).lower()


def _organizations(
    names: Iterable[str], among: QuerySet[Organization] | None = None
) -> dict[str, Organization]:
    """Organisations by lower-case short name, in one query; only ``among`` when given
    (the ones the actor may name)."""
    wanted = {name.lower() for name in names if name}
    if not wanted:
        return {}
    found = (
        (Organization.objects.all() if among is None else among)
        .annotate(lower_name=Lower("short_name"))
        .filter(lower_name__in=wanted)
    )
    return {organization.short_name.lower(): organization for organization in found}


def _unknown_organization(name: str) -> str:
    return _("No organisation is called %(name)s.") % {"name": name}


def _latest_event() -> Subquery:
    latest = VehicleEvent.objects.filter(vehicle=OuterRef("pk")).order_by("-occurred_on", "-id")
    return Subquery(latest.values("occurred_on")[:1])


def _refuse_file(context: Context, message: str) -> Prepared:
    context.error(None, None, message)
    return Prepared()


# --- production ---------------------------------------------------------------------------

StoredFacts = tuple[int, date, int | None, int | None]  # variant, produced on, plant, sequence


@dataclass
class _Production:
    """What checking production rows needs, read once for the file."""

    variants: dict[str, list[Variant]]  # upper-case code → variants of the actor's brands
    plants: dict[str, Plant]  # upper-case code → the actor's plant
    vins: dict[int, str]  # row → its VIN, checked
    vin_problems: dict[int, str]  # row → what is wrong with its VIN
    stored: dict[str, StoredFacts | None]  # registered VIN → its facts (None: another maker's)


@register
class ProductionImport(ImportKind):
    """Vehicles off the line, as a plant reports them: one row per VIN."""

    code = "production"
    label = _l("Production output")
    description = _l(
        "Vehicles off the line: VIN, variant code, production date, plant and line sequence."
    )
    columns = (
        VIN,
        Column(
            "variant",
            _l("Variant code"),
            ColumnType.CODE,
            required=True,
            example="T8-D",
            max_length=40,
            aliases=(
                "车型代码",
                "车型编码",
                "配置代码",
                "车型",
                "código de versión",
                "versión",
                "modelo",
                "رمز الطراز",
                "الطراز",
                "الفئة",
            ),
        ),
        Column(
            "produced_on",
            _l("Production date"),
            ColumnType.DATE,
            required=True,
            example=date(2025, 3, 1),
            aliases=(
                "Produced on",
                "生产日期",
                "下线日期",
                "fecha de producción",
                "fecha de fabricación",
                "تاريخ الإنتاج",
                "تاريخ التصنيع",
            ),
        ),
        Column(
            "plant",
            _l("Plant"),
            ColumnType.CODE,
            example="HF1",
            max_length=20,
            aliases=(
                "工厂",
                "生产工厂",
                "工厂代码",
                "planta",
                "fábrica",
                "código de planta",
                "المصنع",
                "رمز المصنع",
            ),
        ),
        Column(
            "line_sequence",
            _l("Line sequence"),
            ColumnType.INTEGER,
            example=1024,
            aliases=(
                "下线序号",
                "生产序号",
                "流水号",
                "secuencia",
                "número de secuencia",
                "secuencia de línea",
                "رقم التسلسل",
                "تسلسل الخط",
            ),
        ),
    )
    key = ("vin",)

    def check(self, context: Context, rows: Sequence[Row]) -> Prepared:
        actor = context.actor
        refusal = _("Only the brand owner's staff import production.")
        if not actor.has_role(Role.STAFF):
            return _refuse_file(context, refusal)
        found = self._resolve(actor, rows)
        if not found.variants and not actor.organization.brands.exists():
            return _refuse_file(context, refusal)
        production: list[ProductionRow] = []
        unchanged = 0
        for row in rows:
            planned = self._check_row(context, row, found)
            if planned is None:
                continue
            new = self._classify(context, row, planned, found)
            if new:
                production.append(planned)
            elif new is not None:
                unchanged += 1
        return Prepared(created=len(production), unchanged=unchanged, payload=production)

    def _resolve(self, actor: Actor, rows: Sequence[Row]) -> _Production:
        """The variants, plants and registered VINs the file names, in one query each
        (VINs a chunk at a time); every VIN checked."""
        variants: dict[str, list[Variant]] = {}
        codes = {_text(row["variant"]).upper() for row in rows} - {""}
        for variant in restrict(
            actor,
            Variant.objects.annotate(upper_code=Upper("code")).filter(
                brand__owner_id=actor.organization_id, upper_code__in=codes
            ),
        ).select_related("brand__owner__home_country"):
            variants.setdefault(variant.code.upper(), []).append(variant)
        plant_codes = {_text(row["plant"]).upper() for row in rows} - {""}
        plants: dict[str, Plant] = {
            plant.code.upper(): plant
            for plant in Plant.objects.annotate(upper_code=Upper("code")).filter(
                owner_id=actor.organization_id, upper_code__in=plant_codes
            )
        }
        vins: dict[int, str] = {}
        vin_problems: dict[int, str] = {}
        for row in rows:
            try:
                vins[row.number] = vin_validate(_text(row["vin"])).vin
            except ValidationFailed as error:
                vin_problems[row.number] = "; ".join(error.fields.get("vin", [error.message]))
        stored = self._stored(actor, list(vins.values()))
        return _Production(variants, plants, vins, vin_problems, stored)

    def _check_row(self, context: Context, row: Row, found: _Production) -> ProductionRow | None:
        """The vehicle a row reports, or None when one of its cells is wrong (each reported)."""
        vin = found.vins.get(row.number)
        if vin is None:
            context.error(row, "vin", found.vin_problems[row.number])
        elif vin in found.stored and found.stored[vin] is None:
            context.error(row, "vin", _("%(vin)s is already registered.") % {"vin": vin})
        code = _text(row["variant"])
        variants = found.variants.get(code.upper(), [])
        if not variants:
            context.error(
                row, "variant", _("%(code)s is not a variant code of your brands.") % {"code": code}
            )
        elif len(variants) > 1:
            context.error(
                row,
                "variant",
                _("%(code)s is the code of variants of several brands: %(brands)s.")
                % {"code": code, "brands": ", ".join(sorted(v.brand.name for v in variants))},
            )
        plant_code = _text(row["plant"])
        plant = found.plants.get(plant_code.upper()) if plant_code else None
        if plant_code and plant is None:
            context.error(
                row, "plant", _("%(code)s is not a plant of yours.") % {"code": plant_code}
            )
        sequence = row["line_sequence"]
        if sequence is not None and not 0 <= sequence < 2**63:
            context.error(
                row,
                "line_sequence",
                _("%(value)s is not a line sequence; use a whole number from 0.")
                % {"value": sequence},
            )
        if not context.ok(row):
            return None
        assert vin is not None
        return ProductionRow(
            vin=vin,
            variant_id=variants[0].pk,
            produced_on=row["produced_on"],
            plant_id=plant.pk if plant else None,
            line_sequence=sequence,
        )

    @staticmethod
    def _classify(
        context: Context, row: Row, planned: ProductionRow, found: _Production
    ) -> bool | None:
        """True for a new vehicle, False for one the actor's brand registered with the row's
        facts already, None (reported) for other facts: production history is not rewritten."""
        vin = planned.vin
        if vin not in found.stored:
            return True
        facts = (planned.variant_id, planned.produced_on, planned.plant_id, planned.line_sequence)
        if found.stored[vin] == facts:
            return False
        context.error(
            row,
            "vin",
            _("%(vin)s is already registered with other data; production history is not rewritten.")
            % {"vin": vin},
        )
        return None

    @staticmethod
    def _stored(
        actor: Actor, vins: list[str]
    ) -> dict[str, tuple[int, date, int | None, int | None] | None]:
        """Registered VINs: their production facts when the actor's brand made them,
        None for another maker's (which the row may not mention again)."""
        stored: dict[str, tuple[int, date, int | None, int | None] | None] = {}
        for chunk in chunks(vins, CHUNK):
            for vin, owner_id, *facts in Vehicle.objects.filter(vin__in=chunk).values_list(
                "vin", "brand__owner_id", "variant_id", "produced_on", "plant_id", "line_sequence"
            ):
                stored[vin] = tuple(facts) if owner_id == actor.organization_id else None  # type: ignore[assignment]
        return stored

    def apply(self, context: Context, prepared: Prepared) -> None:
        production: list[ProductionRow] = prepared.payload or []
        done = 0
        for chunk in chunks(production, MAX_PRODUCTION_ROWS):
            vehicles_produce(actor=context.actor, rows=chunk)
            done += len(chunk)
            context.progress(done, len(production), None)


# --- wholesale ----------------------------------------------------------------------------


@dataclass
class _Deliveries:
    """What checking delivery rows needs, read once for the file."""

    dealers: dict[str, Organization]  # lower-case short name → organisation
    vins: list[str]  # each row's VIN, normalised
    vehicles: dict[str, tuple[Any, ...]]  # VIN → the vehicle the actor may deliver
    delivered: set[tuple[int, date]]  # (vehicle, day) of the deliveries recorded


@register
class WholesaleImport(ImportKind):
    """Deliveries into a dealer's or importer's stock: the wholesale, when from allocation."""

    code = "wholesale"
    label = _l("Wholesale deliveries")
    description = _l("Vehicles delivered to a dealer or importer: VIN, dealer, date, document.")
    columns = (
        VIN,
        Column(
            "dealer",
            _l("Dealer"),
            ColumnType.TEXT,
            required=True,
            example="Riyadh Motors",
            max_length=60,
            aliases=DEALER_ALIASES,
        ),
        Column(
            "delivered_on",
            _l("Delivery date"),
            ColumnType.DATE,
            required=True,
            example=date(2025, 4, 25),
            aliases=(
                "交付日期",
                "交车日期",
                "批发日期",
                "fecha de entrega",
                "fecha de venta mayorista",
                "تاريخ التسليم",
            ),
        ),
        DOCUMENT,
    )
    key = ("vin",)

    def check(self, context: Context, rows: Sequence[Row]) -> Prepared:
        actor = context.actor
        if not actor.has_role(Role.STAFF):
            return _refuse_file(
                context,
                _("Importing deliveries needs the staff role in %(organization)s.")
                % {"organization": actor.organization},
            )
        found = self._resolve(actor, rows)
        deliveries: list[Delivery] = []
        unchanged = 0
        for row, vin in zip(rows, found.vins, strict=True):
            dealer, vehicle = self._check_row(context, row, vin, found)
            if vehicle is None:
                continue
            # Classified even with a wrong dealer: its state and date may be wrong too.
            outcome = self._classify(context, row, vin, dealer, vehicle, found)
            if not context.ok(row):
                continue
            if isinstance(outcome, Delivery):
                deliveries.append(outcome)
            elif outcome == UNCHANGED:
                unchanged += 1
        return Prepared(created=len(deliveries), unchanged=unchanged, payload=deliveries)

    @staticmethod
    def _resolve(actor: Actor, rows: Sequence[Row]) -> _Deliveries:
        """The dealers, the vehicles the actor may deliver and their past deliveries, in
        one query each (VINs a chunk at a time)."""
        # A delivery goes to the actor itself or a counterparty: no other is named.
        own = Q(pk=actor.organization_id) | Q(pk__in=counterparties_visible(actor).values("pk"))
        dealers = _organizations(
            (_text(row["dealer"]) for row in rows), among=Organization.objects.filter(own)
        )
        vins = [normalize(_text(row["vin"])) for row in rows]
        vehicles: dict[str, tuple[Any, ...]] = {}
        for chunk in chunks(vins, CHUNK):
            for values in (
                restrict(actor, Vehicle.objects.filter(vin__in=chunk), Action.CHANGE)
                .annotate(history_ends_on=_latest_event())
                .values_list(
                    "pk", "vin", "state", "holder_id", "holder__short_name", "history_ends_on"
                )
            ):
                vehicles[values[1]] = values
        delivered: set[tuple[int, date]] = set()
        done = [values[0] for values in vehicles.values() if values[2] not in DELIVERABLE]
        for chunk in chunks(done, CHUNK):
            delivered.update(
                VehicleEvent.objects.filter(
                    vehicle_id__in=chunk, type=EventType.DELIVERED
                ).values_list("vehicle_id", "occurred_on")
            )
        return _Deliveries(dealers, vins, vehicles, delivered)

    @staticmethod
    def _check_row(
        context: Context, row: Row, vin: str, found: _Deliveries
    ) -> tuple[Organization | None, tuple[Any, ...] | None]:
        """The dealer and the vehicle of a row, each None when it is wrong (reported)."""
        name = _text(row["dealer"])
        dealer = found.dealers.get(name.lower())
        if dealer is None:
            context.error(row, "dealer", _unknown_organization(name))
        elif dealer.kind not in DEALER_KINDS:
            context.error(
                row, "dealer", _("%(name)s is not a dealer or importer.") % {"name": dealer}
            )
            dealer = None
        vehicle = found.vehicles.get(vin)
        if vehicle is None:
            context.error(row, "vin", _("%(vin)s is not a vehicle you may deliver.") % {"vin": vin})
        return dealer, vehicle

    @staticmethod
    def _classify(
        context: Context,
        row: Row,
        vin: str,
        dealer: Organization | None,
        vehicle: tuple[Any, ...],
        found: _Deliveries,
    ) -> Delivery | Literal["unchanged"] | None:
        """A delivery to record, "unchanged" for one recorded already, or None (reported)
        for a vehicle the lifecycle does not deliver or a date before its history; None
        too for no dealer (a wrong one is reported already)."""
        pk, _vin, state, holder_id, holder_name, ends_on = vehicle
        delivered_on: date = row["delivered_on"]
        if state in DELIVERABLE:
            if ends_on is not None and delivered_on < ends_on:
                context.error(row, "delivered_on", too_early(vin, ends_on))
                return None
            if dealer is None:
                return None
            return Delivery(pk, dealer, delivered_on, _text(row["document_ref"]))
        if dealer is not None and holder_id == dealer.pk and (pk, delivered_on) in found.delivered:
            return UNCHANGED
        if state in (VehicleState.IN_STOCK, *SOLD_STATES):
            context.error(
                row,
                "vin",
                _(
                    "%(vin)s was delivered already (it is %(state)s at %(holder)s); "
                    "a delivery is not recorded twice."
                )
                % {"vin": vin, "state": _state(state), "holder": holder_name},
            )
        else:
            context.error(
                row,
                "vin",
                _("%(vin)s is %(state)s and cannot be delivered to dealer stock.")
                % {"vin": vin, "state": _state(state)},
            )
        return None

    def apply(self, context: Context, prepared: Prepared) -> None:
        vehicles_deliver_bulk(actor=context.actor, deliveries=prepared.payload or [], answer=False)


# --- retail sales -------------------------------------------------------------------------


def _customer_kinds() -> dict[str, str]:
    return {
        **CUSTOMER_KINDS,
        **{str(label).lower(): value for value, label in CustomerKind.choices},
    }


@dataclass
class _Sales:
    """What checking retail rows needs, read once for the file."""

    vins: list[str]  # each row's VIN, normalised
    vehicles: dict[str, tuple[Any, ...]]  # VIN → the vehicle the actor may sell
    sales_of: dict[int, tuple[Decimal | None, str]]  # sold vehicle → its sale's price
    outlets: dict[str, Organization]  # lower-case short name → organisation
    countries: set[str]  # the customers' country codes that exist
    customers: dict[str, Customer]  # the actor's organisation's customers by number
    organization: Organization  # the actor's
    customer_kinds: dict[str, str] = field(default_factory=_customer_kinds)
    currencies: dict[str, str | None] = field(default_factory=dict)

    def currency(self, given: str) -> str | None:
        """The ISO 4217 code ``given`` writes, or None; looked up once per code."""
        if given not in self.currencies:
            try:
                self.currencies[given] = currency_code(given)
            except ValidationFailed:
                self.currencies[given] = None
        return self.currencies[given]


class _Sale(NamedTuple):
    """A retail row whose cells passed: its vehicle and its cleaned values."""

    vehicle: tuple[Any, ...]
    price: Decimal
    currency: str
    outlet: Organization | None
    customer_kind: str


@register
class RetailSalesImport(ImportKind):
    """Retail sales with their customers, as a dealer's system exports them."""

    code = "retail_sales"
    label = _l("Retail sales")
    description = _l(
        "Vehicles sold to customers: VIN, date, price, outlet and the customer's details."
    )
    columns = (
        VIN,
        Column(
            "sold_on",
            _l("Sale date"),
            ColumnType.DATE,
            required=True,
            example=date(2025, 5, 2),
            aliases=(
                "销售日期",
                "零售日期",
                "开票日期",
                "fecha de venta",
                "fecha de facturación",
                "تاريخ البيع",
            ),
        ),
        Column(
            "price",
            _l("Price"),
            ColumnType.DECIMAL,
            required=True,
            example=Decimal("95000.00"),
            aliases=(
                "价格",
                "售价",
                "成交价",
                "零售价",
                "precio",
                "precio de venta",
                "السعر",
                "سعر البيع",
            ),
        ),
        Column(
            "currency",
            _l("Currency"),
            ColumnType.CODE,
            required=True,
            example="SAR",
            max_length=3,
            aliases=("币种", "货币", "moneda", "divisa", "العملة"),
        ),
        Column(
            "outlet",
            _l("Outlet"),
            ColumnType.TEXT,
            example="Riyadh Motors",
            max_length=60,
            aliases=(
                "门店",
                "销售网点",
                "网点",
                "punto de venta",
                "sucursal",
                "المعرض",
                "نقطة البيع",
                "الفرع",
            ),
        ),
        Column(
            "customer_name",
            _l("Customer name"),
            ColumnType.TEXT,
            required=True,
            example="Faisal Al-Harbi",
            max_length=200,
            aliases=(
                "客户姓名",
                "客户名称",
                "客户",
                "购车人",
                "nombre del cliente",
                "cliente",
                "اسم العميل",
                "العميل",
            ),
        ),
        Column(
            "customer_kind",
            _l("Customer kind"),
            ColumnType.CODE,
            example="person",
            aliases=("客户类型", "tipo de cliente", "نوع العميل"),
            help=_l("person or company; a person when empty."),
        ),
        Column(
            "customer_country",
            _l("Customer country"),
            ColumnType.CODE,
            example="SA",
            max_length=2,
            aliases=("客户国家", "国家", "país del cliente", "país", "بلد العميل", "الدولة"),
            help=_l("ISO code; the outlet's country when empty."),
        ),
        Column(
            "customer_email",
            _l("Customer e-mail"),
            ColumnType.TEXT,
            example="faisal@example.com",
            max_length=254,
            aliases=(
                "邮箱",
                "电子邮件",
                "客户邮箱",
                "correo",
                "correo electrónico",
                "email",
                "البريد الإلكتروني",
            ),
        ),
        Column(
            "customer_phone",
            _l("Customer phone"),
            ColumnType.TEXT,
            example="+966 50 000 0000",
            max_length=40,
            aliases=(
                "电话",
                "手机",
                "联系电话",
                "teléfono",
                "celular",
                "móvil",
                "الهاتف",
                "رقم الهاتف",
                "الجوال",
            ),
        ),
        Column(
            "customer_ref",
            _l("Customer number"),
            ColumnType.TEXT,
            example="C-10442",
            max_length=60,
            aliases=(
                "客户编号",
                "客户号",
                "número de cliente",
                "código de cliente",
                "رقم العميل",
            ),
            help=_l("Your own customer number: a customer with it is reused."),
        ),
        DOCUMENT,
    )
    key = ("vin",)

    def check(self, context: Context, rows: Sequence[Row]) -> Prepared:
        actor = context.actor
        if not actor.has_role(Role.STAFF):
            return _refuse_file(
                context,
                _("Importing retail sales needs the staff role in %(organization)s.")
                % {"organization": actor.organization},
            )
        found = self._resolve(actor, rows)
        sales: list[RetailSale] = []
        corrected: list[int] = []
        unchanged = 0
        for row, vin in zip(rows, found.vins, strict=True):
            checked = self._check_row(context, row, vin, found)
            if checked is None:
                continue
            # Classified even with wrong cells: the vehicle's state and history may
            # refuse the sale too.
            outcome = self._classify(context, row, checked, found)
            if isinstance(outcome, RetailSale) and outcome.correction:
                corrected.append(outcome.vehicle_id)
            if not context.ok(row):
                continue
            if isinstance(outcome, RetailSale):
                sales.append(outcome)
            elif outcome == UNCHANGED:
                unchanged += 1
        if corrected:
            self._check_corrections(context, rows, found, sales, corrected)
        updated = sum(1 for sale in sales if sale.correction)
        return Prepared(
            created=len(sales) - updated,
            updated=updated,
            unchanged=unchanged,
            payload={"sales": sales},
        )

    def _resolve(self, actor: Actor, rows: Sequence[Row]) -> _Sales:
        """The vehicles the actor may sell and their recorded sales, the outlets, the
        customers' countries and the actor's known customers, in one query each (VINs
        a chunk at a time)."""
        vins = [normalize(_text(row["vin"])) for row in rows]
        vehicles = self._vehicles(actor, vins)
        countries = {_text(row["customer_country"]).upper() for row in rows} - {""}
        return _Sales(
            vins=vins,
            vehicles=vehicles,
            sales_of=self._recorded_sales(
                [values[0] for values in vehicles.values() if values[2] in SOLD_STATES]
            ),
            outlets=_organizations(_text(row["outlet"]) for row in rows),
            countries=set(
                Country.objects.filter(code__in=countries).values_list("code", flat=True)
            ),
            customers=self._customers(actor, [_text(row["customer_ref"]) for row in rows]),
            organization=actor.organization,
        )

    def _check_row(self, context: Context, row: Row, vin: str, found: _Sales) -> _Sale | None:
        """A row's cells checked on their own (price, currency, customer) and against its
        vehicle and outlet, every problem reported; None for a vehicle the actor may not
        sell."""
        values = row.values
        error = context.error
        price: Decimal = values["price"]
        problem = amount_problem(price)
        if problem is not None:
            error(row, "price", problem)
        given_currency = _text(values["currency"])
        currency = found.currency(given_currency)
        if currency is None:
            error(
                row,
                "currency",
                _("%(code)s is not an ISO 4217 currency code.") % {"code": given_currency},
            )
        vehicle = found.vehicles.get(vin)
        if vehicle is None:
            error(row, "vin", _("%(vin)s is not a vehicle you may sell.") % {"vin": vin})
        outlet = self._outlet(context, row, vin, vehicle, found)
        kind = self._customer(context, row, found)
        if vehicle is None:
            return None
        return _Sale(vehicle, price, currency or "", outlet, kind or CustomerKind.PERSON)

    @staticmethod
    def _outlet(
        context: Context, row: Row, vin: str, vehicle: tuple[Any, ...] | None, found: _Sales
    ) -> Organization | None:
        """The outlet a row names (None for none): the actor's organisation or the
        vehicle's holder."""
        name = _text(row.values.get("outlet"))
        if not name:
            return None
        outlet = found.outlets.get(name.lower())
        if outlet is None:
            context.error(row, "outlet", _unknown_organization(name))
        elif vehicle is not None and outlet.pk not in (found.organization.pk, vehicle[3]):
            context.error(
                row,
                "outlet",
                _("%(outlet)s is neither %(organization)s nor the holder of %(vin)s.")
                % {"outlet": outlet, "organization": found.organization, "vin": vin},
            )
        return outlet

    @staticmethod
    def _customer(context: Context, row: Row, found: _Sales) -> str | None:
        """The kind of the row's customer (a person when not given); its country and
        e-mail address checked."""
        values = row.values
        given_kind = _text(values.get("customer_kind"))
        kind = found.customer_kinds.get(given_kind.lower()) if given_kind else CustomerKind.PERSON
        if kind is None:
            context.error(
                row,
                "customer_kind",
                _("%(value)s is not a kind of customer; use person or company.")
                % {"value": given_kind},
            )
        country = _text(values.get("customer_country")).upper()
        if country and country not in found.countries:
            context.error(
                row,
                "customer_country",
                _("%(code)s is not a known country code.") % {"code": country},
            )
        email = _text(values.get("customer_email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                context.error(
                    row,
                    "customer_email",
                    _("%(value)s is not an e-mail address.") % {"value": email},
                )
        return kind

    @staticmethod
    def _classify(
        context: Context, row: Row, sale: _Sale, found: _Sales
    ) -> RetailSale | Literal["unchanged"] | None:
        """The sale to record (new, or correcting the recorded one), "unchanged" for a
        sale recorded as the row says, or None (reported) for a vehicle the lifecycle
        does not sell or a date before its history."""
        pk, vin, state, _holder_id, holder_country, retailed_on, customer_name, ends_on = (
            sale.vehicle
        )
        values = row.values
        sold_on: date = values["sold_on"]
        name = _text(values["customer_name"])
        if state in SOLD_STATES:
            recorded = (found.sales_of.get(pk), retailed_on, customer_name)
            if recorded == ((sale.price, sale.currency), sold_on, name):
                return UNCHANGED
            if state != VehicleState.RETAILED:
                context.error(
                    row,
                    "vin",
                    _(
                        "%(vin)s is registered already; its sale on %(date)s is not "
                        "corrected by an import."
                    )
                    % {"vin": vin, "date": retailed_on},
                )
                return None
        elif state not in SELLABLE:
            context.error(
                row,
                "vin",
                _("%(vin)s is not in your dealer stock (it is %(state)s).")
                % {"vin": vin, "state": _state(state)},
            )
            return None
        elif ends_on is not None and sold_on < ends_on:
            context.error(row, "sold_on", too_early(vin, ends_on))
            return None
        reference = _text(values.get("customer_ref"))
        customer: Customer | NewCustomer | None = (
            found.customers.get(reference) if reference else None
        )
        if customer is None:
            country = _text(values.get("customer_country")).upper()
            customer = NewCustomer(
                kind=sale.customer_kind,
                name=name,
                country_id=country
                or (sale.outlet.home_country_id if sale.outlet is not None else holder_country),
                email=_text(values.get("customer_email")),
                phone=_text(values.get("customer_phone")),
                external_ref=reference,
            )
        return RetailSale(
            pk,
            sold_on,
            sale.price,
            sale.currency,
            customer,
            sale.outlet,
            _text(values.get("document_ref")),
            state in SOLD_STATES,
        )

    @staticmethod
    def _vehicles(actor: Actor, vins: list[str]) -> dict[str, tuple[Any, ...]]:
        """The vehicles the actor may change, by VIN: what a sale is checked against."""
        vehicles: dict[str, tuple[Any, ...]] = {}
        for chunk in chunks(vins, CHUNK):
            for values in (
                restrict(actor, Vehicle.objects.filter(vin__in=chunk), Action.CHANGE)
                .annotate(history_ends_on=_latest_event())
                .values_list(
                    "pk",
                    "vin",
                    "state",
                    "holder_id",
                    "holder__home_country_id",
                    "retailed_on",
                    "customer__name",
                    "history_ends_on",
                )
            ):
                vehicles[values[1]] = values
        return vehicles

    @staticmethod
    def _recorded_sales(vehicle_ids: list[int]) -> dict[int, tuple[Decimal | None, str]]:
        """Price and currency of each sold vehicle's current sale (its latest retail event)."""
        sales: dict[int, tuple[Decimal | None, str]] = {}
        for chunk in chunks(vehicle_ids, CHUNK):
            # By the vehicle's timeline index, the event type filtered here: with the type
            # in the query, SQLite (without statistics) walks the (type, date) index over
            # every retail event ever recorded, once per chunk.
            for vehicle_id, type_, price, currency in (
                VehicleEvent.objects.filter(vehicle_id__in=chunk)
                .order_by("vehicle_id", "occurred_on", "id")
                .values_list("vehicle_id", "type", "price", "currency")
            ):
                if type_ == EventType.RETAILED:
                    sales[vehicle_id] = (price, currency)
        return sales

    @staticmethod
    def _customers(actor: Actor, references: list[str]) -> dict[str, Customer]:
        """The actor's organisation's customers by their reference (the first recorded)."""
        wanted = sorted({reference for reference in references if reference})
        customers: dict[str, Customer] = {}
        for chunk in chunks(wanted, CHUNK):
            # Unordered, so that SQLite searches the (recorded_by, external_ref) index
            # instead of walking every customer by id; the first recorded wins.
            for customer in Customer.objects.filter(
                recorded_by_id=actor.organization_id, external_ref__in=chunk
            ).order_by():
                known = customers.get(customer.external_ref)
                if known is None or customer.pk < known.pk:
                    customers[customer.external_ref] = customer
        return customers

    @staticmethod
    def _check_corrections(
        context: Context,
        rows: Sequence[Row],
        found: _Sales,
        sales: list[RetailSale],
        corrected: list[int],
    ) -> None:
        """A corrected sale may not be dated before the history that preceded the sale."""
        facts = vehicle_facts(corrected, corrections=corrected)
        row_of = {
            found.vehicles[vin][0]: row
            for row, vin in zip(rows, found.vins, strict=True)
            if vin in found.vehicles
        }
        late = set()
        for pk in corrected:
            ends_on = facts[pk].history_ends_on
            row = row_of[pk]
            if ends_on is not None and row["sold_on"] < ends_on:
                context.error(row, "sold_on", too_early(facts[pk].vin, ends_on))
                late.add(pk)
        if late:
            sales[:] = [sale for sale in sales if sale.vehicle_id not in late]

    def apply(self, context: Context, prepared: Prepared) -> None:
        sales: list[RetailSale] = prepared.payload["sales"] if prepared.payload else []
        vehicles_retail_bulk(actor=context.actor, sales=sales, answer=False)
        context.progress(len(sales), len(sales), None)


# --- stock count --------------------------------------------------------------------------


@register
class StockCountImport(ImportKind):
    """A dealer's physical stock count: the VINs found on the lot on a day."""

    code = "stock_count"
    label = _l("Stock count")
    description = _l(
        "The VINs a dealer counted on a day; compared with the vehicles the records show "
        "in its stock."
    )
    columns = (
        Column(
            "dealer",
            _l("Dealer"),
            ColumnType.TEXT,
            required=True,
            example="Riyadh Motors",
            max_length=60,
            aliases=DEALER_ALIASES,
        ),
        Column(
            "counted_on",
            _l("Count date"),
            ColumnType.DATE,
            required=True,
            example=date(2025, 6, 30),
            aliases=(
                "盘点日期",
                "库存盘点日期",
                "fecha de inventario",
                "fecha del conteo",
                "تاريخ الجرد",
            ),
        ),
        VIN,
    )
    key = ("dealer", "counted_on", "vin")

    def check(self, context: Context, rows: Sequence[Row]) -> Prepared:
        actor = context.actor
        if not actor.has_role(Role.STAFF):
            return _refuse_file(
                context,
                _("Importing stock counts needs the staff role in %(organization)s.")
                % {"organization": actor.organization},
            )
        dealers, visible = self._resolve(actor, rows)
        counts: dict[tuple[int, date], list[str]] = {}
        dealer_of: dict[int, Organization] = {}
        for row in rows:
            checked = self._check_row(context, row, dealers, visible)
            if checked is None:
                continue
            dealer, vin = checked
            dealer_of[dealer.pk] = dealer
            counts.setdefault((dealer.pk, row["counted_on"]), []).append(vin)
        return self._classify(context, counts, dealer_of)

    @staticmethod
    def _resolve(actor: Actor, rows: Sequence[Row]) -> tuple[dict[str, Organization], set[int]]:
        """The dealers the file names, and those whose stock the actor may count: its own
        organisation, or one holding vehicles the actor may see (a maker or importer
        checking its dealers' stock)."""
        dealers = _organizations(_text(row["dealer"]) for row in rows)
        visible = {actor.organization_id} | set(
            restrict(actor, Vehicle.objects.filter(holder__in=list(dealers.values())))
            .order_by()
            .values_list("holder_id", flat=True)
            .distinct()
        )
        return dealers, visible

    @staticmethod
    def _check_row(
        context: Context, row: Row, dealers: dict[str, Organization], visible: set[int]
    ) -> tuple[Organization, str] | None:
        """The dealer and the VIN a row counts, or None when either is wrong (reported)."""
        name = _text(row["dealer"])
        dealer = dealers.get(name.lower())
        if dealer is None or dealer.pk not in visible:
            context.error(
                row,
                "dealer",
                _("%(name)s is not your organisation or a dealer whose stock you see.")
                % {"name": name},
            )
            dealer = None
        vin = normalize(_text(row["vin"]))
        if not vin:
            context.error(row, "vin", _("The VIN is empty."))
        if dealer is None or not vin:
            return None
        return dealer, vin

    def _classify(
        self,
        context: Context,
        counts: dict[tuple[int, date], list[str]],
        dealer_of: dict[int, Organization],
    ) -> Prepared:
        """Each count compared with the one stored for its dealer and day: new, changed
        (when the actor may change it) or the same; its lines compared with the stock."""
        actor = context.actor
        stored = {
            (count.dealer_id, count.counted_on): count
            for count in StockCount.objects.filter(
                dealer_id__in=[dealer_id for dealer_id, _day in counts]
            )
        }
        stored_vins: dict[int, set[str]] = {}
        for count_id, vin in (
            StockCountLine.objects.filter(count__in=list(stored.values()))
            .exclude(result=StockCountResult.MISSING)
            .values_list("count_id", "vin")
        ):
            stored_vins.setdefault(count_id, set()).add(vin)
        plans: list[tuple[int, date, StockCount | None, list[tuple[str, int | None, str]]]] = []
        summary = {result.value: 0 for result in StockCountResult}
        prepared = Prepared(payload={"counts": plans, "summary": summary})
        for (dealer_id, counted_on), vins in counts.items():
            existing = stored.get((dealer_id, counted_on))
            if existing is not None:
                before = stored_vins.get(existing.pk, set())
                if before == set(vins):
                    prepared.unchanged += len(vins)
                    continue
                if actor.organization_id not in (existing.organization_id, dealer_id):
                    context.error(
                        None,
                        None,
                        _(
                            "The count of %(dealer)s on %(date)s was recorded by another "
                            "organisation; you may not change it."
                        )
                        % {"dealer": dealer_of[dealer_id], "date": counted_on},
                    )
                    continue
                prepared.unchanged += len(before & set(vins))
                prepared.updated += len(set(vins) - before)
            else:
                prepared.created += len(vins)
            lines = self._compare(actor, dealer_of[dealer_id], vins)
            for line in lines:
                summary[line[2]] += 1
            plans.append((dealer_id, counted_on, existing, lines))
        return prepared

    @staticmethod
    def _compare(
        actor: Actor, dealer: Organization, counted: list[str]
    ) -> list[tuple[str, int | None, str]]:
        """Lines (VIN, vehicle, result) comparing the VINs counted with the dealer's stock
        as the records show it to the actor."""
        in_stock = dict(
            restrict(actor, Vehicle.objects.filter(holder=dealer, state=VehicleState.IN_STOCK))
            .order_by()
            .values_list("vin", "pk")
        )
        known: dict[str, int] = {}
        for chunk in chunks(counted, CHUNK):
            known.update(
                restrict(actor, Vehicle.objects.filter(vin__in=chunk))
                .order_by()
                .values_list("vin", "pk")
            )
        lines: list[tuple[str, int | None, str]] = [
            (
                vin,
                known.get(vin),
                StockCountResult.MATCHED if vin in in_stock else StockCountResult.NOT_IN_STOCK,
            )
            for vin in counted
        ]
        seen = set(counted)
        lines += [
            (vin, pk, StockCountResult.MISSING)
            for vin, pk in sorted(in_stock.items())
            if vin not in seen
        ]
        return lines

    def apply(self, context: Context, prepared: Prepared) -> None:
        actor = context.actor
        for dealer_id, counted_on, existing, lines in (prepared.payload or {}).get("counts", []):
            if existing is None:
                count = StockCount.objects.create(
                    dealer_id=dealer_id,
                    counted_on=counted_on,
                    created_by=actor.user,
                    organization=actor.organization,
                )
            else:
                count = existing
                count.lines.all().delete()
                count.save(update_fields=["updated_at"])
            StockCountLine.objects.bulk_create(
                [
                    StockCountLine(count=count, vin=vin, vehicle_id=vehicle_id, result=result)
                    for vin, vehicle_id, result in lines
                ],
                batch_size=1000,
            )
