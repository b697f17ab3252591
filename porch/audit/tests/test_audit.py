from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from conftest import Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.audit.models import AccessEvent
from porch.audit.services import record
from porch.audit.verify import first_break


def test_opening_a_tenancy_records_who_saw_whom(cast: Cast, client: Client) -> None:
    ashton = cast["ashton"]
    sign_in(client, cast.staff["north"])
    client.get(f"/staff/tenancies/{ashton.tenancy.uuid}/", REMOTE_ADDR="203.0.113.9")
    events = AccessEvent.objects.filter(object_type="tenancy", object_id=str(ashton.tenancy.uuid))
    assert {event.subject_id for event in events} == {p.id for p in ashton.people.values()}
    event = events.first()
    assert event is not None
    assert event.actor == cast.staff["north"] and event.actor_role == "housing_officer"
    assert event.client_ip == "203.0.113.9" and len(event.request_id) == 32


def test_a_download_is_recorded_against_the_people_it_is_about(cast: Cast, client: Client) -> None:
    ashton = cast["ashton"]
    sign_in(client, cast.resident("alice"))
    client.get(f"/documents/{ashton.documents['addressed'].uuid}/download/")
    event = AccessEvent.objects.get(action="download")
    assert event.subject_id == ashton.people["alice"].id


def test_the_chain_verifies_when_untouched(cast: Cast) -> None:
    actor = actor_for_user(cast.staff["north"], verified=True)
    for _ in range(3):
        record(actor=actor, action="view", object_type="tenancy", subject_ids=[cast["ashton"].people["alice"].id, None])
    assert first_break() is None
    call_command("audit_verify")


def _edit_row_behind_the_logs_back(event_id: int) -> None:
    """What someone with direct database access could do; on PostgreSQL only a superuser
    can switch the append-only trigger off like this."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE audit_accessevent SET reason = 'nothing to see' WHERE id = %s", [event_id])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_audit_verify_reports_the_first_edited_row(cast: Cast) -> None:
    actor = actor_for_user(cast.staff["north"], verified=True)
    for _ in range(4):
        record(actor=actor, action="view", object_type="tenancy")
    second = AccessEvent.objects.order_by("id")[1]
    _edit_row_behind_the_logs_back(second.id)
    broken = first_break()
    assert broken is not None and broken.event_id == second.id
    with pytest.raises(CommandError, match=f"event {second.id}"):
        call_command("audit_verify")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_to_change_or_delete_audit_rows(cast: Cast) -> None:
    record(actor=actor_for_user(cast.staff["north"], verified=True), action="view", object_type="tenancy")
    event = AccessEvent.objects.latest("id")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(reason="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).delete()


def test_the_audit_has_indexes_for_who_saw_whom() -> None:
    names = {index.name for index in AccessEvent._meta.indexes}
    assert {"audit_subject_at", "audit_actor_at"} <= names


def test_only_the_dpo_reads_a_persons_audit_trail(cast: Cast) -> None:
    alice = cast["ashton"].people["alice"]
    assert sign_in(Client(), cast.staff["north"]).get(f"/staff/people/{alice.uuid}/audit/").status_code == 403
    dpo = sign_in(Client(), cast.staff["dpo"])
    first = dpo.get(f"/staff/people/{alice.uuid}/audit/").content.decode()
    assert "dpo@staff.example.org" not in first  # a look is written once the page is done...
    page = dpo.get(f"/staff/people/{alice.uuid}/audit/").content.decode()
    assert "dpo@staff.example.org" in page  # ...so the DPO's first look is the newest row the next time
