"""Several hash chains with no lock between writers, anchors over them, and one write a page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client

from conftest import Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.audit import anchors, append
from porch.audit.anchors import write_anchor
from porch.audit.models import AccessEvent, Chain
from porch.audit.services import Seen, record, record_many
from porch.audit.verify import first_break


def _look(cast: Cast, reason: str = "") -> None:
    actor = actor_for_user(cast.staff["north"], verified=True)
    record(actor=actor, action="view", object_type="tenancy", subject_ids=[None], reason=reason)


def _delete_behind_the_logs_back(table: str, row_id: int) -> None:
    """What someone with direct database access could do (on PostgreSQL, only a superuser
    can switch the append-only trigger off like this)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row_id])  # noqa: S608 - a fixed table name
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_writers_spread_over_several_chains_and_every_chain_verifies(cast: Cast, settings) -> None:
    settings.AUDIT_CHAINS = 4
    for chain in (1, 2, 3, 4, 2, 2, 1):
        append._place.chain, append._place.newest = chain, None  # a writer that joined this chain
        _look(cast)
    assert set(AccessEvent.objects.values_list("chain", flat=True)) == {1, 2, 3, 4}
    assert first_break() is None


def test_the_database_refuses_a_fork(cast: Cast, settings) -> None:
    settings.AUDIT_CHAINS = 1
    _look(cast, "first")
    _look(cast, "second")
    first = AccessEvent.objects.get(reason="first")
    fork = AccessEvent(**{f: getattr(first, f) for f in ("at", "actor_role", "object_type", "action")})
    fork.chain, fork.seq, fork.previous_hash, fork.row_hash = 1, first.seq + 1, first.row_hash, "f" * 64
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's writers append without a chain's row")
def test_a_chain_keeps_where_it_ends_on_its_row_and_reads_it_from_the_rows_when_the_row_is_empty_or_behind(
    cast: Cast, settings
) -> None:
    settings.AUDIT_CHAINS = 1
    _look(cast, "first")
    first = AccessEvent.objects.get(reason="first")
    assert Chain.objects.filter(id=1, seq=first.seq, row_hash=first.row_hash).exists()
    Chain.objects.filter(id=1).update(seq=None, row_hash="")  # as a chain kept before its row kept its end
    _look(cast, "second")
    second = AccessEvent.objects.get(reason="second")
    assert (second.seq, second.previous_hash) == (first.seq + 1, first.row_hash)
    assert Chain.objects.filter(id=1, seq=second.seq, row_hash=second.row_hash).exists()
    # Behind its rows (an older release appended without keeping it, during a deploy): the
    # database refuses the fork, and the writer appends after the rows instead.
    Chain.objects.filter(id=1).update(seq=first.seq, row_hash=first.row_hash)
    _look(cast, "third")
    third = AccessEvent.objects.get(reason="third")
    assert (third.seq, third.previous_hash) == (second.seq + 1, second.row_hash)
    assert first_break() is None


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL writers lock a chain: none is ever behind")
def test_a_writer_who_is_behind_never_forks_a_chain(cast: Cast, settings, monkeypatch) -> None:
    """SQLite: two processes both think they write the next row of chain 1: the database takes
    one, and the other reads where the chain ends now and writes there: still one line."""
    settings.AUDIT_CHAINS = 1
    _look(cast, "first")
    first = AccessEvent.objects.get(reason="first")
    behind = append.End(first.seq, first.row_hash)
    _look(cast, "second")  # another writer's row, after "first"
    where_it_ends = append.where_it_ends
    answers = iter([behind])  # this writer has not seen "second" yet
    monkeypatch.setattr(append, "where_it_ends", lambda chain: next(answers, None) or where_it_ends(chain))
    _look(cast, "third")
    second, third = AccessEvent.objects.get(reason="second"), AccessEvent.objects.get(reason="third")
    assert (third.seq, third.previous_hash) == (second.seq + 1, second.row_hash)
    assert AccessEvent.objects.filter(chain=1, previous_hash=first.row_hash).count() == 1
    assert first_break() is None


def test_rows_removed_from_the_end_of_a_chain_are_caught_by_the_anchor(cast: Cast) -> None:
    for _ in range(3):
        _look(cast)
    call_command("audit_anchor", stdout=StringIO())
    assert first_break() is None
    call_command("audit_verify", stdout=StringIO())
    _delete_behind_the_logs_back("audit_accessevent", AccessEvent.objects.latest("id").pk)
    broken = first_break()
    assert broken is not None and "removed from its end" in broken.problem
    with pytest.raises(CommandError, match="removed from its end"):
        call_command("audit_verify")


def test_a_removed_anchor_is_caught(cast: Cast) -> None:
    _look(cast)
    first = write_anchor()
    _look(cast)
    write_anchor()
    _delete_behind_the_logs_back("audit_anchor", first.pk)
    broken = first_break()
    assert broken is not None and broken.event_id is None and "an anchor was removed" in broken.problem


def test_an_anchor_written_without_the_key_is_caught(cast: Cast) -> None:
    _look(cast)
    anchor = write_anchor()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_anchor SET heads = %s WHERE id = %s", ['{"1": "0"}', anchor.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    broken = first_break()
    assert broken is not None and "not written with the audit key" in broken.problem


def test_a_page_writes_all_its_reads_in_one_insert(cast: Cast) -> None:
    """The resident home shows the household, documents and notices: one INSERT for all."""
    client = sign_in(Client(), cast.resident("alice"))
    client.get("/")  # the session's first page also records the sign-in's side effects
    inserts = []

    def watch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.startswith('INSERT INTO "audit_accessevent"'):
            inserts.append(sql)
        return execute(sql, params, many, context)

    before = AccessEvent.objects.count()
    with connection.execute_wrapper(watch):
        assert client.get("/").status_code == 200
    written = AccessEvent.objects.order_by("-id")[: AccessEvent.objects.count() - before]
    assert len(inserts) == 1 and {"dashboard", "document"} <= {event.object_type for event in written}


def test_if_the_reads_cannot_be_written_the_page_is_not_sent(cast: Cast, monkeypatch) -> None:
    def refuse(rows):  # type: ignore[no-untyped-def]
        raise append.AppendFailed("could not append to any audit chain")

    monkeypatch.setattr("porch.audit.services.append", refuse)
    client = sign_in(Client(raise_request_exception=False), cast.resident("alice"))
    response = client.get("/documents/")
    assert response.status_code == 500
    assert cast["ashton"].documents["addressed"].title not in response.content.decode()


def test_own_looks_are_marked_and_a_changed_mark_is_caught(cast: Cast) -> None:
    """A resident's own look is left out of their privacy page by an index on by_subject;
    flipping it behind the log's back (to hide a look from them) is caught."""
    alice = cast["ashton"].people["alice"]
    sign_in(Client(), cast.resident("alice")).get("/my-details/")
    own = AccessEvent.objects.get(object_type="person", subject=alice)
    assert own.by_subject
    _look(cast)
    staff_look = AccessEvent.objects.latest("id")
    assert not staff_look.by_subject
    assert first_break() is None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_accessevent SET by_subject = %s WHERE id = %s", [True, staff_look.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    broken = first_break()
    assert broken is not None and broken.event_id == staff_look.pk


def test_two_anchors_written_at_once_still_make_one_line(cast: Cast, monkeypatch) -> None:
    """A slow audit_anchor overlapping the next: both read the same newest seal. The database
    takes the first; the second seals again after it, so the anchors still verify."""
    _look(cast)
    first = write_anchor()
    where_they_end = anchors.newest_seal
    stale = iter([first.previous_seal])  # the second run read the newest seal before the first wrote
    monkeypatch.setattr(anchors, "newest_seal", lambda: next(stale, None) or where_they_end())
    second = write_anchor()
    assert second.previous_seal == first.seal
    assert first_break() is None


def test_a_row_renumbered_behind_the_logs_back_is_caught(cast: Cast, settings) -> None:
    """seq is the database's guard against forks, not part of the hash: the walk checks that
    each chain counts 1, 2, 3..., so a gap left to squeeze a row in later is seen."""
    settings.AUDIT_CHAINS = 1
    for _ in range(3):
        _look(cast)
    newest = AccessEvent.objects.latest("id")
    assert list(AccessEvent.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_accessevent SET seq = %s WHERE id = %s", [9, newest.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    broken = first_break()
    assert broken is not None and broken.event_id == newest.pk and "numbered 9 where 3 was due" in broken.problem


@pytest.mark.usefixtures("with_and_without_the_wall")
def test_a_large_append_goes_in_whole_and_verifies(cast: Cast) -> None:
    """A feed's chunk appends hundreds of rows at once (on PostgreSQL by COPY, or behind the
    database wall by one array a column): every value arrives as it was hashed, in order, and
    the chain still verifies."""
    actor = actor_for_user(cast.staff["north"], verified=True)
    person, tenancy = cast["ashton"].people["alice"], cast["ashton"].tenancy
    seen = [Seen(f"object-{n}", [person.pk], tenancy.pk, f"read {n}") for n in range(120)]
    before = AccessEvent.objects.count()
    record_many(actor=actor, action="view", object_type="tenancy", seen=seen)
    written = AccessEvent.objects.order_by("id")[before:]
    assert [(e.object_id, e.reason, e.subject_id) for e in written] == [
        (f"object-{n}", f"read {n}", person.pk) for n in range(120)
    ]
    assert [e.seq for e in written] == list(range(written[0].seq, written[0].seq + 120))
    assert first_break() is None
