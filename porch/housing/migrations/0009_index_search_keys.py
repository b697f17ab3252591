"""Indexes staff search's normalised names and address keys once 0008 has filled them
(in a migration of its own: PostgreSQL will not build an index on a table with foreign-key
checks still pending from rows written in the same transaction)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0008_fill_search_keys"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["last_name_normalised"], name="housing_person_last_name_norm", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["full_name_normalised"], name="housing_person_full_name_norm", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="addresskey",
            index=models.Index(fields=["key"], name="housing_addresskey_key", opclasses=["varchar_pattern_ops"]),
        ),
    ]
