import factory

from seabridge.markets.choices import TrafficSide
from seabridge.markets.models import BusinessRegion, Country, MarketProfile


class CountryFactory(factory.django.DjangoModelFactory):
    """A country row; tests that need the real reference data call ``load_markets``."""

    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "SA"
    alpha3 = factory.LazyAttribute(
        lambda country: {"SA": "SAU", "CN": "CHN"}.get(country.code, country.code + "X")
    )
    numeric = "682"
    name = "Saudi Arabia"
    names = factory.LazyAttribute(lambda country: {"en": country.name})
    currency = "SAR"


class MarketProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketProfile
        django_get_or_create = ("country",)

    country = factory.SubFactory(CountryFactory)
    traffic_side = TrafficSide.RIGHT


class BusinessRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessRegion
        django_get_or_create = ("code",)

    code = "middle-east"
    name = "Middle East"
