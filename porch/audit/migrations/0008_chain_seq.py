"""Each row's place in its chain (seq), unique with the chain, in place of two unique indexes
keyed by hashes (ADR 0018).

(chain, previous_hash) kept a chain from forking and row_hash was unique; both indexes are
keyed by random hashes, so every new row landed on a random leaf of two indexes as large as
the log, and at tens of millions of rows each INSERT waited on disk. (chain, seq) keeps a
chain from forking just as well, and new rows go at the right-hand end of its index.

Rows already written are numbered in the order they were written (id order within a chain,
the order audit_verify walks them). On PostgreSQL the append-only trigger is switched off for
that one UPDATE, inside this migration's transaction, and on again before it commits.
"""

from django.db import migrations, models

NUMBER = """
UPDATE audit_accessevent SET seq = numbered.n
FROM (SELECT id, row_number() OVER (PARTITION BY chain ORDER BY id) AS n FROM audit_accessevent) AS numbered
WHERE audit_accessevent.id = numbered.id
"""


def number_the_rows(apps, schema_editor):  # type: ignore[no-untyped-def]
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER audit_accessevent_append_only")
    schema_editor.execute(NUMBER, params=None)
    if postgresql:
        schema_editor.execute("ALTER TABLE audit_accessevent ENABLE TRIGGER audit_accessevent_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_audit_fewer_indexes_per_row")]

    operations = [
        migrations.AddField(
            model_name="accessevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.RunPython(number_the_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="accessevent",
            name="seq",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.RemoveConstraint(model_name="accessevent", name="audit_row_hash_unique"),
        migrations.RemoveConstraint(model_name="accessevent", name="audit_one_next_row"),
        migrations.RemoveIndex(model_name="accessevent", name="audit_chain_id"),
        migrations.AddConstraint(
            model_name="accessevent",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_chain_seq"),
        ),
    ]
