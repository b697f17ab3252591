"""The feed's staff pages: the guardians (the DPO and system administrators, with current
training) send files in, read each batch's progress, preview and problems, apply or withdraw
it, and decide about the people it held. Everyone else: 403; an id that is not one: 404."""

from __future__ import annotations

import csv
import datetime
import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.feed import pipeline
from porch.feed.models import FeedBatch, FeedProblem, HeldPerson
from porch.feed.tests.files import (
    PLACE,
    PROPERTIES,
    csv_bytes,
    ending_every_tenancy,
    jsonl_bytes,
    people,
    previewed,
    receive,
)
from porch.housing.models import Person, Property, Tenancy
from porch.rollout.models import ChangeProposal

pytestmark = pytest.mark.django_db
LIST = "/staff/feed/"
HELD = "/staff/feed/held/"
Status = FeedBatch.Status
BAD_POSTCODE = "NOT A POSTCODE"


def page_of(batch: FeedBatch) -> str:
    return f"/staff/feed/{batch.uuid}/"


def problems_csv(batch: FeedBatch, stage: str = "preview") -> str:
    return f"/staff/feed/{batch.uuid}/problems.csv?stage={stage}"


def client_for(cast: Cast, who: str) -> Client:
    if who.startswith("staff:"):
        return sign_in(Client(), cast.staff[who.removeprefix("staff:")])
    return sign_in(Client(), cast.resident(who))


def homes(*rows: tuple[str, str, str]) -> bytes:
    """(reference, first line, postcode) for each home, all in Block BL-1 of Elm Estate (North)."""
    place = ["BL-1", "Block 1", "ES-1", "Elm Estate", "North"]
    return csv_bytes(PROPERTIES + PLACE, [[ref, "", line, "", "Manchester", code, *place] for ref, line, code in rows])


def two_good_homes_and_a_bad_one() -> bytes:
    return homes(
        ("PR-1", "Flat 1, Alder House", "M14 5TQ"),
        ("PR-2", "Flat 2, Alder House", BAD_POSTCODE),
        ("PR-3", "Flat 3, Alder House", "M14 5TQ"),
    )


def upload(client: Client, content: bytes, *, name: str = "homes.csv", entity: str = "properties") -> Any:
    return client.post(LIST, {"entity": entity, "file": SimpleUploadedFile(name, content)})


def checked(batch: FeedBatch) -> FeedBatch:
    """As the worker does: read the file through and preview it."""
    pipeline.check(batch.pk)
    batch.refresh_from_db()
    return batch


def events(kind: str, action: str) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(object_type=kind, action=action).order_by("id"))


# --- Who may use each page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff:admin", 200), ("staff:dpo", 200), ("staff:cs", 403), ("staff:north", 403), ("alice", 403)],
)
def test_only_the_guardians_run_the_feed(cast: Cast, who: str, status: int) -> None:
    batch = receive("properties", two_good_homes_and_a_bad_one())
    client = client_for(cast, who)
    for url in (LIST, page_of(batch), problems_csv(batch)):
        assert client.get(url).status_code == status, url
    for url in (f"{page_of(batch)}apply/", f"{page_of(batch)}withdraw/"):
        assert client.post(url).status_code == (302 if status == 200 else status), url
    assert upload(client, homes(("PR-9", "Flat 9", "M14 5TQ")), name="other.csv").status_code == (
        302 if status == 200 else status
    )


@pytest.mark.parametrize(("who", "status"), [("staff:dpo", 200), ("staff:admin", 403), ("staff:cs", 403)])
def test_only_the_dpo_sees_and_decides_about_held_people(cast: Cast, who: str, status: int) -> None:
    """A held person is someone's name and date of birth beside another's: residents' data,
    which system administrators never see (docs/access-model.md)."""
    held = _held_like_alice(cast)
    client = client_for(cast, who)
    assert client.get(HELD).status_code == status
    assert client.post(f"{HELD}{held.uuid}/", {"decision": "add"}).status_code == (302 if status == 200 else status)


def test_a_guardian_without_current_training_is_sent_to_training(cast: Cast) -> None:
    admin = cast.staff["admin"]
    admin.training_completed_on = timezone.localdate() - datetime.timedelta(days=400)
    admin.save(update_fields=["training_completed_on"])
    batch = receive("properties", two_good_homes_and_a_bad_one())
    client = client_for(cast, "staff:admin")
    for url in (LIST, HELD, page_of(batch), problems_csv(batch)):
        response = client.get(url)
        assert response.status_code == 403 and "training" in response.content.decode(), url


def test_signed_out_visitors_are_sent_to_sign_in(cast: Cast) -> None:
    response = Client().get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_a_forged_or_foreign_id_gets_404(cast: Cast) -> None:
    client = client_for(cast, "staff:admin")
    held = _held_like_alice(cast)
    for code in (uuid.uuid4(), held.uuid):  # a held person's uuid is not a batch's
        assert client.get(f"/staff/feed/{code}/").status_code == 404
        assert client.get(f"/staff/feed/{code}/problems.csv").status_code == 404
        assert client.post(f"/staff/feed/{code}/apply/").status_code == 404
        assert client.post(f"/staff/feed/{code}/withdraw/").status_code == 404
    dpo = client_for(cast, "staff:dpo")
    for code in (uuid.uuid4(), held.batch.uuid):
        assert dpo.post(f"/staff/feed/held/{code}/", {"decision": "add"}).status_code == 404
    assert HeldPerson.objects.get().decision == HeldPerson.Decision.WAITING


# --- Sending a file in --------------------------------------------------------------------------


def test_an_uploaded_csv_file_becomes_a_batch_waiting_to_be_checked(cast: Cast) -> None:
    response = upload(client_for(cast, "staff:admin"), two_good_homes_and_a_bad_one())
    batch = FeedBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == page_of(batch)
    assert (batch.entity, batch.format, batch.source, batch.status) == ("properties", "csv", "upload", "received")
    assert (batch.filename, batch.received_by) == ("homes.csv", cast.staff["admin"])
    with batch.file.open("rb") as kept:
        assert kept.read() == two_good_homes_and_a_bad_one()
    [made] = events("feed_batch", "create")
    assert (made.actor, made.object_id, made.subject) == (cast.staff["admin"], str(batch.uuid), None)


@pytest.mark.parametrize("name", ["people.jsonl", "PEOPLE.JSON"])
def test_a_json_lines_file_is_known_by_its_ending(cast: Cast, name: str) -> None:
    content = jsonl_bytes([{"person_ref": "P-1", "first_name": "Nora", "last_name": "Brook"}])
    upload(client_for(cast, "staff:dpo"), content, name=name, entity="people")
    batch = checked(FeedBatch.objects.get())
    assert (batch.format, batch.status, batch.preview["created"]) == ("jsonl", Status.PREVIEWED, 1)


def test_the_same_file_sent_twice_is_one_batch(cast: Cast) -> None:
    client = client_for(cast, "staff:admin")
    first = upload(client, two_good_homes_and_a_bad_one())
    second = upload(client, two_good_homes_and_a_bad_one())
    assert FeedBatch.objects.count() == 1
    assert first["Location"] == second["Location"]
    page = client.get(second["Location"]).content.decode()
    assert "This file had already been sent" in page
    assert len(events("feed_batch", "create")) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"entity": "properties", "file": ("homes.xlsx", b"property_ref\nPR-1\n")}, "must be a CSV file (.csv)"),
        ({"entity": "properties", "file": ("homes.csv", b"")}, "The selected file is empty"),
        ({"entity": "properties"}, "Select a file"),
        ({"file": ("homes.csv", b"property_ref\nPR-1\n")}, "Select what the file holds"),
        ({"entity": "rent", "file": ("homes.csv", b"property_ref\nPR-1\n")}, "Select what the file holds"),
    ],
)
def test_a_bad_upload_is_refused_with_the_error_summary(cast: Cast, data: dict[str, Any], message: str) -> None:
    if "file" in data:
        data = {**data, "file": SimpleUploadedFile(*data["file"])}
    response = client_for(cast, "staff:admin").post(LIST, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "<title>Error: Housing record feed" in page
    assert not FeedBatch.objects.exists()


def test_a_file_over_the_limit_is_refused(cast: Cast, settings: Any) -> None:
    settings.FEED_MAX_MEGABYTES = 1
    too_big = homes(("PR-1", "Flat 1", "M14 5TQ")) + b"PR-2,,Flat 2,,Manchester,M14 5TQ,BL-1,B,ES-1,E,North\n" * 20_000
    assert len(too_big) > 1024 * 1024
    page = upload(client_for(cast, "staff:admin"), too_big).content.decode()
    assert "The selected file must be smaller than 1MB" in page
    assert not FeedBatch.objects.exists()


# --- A batch's page -----------------------------------------------------------------------------


def test_a_received_batch_says_it_is_waiting_and_offers_to_follow_it(cast: Cast) -> None:
    batch = receive("properties", two_good_homes_and_a_bad_one())
    client = client_for(cast, "staff:admin")
    page = client.get(page_of(batch)).content.decode()
    assert "Received, waiting to be checked" in page
    assert "This page does not update by itself" in page
    assert 'http-equiv="refresh"' not in page  # never unasked (WCAG 2.2.1)
    following = client.get(page_of(batch) + "?refresh=on").content.decode()
    assert '<meta http-equiv="refresh" content="5">' in following
    assert "updates itself every 5 seconds" in following and "needs no JavaScript" in following


def test_the_preview_shows_its_counts_changes_and_problems(cast: Cast) -> None:
    batch = checked(receive("properties", two_good_homes_and_a_bad_one()))
    assert batch.status == Status.PREVIEWED
    page = client_for(cast, "staff:admin").get(page_of(batch)).content.decode()
    assert "Checked: ready to apply" in page
    assert "What applying would do" in page
    assert _value(page, "New") == "2" and _value(page, "Refused") == "1"
    assert _value(page, "Current tenancies it would end") == "0"
    assert "PR-1: a new home" in page and "PR-3: a new home" in page
    assert "This is not a UK postcode." in page and "1 row would be refused" in page
    assert "?stage=preview" in page
    assert "Apply this batch" in page and "Withdraw this batch" in page
    assert 'http-equiv="refresh"' not in page
    [seen] = events("feed_batch", "view")
    assert (seen.actor, seen.object_id, seen.route) == (cast.staff["admin"], str(batch.uuid), "feed:staff_batch")


def test_a_damaged_file_is_refused_whole_and_says_why(cast: Cast) -> None:
    batch = checked(receive("properties", b"property_ref,colour\nPR-1,red\n"))
    page = client_for(cast, "staff:dpo").get(page_of(batch)).content.decode()
    assert "Refused: the file cannot be read" in page
    assert "Why it was refused" in page and "columns a properties file does not: colour" in page
    assert "Apply this batch" not in page and "Withdraw this batch" in page


def test_the_page_shows_the_first_fifty_problems_and_the_spreadsheet_has_them_all(cast: Cast) -> None:
    rows = [(f"PR-{n}", f"Flat {n}", BAD_POSTCODE) for n in range(1, 53)]
    batch = checked(receive("properties", homes(*rows)))
    client = client_for(cast, "staff:admin")
    page = client.get(page_of(batch)).content.decode()
    assert "52 rows would be refused" in page and "The table shows the first 50" in page
    assert page.count("This is not a UK postcode.") == 50
    lines = list(csv.reader(io.StringIO(_body(client.get(problems_csv(batch))))))
    assert len(lines) == 1 + 52


def test_the_problems_spreadsheet_gives_line_column_and_why_and_no_values(cast: Cast) -> None:
    batch = checked(receive("properties", two_good_homes_and_a_bad_one()))
    response = client_for(cast, "staff:dpo").get(problems_csv(batch))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="batch-{batch.uuid}-preview-problems.csv"'
    body = _body(response)
    assert list(csv.reader(io.StringIO(body))) == [
        ["line", "field", "why"],
        ["3", "postcode", "This is not a UK postcode."],
    ]
    for value in (BAD_POSTCODE, "PR-2", "Flat 2", "Alder House", "Manchester"):
        assert value not in body
    [download] = events("feed_batch", "download")
    assert (download.actor, download.object_id, download.reason) == (cast.staff["dpo"], str(batch.uuid), "preview")


def test_the_problems_of_the_preview_and_of_applying_are_kept_apart(cast: Cast) -> None:
    batch = checked(receive("properties", two_good_homes_and_a_bad_one()))
    client = client_for(cast, "staff:admin")
    assert _body(client.get(problems_csv(batch, "apply"))) == "line,field,why\r\n"
    client.post(f"{page_of(batch)}apply/")
    pipeline.apply(batch.pk)
    FeedProblem.objects.filter(batch=batch, stage=FeedProblem.Stage.PREVIEW).update(why="From the preview.")
    preview_rows = _body(client.get(problems_csv(batch, "preview")))
    apply_rows = _body(client.get(problems_csv(batch, "apply")))
    assert "From the preview." in preview_rows and "From the preview." not in apply_rows
    assert "This is not a UK postcode." in apply_rows
    assert client.get(problems_csv(batch, "everything")).status_code == 404


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(cast: Cast) -> None:
    batch = checked(receive("properties", two_good_homes_and_a_bad_one()))
    FeedProblem.objects.filter(batch=batch).update(why="=HYPERLINK(1)")
    body = _body(client_for(cast, "staff:admin").get(problems_csv(batch)))
    assert "'=HYPERLINK(1)" in body


# --- Applying and withdrawing -------------------------------------------------------------------


def test_applying_shows_progress_then_what_it_did(cast: Cast) -> None:
    batch = checked(receive("properties", two_good_homes_and_a_bad_one()))
    client = client_for(cast, "staff:admin")
    response = client.post(f"{page_of(batch)}apply/")
    assert response.status_code == 302 and response["Location"] == page_of(batch)
    page = client.get(page_of(batch)).content.decode()
    assert "The batch is being applied" in page and "Being applied" in page
    assert "Applied 0 of 3 rows so far" in page and "Refresh the page" in page
    assert "Apply this batch" not in page and "Withdraw this batch" not in page
    pipeline.apply(batch.pk)  # the worker
    page = client.get(page_of(batch)).content.decode()
    assert "Applied" in page and "What applying has done" in page
    assert _value(page, "Rows read") == "3 of 3" and _value(page, "New") == "2"
    assert "Problems found applying it" in page and "1 row was refused" in page
    assert "This page does not update by itself" not in page
    assert set(Property.objects.filter(hms_reference__startswith="PR-").values_list("hms_reference", flat=True)) == {
        "PR-1",
        "PR-3",
    }
    [applied] = events("feed_batch", "update")
    assert (applied.actor, applied.reason) == (cast.staff["admin"], "applied")


def test_pressing_apply_twice_applies_once(cast: Cast) -> None:
    batch = checked(receive("properties", two_good_homes_and_a_bad_one()))
    client = client_for(cast, "staff:admin")
    client.post(f"{page_of(batch)}apply/")
    client.post(f"{page_of(batch)}apply/")
    page = client.get(page_of(batch)).content.decode()
    assert "This batch cannot be applied now: being applied. Nothing has changed." in page
    assert len(events("feed_batch", "update")) == 1
    pipeline.apply(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.read) == (Status.APPLIED, 2, 3)


def test_a_large_batch_asks_for_a_second_persons_approval(cast: Cast) -> None:
    batch = previewed("tenancies", ending_every_tenancy())
    assert batch.status == Status.WAITING_APPROVAL
    client = client_for(cast, "staff:admin")
    page = client.get(page_of(batch)).content.decode()
    assert "it would end 4 current tenancies and move 0 people" in page
    assert 'href="/staff/approvals/"' in page and "Ask for approval" in page
    for _ in range(2):  # asking twice is one proposal
        client.post(f"{page_of(batch)}apply/")
    assert ChangeProposal.objects.filter(kind="feed_apply_large_batch").count() == 1
    assert "a second person must approve it" in client.get(page_of(batch)).content.decode()
    assert Tenancy.objects.current().count() == 4


def test_withdrawing_stops_a_batch_for_good(cast: Cast) -> None:
    batch = checked(receive("properties", two_good_homes_and_a_bad_one()))
    client = client_for(cast, "staff:dpo")
    client.post(f"{page_of(batch)}withdraw/")
    page = client.get(page_of(batch)).content.decode()
    assert "Batch withdrawn" in page and "Withdrawn without applying" in page
    assert "Apply this batch" not in page and "Withdraw this batch" not in page
    client.post(f"{page_of(batch)}withdraw/")
    assert "already been withdrawn" in client.get(page_of(batch)).content.decode()
    assert "cannot be applied now" in _after_post(client, f"{page_of(batch)}apply/")
    batch.refresh_from_db()
    assert batch.status == Status.WITHDRAWN
    assert [event.reason for event in events("feed_batch", "update")] == ["withdrawn"]


def test_a_batch_being_applied_cannot_be_withdrawn(cast: Cast) -> None:
    batch = checked(receive("properties", two_good_homes_and_a_bad_one()))
    client = client_for(cast, "staff:admin")
    client.post(f"{page_of(batch)}apply/")
    assert "Only a batch that is not being applied can be withdrawn" in _after_post(
        client, f"{page_of(batch)}withdraw/"
    )
    batch.refresh_from_db()
    assert batch.status == Status.APPLYING


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_each_batch_newest_first_with_its_counts(cast: Cast) -> None:
    older = checked(receive("properties", two_good_homes_and_a_bad_one(), name="older.csv"))
    newer = receive("people", people(("P-1", "Nora", "Brook", "1970-05-05")), name="newer.csv")
    page = client_for(cast, "staff:admin").get(LIST).content.decode()
    assert page.index("newer.csv") < page.index("older.csv")
    assert "Would make 2 new, change 0, leave 0, refuse 1, hold 0" in page
    assert "Not checked yet" in page and "Homes" in page and "People" in page
    assert f'href="{page_of(older)}"' in page and f'href="{page_of(newer)}"' in page
    assert not events("feed_batch", "view")  # the list shows no one's data


def test_the_list_pages_by_position(cast: Cast) -> None:
    for number in range(27):
        receive("properties", homes((f"PR-{number}", "Flat", "M14 5TQ")), name=f"file-{number:02d}.csv")
    client = client_for(cast, "staff:admin")
    first = client.get(LIST).content.decode()
    assert "file-26.csv" in first and "file-02.csv" in first and "file-01.csv" not in first
    older = FeedBatch.objects.get(filename="file-02.csv").pk
    second = client.get(f"{LIST}?older={older}").content.decode()
    assert "file-01.csv" in second and "file-00.csv" in second and "file-02.csv" not in second


def test_the_list_takes_the_same_queries_however_many_batches(cast: Cast) -> None:
    client = client_for(cast, "staff:admin")
    receive("properties", homes(("PR-0", "Flat", "M14 5TQ")), name="file-0.csv")
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for number in range(1, 6):
        receive("properties", homes((f"PR-{number}", "Flat", "M14 5TQ")), name=f"file-{number}.csv")
    with CaptureQueriesContext(connection) as six:
        client.get(LIST)
    assert len(six) == len(one)


# --- Held people --------------------------------------------------------------------------------


def _held_like_alice(cast: Cast) -> HeldPerson:
    """A people file whose new person has Alice's name and date of birth under another reference."""
    alice = cast["ashton"].people["alice"]
    row = ("P-NEW", alice.first_name, alice.last_name, alice.date_of_birth.isoformat())
    batch = previewed("people", people(row))
    assert batch.preview["held"] == 1
    FeedBatch.objects.filter(pk=batch.pk).update(status=Status.APPLYING)
    pipeline.apply(batch.pk)
    return HeldPerson.objects.select_related("batch").get()


def test_a_held_person_is_shown_beside_the_person_they_look_like(cast: Cast) -> None:
    held = _held_like_alice(cast)
    alice = cast["ashton"].people["alice"]
    page = client_for(cast, "staff:dpo").get(HELD).content.decode()
    assert page.count(alice.full_name) >= 2
    assert "P-NEW" in page and alice.housing_reference in page
    assert cast["ashton"].tenancy.reference in page  # her current tenancy
    assert alice.date_of_birth.strftime("%-d %B %Y") in page
    assert f"/staff/feed/held/{held.uuid}/" in page
    [seen] = AccessEvent.objects.filter(object_type="person", action="list")
    assert (seen.actor, seen.subject, seen.object_id) == (cast.staff["dpo"], alice, str(held.uuid))


def test_nobody_waiting_is_said_and_records_nothing(cast: Cast) -> None:
    page = client_for(cast, "staff:dpo").get(HELD).content.decode()
    assert "Nobody is waiting for a decision" in page
    assert not AccessEvent.objects.filter(object_type="person").exists()


def test_adding_a_held_person_makes_them_once(cast: Cast) -> None:
    held = _held_like_alice(cast)
    client = client_for(cast, "staff:dpo")
    client.post(f"{HELD}{held.uuid}/", {"decision": "add"})
    page = client.get(HELD).content.decode()
    assert "Added as a different person" in page and "Nobody is waiting for a decision" in page
    assert Person.objects.filter(housing_reference="P-NEW").count() == 1
    assert "already decided" in _after_post(client, f"{HELD}{held.uuid}/", {"decision": "leave_out"})
    held.refresh_from_db()
    assert (held.decision, held.decided_by) == (HeldPerson.Decision.ADDED, cast.staff["dpo"])
    added = Person.objects.get(housing_reference="P-NEW")
    decided = AccessEvent.objects.filter(object_type="person", action="update").values_list("subject_id", flat=True)
    assert set(decided) == {held.looks_like_id, added.pk}


def test_leaving_a_held_person_out_adds_nobody(cast: Cast) -> None:
    held = _held_like_alice(cast)
    client = client_for(cast, "staff:dpo")
    assert "Left out. Put it right in the housing system." in _after_post(
        client, f"{HELD}{held.uuid}/", {"decision": "leave_out"}
    )
    held.refresh_from_db()
    assert held.decision == HeldPerson.Decision.LEFT_OUT
    assert not Person.objects.filter(housing_reference="P-NEW").exists()


@pytest.mark.parametrize("data", [{}, {"decision": "merge"}])
def test_a_decision_that_is_neither_is_refused(cast: Cast, data: dict[str, str]) -> None:
    held = _held_like_alice(cast)
    page = _after_post(client_for(cast, "staff:dpo"), f"{HELD}{held.uuid}/", data)
    assert "Choose whether to add this person or leave them out" in page
    held.refresh_from_db()
    assert held.decision == HeldPerson.Decision.WAITING


# --- Helpers ------------------------------------------------------------------------------------


def _value(page: str, key: str) -> str:
    """The value beside a summary list's key (the first such key on the page)."""
    start = page.index(f'<dt class="govuk-summary-list__key">{key}</dt>')
    value = page.index('<dd class="govuk-summary-list__value">', start) + len('<dd class="govuk-summary-list__value">')
    return page[value : page.index("</dd>", value)].strip()


def _body(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def _after_post(client: Client, url: str, data: dict[str, str] | None = None) -> str:
    response = client.post(url, data or {})
    assert response.status_code == 302
    return str(client.get(response["Location"]).content.decode())
