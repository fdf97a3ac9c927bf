"""A vehicle event's price is never negative (issue 19: one rule for money amounts)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("vehicles", "0003_lean_indexes")]

    operations = [
        migrations.AddConstraint(
            model_name="vehicleevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("price__gte", 0), ("price__isnull", True), _connector="OR"),
                name="event_price_not_negative",
            ),
        ),
    ]
