"""The second wall: PostgreSQL row-level security, written from the module declarations.

Each declared personal-data model names the key on its rows that decides who may see them
(`PersonalModel.key`, and `reached_by` for the other ways in). Here each key becomes one
indexed predicate on a column the row carries, matched against an array the request's
principal holds in a setting of the connection: `tenancy_id = ANY(porch.tenancies)`. Never a
subquery per row (one measured 80 to 110 times slower on a million rows). See ADR 0032.

The wall fails closed: a connection whose principal was never set, or was forgotten at the
end of a request, matches nothing. The system (the worker, management commands, the housing
record feed) sees every walled row here, and so does trained staff with an organisation-wide
role, but in a module's tables only with one of the roles its rule names; other trained staff
(housing officers, system administrators) the households of their patches and of the
tenancies they opened outside them (break glass), and nobody else's.
Which of those rows a member of staff may see stays the application's rule (`visible_to`,
`access.py`): the wall is wider than the rule, never narrower.

Writing is walled as reading is: a request inserts, changes or removes only rows it could
read, and never moves one to someone it could not (`Wall.write_check`). The audit log alone is
written about anyone (`PersonalModel.written_about_anyone`): a resident's request records what
it showed of the other members of their household.

SQLite has no row-level security: there the application's rule is the only one, as it is the
first one everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import EmptyResultSet
from django.db import connection as default_connection
from django.db.models import QuerySet

from porch.core.actor import Actor
from porch.core.modules import Owner, PersonalModel, personal_models
from porch.core.roles import ORGANISATION_WIDE

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Model


PREFIX = "porch."
POLICY_READ = "porch_read"
POLICY_INSERT, POLICY_UPDATE, POLICY_DELETE = "porch_insert", "porch_update", "porch_delete"

# Who is asking, in the `porch.principal` setting.
RESIDENT = "resident"
# Staff read households' rows only with current data-protection training.
STAFF = "staff"  # an organisation-wide role: every row
PATCH_STAFF = "patch_staff"  # no organisation-wide role: their patches' households (none: none)
# Staff without current training: no household's rows, only the staff-only tables (the
# application lets a system administrator keep connections and switches while training lapses).
UNTRAINED_STAFF = "untrained_staff"
CONTRACTOR = "contractor"
SYSTEM = "system"  # the worker, management commands, the feed: each declares itself
NOBODY = "nobody"  # signed in, with no personal data of anyone but their own account
SEES_EVERY_ROW = (STAFF, SYSTEM)
STAFF_KINDS = (STAFF, PATCH_STAFF)  # trained staff: whose roles a table may narrow
# The staff-only tables (switches, cohorts, roles, incidents and privacy reports, the outbox,
# the feed's batches): every member of staff and the system; which of them a role reads, and
# whether without training, is the application's.
READS_STAFF_TABLES = (STAFF, PATCH_STAFF, UNTRAINED_STAFF, SYSTEM)

# The arrays a principal holds. Every one is written on every change, so nothing of an earlier
# principal survives on a reused connection.
USERS = "users"
SELF = "self"  # the person themselves
PEOPLE = "people"  # the person and the members of the households they belong to now
TENANCIES = "tenancies"
PROPERTIES = "properties"
BLOCKS = "blocks"
ESTATES = "estates"
PATCHES = "patches"
FIRMS = "firms"
JOBS = "jobs"  # the repairs a contractor's firm holds now: their clocks, timeline, photos, visits
# A tenancy's or a home's own row (its address), apart from the rows keyed by it (a
# household's documents, rent, cases): a contractor reads the first of the homes of their
# jobs, never the second.
TENANCY_ROWS = "tenancy_rows"
PROPERTY_ROWS = "property_rows"
ARRAYS = (
    USERS,
    SELF,
    PEOPLE,
    TENANCIES,
    PROPERTIES,
    BLOCKS,
    ESTATES,
    PATCHES,
    FIRMS,
    JOBS,
    TENANCY_ROWS,
    PROPERTY_ROWS,
)
# The arrays by how many ids they hold for the principal with the most (a patch's staff: a
# dozen colleagues, a few hundred blocks, thousands of homes and people), fewest first.
FEWEST_FIRST = (
    USERS,
    FIRMS,
    JOBS,
    PATCHES,
    ESTATES,
    BLOCKS,
    PROPERTIES,
    PROPERTY_ROWS,
    TENANCIES,
    TENANCY_ROWS,
    SELF,
    PEOPLE,
)
# A model's own id, where it is matched apart from the keys pointing to the model.
_OWN_ROWS = {"housing.Person": PEOPLE, "housing.Tenancy": TENANCY_ROWS, "housing.Property": PROPERTY_ROWS}

# The array a key is matched with, by the model the key points to.
_ARRAY_FOR_MODEL = {
    "accounts.User": USERS,
    "accounts.ContractorFirm": FIRMS,
    "housing.Tenancy": TENANCIES,
    "housing.Property": PROPERTIES,
    "housing.Block": BLOCKS,
    "housing.Estate": ESTATES,
    "housing.Patch": PATCHES,
    "repairs.Repair": JOBS,
}


@dataclass(frozen=True)
class Wall:
    """One table's policies: a row is seen, changed or removed through any of its keys, and
    written (new, or changed) only as one the principal could then read."""

    model: str
    table: str
    keys: tuple[tuple[str, str], ...]  # (column, array)
    every_row: tuple[str, ...] = SEES_EVERY_ROW  # the principals that read every row
    written_about_anyone: bool = False  # the audit log (PersonalModel.written_about_anyone)
    staff_readers: tuple[str, ...] = ()  # the only staff roles that read the table (PersonalModel)

    def predicate(self) -> str:
        # Answered once per query (an InitPlan giving true or false), not once per row.
        every_row = f"(SELECT {self._every_row()})"
        # The fewest ids first: PostgreSQL tries the branches in order and hashes a key's ids
        # only when it first needs them, so a colleague's account on a thread passes on the
        # officer's dozen colleagues before their patch's thousands of people are hashed.
        keys = sorted(self.keys, key=lambda key: FEWEST_FIRST.index(key[1]))
        by_key = " OR ".join(_matches(column, name) for column, name in keys)
        if self.staff_readers and by_key:
            # A patch's staff read its households' rows only with one of the table's roles.
            by_key = f"(SELECT {self._not_staff_without_a_role()}) AND ({by_key})"
        return f"{every_row} OR {by_key}" if by_key else every_row

    def _every_row(self) -> str:
        """Who reads every row: the principals of `every_row`; where the table names its
        staff readers, organisation-wide staff only with one of its organisation-wide roles."""
        kinds = [kind for kind in self.every_row if not (self.staff_readers and kind == STAFF)]
        test = f"{_PRINCIPAL} IN ({_listed(kinds)})"
        organisation_wide = [role for role in self.staff_readers if role in ORGANISATION_WIDE]
        if organisation_wide:
            test += f" OR ({_PRINCIPAL} = '{STAFF}' AND {_ROLES} && ARRAY[{_listed(organisation_wide)}])"
        return test

    def _not_staff_without_a_role(self) -> str:
        return f"{_PRINCIPAL} NOT IN ({_listed(STAFF_KINDS)}) OR {_ROLES} && ARRAY[{_listed(self.staff_readers)}]"

    def write_check(self) -> str:
        """What a new or changed row must pass: one the principal could read (Django reads a
        new row's id back, which the reading policy must pass in any case)."""
        return "true" if self.written_about_anyone else self.predicate()


@dataclass(frozen=True)
class Unwalled:
    """A declared personal-data model with no wall yet, and why."""

    model: str
    why: str


_PRINCIPAL = f"current_setting('{PREFIX}principal', true)"
# The staff roles of the one asking (staff of either kind), for the tables only some roles read.
_ROLES = f"string_to_array(current_setting('{PREFIX}roles', true), ',')"


def _listed(words: Iterable[str]) -> str:
    return ", ".join(f"'{_plain(word)}'" for word in words)


def _array(name: str) -> str:
    # Unset (NULL) or forgotten (''): NULL, whose unnest is no row, so `x IN (...)` matches none.
    return f"NULLIF(current_setting('{PREFIX}{name}', true), '')::bigint[]"


def _matches(column: str, name: str) -> str:
    # An uncorrelated subquery reading no table: PostgreSQL reads the setting once per query and
    # hashes it. Written as `= ANY (setting)` the array is parsed again for every row: with a
    # patch's 3,000 ids, 24 s on 200,000 rows against 0.04 s this way. The array is read in a
    # subquery of its own so the planner cannot count its ids: counted, a patch's thousands
    # were charged again for every row of a join, and it scanned whole tables rather than
    # follow the patch's indexes (a housing officer's inbox 2.5 times slower; ADR 0032).
    return f"{column} IN (SELECT unnest((SELECT {_array(name)})))"


def plan() -> tuple[list[Wall], list[Unwalled]]:
    """The wall of every declared personal-data model, or why it has none yet."""
    walls: list[Wall] = []
    unwalled: list[Unwalled] = []
    for declared in personal_models():
        wall_or_why = _wall(declared)
        if isinstance(wall_or_why, Wall):
            walls.append(wall_or_why)
        else:
            unwalled.append(Unwalled(declared.model, wall_or_why))
    return walls, unwalled


def _wall(declared: PersonalModel) -> Wall | str:
    model = apps.get_model(declared.model)
    if declared.owner == Owner.STAFF:
        # Never a resident's or a contractor's. Their requests touch some of these rows, each
        # as a named step of the system's: the kill switches read, a privacy report or a
        # sign-up help request filed, a canary's trip recorded, an outbox event written.
        return Wall(declared.model, model._meta.db_table, (), READS_STAFF_TABLES, declared.written_about_anyone)
    readers = tuple(sorted(declared.staff_readers))
    keys: list[tuple[str, str]] = []
    for name in (*declared.keys, *declared.reached_by):
        model_field = model._meta.get_field(name)
        array = _array_for(model, model_field)
        if array is None:
            return f"its key {name!r} is not an owner's id carried by the row"
        keys.append((model_field.column, array))
    return Wall(
        declared.model,
        model._meta.db_table,
        tuple(keys),
        written_about_anyone=declared.written_about_anyone,
        staff_readers=readers,
    )


def _array_for(model: type[Model], model_field: Any) -> str | None:
    if getattr(model_field, "primary_key", False):
        target = model._meta.label
    elif model_field.concrete and (model_field.many_to_one or model_field.one_to_one):
        target = model_field.related_model._meta.label
    else:
        return None
    if model_field.primary_key and target in _OWN_ROWS:
        # A person's own row is read by their household (names on the dashboard), a home's by
        # the firm working there; a row keyed by them is the person's, the household's.
        return _OWN_ROWS[target]
    if target == "housing.Person":
        return SELF
    return _ARRAY_FOR_MODEL.get(target)


def install_sql(app_role: str) -> list[str]:
    """Statements that build the wall, run as the owner of the tables. Safe to run again."""
    walls, _ = plan()
    role = _quoted(app_role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    for wall in walls:
        statements += table_sql(wall)
    return statements


def table_sql(wall: Wall) -> list[str]:
    table = _quoted(wall.table)
    statements = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        # FORCE: the table's owner is walled too, so only a role with BYPASSRLS (or a
        # superuser) passes; the application's role has neither.
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
    ]
    read, write = wall.predicate(), wall.write_check()
    policies = {
        POLICY_READ: f"FOR SELECT USING ({read})",
        # A request changes or removes only rows it can read, and leaves none keyed to
        # someone it could not write for: a row is never moved to another household.
        POLICY_INSERT: f"FOR INSERT WITH CHECK ({write})",
        POLICY_UPDATE: f"FOR UPDATE USING ({read}) WITH CHECK ({write})",
        POLICY_DELETE: f"FOR DELETE USING ({read})",
    }
    for name, policy in policies.items():
        statements += [f"DROP POLICY IF EXISTS {name} ON {table}", f"CREATE POLICY {name} ON {table} {policy}"]
    return statements


def install(connection: BaseDatabaseWrapper, app_role: str) -> None:
    """Build the wall on a PostgreSQL database, as the owner of its tables."""
    if connection.vendor != "postgresql":
        raise RuntimeError("row-level security needs PostgreSQL")
    with connection.cursor() as cursor:
        for statement in install_sql(app_role):
            cursor.execute(statement)


def _quoted(name: str) -> str:
    return f'"{_plain(name)}"'


def _plain(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain identifier: {name!r}")
    return name


# --- The principal -----------------------------------------------------------------


@dataclass(frozen=True)
class Jobs:
    """What a contractor's firm may read: the repairs it holds and the homes they are in."""

    repairs: frozenset[int] = frozenset()
    tenancies: frozenset[int] = frozenset()
    properties: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Households:
    """What trained staff without an organisation-wide role may read (and a housing officer
    with one, in the tables only some of those roles read): the places, homes,
    tenancies and people of their patches and of the tenancies they opened outside them, and
    their colleagues' and the contractor firms' accounts (names on a repair or a thread).
    Each is an array of ids as PostgreSQL writes it ('{1,2,3}'), found by `find_ids`: a patch
    holds thousands of households, which are never turned into Python ints and back."""

    estates: str
    blocks: str
    properties: str
    tenancies: str
    people: str
    colleagues: str
    firms: str


Ids = Iterable[int | None] | str  # ids, or an array's text from find_ids


def principal(actor: Actor, jobs: Jobs = Jobs(), households: Households | None = None) -> dict[str, str]:
    """The settings that say who is asking, from the actor resolved for the request; `jobs`
    are what a contractor's firm may see (porch.repairs reads them), `households` what staff
    who work by patch may (porch.housing and porch.accounts find them)."""
    arrays: dict[str, Ids] = {}
    roles: Iterable[str] = ()
    # Their own account; seeing the portal as a resident, the staff member's own too (the banner).
    arrays[USERS] = [actor.user_id, actor.on_behalf_of_id]
    if actor.is_resident and actor.person_id is not None:
        kind = RESIDENT
        arrays[SELF] = [actor.person_id]
        arrays[PEOPLE] = {actor.person_id, *actor.household_ids}
        arrays[TENANCIES] = arrays[TENANCY_ROWS] = [home.tenancy_id for home in actor.homes]
        arrays[PROPERTIES] = arrays[PROPERTY_ROWS] = [home.property_id for home in actor.homes]
        arrays[BLOCKS] = [home.block_id for home in actor.homes]
        arrays[ESTATES] = [home.estate_id for home in actor.homes]
        arrays[PATCHES] = [home.patch_id for home in actor.homes]
    elif actor.reads_personal_data and (actor.roles & ORGANISATION_WIDE or households is not None):
        # An organisation-wide role reads every row; patch staff their patches' households
        # (`households`), which an organisation-wide member of staff who is a patch's housing
        # officer too also carries. Either reads a table some roles alone read (rent, repairs,
        # complaints, messages, ASB: PersonalModel.staff_readers) only with one of them.
        kind = STAFF if actor.roles & ORGANISATION_WIDE else PATCH_STAFF
        roles = actor.roles
        if households is not None:
            arrays.update(_patch_arrays(actor, households))
    elif actor.is_staff:
        kind = UNTRAINED_STAFF
    elif actor.is_contractor and actor.firm_id is not None:
        kind = CONTRACTOR
        arrays[FIRMS] = [actor.firm_id]
        arrays[JOBS] = jobs.repairs
        arrays[TENANCY_ROWS] = jobs.tenancies
        arrays[PROPERTY_ROWS] = jobs.properties
    else:
        kind = NOBODY
    return _settings(kind, arrays, roles)


def _patch_arrays(actor: Actor, households: Households) -> dict[str, Ids]:
    people = households.people  # every past or present member of a tenancy they may see, and rows about them
    return {
        USERS: households.colleagues,
        FIRMS: households.firms,
        PATCHES: actor.patch_ids,
        ESTATES: households.estates,
        BLOCKS: households.blocks,
        PROPERTIES: households.properties,
        PROPERTY_ROWS: households.properties,
        TENANCIES: households.tenancies,
        TENANCY_ROWS: households.tenancies,
        PEOPLE: people,
        SELF: people,
    }


def system_principal() -> dict[str, str]:
    """The worker's, a management command's or the feed's: every row, each use audited by its caller."""
    return _settings(SYSTEM, {})


def _settings(kind: str, arrays: Mapping[str, Ids], roles: Iterable[str] = ()) -> dict[str, str]:
    # The roles of trained staff, for the tables only some roles read (PersonalModel.staff_readers).
    settings = {f"{PREFIX}principal": kind, f"{PREFIX}roles": ",".join(sorted(roles))}
    for name in ARRAYS:
        found = arrays.get(name, ())
        if isinstance(found, str):
            settings[f"{PREFIX}{name}"] = found
            continue
        ids = sorted({int(value) for value in found if value is not None})
        settings[f"{PREFIX}{name}"] = "{" + ",".join(str(value) for value in ids) + "}"
    return settings


def identity_principal(user_id: int | str | None) -> dict[str, str]:
    """Before the actor is known: the signed-in user's own account (to load it), nothing else."""
    return _settings(NOBODY, {USERS: [int(user_id)]} if user_id else {})


# Every statement of the wall's own starts so: the query-count tests leave them out.
TAG = "/* porch.rls */"
FORGOTTEN = {f"{PREFIX}{name}": "" for name in ("principal", "roles", *ARRAYS)}
KIND = f"{PREFIX}principal"


def take_principal(connection: BaseDatabaseWrapper, settings: Mapping[str, str], role: str | None = None) -> None:
    """Say who is asking on this connection until `forget_principal`: one statement, which
    also sets the connection's role when given one ('none': the role it connected as)."""
    if connection.vendor != "postgresql":
        return
    values = dict(settings) if role is None else {**settings, "role": role}
    # Names with the same value are set by one call nested in the next (set_config returns
    # what it set), so a patch's thousands of ids travel once, not once for each name.
    by_value: dict[str, list[str]] = {}
    for name, value in values.items():
        by_value.setdefault(value, []).append(name)
    calls, params = [], []
    for value, names in by_value.items():
        calls.append("set_config(%s, " * len(names) + "%s" + ", false)" * len(names))
        params += [*names, value]
    with connection.cursor() as cursor:
        cursor.execute(f"{TAG} SELECT {', '.join(calls)}", params)
    connection.porch_kind = settings.get(KIND, "")  # type: ignore[attr-defined]  # for as_system to restore


def find_ids(connection: BaseDatabaseWrapper, queries: Mapping[str, QuerySet[Any]]) -> dict[str, str]:
    """Each query's ids (one column), as an array's text, all in one statement, read as whoever
    is asking now (the system, while the actor is found)."""
    names, columns, params = [], [], []
    for name, query in queries.items():
        try:
            inner, inner_params = query.query.sql_with_params()
        except EmptyResultSet:  # a filter on no ids (no patches): Django knows it finds nothing
            inner, inner_params = "SELECT NULL::bigint WHERE false", ()
        names.append(name)
        # `inner` is the SQL Django compiled from a queryset of ours, its values bound as params.
        columns.append(f"(SELECT COALESCE(array_agg(DISTINCT found.id), '{{}}')::text FROM ({inner}) AS found(id))")  # noqa: S608
        params += list(inner_params)
    with connection.cursor() as cursor:
        cursor.execute(f"{TAG} SELECT {', '.join(columns)}", params)
        return dict(zip(names, cursor.fetchone(), strict=True))


def newest_ids(connection: BaseDatabaseWrapper, models: Iterable[type[Model]]) -> tuple[int | None, ...]:
    """The newest id given out for each table, in one statement: a patch gains a household,
    and staff a colleague, only with a new row, so what `find_ids` found stands until one of
    these moves. Read from the tables' id sequences, which the wall does not cover (the newest
    row could be any household's) and which cost a lookup each, not an index's end."""
    tables = [model._meta.db_table for model in models]
    columns = ", ".join("pg_sequence_last_value(pg_get_serial_sequence(%s, 'id')::regclass)" for _ in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"{TAG} SELECT {columns}", tables)
        return tuple(cursor.fetchone())


def forget_principal(connection: BaseDatabaseWrapper) -> None:
    """Nobody is asking: every walled table shows no row until a principal is taken again."""
    take_principal(connection, FORGOTTEN)


# --- The running portal ------------------------------------------------------------
#
# With DATABASE_WALL_ROLE set (PostgreSQL only), each request runs as that role: the
# connection's role is set when the request starts and reset when it ends, and the principal
# grows as the request learns who is asking (the session's user, then the actor). In
# production the portal connects as that role, so resetting changes nothing and no statement
# can leave it; the tests connect as the tables' owner and run each request as the role.


# Set by manage.py for every command but the development server.
RESTS_AS = "PORCH_RESTS_AS"


def rest(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """A new connection (connection_created): a management command is the system acting (the
    task worker, the feed, cron jobs) and reads every row, each use audited by what it does;
    anything else (a web process) reads nothing until a request claims the connection."""
    if is_on(connection):
        resting = system_principal() if os.environ.get(RESTS_AS) == SYSTEM else FORGOTTEN
        take_principal(connection, resting)


def is_on(connection: BaseDatabaseWrapper) -> bool:
    return bool(django_settings.DATABASE_WALL_ROLE) and connection.vendor == "postgresql"


def claim(connection: BaseDatabaseWrapper, settings: Mapping[str, str]) -> None:
    """A request starts: run as the application's role, with what is known of who is asking."""
    take_principal(connection, settings, role=_plain(django_settings.DATABASE_WALL_ROLE))


def release(connection: BaseDatabaseWrapper) -> None:
    """The request has ended: nobody is asking, as the role the connection was made with."""
    if connection.connection is None or connection.needs_rollback:
        return  # closed, or its transaction failed: rolling it back undoes the claim
    take_principal(connection, FORGOTTEN, role="none")


def found_then[T](connection: BaseDatabaseWrapper, find: Callable[[], tuple[T, Mapping[str, str]]]) -> T:
    """Find who is asking as the system (their account, memberships, firm), then read as them.
    If finding fails, nobody is asking."""
    if not is_on(connection):
        return find()[0]
    take_principal(connection, system_principal())
    try:
        found, principal = find()
    except BaseException:
        if not connection.needs_rollback:  # a failed transaction's rollback undoes the setting
            forget_principal(connection)
        raise
    take_principal(connection, principal)
    return found


@contextmanager
def as_system(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Every row, for a step the system takes inside a request, then the request's principal
    again: finding who is asking before they are known, appending to the audit log's chains.
    Each use is one named step; none runs a view's query. Only who is asking changes: the
    request's ids stay (the system reads every row whatever they are) until it is back."""
    if not is_on(connection):
        yield
        return
    before = getattr(connection, "porch_kind", "")
    take_principal(connection, {KIND: SYSTEM})
    try:
        yield
    finally:
        if not connection.needs_rollback:  # a failed transaction's rollback undoes the setting
            take_principal(connection, {KIND: before})


def answered_by_system[View: Callable[..., Any]](view: View) -> View:
    """For a page nobody signed in asks for, which must find an account, a tenancy or a payment
    by what it was given: sign-in, sign-up, password reset and an invitation's link (what was
    typed), the on-call call's link (who was called), the payment provider's callbacks (a
    signed message). Behind the database wall its
    view runs as the system; each says nothing of what it found to anyone but its owner, and
    each is listed in ADR 0032."""

    @wraps(view)
    def as_the_system(*args: Any, **kwargs: Any) -> Any:
        with as_system(default_connection):
            return view(*args, **kwargs)

    return as_the_system  # type: ignore[return-value]
