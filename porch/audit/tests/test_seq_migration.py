"""Migration 0008 numbers the rows a log already holds in the order they were written, per
chain, so an upgraded log verifies and its writers carry on from the end of each chain."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from porch.audit.models import AccessEvent

BEFORE = ("audit", "0007_audit_fewer_indexes_per_row")
OLD_ROW = """
INSERT INTO audit_accessevent (at, actor_role, object_type, object_id, action, reason, request_id, client_ip,
                               route, session_ref, by_subject, chain, previous_hash, row_hash)
VALUES (CURRENT_TIMESTAMP, 'housing_officer', 'tenancy', '', 'view', %s, '', '', '', '', %s, %s, %s, %s)
"""


def _migrate(target: tuple[str, str] | None = None) -> None:
    """To `target`, or (None) to the newest migrations, as the rest of the suite expects."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_already_in_the_log_are_numbered_in_the_order_each_chain_was_written() -> None:
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            for n, chain in enumerate([2, 1, 2, 2, 1]):
                cursor.execute(OLD_ROW, [f"row {n}", False, chain, f"{n:064x}", f"{n + 100:064x}"])
    finally:
        _migrate()  # through 0008, which numbers them, and every migration after it
    numbered = AccessEvent.objects.order_by("id").values_list("reason", "chain", "seq")
    assert list(numbered) == [("row 0", 2, 1), ("row 1", 1, 1), ("row 2", 2, 2), ("row 3", 2, 3), ("row 4", 1, 2)]
