"""The second wall (porch.core.rls, ADR 0032): PostgreSQL's row-level security, written from
the module declarations, shows a request's principal only its own rows even when the query
asking is unscoped.

Each test builds the wall inside its own transaction (rolled back after it) and reads as a
role that owns nothing and lacks BYPASSRLS, as the application will. What a household may
see is judged by the canary markers every module's synthetic records carry, not by the
policies' own keys, so a policy on the wrong column fails here.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from conftest import Cast, make_staff
from porch.accounts.actors import actor_for_user, principal_for
from porch.accounts.models import ContractorFirm, User
from porch.asb.models import AsbCase
from porch.core import rls
from porch.core.bulk import objects_insert
from porch.core.modules import Owner, personal_models
from porch.core.roles import StaffRole
from porch.documents.models import Document
from porch.incidents.models import PrivacyReport
from porch.incidents.services import privacy_report_create
from porch.notifications.models import Notification
from porch.repairs.models import Repair
from porch.rollout.models import ModuleSwitch
from porch.staff.models import BreakGlass

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-level security is PostgreSQL's: on SQLite the application's rule is the only one",
)

# The rows that belong to one repair and carry its place (porch.repairs.models.RepairPart).
REPAIR_PARTS = ("repairs_repairclock", "repairs_repairevent", "repairs_repairphoto", "repairs_appointment")


@pytest.fixture
def app_role(db: None) -> str:
    """A role like the application's: owns nothing, no BYPASSRLS. Made in the test's transaction."""
    name = "porch_wall_" + hashlib.sha256(connection.settings_dict["NAME"].encode()).hexdigest()[:12]
    with connection.cursor() as cursor:
        # Check the test's rows' deferred keys now: a table with checks pending cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"CREATE ROLE {name} NOLOGIN NOSUPERUSER NOBYPASSRLS")
    rls.install(connection, name)
    return name


@contextmanager
def reading_as(role: str, principal: Mapping[str, str] | None) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
    try:
        if principal is not None:
            rls.take_principal(connection, principal)
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def rows(table: str) -> list[str]:
    with connection.cursor() as cursor:
        # The table's name comes from the module declarations, quoted: nothing typed by anyone.
        cursor.execute(f"SELECT row_to_json(t)::text FROM {connection.ops.quote_name(table)} t")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def walled_tables() -> list[str]:
    walls, _ = rls.plan()
    return [wall.table for wall in walls]


def staff_only_tables() -> list[str]:
    walls, _ = rls.plan()
    return [wall.table for wall in walls if not wall.keys]


def principal_of(user: User) -> dict[str, str]:
    return principal_for(actor_for_user(user, verified=True))


def repair_ids(rows_seen: list[str]) -> set[int]:
    return {json.loads(row)["repair_id"] for row in rows_seen}


def assert_repair_parts_show_only_with_their_repair() -> None:
    repairs = {json.loads(row)["id"] for row in rows("repairs_repair")}
    for table in REPAIR_PARTS:
        assert repair_ids(rows(table)) <= repairs, table


def test_every_declared_model_is_walled() -> None:
    walls, unwalled = rls.plan()
    assert {wall.model for wall in walls} == {d.model for d in personal_models()}
    assert unwalled == []
    # The staff-only tables by who is asking: trained staff of any kind and the system.
    staff_only = {wall.model for wall in walls if not wall.keys}
    assert staff_only == {d.model for d in personal_models() if d.owner == Owner.STAFF}
    assert all(wall.every_row == rls.READS_STAFF_TABLES for wall in walls if not wall.keys)


def test_each_policy_is_one_predicate_per_key_and_reads_no_table() -> None:
    """A key's ids come from the connection's setting, read once per query; no policy reads
    another table for each row (a subquery per row measured 80 to 110 times slower)."""
    walls, _ = rls.plan()
    tenancy_rows = {wall.model: wall for wall in walls}["documents.Document"]
    assert tenancy_rows.keys == (("tenancy_id", rls.TENANCIES),)
    for wall in walls:
        predicate = wall.predicate().upper()
        assert " FROM " not in predicate
        assert predicate.count("SELECT UNNEST(") == len(wall.keys)


def test_a_connection_with_no_principal_sees_no_personal_row(with_every_module: Cast, app_role: str) -> None:
    filled = [table for table in walled_tables() if rows(table)]
    assert len(filled) >= 20  # a test over empty tables would prove nothing
    with reading_as(app_role, principal=None):
        assert {table: rows(table) for table in filled if rows(table)} == {}


@pytest.mark.parametrize("resident", ["alice", "bob", "carol", "dan", "erin", "sam"])
def test_a_resident_reads_no_other_households_rows(with_every_module: Cast, app_role: str, resident: str) -> None:
    cast = with_every_module
    user = cast.resident(resident)
    own = next(household for household in cast.households.values() if resident in household.users)
    foreign = [household.marker for household in cast.households.values() if household is not own]
    with reading_as(app_role, principal_of(user)):
        seen = {table: rows(table) for table in walled_tables()}
        assert_repair_parts_show_only_with_their_repair()
    leaks = [(table, marker) for table, found in seen.items() for row in found for marker in foreign if marker in row]
    assert leaks == []
    # And the wall is not a wall of nothing: a current resident reads their own household's rows.
    if actor_for_user(user, verified=True).homes:
        theirs = {table for table, found in seen.items() if any(own.marker in row for row in found)}
        assert {"documents_document", "housing_person", "housing_property", "complaints_complaint"} <= theirs


def test_an_unscoped_query_shows_only_the_viewers_rows(with_every_module: Cast, app_role: str) -> None:
    """The original incident: a widget listing every ASB case file, whoever asked."""
    cast = with_every_module
    every_case_file = Document.objects.filter(type=cast.types["asb"])
    assert every_case_file.exclude(tenancy=cast["cole"].tenancy).exists()
    with reading_as(app_role, principal_of(cast.resident("carol"))):
        titles = list(every_case_file.values_list("title", flat=True))
    assert titles and all(title.endswith(cast["cole"].marker) for title in titles)


def test_the_person_named_in_an_asb_case_reads_nothing_of_it(with_every_module: Cast, app_role: str) -> None:
    cast = with_every_module
    case = AsbCase.objects.get(tenancy=cast["ashton"].tenancy)
    case.named_person = cast["cole"].people["carol"]
    case.save(update_fields=["named_person"])
    reported = cast["ashton"].marker
    with reading_as(app_role, principal_of(cast.resident("carol"))):
        seen = rows("asb_asbcase") + rows("asb_asbentry") + rows("asb_asbevidence")
    assert seen and not [row for row in seen if reported in row]  # her own household's test case only
    # Bob shares the reporter's home but not the report: the case is the reporter's alone.
    with reading_as(app_role, principal_of(cast.resident("bob"))):
        assert rows("asb_asbcase") == []
    with reading_as(app_role, principal_of(cast.resident("alice"))):
        assert [row for row in rows("asb_asbcase") if reported in row]


def test_a_contractor_reads_only_the_repairs_their_firm_holds(with_every_module: Cast, app_role: str) -> None:
    cast = with_every_module
    ours, theirs = ContractorFirm.objects.create(name="Ours"), ContractorFirm.objects.create(name="Theirs")
    Repair.objects.filter(tenancy=cast["ashton"].tenancy).update(firm=ours)
    Repair.objects.filter(tenancy=cast["smith"].tenancy).update(firm=theirs)
    operative = User.objects.create_user(username="op@firm.example.org", kind=User.Kind.CONTRACTOR, firm=ours)
    with reading_as(app_role, principal_of(operative)):
        seen = rows("repairs_repair")
        assert seen and all(cast["ashton"].marker in row for row in seen)
        assert repair_ids(rows("repairs_repairevent"))  # the timeline of the firm's jobs
        assert_repair_parts_show_only_with_their_repair()
        assert rows("housing_person") == rows("documents_document") == []


def test_staff_with_an_organisation_wide_role_and_the_system_read_every_row_and_untrained_staff_none(
    with_every_module: Cast, app_role: str
) -> None:
    cast = with_every_module
    everything = len(rows("documents_document"))
    for principal in (principal_of(cast.staff["cs"]), rls.system_principal()):
        with reading_as(app_role, principal):
            assert len(rows("documents_document")) == everything
    untrained = make_staff("new@staff.example.org", [StaffRole.CUSTOMER_SERVICES], [])
    untrained.training_completed_on = None
    untrained.save(update_fields=["training_completed_on"])
    with reading_as(app_role, principal_of(untrained)):
        assert rows("documents_document") == []
        assert len(rows("accounts_user")) == 1  # their own account, to sign in with


def test_of_the_organisation_wide_roles_only_the_asb_team_and_the_dpo_read_asb_rows(
    with_every_module: Cast, app_role: str
) -> None:
    cast = with_every_module
    every_case = rows("asb_asbcase")
    assert len(every_case) >= 2
    for reader in ("asb", "dpo"):
        with reading_as(app_role, principal_of(cast.staff[reader])):
            assert len(rows("asb_asbcase")) == len(every_case), reader
            assert rows("asb_asbentry") and rows("asb_asbevidence"), reader
    with reading_as(app_role, principal_of(cast.staff["cs"])):
        assert rows("asb_asbcase") == rows("asb_asbentry") == rows("asb_asbevidence") == []
        assert rows("documents_document")  # every household's other rows, as before


def households_read(cast: Cast) -> set[str]:
    """The households whose marker is on any walled row of theirs the principal reads (the
    staff-only tables, which every trained member of staff reads, left out)."""
    staff_only = set(staff_only_tables())
    seen = [row for table in walled_tables() if table not in staff_only for row in rows(table)]
    return {key for key, household in cast.households.items() if any(household.marker in row for row in seen)}


@pytest.mark.parametrize(
    ("officer", "households"), [("north", {"ashton", "cole", "dunn", "evans"}), ("south", {"smith"})]
)
def test_a_housing_officer_reads_only_their_patchs_households(
    with_every_module: Cast, app_role: str, officer: str, households: set[str]
) -> None:
    cast = with_every_module
    with reading_as(app_role, principal_of(cast.staff[officer])):
        assert households_read(cast) == households
        # Their colleagues' accounts (names on a thread or a repair), never another patch's residents.
        usernames = {json.loads(row)["username"] for row in rows("accounts_user")}
        assert {user.username for user in cast.staff.values()} <= usernames
        others = {user.username for key in cast.households.keys() - households for user in cast[key].users.values()}
        assert others and not others & usernames


def test_break_glass_opens_one_tenancy_in_the_database_too(with_every_module: Cast, app_role: str) -> None:
    cast = with_every_module
    south = cast.staff["south"]
    an_hour = timezone.now() + datetime.timedelta(hours=1)
    BreakGlass.objects.create(staff=south, tenancy=cast["cole"].tenancy, reason="call", details="d", expires_at=an_hour)
    with reading_as(app_role, principal_of(south)):
        assert households_read(cast) == {"smith", "cole"}


def test_a_system_administrator_reads_no_household(with_every_module: Cast, app_role: str) -> None:
    cast = with_every_module
    with reading_as(app_role, principal_of(cast.staff["admin"])):
        assert households_read(cast) == set()
        assert rows("accounts_user")  # colleagues' accounts: who changed a setting


def test_staff_only_rows_are_read_by_staff_and_the_system_never_by_a_resident_or_contractor(
    with_every_module: Cast, app_role: str
) -> None:
    cast = with_every_module
    report = privacy_report_create(
        actor=actor_for_user(cast.resident("alice"), verified=True),
        channel=PrivacyReport.Channel.WEB,
        what_seen=f"someone else's letter {cast['ashton'].marker}",
        page="/documents/",
        idempotency_key=uuid.uuid4(),
    )
    ModuleSwitch.objects.create(module="documents", is_off=False, changed_by=cast.staff["admin"])
    filled = [table for table in staff_only_tables() if rows(table)]
    assert {"incidents_privacyreport", "incidents_incident", "rollout_moduleswitch", "accounts_rolegrant"} <= set(
        filled
    )
    operative = User.objects.create_user(
        username="op@firm.example.org", kind=User.Kind.CONTRACTOR, firm=ContractorFirm.objects.create(name="Firm")
    )
    untrained = make_staff("new@staff.example.org", [StaffRole.SYSADMIN], [])
    untrained.training_completed_on = None
    untrained.save(update_fields=["training_completed_on"])
    for nobody in (cast.resident("alice"), cast.resident("sam"), operative):
        with reading_as(app_role, principal_of(nobody)):
            assert {table: rows(table) for table in filled if rows(table)} == {}, nobody.username
    # Untrained staff too: the application lets a system administrator keep connections and
    # switches while their training lapses (their households' rows stay closed, above).
    for staff in (cast.staff["north"], cast.staff["admin"], cast.staff["cs"], untrained):
        with reading_as(app_role, principal_of(staff)):
            assert [row for row in rows("incidents_privacyreport") if report.reference in row], staff.username
    with reading_as(app_role, rls.system_principal()):
        assert all(rows(table) for table in filled)


def test_a_request_writes_only_rows_of_its_own_households(
    with_every_module: Cast, app_role: str, settings: Any
) -> None:
    """A new or changed row must carry keys the principal holds: a bug writing for, or moving a
    row to, another household is refused by the database; another's rows cannot be changed.
    New rows go in as porch.core.bulk writes them behind the wall, reading nothing back, so the
    writing policy alone judges them (Django's own INSERT reads the new row's id back, which
    the reading policy would refuse first)."""
    settings.DATABASE_WALL_ROLE = app_role
    cast = with_every_module
    ashton, smith = cast["ashton"], cast["smith"]
    letter = {"kind": "repairs", "subject": "Update", "text": "A repair was updated.", "created_at": timezone.now()}
    with reading_as(app_role, principal_of(cast.resident("alice"))):
        objects_insert(Notification, [Notification(person=ashton.people["alice"], **letter)])
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            objects_insert(Notification, [Notification(person=smith.people["sam"], **letter)])
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Document.objects.filter(tenancy=ashton.tenancy).update(tenancy=smith.tenancy)
        assert Document.objects.filter(tenancy=smith.tenancy).update(title="changed") == 0
        assert Document.objects.filter(tenancy=smith.tenancy).delete()[0] == 0
    assert Document.objects.filter(tenancy=smith.tenancy, title="changed").count() == 0
    assert Document.objects.filter(tenancy=smith.tenancy).exists()
    # A contractor writes nothing about the household of a job it does not hold.
    operative = User.objects.create_user(
        username="op@firm.example.org", kind=User.Kind.CONTRACTOR, firm=ContractorFirm.objects.create(name="Firm")
    )
    refused = pytest.raises(DatabaseError, match="row-level security")
    with reading_as(app_role, principal_of(operative)), refused, transaction.atomic():
        objects_insert(Notification, [Notification(person=smith.people["sam"], **letter)])


def test_a_forgotten_principal_leaves_nothing_for_the_next_request(with_every_module: Cast, app_role: str) -> None:
    """A pooled or reused connection never carries one request's principal into the next."""
    cast = with_every_module
    with reading_as(app_role, principal_of(cast.resident("alice"))):
        assert rows("documents_document")
        rls.forget_principal(connection)
        assert rows("documents_document") == []
        rls.take_principal(connection, principal_of(cast.resident("sam")))
        assert not [row for row in rows("documents_document") if cast["ashton"].marker in row]
