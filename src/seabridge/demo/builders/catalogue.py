"""Each maker's catalogue and plant: its brand, product lines and variants, through the
catalogue services, and the plant its vehicles come off the line at.

A variant's customs heading and emission standard follow from its table row: goods
vehicles (pickups) are HS 8704 and passenger cars 8703, by powertrain; battery-electric
ones name no emission standard, the others meet Euro 5 with right-hand drive and
China 6b otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from seabridge.accounts.models import Organization
from seabridge.catalog import services as catalog_services
from seabridge.catalog.models import Brand, ProductLine, Variant
from seabridge.core.scope import Actor
from seabridge.demo.data.common import BEV, DIESEL, EREV, PETROL, RHD, MakerSpec, VariantSpec
from seabridge.markets.models import Country
from seabridge.vehicles.models import Plant


class Catalogue(NamedTuple):
    """What one maker's catalogue and plant are, once written."""

    brand: Brand
    lines: dict[str, ProductLine]  # by name
    variants: list[Variant]  # in the order of the maker's table
    plant: Plant


def catalogue_create(
    *, actor: Actor, maker: MakerSpec, owner: Organization, country: Country
) -> Catalogue:
    """The maker's brand, product lines and variants, written by ``actor`` through the
    catalogue services; then its plant in ``country``, owned by ``owner``."""
    brand = catalog_services.brand_create(actor=actor, name=maker.brand)
    product_lines = {
        spec.name: catalog_services.product_line_create(
            actor=actor,
            brand=brand,
            name=spec.name,
            description=spec.description,
            launched_on=spec.launched_on,
        )
        for spec in maker.lines
    }
    variants = [
        catalog_services.variant_create(
            actor=actor,
            product_line=product_lines[spec.line],
            code=spec.code,
            name=spec.name,
            body=spec.body,
            powertrain=spec.powertrain,
            steering=spec.steering,
            emission_standard=_emission_standard(spec),
            engine=spec.engine,
            hs_code=_hs_code(spec),
            list_price=Decimal(spec.list_price_cny),
            list_price_currency="CNY",
        )
        for spec in maker.variants
    ]
    plant = Plant.objects.create(
        owner=owner,
        code=maker.plant.code,
        name=maker.plant.name,
        country=country,
        city=maker.plant.city,
    )
    return Catalogue(brand, product_lines, variants, plant)


def _hs_code(spec: VariantSpec) -> str:
    """Goods vehicles (pickups) are 8704, passenger cars 8703, by powertrain."""
    pickups: dict[str, str] = {DIESEL: "87042100", PETROL: "87043100"}
    cars: dict[str, str] = {BEV: "87038000", EREV: "87036000"}
    if spec.body.startswith("pickup"):
        return pickups.get(spec.powertrain, "87046000")
    return cars.get(spec.powertrain, "87032300")


def _emission_standard(spec: VariantSpec) -> str:
    if spec.powertrain == BEV:
        return ""
    return "Euro 5" if spec.steering == RHD else "China 6b"
