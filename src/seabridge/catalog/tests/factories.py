from decimal import Decimal

import factory

from seabridge.accounts.tests.factories import OrganizationFactory
from seabridge.catalog.choices import BodyType, Powertrain, SteeringSide
from seabridge.catalog.models import Brand, ProductLine, Variant


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda number: f"Brand{number}")
    owner = factory.SubFactory(OrganizationFactory)


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLine

    brand = factory.SubFactory(BrandFactory)
    name = factory.Sequence(lambda number: f"Line{number}")


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product_line = factory.SubFactory(ProductLineFactory)
    brand = factory.SelfAttribute("product_line.brand")
    code = factory.Sequence(lambda number: f"V{number:04d}")
    name = factory.LazyAttribute(lambda variant: f"{variant.product_line.name} {variant.code}")
    body = BodyType.PICKUP_DOUBLE_CAB
    powertrain = Powertrain.DIESEL
    steering = SteeringSide.LEFT
    hs_code = "87042100"
    list_price = Decimal("120000.00")
    list_price_currency = "CNY"
