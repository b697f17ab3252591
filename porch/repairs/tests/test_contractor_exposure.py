"""The exposure report judges a contractor's read of a repair by the firms that held it at the
moment of the read (repairs.Assignment): while assigned, and for REPAIRS_CONTRACTOR_DAYS after
the repair closed; never after it was reassigned, never another firm's."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Value
from django.utils import timezone

from conftest import Cast
from porch.accounts.actors import actor_for_user
from porch.audit.models import AccessEvent
from porch.exposure.rules import served_outside_model
from porch.repairs import services
from porch.repairs.kinds import repair_firms
from porch.repairs.models import Assignment, Repair, communal_repair_homes
from porch.repairs.tests.contractor_cast import contractor, job


def flagged_reads(repair: Repair) -> set[str]:
    """Who among contractors read the repair outside the model."""
    events = AccessEvent.objects.filter(object_id=str(repair.uuid), action="view")
    return set(served_outside_model(events).values_list("actor__username", flat=True))


def read(key: str, repair: Repair) -> None:
    services.record_reads(actor_for_user(contractor(key), verified=True), "view", [repair])


def test_the_firm_holding_the_repair_reads_it_within_the_model_and_another_firm_does_not(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    read("a", repair)
    read("b", repair)
    assert flagged_reads(repair) == {contractor("b").username}


def test_a_communal_repair_is_judged_the_same_way(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a", code="communal_lift")
    Repair.objects.filter(pk=repair.pk).update(tenancy=None, block=cast["ashton"].tenancy.property.block)
    repair.refresh_from_db()
    read("a", repair)
    read("b", repair)
    assert flagged_reads(repair) == {contractor("b").username}


def test_after_reassignment_the_first_firm_reads_outside_the_model(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Assignment.objects.filter(repair=repair).update(started_at=hour_ago - datetime.timedelta(days=1), ended_at=hour_ago)
    read("a", repair)
    assert flagged_reads(repair) == {contractor("a").username}


def test_a_read_before_the_firm_was_given_the_repair_is_outside_the_model(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    Assignment.objects.filter(repair=repair).update(started_at=timezone.now() + datetime.timedelta(hours=1))
    read("a", repair)
    assert flagged_reads(repair) == {contractor("a").username}


def test_a_closed_repair_is_the_firms_for_the_set_days_only(cast: Cast, settings: object) -> None:
    recent = job(cast.resident("alice"), "a")
    old = job(cast.resident("carol"), "a")
    for repair, days in ((recent, 6), (old, 8)):
        closed = timezone.now() - datetime.timedelta(days=days)
        Repair.objects.filter(pk=repair.pk).update(
            status=Repair.Status.COMPLETED, completed_at=closed, closed_at=closed
        )
        Assignment.objects.filter(repair=repair).update(started_at=closed - datetime.timedelta(days=1), ended_at=closed)
        read("a", repair)
    assert flagged_reads(recent) == set()
    assert flagged_reads(old) == {contractor("a").username}


@pytest.mark.django_db
def test_the_report_finds_a_repair_by_its_audit_id_through_an_index() -> None:
    """Per event, on a million repairs: a scan of the table would be a scan per event."""
    object_id = Value("0b1c2d3e-0000-4000-8000-000000000000")
    assert "repair_uuid_as_text" in repair_firms(object_id, Value(timezone.now())).explain()
    assert "repair_uuid_as_text" in communal_repair_homes(object_id).explain()
