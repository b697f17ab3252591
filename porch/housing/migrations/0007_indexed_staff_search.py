"""Staff search's normalised names and address keys (docs/adr/0014-indexed-staff-search.md).
0008 fills them for existing rows, then indexes them: building an index once is faster
than keeping it through every row written."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0006_sign_in_lookups"),
    ]

    operations = [
        migrations.CreateModel(
            name="AddressKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=200)),
            ],
        ),
        migrations.AddField(
            model_name="person",
            name="full_name_normalised",
            field=models.CharField(blank=True, editable=False, max_length=201),
        ),
        migrations.AddField(
            model_name="person",
            name="last_name_normalised",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name="addresskey",
            name="property",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="address_keys", to="housing.property"
            ),
        ),
    ]
