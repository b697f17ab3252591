import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_document_date_and_stored_name")]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="dated",
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
    ]
