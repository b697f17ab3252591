"""Fills staff search's normalised names and address keys for the rows that exist already
(0007 adds them empty; 0009 indexes them). Normalised in Python with the same functions
the models use, so the stored values are exactly what save() would write."""

from django.db import migrations

BATCH = 5000


def fill(apps, schema_editor):
    from porch.housing.models import address_keys, normalise_name

    Person = apps.get_model("housing", "Person")
    Property = apps.get_model("housing", "Property")
    AddressKey = apps.get_model("housing", "AddressKey")
    connection = schema_editor.connection
    quote = schema_editor.quote_name

    # Sent a batch at a time: bulk_update's CASE over thousands of ids is far slower at
    # 300,000 people. PostgreSQL takes a batch as one UPDATE ... FROM (VALUES ...); other
    # databases one UPDATE a person, sent together with executemany.
    table, last, full, pk = (
        quote(name) for name in (Person._meta.db_table, "last_name_normalised", "full_name_normalised", "id")
    )
    batch = []

    def send(cursor, rows):
        if not rows:
            return
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s::bigint, %s, %s)"] * len(rows))
            cursor.execute(
                f"UPDATE {table} SET {last} = v.surname, {full} = v.whole_name "  # noqa: S608 - quoted names; values are parameters
                f"FROM (VALUES {values}) AS v(person_id, surname, whole_name) WHERE {table}.{pk} = v.person_id",
                [value for row in rows for value in row],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {last} = %s, {full} = %s WHERE {pk} = %s",  # noqa: S608 - quoted names
                [(surname, whole_name, person_id) for person_id, surname, whole_name in rows],
            )

    people = Person.objects.only("id", "first_name", "last_name").order_by("id").iterator(chunk_size=BATCH)
    with connection.cursor() as cursor:
        for person in people:
            batch.append(
                (person.id, normalise_name(person.last_name), normalise_name(f"{person.first_name} {person.last_name}"))
            )
            if len(batch) >= BATCH:
                send(cursor, batch)
                batch = []
        send(cursor, batch)

    AddressKey.objects.all().delete()
    keys = []
    for home in Property.objects.only("id", "address_line_1").order_by("id").iterator(chunk_size=BATCH):
        keys.extend(AddressKey(property_id=home.id, key=key) for key in address_keys(home.address_line_1))
        if len(keys) >= BATCH:
            AddressKey.objects.bulk_create(keys)
            keys = []
    AddressKey.objects.bulk_create(keys)


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0007_indexed_staff_search"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
