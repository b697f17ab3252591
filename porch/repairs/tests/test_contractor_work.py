"""A contractor's actions on a job: each a POST with CSRF, each one record however often it
is sent, each audited, and none on another firm's job or a closed one."""

from __future__ import annotations

import datetime
import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.repairs import notifications
from porch.repairs.models import Repair, RepairEvent, RepairPhoto
from porch.repairs.tests.contractor_cast import contractor, job


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """What the reporter was told, by repair reference."""
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(notifications, "tell_reporter", lambda repair, what: calls.append((repair.reference, what)))
    return calls


def as_contractor(key: str = "a") -> Client:
    return sign_in(Client(), contractor(key))


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_accepting_twice_records_one_acceptance(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    Repair.objects.filter(pk=repair.pk).update(status=Repair.Status.TRIAGED)
    client = as_contractor("a")
    for _ in range(2):
        assert client.post(f"/jobs/{repair.uuid}/accept/")["Location"] == f"/jobs/{repair.uuid}/"
    repair.refresh_from_db()
    assert repair.status == Repair.Status.ASSIGNED
    assert repair.events.filter(kind=RepairEvent.Kind.ACCEPTED).count() == 1
    assert AccessEvent.objects.filter(action="update", reason="accepted", object_id=str(repair.uuid)).count() == 3


def test_accepting_needs_a_post_with_a_csrf_token(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    client = Client(enforce_csrf_checks=True)
    sign_in(client, contractor("a"))
    assert client.get(f"/jobs/{repair.uuid}/accept/").status_code == 405
    assert client.post(f"/jobs/{repair.uuid}/accept/").status_code == 403
    assert not repair.events.filter(kind=RepairEvent.Kind.ACCEPTED).exists()


def visit(day: datetime.date, time: str = "10am") -> dict[str, str]:
    return {"day_day": str(day.day), "day_month": str(day.month), "day_year": str(day.year), "time": time}


def test_a_visit_in_the_past_gets_a_clear_error(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page = as_contractor("a").post(f"/jobs/{repair.uuid}/visit/", visit(yesterday)).content.decode()
    assert "There is a problem" in page
    assert "The date of the visit must be today or in the future" in page
    assert not repair.events.filter(kind=RepairEvent.Kind.BOOKED).exists()


def test_a_time_that_is_not_a_time_gets_a_clear_error(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = as_contractor("a").post(f"/jobs/{repair.uuid}/visit/", visit(tomorrow, "teatime")).content.decode()
    assert "Enter the time of the visit like 10am or 14:30" in page


def test_a_visit_is_recorded_once_and_the_household_told(cast: Cast, told: list[tuple[str, str]]) -> None:
    repair = job(cast.resident("alice"), "a")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client = as_contractor("a")
    for _ in range(2):
        assert client.post(f"/jobs/{repair.uuid}/visit/", visit(tomorrow, "2.30pm")).status_code == 302
    booked = repair.events.get(kind=RepairEvent.Kind.BOOKED)
    assert "at 2:30pm" in booked.text and booked.published
    repair.refresh_from_db()
    assert repair.status == Repair.Status.BOOKED
    assert told == [(repair.reference, "booked")]
    client.post(f"/jobs/{repair.uuid}/visit/", visit(tomorrow, "9am"))
    assert repair.events.filter(kind=RepairEvent.Kind.APPOINTMENT_CHANGED).count() == 1
    assert told[-1] == (repair.reference, "changed")
    assert "at 9am" in client.get(f"/jobs/{repair.uuid}/").content.decode()


def note(text: str = "Washer replaced", photos: list[Any] | None = None, key: str | None = None) -> dict[str, Any]:
    return {"text": text, "photos": photos or [], "idempotency_key": key or str(uuid.uuid4())}


def test_a_progress_note_keeps_its_photos_once(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    client = as_contractor("a")
    key = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(f"/jobs/{repair.uuid}/note/", note(photos=[png(), png("b.png")], key=key))
        assert response["Location"] == f"/jobs/{repair.uuid}/"
    update = repair.events.get(kind=RepairEvent.Kind.UPDATE)
    assert update.text == "Washer replaced" and update.for_contractor and not update.published
    assert RepairPhoto.objects.filter(event=update).count() == 2
    repair.refresh_from_db()
    assert repair.status == Repair.Status.IN_PROGRESS
    assert AccessEvent.objects.filter(action="update", reason="progress note").count() == 3


def test_a_note_refuses_more_than_five_photos_and_anything_but_jpg_or_png(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    client = as_contractor("a")
    page = client.post(f"/jobs/{repair.uuid}/note/", note(photos=[png(f"{n}.png") for n in range(6)]))
    assert "Select up to 5 photos" in page.content.decode()
    gif = SimpleUploadedFile("a.gif", b"GIF89a" + b"\0" * 20, content_type="image/gif")
    page = client.post(f"/jobs/{repair.uuid}/note/", note(photos=[gif]))
    assert "The selected file must be a JPG or PNG photo" in page.content.decode()
    empty = client.post(f"/jobs/{repair.uuid}/note/", note(text=""))
    assert "Enter what has been done" in empty.content.decode()
    assert not repair.events.filter(kind=RepairEvent.Kind.UPDATE).exists()


def test_completing_closes_the_job_once_and_tells_the_reporter(cast: Cast, told: list[tuple[str, str]]) -> None:
    repair = job(cast.resident("alice"), "a")
    client = as_contractor("a")
    form = note(text="New tap fitted", photos=[png()])
    assert client.post(f"/jobs/{repair.uuid}/complete/", form)["Location"] == f"/jobs/{repair.uuid}/"
    form["photos"] = [png()]
    assert client.post(f"/jobs/{repair.uuid}/complete/", form)["Location"] == f"/jobs/{repair.uuid}/"  # again
    repair.refresh_from_db()
    assert repair.status == Repair.Status.COMPLETED and repair.closed_at is not None
    done = repair.events.get(kind=RepairEvent.Kind.COMPLETED)
    assert done.published and done.text == ""  # the resident (and neighbours) read "Completed" alone
    words = repair.events.get(uuid=form["idempotency_key"])  # the contractor's note, kept once
    assert words.text == "New tap fitted" and not words.published and words.for_contractor
    assert words.photos.count() == 1
    assert not repair.clocks.filter(met_at__isnull=True).exclude(kind="awaab_summary").exists()
    assert told == [(repair.reference, "completed")]
    # Closed: still seen for a while, no longer changed.
    assert client.post(f"/jobs/{repair.uuid}/note/", note()).status_code == 403
    assert client.get(f"/jobs/{repair.uuid}/complete/").status_code == 403


def test_a_completion_note_on_a_shared_area_never_reaches_the_neighbours(cast: Cast) -> None:
    repair = job(cast.resident("carol"), "a")
    Repair.objects.filter(pk=repair.pk).update(tenancy=None, block=cast["cole"].tenancy.property.block)
    form = note(text="Carol at no 2 let us in NOTEMARK")
    as_contractor("a").post(f"/jobs/{repair.uuid}/complete/", form)
    page = sign_in(Client(), cast.resident("alice")).get(f"/repairs/{repair.uuid}/").content.decode()
    assert "Completed" in page and "NOTEMARK" not in page


def test_no_action_reaches_another_firms_job(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "b")
    client = as_contractor("a")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert client.post(f"/jobs/{repair.uuid}/accept/").status_code == 404
    assert client.post(f"/jobs/{repair.uuid}/visit/", visit(tomorrow)).status_code == 404
    assert client.post(f"/jobs/{repair.uuid}/note/", note()).status_code == 404
    assert client.post(f"/jobs/{repair.uuid}/complete/", note()).status_code == 404
    assert repair.events.count() == 1  # only its report


def test_a_key_from_another_job_is_refused(cast: Cast) -> None:
    first = job(cast.resident("alice"), "a")
    second = job(cast.resident("carol"), "a")
    client = as_contractor("a")
    key = str(uuid.uuid4())
    client.post(f"/jobs/{first.uuid}/note/", note(key=key))
    assert client.post(f"/jobs/{second.uuid}/note/", note(key=key)).status_code == 400
    assert not second.events.filter(kind=RepairEvent.Kind.UPDATE).exists()
