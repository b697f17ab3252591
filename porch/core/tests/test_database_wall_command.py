"""`manage.py database_wall`: the plan, the statements, and a clear refusal off PostgreSQL."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from porch.core import rls
from porch.core.checks import wall_warnings


def test_the_plan_names_each_table_and_how_it_is_walled() -> None:
    out = StringIO()
    call_command("database_wall", stdout=out)
    assert "walled   documents.Document: tenancy_id in tenancies" in out.getvalue()
    assert (
        "walled   repairs.RepairEvent: tenancy_id in tenancies, block_id in blocks, estate_id in estates, repair_id in jobs"
        in out.getvalue()
    )
    assert "walled   incidents.PrivacyReport: staff only" in out.getvalue()
    assert "not yet" not in out.getvalue()


def test_the_statements_enable_and_force_the_wall_for_the_role() -> None:
    out = StringIO()
    call_command("database_wall", sql="porch_app", stdout=out)
    sql = out.getvalue()
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "porch_app"' in sql
    assert 'ALTER TABLE "documents_document" FORCE ROW LEVEL SECURITY' in sql
    assert (
        "tenancy_id IN (SELECT unnest((SELECT NULLIF(current_setting('porch.tenancies', true), '')::bigint[])))" in sql
    )


def test_each_policy_tries_the_keys_with_fewest_ids_first() -> None:
    # Every array has its place in the order, and a repair's firm comes before its tenancy.
    assert sorted(rls.FEWEST_FIRST) == sorted(rls.ARRAYS)
    walls, _ = rls.plan()
    repair = next(wall for wall in walls if wall.model == "repairs.Repair").predicate()
    assert repair.index("'porch.firms'") < repair.index("'porch.estates'") < repair.index("'porch.tenancies'")
    user = next(wall for wall in walls if wall.model == "accounts.User").predicate()
    assert user.index("'porch.users'") < user.index("'porch.self'")


def test_a_role_that_is_not_a_plain_name_is_refused() -> None:
    with pytest.raises(ValueError, match="plain identifier"):
        call_command("database_wall", sql='app"; DROP TABLE x; --', stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is SQLite's; PostgreSQL builds the wall")
def test_sqlite_is_told_the_wall_needs_postgresql() -> None:
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("database_wall", install="porch_app", stdout=StringIO())


def test_the_deploy_check_warns_when_production_on_postgresql_runs_without_the_wall() -> None:
    [warning] = wall_warnings(vendor="postgresql", debug=False, wall_role="")
    assert warning.id == "core.W001" and "every household's rows" in warning.msg
    assert wall_warnings(vendor="postgresql", debug=False, wall_role="porch_app") == []
    assert wall_warnings(vendor="sqlite", debug=False, wall_role="") == []  # SQLite has no wall to run behind
    assert wall_warnings(vendor="postgresql", debug=True, wall_role="") == []
