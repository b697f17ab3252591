"""Documents carry the date they bear. Existing documents are dated the day they were
added (never today: that would show old letters to people who joined since).
The column becomes required in the next migration, in its own transaction (PostgreSQL
will not alter a table with updates pending in the same one)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import TruncDate

import porch.documents.models


def date_existing_documents(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Document.objects.update(dated=TruncDate("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_default_types"),
        ("housing", "0003_testhousehold_canary_purpose"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="document",
            options={"ordering": ["-dated", "-created_at"]},
        ),
        migrations.RemoveIndex(
            model_name="document",
            name="documents_d_tenancy_6cf02d_idx",
        ),
        migrations.AddField(
            model_name="document",
            name="dated",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(date_existing_documents, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="document",
            name="file",
            field=models.FileField(upload_to=porch.documents.models.stored_name),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["tenancy", "dated"], name="documents_d_tenancy_62b6c7_idx"),
        ),
    ]
