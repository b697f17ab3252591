"""Reporting a repair, a question a page, through the test client: each page's errors, the
emergency path, the shared-area path, photos, the double submit and the lost race for a slot."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django_tasks_db.models import DBTaskResult
from PIL import Image

from conftest import Cast, sign_in
from porch.accounts.models import User
from porch.audit.models import AccessEvent
from porch.housing.models import Membership
from porch.repairs import booking
from porch.repairs.journey import SESSION_KEY
from porch.repairs.models import Appointment, Repair, RepairPhoto

from .resident_helpers import actor_of, ash_house, client_for, home_repair, idempotency_key, photo_upload, slot

R = "/repairs/report/"


def post(client: Client, step: str, data: dict[str, Any], *, expect: str | None = None) -> Any:
    response = client.post(R + step, data)
    if expect is not None:
        assert response.status_code == 302, (step, response.content.decode()[:3000])
        assert response["Location"] == expect, (step, response["Location"])
    return response


def to_description(client: Client, *, where: str = "home") -> None:
    post(client, "", {"emergency": "none"}, expect=R + "where/")
    if where == "home":
        post(client, "where/", {"where": "home"}, expect=R + "area/")
        post(client, "area/", {"area": "kitchen"}, expect=R + "what/")
        post(client, "what/", {"category": "kitchen_tap"}, expect=R + "describe/")
    else:
        post(client, "where/", {"where": where}, expect=R + "what/")
        post(client, "what/", {"category": "communal_lighting"}, expect=R + "describe/")


def to_check(client: Client, *, where: str = "home", slot_code: str = "none", photos: int = 0) -> str:
    client.get(R + "?new=1")
    to_description(client, where=where)
    post(client, "describe/", {"description": "The kitchen tap drips all night."}, expect=R + "photos/")
    for _ in range(photos):
        post(client, "photos/", {"photo": photo_upload(), "add": "1"}, expect=R + "photos/")
    following = R + ("access/" if where == "home" else "contact/")
    post(client, "photos/", {"continue": "1"}, expect=following)
    if where == "home":
        post(
            client,
            "access/",
            {"availability": "Weekday mornings", "access_notes": "Dog in the garden"},
            expect=R + "contact/",
        )
    after_contact = R + ("appointment/" if where == "home" else "check/")
    post(
        client,
        "contact/",
        {"contact_name": "Alice Ashton", "contact_phone": "07700 900982", "notify_by": "email"},
        expect=after_contact,
    )
    if where == "home":
        post(client, "appointment/", {"slot": slot_code}, expect=R + "check/")
    page = client.get(R + "check/")
    assert page.status_code == 200
    return idempotency_key(page.content.decode())


def test_a_tenant_reports_a_repair_to_their_home_and_sees_its_reference_and_dates(cast: Cast) -> None:
    client = client_for(cast, "alice")
    free = slot(cast.patches["north"])
    key = to_check(client, slot_code=str(free.uuid))
    check = client.get(R + "check/").content.decode()
    assert "Dripping or broken tap" in check and "Weekday mornings" in check and str(free) in check
    response = post(client, "check/", {"idempotency_key": key})
    repair = Repair.objects.get()
    assert response["Location"] == f"/repairs/{repair.uuid}/reported/"
    assert repair.tenancy == cast["ashton"].tenancy and repair.block is None and repair.estate is None
    assert repair.reported_by == cast["ashton"].people["alice"]
    assert repair.notify_by == "email" and repair.access_notes == "Dog in the garden"
    assert booking.live_appointment(repair).slot == free  # type: ignore[union-attr]
    assert repair.status == Repair.Status.BOOKED
    page = client.get(response["Location"]).content.decode()
    assert repair.reference in page
    for clock in repair.clocks.all():
        assert clock.words.replace("'", "&#x27;") in page


def test_each_question_says_what_to_do_when_it_is_not_answered(cast: Cast) -> None:
    client = client_for(cast, "alice")
    client.get(R)
    cases = [
        ("", {}, "Select an emergency, or select no, none of these"),
    ]
    for step, data, message in cases:
        page = post(client, step, data).content.decode()
        assert message in page and "govuk-error-summary" in page and "<title>Error: " in page
    post(client, "", {"emergency": "none"})
    for step, data, message, answer in [
        ("where/", {}, "Select where the problem is", {"where": "home"}),
        ("area/", {"area": "communal"}, "Select where in your home", {"area": "kitchen"}),
        ("what/", {"category": "communal_lift"}, "Select what the problem is", {"category": "kitchen_tap"}),
        ("describe/", {"description": ""}, "Enter a description of the problem", None),
        (
            "describe/",
            {"description": "x" * 2001},
            "Description must be 2000 characters or fewer",
            {"description": "Drips"},
        ),
        ("photos/", {"add": "1"}, "Select a photo", {"continue": "1"}),
        ("access/", {}, "Enter when someone can let us in", {"availability": "Any time"}),
        ("contact/", {"contact_phone": "call me"}, "Enter a phone number, like 07700 900 982", None),
        (
            "contact/",
            {},
            "Select how we should tell you about updates",
            {"contact_name": "A", "contact_phone": "07700900982", "notify_by": "none"},
        ),
    ]:
        page = post(client, step, data).content.decode()
        assert page.count(message) >= 2, (step, message)  # in the summary and beside the field
        assert "govuk-error-summary" in page
        if answer is not None:
            assert post(client, step, answer).status_code == 302


def test_a_later_question_cannot_be_reached_before_the_earlier_ones(cast: Cast) -> None:
    client = client_for(cast, "alice")
    assert client.get(R + "check/")["Location"] == R
    client.get(R)
    post(client, "", {"emergency": "none"})
    assert client.get(R + "describe/")["Location"] == R + "where/"


def test_an_emergency_shows_what_to_do_and_who_to_phone_and_may_be_recorded(cast: Cast, settings: Any) -> None:
    settings.REPAIRS_EMERGENCY_PHONE = "0300 555 0199"
    client = client_for(cast, "alice")
    client.get(R)
    post(client, "", {"emergency": "gas"}, expect=R + "emergency/")
    page = client.get(R + "emergency/").content.decode()
    assert "Open doors and windows" in page
    assert "0800 111 999" in page and "the National Gas Emergency Service" in page
    assert "0300 555 0199" in page
    post(client, "emergency/", {}, expect=R + "where/")
    post(client, "where/", {"where": "home"}, expect=R + "describe/")  # no area or category to choose
    post(client, "describe/", {"description": "Smell of gas in the kitchen"}, expect=R + "photos/")
    post(client, "photos/", {"continue": "1"}, expect=R + "access/")
    post(client, "access/", {"availability": "Now"}, expect=R + "contact/")
    post(
        client,
        "contact/",
        {"contact_name": "Alice", "contact_phone": "07700 900982", "notify_by": "sms"},
        expect=R + "check/",
    )
    key = idempotency_key(client.get(R + "check/").content.decode())
    post(client, "check/", {"idempotency_key": key})
    repair = Repair.objects.get()
    assert repair.category == "emergency_gas" and repair.priority == "emergency"
    assert repair.clocks.filter(precise=True).exists()


def test_none_of_these_goes_on_to_the_ordinary_questions(cast: Cast) -> None:
    client = client_for(cast, "alice")
    client.get(R)
    post(client, "", {"emergency": "none"}, expect=R + "where/")


def test_a_shared_area_repair_carries_the_block_and_nothing_about_the_home(cast: Cast) -> None:
    client = client_for(cast, "alice")
    key = to_check(client, where="block")
    post(client, "check/", {"idempotency_key": key})
    repair = Repair.objects.get()
    assert repair.block == ash_house() and repair.tenancy is None and repair.estate is None
    assert repair.category == "communal_lighting"
    assert repair.access_notes == "" and repair.availability == "" and not repair.needs_extra_help


def test_a_shared_area_offers_only_the_shared_areas_problems(cast: Cast) -> None:
    client = client_for(cast, "alice")
    client.get(R)
    post(client, "", {"emergency": "none"})
    post(client, "where/", {"where": "estate"}, expect=R + "what/")
    page = client.get(R + "what/").content.decode()
    assert "Lift not working" in page and "Dripping or broken tap" not in page
    assert "Select what the problem is" in post(client, "what/", {"category": "kitchen_tap"}).content.decode()


def test_a_double_submit_makes_one_repair(cast: Cast) -> None:
    client = client_for(cast, "alice")
    key = to_check(client, photos=1)
    before = dict(client.session[SESSION_KEY])
    first = post(client, "check/", {"idempotency_key": key})
    second = post(client, "check/", {"idempotency_key": key})
    assert first["Location"] == second["Location"]
    # The same answers sent again from a copy of the session before the first submit (a
    # second tab, a replay): the journey's key still makes no second repair.
    session = client.session
    session[SESSION_KEY] = before
    session.save()
    third = post(client, "check/", {"idempotency_key": key})
    assert third["Location"] == first["Location"]
    assert Repair.objects.count() == 1
    assert RepairPhoto.objects.count() == 1


def test_a_photo_is_stored_without_its_location(cast: Cast) -> None:
    client = client_for(cast, "alice")
    key = to_check(client, photos=1)
    post(client, "check/", {"idempotency_key": key})
    stored = RepairPhoto.objects.get()
    data = stored.file.open("rb").read()
    assert b"SECRETMETADATA" not in data
    image = Image.open(io.BytesIO(data))
    assert not image.getexif() and image.size == (32, 24)
    assert stored.repair == Repair.objects.get()


def test_a_pdf_named_jpg_is_refused_and_nothing_is_stored(cast: Cast) -> None:
    client = client_for(cast, "alice")
    client.get(R)
    to_description(client)
    post(client, "describe/", {"description": "Drips"})
    before = set(default_storage.listdir("repairs")[1]) if default_storage.exists("repairs") else set()
    page = post(client, "photos/", {"photo": photo_upload("tap.jpg", b"%PDF-1.4 not a photo"), "add": "1"})
    text = page.content.decode()
    assert page.status_code == 200 and "The selected file must be a JPG or PNG photo" in text
    assert "govuk-error-summary" in text
    after = set(default_storage.listdir("repairs")[1]) if default_storage.exists("repairs") else set()
    assert after == before
    assert client.session[SESSION_KEY]["photos"] == []


def test_photos_already_added_survive_a_later_error_and_a_sixth_is_refused(cast: Cast) -> None:
    client = client_for(cast, "alice")
    client.get(R)
    to_description(client)
    post(client, "describe/", {"description": "Drips"})
    post(client, "photos/", {"photo": photo_upload(), "add": "1"}, expect=R + "photos/")
    post(client, "photos/", {"photo": photo_upload("x.jpg", b"nonsense"), "add": "1"})
    assert len(client.session[SESSION_KEY]["photos"]) == 1
    for _ in range(4):
        post(client, "photos/", {"photo": photo_upload(), "add": "1"}, expect=R + "photos/")
    page = post(client, "photos/", {"photo": photo_upload(), "add": "1"}).content.decode()
    assert "You can add up to 5 photos" in page
    assert len(client.session[SESSION_KEY]["photos"]) == 5


def test_a_removed_photo_is_deleted(cast: Cast) -> None:
    client = client_for(cast, "alice")
    client.get(R)
    to_description(client)
    post(client, "describe/", {"description": "Drips"})
    post(client, "photos/", {"photo": photo_upload(), "add": "1"})
    name = client.session[SESSION_KEY]["photos"][0]["name"]
    assert default_storage.exists(name)
    post(client, "photos/", {"remove": "0"}, expect=R + "photos/")
    assert not default_storage.exists(name) and client.session[SESSION_KEY]["photos"] == []


def test_the_last_slot_taken_meanwhile_leaves_the_repair_reported_with_a_clear_message(cast: Cast) -> None:
    last = slot(cast.patches["north"])
    client = client_for(cast, "alice")
    key = to_check(client, slot_code=str(last.uuid))
    # Carol books the same slot while Alice checks her answers.
    carols = home_repair(cast, "carol")
    booking.book(actor=actor_of(cast, "carol"), repair=carols, slot=last)
    response = post(client, "check/", {"idempotency_key": key})
    alices = Repair.objects.get(reported_by=cast["ashton"].people["alice"])
    assert response["Location"] == f"/repairs/{alices.uuid}/appointment/"
    page = client.get(response["Location"]).content.decode()
    assert "booked by someone else just before you" in page
    assert booking.live_appointment(alices) is None
    assert Appointment.objects.get(cancelled_at__isnull=True).repair == carols


def test_a_household_member_may_not_report_but_may_read_the_list(cast: Cast) -> None:
    """Reporting is for the home's account holders (tenants, homeowners): journey.py."""
    amy = User.objects.create_user(
        username="amy@example.org", password="x", kind=User.Kind.RESIDENT, person=cast["ashton"].people["amy"]
    )
    client = sign_in(Client(), amy)
    assert client.get(R).status_code == 403
    assert client.get("/repairs/").status_code == 200


def test_reporting_is_audited_as_the_creation_of_a_repair_about_the_household(cast: Cast) -> None:
    client = client_for(cast, "alice")
    key = to_check(client)
    post(client, "check/", {"idempotency_key": key})
    repair = Repair.objects.get()
    created = AccessEvent.objects.filter(action="create", object_id=str(repair.uuid))
    assert {event.subject_id for event in created} == {p.pk for p in cast["ashton"].people.values()}


@pytest.mark.parametrize("who", ["dan"])
def test_a_homeowner_may_report(cast: Cast, who: str) -> None:
    assert client_for(cast, who).get(R).status_code == 200


def test_a_resident_with_two_homes_is_asked_which_and_a_forged_home_is_refused(cast: Cast) -> None:
    # Alice also becomes joint tenant of Sam's home in Birch Court.
    Membership.objects.create(
        tenancy=cast["smith"].tenancy,
        person=cast["ashton"].people["alice"],
        role=Membership.Role.JOINT_TENANT,
        start_date=cast["smith"].tenancy.start_date,
    )
    client = client_for(cast, "alice")
    client.get(R)
    post(client, "", {"emergency": "none"}, expect=R + "which-home/")
    page = client.get(R + "which-home/").content.decode()
    assert "Birch Court" in page and "Ash House" in page
    forged = post(client, "which-home/", {"home": str(cast["cole"].tenancy.pk)}).content.decode()
    assert "Select which home" in forged
    post(client, "which-home/", {"home": str(cast["smith"].tenancy.pk)}, expect=R + "where/")
    assert "Oak Estate" in client.get(R + "where/").content.decode()
    post(client, "where/", {"where": "estate"}, expect=R + "what/")
    post(client, "what/", {"category": "communal_bin_store"}, expect=R + "describe/")
    post(client, "describe/", {"description": "Bin store door hanging off"}, expect=R + "photos/")
    post(client, "photos/", {"continue": "1"}, expect=R + "contact/")
    post(client, "contact/", {"contact_name": "A", "contact_phone": "07700 900982", "notify_by": "none"})
    key = idempotency_key(client.get(R + "check/").content.decode())
    post(client, "check/", {"idempotency_key": key})
    repair = Repair.objects.get()
    assert repair.estate == cast["smith"].tenancy.property.block.estate
    assert repair.tenancy is None and repair.block is None


def test_a_booked_report_queues_one_message_to_the_reporter(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    free = slot(cast.patches["north"])
    client = client_for(cast, "alice")
    key = to_check(client, slot_code=str(free.uuid))
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "check/", {"idempotency_key": key})
        post(client, "check/", {"idempotency_key": key})
    queued = DBTaskResult.objects.filter(task_path="porch.repairs.notifications.repair_update_send")
    assert [task.args_kwargs["kwargs"]["what"] for task in queued] == ["booked"]


def test_a_new_report_forgets_the_photos_of_one_never_sent(cast: Cast) -> None:
    client = client_for(cast, "alice")
    client.get(R)
    to_description(client)
    post(client, "describe/", {"description": "Drips"})
    post(client, "photos/", {"photo": photo_upload(), "add": "1"})
    name = client.session[SESSION_KEY]["photos"][0]["name"]
    client.get(R + "?new=1")
    assert not default_storage.exists(name)
    assert client.session[SESSION_KEY]["photos"] == []
