"""The database keeps the money invariant of the catalogue: no negative list price, even
from a writer that bypasses the services."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from seabridge.catalog.models import Variant
from seabridge.catalog.tests.factories import VariantFactory


def test_a_variant_with_a_negative_list_price_is_refused(db):
    variant = VariantFactory.create(list_price=Decimal("18500"), list_price_currency="USD")
    variants = Variant.objects.filter(pk=variant.pk)

    with pytest.raises(IntegrityError), transaction.atomic():
        variants.update(list_price=Decimal("-1"))

    assert variants.get().list_price == Decimal("18500")
