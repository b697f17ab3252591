"""A contractor's jobs: their own firm's, while the firm holds them and for
REPAIRS_CONTRACTOR_DAYS after they close, showing what the work needs and nothing else about
the household; every read audited."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.repairs.models import Repair, RepairEvent
from porch.repairs.tests.contractor_cast import assign, contractor, job, photo


def as_contractor(key: str = "a") -> Client:
    return sign_in(Client(), contractor(key))


def test_the_list_shows_the_firms_jobs_open_first(cast: Cast) -> None:
    ours = job(cast.resident("alice"), "a")
    closed = job(cast.resident("carol"), "a")
    Repair.objects.filter(pk=closed.pk).update(
        status=Repair.Status.COMPLETED, completed_at=timezone.now(), closed_at=timezone.now()
    )
    theirs = job(cast.resident("sam"), "b")
    page = as_contractor("a").get("/jobs/").content.decode()
    assert ours.reference in page and closed.reference in page
    assert page.index(ours.reference) < page.index(closed.reference)
    assert theirs.reference not in page
    assert "1 Ash House" in page  # the address
    assert "Routine" in page  # the priority


def test_the_list_is_audited_one_row_per_member_of_each_household(cast: Cast) -> None:
    job(cast.resident("alice"), "a")
    as_contractor("a").get("/jobs/")
    rows = AccessEvent.objects.filter(action="list", object_type="repair", actor=contractor("a"))
    ashtons = {cast["ashton"].people[name].pk for name in ("alice", "bob", "amy")}
    assert set(rows.values_list("subject_id", flat=True)) == ashtons


def test_a_job_shows_what_the_work_needs_and_nothing_else_of_the_household(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a", needs_extra_help=True, contact_name="Alice A")
    other = job(cast.resident("alice"), None, description="A second repair, not the firm's")
    RepairEvent.objects.create(repair=repair, kind=RepairEvent.Kind.NOTE, text="Bring a ladder", for_contractor=True)
    RepairEvent.objects.create(repair=repair, kind=RepairEvent.Kind.NOTE, text="Internal: rent arrears")
    page = as_contractor("a").get(f"/jobs/{repair.uuid}/").content.decode()
    for shown in ("1 Ash House", "Alice A", "07700 900123", "Weekday mornings", "Ring the top bell"):
        assert shown in page
    assert "The kitchen tap drips all night" in page
    assert "Someone in the home needs extra help" in page
    assert "Bring a ladder" in page
    ashtons = cast["ashton"]
    for hidden in (
        "Internal: rent arrears",
        other.reference,
        "A second repair",
        ashtons.people["bob"].last_name,  # no other names
        ashtons.people["amy"].first_name + " ",
        ashtons.tenancy.reference,
        ashtons.people["alice"].date_of_birth.strftime("%Y"),  # no dates of birth
    ):
        assert hidden not in page, hidden


def test_a_job_read_is_audited(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    as_contractor("a").get(f"/jobs/{repair.uuid}/")
    rows = AccessEvent.objects.filter(action="view", object_id=str(repair.uuid), actor=contractor("a"))
    assert rows.count() == 3  # Alice, Bob and Amy


def test_a_photo_is_served_through_the_job_and_audited(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    shot = photo(repair)
    response = as_contractor("a").get(f"/jobs/photos/{shot.uuid}/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    assert AccessEvent.objects.filter(action="download", object_id=str(repair.uuid)).count() == 3


def test_another_firms_job_and_photo_are_not_found(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "b")
    shot = photo(repair)
    client = as_contractor("a")
    assert client.get(f"/jobs/{repair.uuid}/").status_code == 404
    assert client.get(f"/jobs/photos/{shot.uuid}/").status_code == 404
    assert client.post(f"/jobs/{repair.uuid}/accept/").status_code == 404


def test_reassigning_ends_the_first_firms_access_at_once(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    assign(repair, "b")
    assert as_contractor("a").get(f"/jobs/{repair.uuid}/").status_code == 404
    assert as_contractor("b").get(f"/jobs/{repair.uuid}/").status_code == 200


def test_access_ends_some_days_after_the_job_closes(cast: Cast, settings: object) -> None:
    repair = job(cast.resident("alice"), "a")
    client = as_contractor("a")
    days = 7
    close_at = timezone.now() - datetime.timedelta(days=days - 1)
    Repair.objects.filter(pk=repair.pk).update(
        status=Repair.Status.COMPLETED, completed_at=close_at, closed_at=close_at
    )
    assert client.get(f"/jobs/{repair.uuid}/").status_code == 200
    # Still seen, but no longer changed.
    assert client.post(f"/jobs/{repair.uuid}/accept/").status_code == 403
    long_ago = timezone.now() - datetime.timedelta(days=days + 1)
    Repair.objects.filter(pk=repair.pk).update(completed_at=long_ago, closed_at=long_ago)
    assert client.get(f"/jobs/{repair.uuid}/").status_code == 404
    assert repair.reference not in client.get("/jobs/").content.decode()


def test_a_contractor_without_two_step_codes_is_sent_to_set_them_up(cast: Cast) -> None:
    client = Client()
    client.force_login(contractor("a", verified=False, name="new"))
    assert client.get("/jobs/")["Location"] == "/account/two-factor/"


def test_residents_and_staff_cannot_open_the_jobs_pages(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    for user in (cast.resident("alice"), cast.staff["cs"]):
        client = sign_in(Client(), user)
        assert client.get("/jobs/").status_code == 403
        assert client.get(f"/jobs/{repair.uuid}/").status_code == 403


def test_a_contractors_home_is_their_jobs(cast: Cast) -> None:
    assert as_contractor("a").get("/")["Location"] == "/jobs/"


def test_the_photo_input_opens_the_camera(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    page = as_contractor("a").get(f"/jobs/{repair.uuid}/note/").content.decode()
    assert 'accept="image/jpeg,image/png"' in page
    assert 'capture="environment"' in page
    assert "multiple" in page


def test_a_firm_given_a_job_another_firm_held_reads_none_of_the_first_firms_notes_or_photos(cast: Cast) -> None:
    repair = job(cast.resident("alice"), "a")
    earlier = RepairEvent.objects.create(
        repair=repair, kind=RepairEvent.Kind.UPDATE, text="FIRMANOTE", for_contractor=True
    )
    theirs = photo(repair)
    theirs.event = earlier
    theirs.save(update_fields=["event"])
    reporters = photo(repair)  # the reporter's own photo, with no note
    assign(repair, "b")
    b = as_contractor("b")
    page = b.get(f"/jobs/{repair.uuid}/").content.decode()
    assert "FIRMANOTE" not in page and str(theirs.uuid) not in page
    assert b.get(f"/jobs/photos/{theirs.uuid}/").status_code == 404
    assert b.get(f"/jobs/photos/{reporters.uuid}/").status_code == 200
