"""The modules that tell the housing system: an approved change to a person's details and a
reported repair each emit exactly one event, with the change, and a double submit still one."""

from __future__ import annotations

import datetime
import re
import uuid

from django.test import Client

from conftest import Cast, sign_in
from porch.housing.models import DetailsChangeRequest, Tenancy
from porch.outbox.models import OutboxEvent
from porch.repairs import categories
from porch.repairs.models import Repair
from porch.repairs.services import Report, report_repair
from porch.repairs.tests.resident_helpers import actor_of, client_for
from porch.repairs.tests.test_resident_report import post, to_check

QUEUE = "/staff/change-requests/"


def moment(text: str) -> datetime.datetime:
    """A moment as the payload carries it: ISO 8601 in UTC, to the millisecond."""
    assert text.endswith("Z")
    return datetime.datetime.fromisoformat(text)


def alice_asks(cast: Cast, field: str, new_value: str) -> DetailsChangeRequest:
    client = sign_in(Client(), cast.resident("alice"))
    form = client.get("/my-details/change/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    client.post(
        "/my-details/change/",
        {
            "idempotency_key": key,
            "field": field,
            "new_value": new_value,
            "note": "",
            "password": "correct horse battery staple",
        },
    )
    return DetailsChangeRequest.objects.latest("id")


def test_approving_a_change_emits_one_event_with_the_new_value(cast: Cast) -> None:
    change = alice_asks(cast, "mobile", "07700 900 982")
    cs = sign_in(Client(), cast.staff["cs"])
    cs.post(f"{QUEUE}{change.uuid}/approve/")
    cs.post(f"{QUEUE}{change.uuid}/approve/")  # a double submit: decided once, told once
    event = OutboxEvent.objects.get()
    change.refresh_from_db()
    alice = cast["ashton"].people["alice"]
    assert (event.topic, event.about, event.subject_ids) == (
        "details_change.approved",
        alice.housing_reference,
        [alice.pk],
    )
    assert event.payload == {
        "person_ref": alice.housing_reference,
        "tenancy_ref": cast["ashton"].tenancy.reference,
        "request": str(change.uuid),
        "field": "mobile",
        "new_value": "07700 900982",
        "changed_in_portal": True,
        "decided_at": event.payload["decided_at"],
    }
    assert change.decided_at is not None
    assert moment(event.payload["decided_at"]) == change.decided_at.replace(
        microsecond=change.decided_at.microsecond // 1000 * 1000
    )


def test_approving_a_name_sends_it_split_as_staff_split_it(cast: Cast) -> None:
    change = alice_asks(cast, "name", "Alice Mary Smith")
    sign_in(Client(), cast.staff["north"]).post(
        f"{QUEUE}{change.uuid}/approve/", {"approve-first_name": "Alice", "approve-last_name": "Mary Smith"}
    )
    payload = OutboxEvent.objects.get().payload
    assert (payload["new_value"], payload["first_name"], payload["last_name"]) == (
        "Alice Mary Smith",
        "Alice",
        "Mary Smith",
    )


def test_approving_something_else_says_the_portal_changed_nothing(cast: Cast) -> None:
    change = alice_asks(cast, "other", "My middle name is missing")
    sign_in(Client(), cast.staff["north"]).post(f"{QUEUE}{change.uuid}/approve/")
    payload = OutboxEvent.objects.get().payload
    assert payload["field"] == "other" and payload["changed_in_portal"] is False
    assert payload["new_value"] == "My middle name is missing"


def test_an_approval_that_fails_emits_nothing(cast: Cast) -> None:
    change = alice_asks(cast, "name", "Alice Smith")
    sign_in(Client(), cast.staff["north"]).post(
        f"{QUEUE}{change.uuid}/approve/", {"approve-first_name": "Alicia", "approve-last_name": "Smith"}
    )
    assert DetailsChangeRequest.objects.get(pk=change.pk).is_open
    assert not OutboxEvent.objects.exists()


def test_declining_emits_nothing(cast: Cast) -> None:
    change = alice_asks(cast, "mobile", "07700 900 982")
    sign_in(Client(), cast.staff["north"]).post(f"{QUEUE}{change.uuid}/decline/", {"decline-reason": "Call us"})
    assert not OutboxEvent.objects.exists()


def test_reporting_a_repair_emits_one_event_and_a_double_submit_still_one(cast: Cast) -> None:
    client = client_for(cast, "alice")
    key = to_check(client)
    post(client, "check/", {"idempotency_key": key})
    post(client, "check/", {"idempotency_key": key})
    repair = Repair.objects.get()
    event = OutboxEvent.objects.get()
    household = [person.pk for person in cast["ashton"].people.values()]
    assert (event.topic, event.about) == ("repair.reported", repair.reference)
    assert sorted(event.subject_ids) == sorted(household)
    assert event.payload == {
        "reference": repair.reference,
        "id": str(repair.uuid),
        "external_ref": None,
        "tenancy_ref": cast["ashton"].tenancy.reference,
        "block": None,
        "estate": None,
        "category": "kitchen_tap",
        "category_label": "Dripping or broken tap",
        "priority": repair.priority,
        "description": "The kitchen tap drips all night.",
        "reported_at": event.payload["reported_at"],
    }
    assert moment(event.payload["reported_at"]) == repair.reported_at.replace(
        microsecond=repair.reported_at.microsecond // 1000 * 1000
    )
    assert "Dog in the garden" not in str(event.payload) and "07700" not in str(event.payload)


def test_a_shared_area_repair_names_the_block_by_the_housing_systems_reference(cast: Cast) -> None:
    block = cast["ashton"].tenancy.property.block
    block.hms_reference = "BL-0042"
    block.save(update_fields=["hms_reference"])
    report = Report(
        category=categories.category("communal_lighting"), description="The stair light is out.", block=block
    )
    repair = report_repair(actor=actor_of(cast, "alice"), report=report, key=uuid.uuid4())
    event = OutboxEvent.objects.get()
    assert event.about == repair.reference
    assert event.payload["tenancy_ref"] is None and event.payload["block"] == {"ref": "BL-0042", "name": "Ash House"}
    assert event.subject_ids == [cast["ashton"].people["alice"].pk]  # who reported it


def test_a_test_households_repair_is_never_sent(cast: Cast) -> None:
    Tenancy.objects.filter(pk=cast["ashton"].tenancy.pk).update(is_test=True)
    report = Report(
        category=categories.category("kitchen_tap"),
        description="A test.",
        tenancy=Tenancy.objects.get(pk=cast["ashton"].tenancy.pk),
    )
    report_repair(actor=actor_of(cast, "alice"), report=report, key=uuid.uuid4())
    assert Repair.objects.get().is_test
    assert not OutboxEvent.objects.exists()
