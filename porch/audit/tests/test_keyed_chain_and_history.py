"""The keyed hash chain, rows from before it was keyed, and the dated history of
staff powers the database keeps for the exposure reports."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from conftest import Cast
from porch.accounts.actors import actor_for_user
from porch.audit.chain import CHAINED_FIELDS, GENESIS, unkeyed_row_hash
from porch.audit.models import AccessEvent, PatchHeld, RoleHeld, TrainingHeld
from porch.audit.services import record
from porch.audit.verify import first_break


def some_events(cast: Cast, count: int = 3) -> None:
    actor = actor_for_user(cast.staff["north"], verified=True)
    for _ in range(count):
        record(actor=actor, action="view", object_type="tenancy", subject_ids=[cast["ashton"].people["alice"].id])


def _rewrite(event_id: int, **values: object) -> None:
    """What someone with direct database access could do (on PostgreSQL, only a superuser
    can switch the append-only trigger off like this)."""
    assignments = ", ".join(f"{name} = %s" for name in values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"UPDATE audit_accessevent SET {assignments} WHERE id = %s", [*values.values(), event_id])  # noqa: S608
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def rebuild_without_the_key() -> None:
    """Change a row and rebuild the whole chain with the plain hash, as someone who
    can write to the database but does not hold AUDIT_KEY would have to."""
    newest: dict[int, str] = {}
    for values in AccessEvent.objects.order_by("id").values("id", "chain", *CHAINED_FIELDS):
        values["reason"] = "nothing to see"
        previous = newest.get(values["chain"], GENESIS)
        digest = unkeyed_row_hash(previous, values)
        _rewrite(values["id"], reason="nothing to see", previous_hash=previous, row_hash=digest)
        newest[values["chain"]] = digest


def test_a_chain_rebuilt_without_the_key_is_caught(cast: Cast) -> None:
    some_events(cast)
    rebuild_without_the_key()
    broken = first_break()
    first = AccessEvent.objects.order_by("id").first()
    assert broken is not None and first is not None and broken.event_id == first.id
    assert "rewritten without the key" in broken.problem


def test_the_chain_does_not_verify_under_another_key(cast: Cast, settings) -> None:
    some_events(cast)
    assert first_break() is None
    settings.AUDIT_KEY = "another-key-of-at-least-thirty-two-characters"
    broken = first_break()
    assert broken is not None and broken.problem == "was changed after it was written"


def test_the_page_and_session_are_covered_by_the_hash(cast: Cast) -> None:
    some_events(cast)
    second = AccessEvent.objects.order_by("id")[1]
    _rewrite(second.id, route="staff:home")
    broken = first_break()
    assert broken is not None and broken.event_id == second.id


def test_rows_written_before_the_chain_was_keyed_still_verify(cast: Cast, settings) -> None:
    """An installation upgraded with unkeyed rows already in its log."""
    actor = cast.staff["north"]
    previous = GENESIS
    old_rows = []
    for minute in range(3):
        values = {
            "at": timezone.now() - datetime.timedelta(days=30, minutes=minute),
            "actor_id": actor.pk,
            "on_behalf_of_id": None,
            "actor_role": "housing_officer",
            "subject_id": None,
            "tenancy_id": None,
            "object_type": "tenancy",
            "object_id": "",
            "action": "view",
            "reason": "",
            "request_id": "",
            "client_ip": "",
        }
        digest = unkeyed_row_hash(previous, values)
        old_rows.append(AccessEvent(**values, seq=minute + 1, previous_hash=previous, row_hash=digest))
        previous = digest
    AccessEvent.objects.bulk_create(old_rows)  # chain 1, the only one there was
    some_events(cast, 2)  # written after the upgrade: keyed
    last_old = AccessEvent.objects.order_by("id")[2].id

    broken = first_break()
    assert broken is not None and f"AUDIT_CHAIN_UNKEYED_UP_TO={last_old}" in broken.problem
    with pytest.raises(CommandError, match="AUDIT_CHAIN_UNKEYED_UP_TO"):
        call_command("audit_verify")

    settings.AUDIT_CHAIN_UNKEYED_UP_TO = last_old
    assert first_break() is None
    call_command("audit_verify")
    # ...but the boundary cannot be used to pass off a newer row as an old one.
    newest = AccessEvent.objects.order_by("id").last()
    assert newest is not None
    _rewrite(newest.id, reason="nothing to see")
    broken = first_break()
    assert broken is not None and broken.event_id == newest.id


# --- The dated history of staff powers ------------------------------------------------


def test_granting_and_taking_away_a_role_is_dated(cast: Cast) -> None:
    cs = cast.staff["cs"]
    held = RoleHeld.objects.get(user=cs, role="customer_services")
    assert held.started_at is not None and held.ended_at is None
    cs.role_grants.create(role="view_as")
    cs.role_grants.filter(role="customer_services").delete()
    held.refresh_from_db()
    assert held.ended_at is not None and held.ended_at >= held.started_at
    assert RoleHeld.objects.get(user=cs, role="view_as").ended_at is None


def test_patch_changes_are_dated_whichever_way_they_are_made(cast: Cast) -> None:
    north, south = cast.staff["north"], cast.staff["south"]
    north.patches.add(cast.patches["south"])
    cast.patches["north"].staff.remove(north)  # from the other side
    south.patches.clear()
    periods = {(p.user_id, p.patch_id): p for p in PatchHeld.objects.all()}
    assert periods[(north.pk, cast.patches["north"].pk)].ended_at is not None
    assert periods[(north.pk, cast.patches["south"].pk)].ended_at is None
    assert periods[(south.pk, cast.patches["south"].pk)].ended_at is not None


def test_training_records_are_dated_even_when_changed_in_bulk(cast: Cast) -> None:
    from porch.accounts.models import User

    north = cast.staff["north"]
    User.objects.filter(pk=north.pk).update(training_completed_on=datetime.date(2026, 1, 5))
    records = list(TrainingHeld.objects.filter(user=north).order_by("id"))
    assert [r.completed_on for r in records] == [north.training_completed_on, datetime.date(2026, 1, 5)]
    assert records[0].ended_at is not None and records[1].ended_at is None
    User.objects.filter(pk=north.pk).update(first_name="Nora")  # not a training change
    assert TrainingHeld.objects.filter(user=north).count() == 2


def test_residents_have_no_training_history(cast: Cast) -> None:
    assert not TrainingHeld.objects.filter(user=cast.resident("alice")).exists()
