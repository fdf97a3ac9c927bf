"""A shipment's landed cost parts are never negative (issue 19: one rule for money amounts).

The order line's unit price and the exchange rate had their constraints already.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("trade", "0003_lean_indexes")]

    operations = [
        migrations.AddConstraint(
            model_name="shipment",
            constraint=models.CheckConstraint(
                condition=models.Q(("freight__gte", 0), ("freight__isnull", True), _connector="OR"),
                name="shipment_freight_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="shipment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("insurance__gte", 0), ("insurance__isnull", True), _connector="OR"
                ),
                name="shipment_insurance_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="shipment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("other_costs__gte", 0), ("other_costs__isnull", True), _connector="OR"
                ),
                name="shipment_other_costs_not_negative",
            ),
        ),
    ]
