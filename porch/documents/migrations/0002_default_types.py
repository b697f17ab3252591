"""The document types every landlord starts with. All start private."""

from django.db import migrations

TYPES = [
    ("Letter", "letter"),
    ("Tenancy agreement", "agreement"),
    ("Rent statement", "statement"),
    ("Gas safety certificate", "certificate"),
    ("ASB case file", "asb_case_file"),
    ("Witness statement", "witness_statement"),
    ("Internal note", "internal_note"),
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    DocumentType = apps.get_model("documents", "DocumentType")
    for name, category in TYPES:
        DocumentType.objects.get_or_create(name=name, defaults={"category": category, "resident_visible": False})


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
