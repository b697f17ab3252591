"""Signing in with an email address or mobile number in any spelling is an indexed look-up:
people's mobiles are also kept in one form, and emails are indexed in lower case."""

import django.db.models.functions.text
from django.db import migrations, models


def normalise_existing_mobiles(apps, schema_editor):
    from porch.core.phones import normalise_phone

    Person = apps.get_model("housing", "Person")
    batch = []
    for person in Person.objects.exclude(mobile="").only("id", "mobile").iterator(chunk_size=2000):
        person.mobile_normalised = normalise_phone(person.mobile)
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["mobile_normalised"])
            batch = []
    Person.objects.bulk_update(batch, ["mobile_normalised"])


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0005_patches_plural"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="mobile_normalised",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=20),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(django.db.models.functions.text.Lower("email"), name="housing_person_email_lower"),
        ),
        migrations.RunPython(normalise_existing_mobiles, migrations.RunPython.noop),
    ]
