"""The exposure report off the request (ADR 0015): asked for once, worked out by the
worker with progress, kept for the DPO alone, failing plainly and tried again."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.audit.services import record
from porch.exposure import reports, runs
from porch.exposure.models import KEEP_DAYS, STALLED_AFTER, ExposureRun
from porch.exposure.reports import Window, exposure_report
from porch.exposure.services import affected_people_csv, recipients_csv
from porch.exposure.tests.test_exposure_report import actor, dpo, leak_to_carol, legitimate_looks
from porch.exposure.tests.test_views import ask, dpo_client, period, worked_out

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def page_of(client: Client, run: ExposureRun) -> str:
    return client.get(f"/staff/exposure/runs/{run.uuid}/").content.decode()


def test_asking_queues_the_worker_and_the_page_says_it_is_waiting(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    leak_to_carol(cast)
    client = dpo_client(cast)
    with django_capture_on_commit_callbacks(execute=True):
        run = ask(client)
    task = DBTaskResult.objects.get()
    assert task.task_path == "porch.exposure.runs.exposure_run_compute"
    assert task.args_kwargs["args"] == [run.pk, 1]
    assert run.status == ExposureRun.Status.QUEUED and run.requested_by == cast.staff["dpo"]
    page = page_of(client, run)
    assert "Working out the report" in page and "waiting for the background worker" in page
    assert "http-equiv" not in page  # it reloads only when asked to (WCAG 2.2.1)
    assert f'href="/staff/exposure/runs/{run.uuid}/">Refresh the page' in page
    assert f'href="/staff/exposure/runs/{run.uuid}/?refresh=on">refresh this page every 5 seconds' in page
    assert cast["ashton"].people["alice"].full_name not in page
    assert not AccessEvent.objects.filter(object_type="exposure_report").exists()  # nothing read yet


def test_with_the_worker_running_the_report_is_ready_when_the_page_is_next_opened(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE  # the worker, at once
    leak_to_carol(cast)
    client = dpo_client(cast)
    with django_capture_on_commit_callbacks(execute=True):
        run = ask(client)
    run.refresh_from_db()
    assert run.status == ExposureRun.Status.DONE and run.events_read == run.events_total == 3
    page = page_of(client, run)
    assert "http-equiv" not in page and cast["ashton"].people["alice"].full_name in page


def test_the_same_form_sent_twice_makes_one_run_and_one_task(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    client = dpo_client(cast)
    form = {**period(), "idempotency_key": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/staff/exposure/", form)
        second = client.post("/staff/exposure/", form)
    assert first["Location"] == second["Location"]
    assert ExposureRun.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_a_task_delivered_twice_works_the_report_out_once(cast: Cast) -> None:
    run = ask(dpo_client(cast))
    assert runs.run_compute(run.pk, run.attempt) == "done"
    assert runs.run_compute(run.pk, run.attempt) == "skipped"


def test_the_run_keeps_exactly_the_report_worked_out_in_the_request(cast: Cast) -> None:
    legitimate_looks(cast)
    leak_to_carol(cast)
    run = worked_out(dpo_client(cast))
    report = exposure_report(actor=dpo(cast), window=Window(run.start, run.end))
    assert run.result is not None
    assert (run.result["events"], run.result["records"], run.result["people"]) == (3, 2, 2)
    assert (run.result["events"], run.result["records"]) == (report.events, report.records)
    assert run.result["subject_ids"] == report.subject_ids()
    assert run.people_csv == affected_people_csv(report)
    assert run.recipients_csv == recipients_csv(report)


def test_progress_is_kept_slice_by_slice_and_the_slices_add_up_to_one_pass(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events three hours apart, read in slices of one hour's events: the counts, the records
    (one document seen in two slices counts once) and first and last are the same."""
    ashton = cast["ashton"]
    alice = ashton.people["alice"]
    carol = actor(cast.resident("carol"))
    now = timezone.now()
    for hours in (5, 3, 1):
        with monkeypatch.context() as moment:
            moment.setattr(timezone, "now", lambda hours=hours: now - datetime.timedelta(hours=hours))
            record(actor=carol, action="view", object_type="person", object_id=alice.uuid, subject_ids=[alice.id])
    window = Window(now - datetime.timedelta(hours=6), now)
    whole = exposure_report(actor=dpo(cast), window=window)
    monkeypatch.setattr(reports, "SLICE_EVENTS", 1)
    told: list[tuple[int, int]] = []
    sliced = exposure_report(actor=dpo(cast), window=window, progress=lambda read, total: told.append((read, total)))
    assert told == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert (sliced.events, sliced.records) == (whole.events, whole.records) == (3, 1)
    assert [(a.person, a.events, a.first_seen, a.last_seen) for a in sliced.affected] == [
        (alice, 3, now - datetime.timedelta(hours=5), now - datetime.timedelta(hours=1))
    ]
    assert [(a.person, a.events, a.first_seen, a.last_seen) for a in whole.affected] == [
        (a.person, a.events, a.first_seen, a.last_seen) for a in sliced.affected
    ]


def test_the_page_shows_how_far_the_worker_has_got(cast: Cast) -> None:
    client = dpo_client(cast)
    run = ask(client)
    ExposureRun.objects.filter(pk=run.pk).update(
        status=ExposureRun.Status.RUNNING, started_at=timezone.now(), events_read=250, events_total=1000
    )
    page = page_of(client, run)
    assert "250 of 1000 events read (25%)" in page and "http-equiv" not in page


def test_the_page_refreshes_itself_only_when_asked_and_until_the_report_is_ready(cast: Cast) -> None:
    client = dpo_client(cast)
    run = ask(client)
    following = client.get(f"/staff/exposure/runs/{run.uuid}/?refresh=on").content.decode()
    assert '<meta http-equiv="refresh" content="5">' in following  # no JavaScript needed
    assert f'href="/staff/exposure/runs/{run.uuid}/">Stop refreshing this page' in following
    assert "?refresh=on" not in following  # the way to stop, not to start
    runs.run_compute(run.pk, run.attempt)
    ready = client.get(f"/staff/exposure/runs/{run.uuid}/?refresh=on").content.decode()
    assert "http-equiv" not in ready and "Stop refreshing" not in ready


def test_a_failed_run_says_so_plainly_and_trying_again_works_it_out(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    leak_to_carol(cast)
    client = dpo_client(cast)
    run = ask(client)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(runs, "exposure_report", broken)
    assert runs.run_compute(run.pk, 1) == "failed"
    page = page_of(client, run)
    assert "The report could not be worked out" in page and "Something went wrong" in page
    assert "database went away" not in page and "http-equiv" not in page
    assert "Try again" in page

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/staff/exposure/runs/{run.uuid}/try-again/").status_code == 302
        client.post(f"/staff/exposure/runs/{run.uuid}/try-again/")  # sent twice: one more attempt
    run.refresh_from_db()
    assert (run.status, run.attempt, run.error) == (ExposureRun.Status.QUEUED, 2, "")
    assert DBTaskResult.objects.get().args_kwargs["args"] == [run.pk, 2]
    assert runs.run_compute(run.pk, 1) == "skipped"  # the old attempt cannot write
    assert runs.run_compute(run.pk, 2) == "done"
    assert cast["ashton"].people["alice"].full_name in page_of(client, run)


def test_a_finished_or_working_run_cannot_be_tried_again(cast: Cast) -> None:
    client = dpo_client(cast)
    run = worked_out(client)
    client.post(f"/staff/exposure/runs/{run.uuid}/try-again/")
    running = ask(client)
    ExposureRun.objects.filter(pk=running.pk).update(status=ExposureRun.Status.RUNNING, progress_at=timezone.now())
    client.post(f"/staff/exposure/runs/{running.uuid}/try-again/")
    assert {(r.status, r.attempt) for r in ExposureRun.objects.all()} == {
        (ExposureRun.Status.DONE, 1),
        (ExposureRun.Status.RUNNING, 1),
    }


def test_a_run_whose_worker_stopped_answering_may_be_tried_again(cast: Cast) -> None:
    client = dpo_client(cast)
    run = ask(client)
    silent_since = timezone.now() - STALLED_AFTER - datetime.timedelta(minutes=1)
    ExposureRun.objects.filter(pk=run.pk).update(
        status=ExposureRun.Status.RUNNING, started_at=silent_since, progress_at=silent_since
    )
    page = page_of(client, run)
    assert "stopped answering" in page and "Try again" in page and "http-equiv" not in page
    client.post(f"/staff/exposure/runs/{run.uuid}/try-again/")
    run.refresh_from_db()
    assert (run.status, run.attempt) == (ExposureRun.Status.QUEUED, 2)


def test_a_dpo_who_lost_the_role_before_the_worker_started_gets_no_report(cast: Cast) -> None:
    leak_to_carol(cast)
    run = ask(dpo_client(cast))
    cast.staff["dpo"].role_grants.filter(role="dpo").delete()
    assert runs.run_compute(run.pk, run.attempt) == "failed"
    run.refresh_from_db()
    assert run.error == runs.NO_LONGER_DPO and run.result is None and run.people_csv == ""


def test_reading_a_finished_run_is_audited_each_time_and_the_csv_as_a_download(cast: Cast) -> None:
    leak_to_carol(cast)
    client = dpo_client(cast, sudo=True)
    run = worked_out(client)
    page_of(client, run)
    page_of(client, run)
    client.get(f"/staff/exposure/runs/{run.uuid}/people.csv")
    read = AccessEvent.objects.filter(object_type="exposure_report", object_id=str(run.uuid))
    assert read.filter(action="view").count() == 2 * 3  # Alice, Bob and Carol, twice
    assert set(read.filter(action="download").values_list("subject_id", flat=True)) == {
        cast["ashton"].people["alice"].id,
        cast["ashton"].people["bob"].id,
        cast["cole"].people["carol"].id,
    }


def test_a_spreadsheet_of_a_run_not_ready_yet_goes_back_to_its_page(cast: Cast) -> None:
    client = dpo_client(cast, sudo=True)
    run = ask(client)
    response = client.get(f"/staff/exposure/runs/{run.uuid}/people.csv")
    assert response.status_code == 302 and response["Location"] == f"/staff/exposure/runs/{run.uuid}/"
    assert not AccessEvent.objects.filter(object_type="exposure_report").exists()


def test_another_dpo_reads_the_same_runs_and_no_one_else_does(cast: Cast) -> None:
    leak_to_carol(cast)
    run = worked_out(dpo_client(cast))
    deputy = cast.staff["north"]
    deputy.role_grants.create(role="dpo")
    assert cast["cole"].people["carol"].full_name in page_of(sign_in(Client(), deputy), run)
    for user in (cast.staff["cs"], cast.staff["asb"], cast.staff["admin"]):
        assert sign_in(Client(), user).get(f"/staff/exposure/runs/{run.uuid}/").status_code == 403


def test_an_unknown_run_is_not_found(cast: Cast) -> None:
    assert dpo_client(cast).get(f"/staff/exposure/runs/{uuid.uuid4()}/").status_code == 404


def test_runs_past_keeping_are_not_shown_and_are_deleted_when_the_next_is_asked(cast: Cast) -> None:
    client = dpo_client(cast)
    old = worked_out(client)
    ExposureRun.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=KEEP_DAYS, minutes=1)
    )
    assert client.get(f"/staff/exposure/runs/{old.uuid}/").status_code == 404
    assert str(old.uuid) not in client.get("/staff/exposure/").content.decode()
    fresh = ask(client)
    assert list(ExposureRun.objects.all()) == [fresh]


def test_the_report_page_lists_the_runs_asked_for_with_their_status(cast: Cast) -> None:
    client = dpo_client(cast)
    done = worked_out(client)
    waiting = ask(client)
    page = client.get("/staff/exposure/").content.decode()
    assert f"/staff/exposure/runs/{done.uuid}/" in page and f"/staff/exposure/runs/{waiting.uuid}/" in page
    assert "Ready" in page and "Waiting to start" in page


def test_the_form_as_shown_carries_its_own_key_so_sending_it_twice_asks_once(cast: Cast) -> None:
    client = dpo_client(cast)
    page = client.get("/staff/exposure/").content.decode()
    found = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', page)
    assert found is not None
    again = client.get("/staff/exposure/").content.decode()
    assert found.group(1) not in again  # a fresh key each time the form is shown
    form = {**period(), "idempotency_key": found.group(1)}
    assert client.post("/staff/exposure/", form)["Location"] == client.post("/staff/exposure/", form)["Location"]
    assert ExposureRun.objects.count() == 1
