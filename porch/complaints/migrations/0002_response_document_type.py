"""The type of document a complaint's response letter is stored as. Unlike the types every
landlord starts with, it starts resident-visible: a response the household cannot read is no
response (ADR 0028). A system administrator may still make it private, at once."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    DocumentType = apps.get_model("documents", "DocumentType")
    DocumentType.objects.get_or_create(
        name="Complaint response", defaults={"category": "letter", "resident_visible": True}
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial"), ("documents", "0002_default_types")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
