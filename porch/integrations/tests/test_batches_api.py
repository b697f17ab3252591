"""Sending batches and following them: through the API as the housing system does, with the
task worker run in the test (the immediate backend), and the audit rows it leaves."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.db import connection as db

from conftest import Cast
from porch.audit.models import AccessEvent
from porch.feed.models import FeedBatch
from porch.feed.services import batch_receive
from porch.housing.models import Person
from porch.integrations import api
from porch.integrations.tests.helpers import PEOPLE, Hms, connection

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def hms(cast: Cast) -> Hms:
    return Hms(*connection(cast))


def test_with_the_worker_a_sent_batch_is_checked_and_previewed_and_waits_for_staff(
    hms: Hms, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        sent = hms.batch("people", PEOPLE).json()
    status = hms.get(f"/api/feed/v1/batches/{sent['id']}").json()
    assert status["status"] == "previewed"
    assert status["status_text"] == "Checked: ready to apply"
    assert status["rows"] == 2
    assert status["preview"]["created"] == 2
    assert status["counts"]["created"] == 0  # nothing applied: a system administrator applies it
    assert not Person.objects.filter(housing_reference="P-9001").exists()


def test_a_connection_trusted_to_apply_has_its_batch_applied_once_previewed(
    cast: Cast, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE
    hms = Hms(*connection(cast, apply_when_previewed=True))
    with django_capture_on_commit_callbacks(execute=True):
        sent = hms.batch("people", PEOPLE).json()
    assert sent["apply_when_previewed"] is True
    status = hms.get(f"/api/feed/v1/batches/{sent['id']}").json()
    assert status["status"] == "applied"
    assert status["counts"] == {"read": 2, "created": 2, "changed": 0, "unchanged": 0, "refused": 0, "held": 0}
    assert Person.objects.get(housing_reference="P-9001").first_name == "Fatima"


def test_the_same_batch_key_again_is_the_same_batch(hms: Hms) -> None:
    first = hms.batch("people", PEOPLE, batch_key="nightly-1")
    again = hms.batch("people", PEOPLE, batch_key="nightly-1")  # a retry: a new nonce, the same rows
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json()["id"] == again.json()["id"]
    assert FeedBatch.objects.count() == 1
    assert AccessEvent.objects.filter(object_type="feed_connection", action="create").count() == 2  # added, sent


def test_the_same_batch_key_with_other_rows_is_refused(hms: Hms) -> None:
    hms.batch("people", PEOPLE, batch_key="nightly-1")
    changed = hms.batch("people", PEOPLE[:1], batch_key="nightly-1")
    assert changed.status_code == 409
    assert "already used for another batch" in changed.json()["error"]
    assert FeedBatch.objects.count() == 1


def test_the_same_batch_key_for_another_entity_is_refused(cast: Cast) -> None:
    hms = Hms(*connection(cast, scopes=["people", "contacts"]))
    hms.batch("people", PEOPLE, batch_key="k")
    assert hms.batch("contacts", [{"person_ref": "P-9001", "email": "f@example.org"}], batch_key="k").status_code == 409


def test_batch_keys_belong_to_one_connection(cast: Cast, hms: Hms) -> None:
    other = Hms(*connection(cast, name="Second system"))
    assert hms.batch("people", PEOPLE, batch_key="k").status_code == 202
    assert other.batch("people", PEOPLE, batch_key="k").status_code == 202
    assert FeedBatch.objects.count() == 2


def test_a_sent_batch_is_audited_under_its_connection(hms: Hms) -> None:
    sent = hms.batch("people", PEOPLE).json()
    event = AccessEvent.objects.filter(object_type="feed_connection").latest("id")
    assert event.object_id == str(hms.connection.uuid)
    assert event.action == "create"
    assert event.reason == f"sent batch {sent['id']}: 2 people rows, batch key batch-1"
    assert event.actor_role == "feed"
    assert event.client_ip == hms.address
    assert event.route == "feed_api:batch_submit"


def test_a_refused_request_sends_nothing_to_the_audit_log(hms: Hms) -> None:
    before = AccessEvent.objects.count()
    hms.batch("people", PEOPLE, secret="porch_feed_wrong")
    assert AccessEvent.objects.count() == before


def test_a_connection_reads_only_its_own_batches(cast: Cast, hms: Hms) -> None:
    other = Hms(*connection(cast, name="Second system"))
    theirs = other.batch("people", PEOPLE).json()["id"]
    uploaded = batch_receive(
        entity="people", fmt="jsonl", filename="p.jsonl", stream=io.BytesIO(b"{}\n"), source=FeedBatch.Source.UPLOAD
    )
    for code in (theirs, uploaded.uuid, uuid.uuid4()):
        for path in (f"/api/feed/v1/batches/{code}", f"/api/feed/v1/batches/{code}/problems"):
            response = hms.get(path)
            assert response.status_code == 404
            assert response.json() == {"error": "This connection sent no batch with this id."}


def test_problems_come_in_line_order_with_field_and_why_a_page_at_a_time(
    hms: Hms, settings, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE
    monkeypatch.setattr(api, "PROBLEMS_PAGE", 1)
    rows = [
        {"person_ref": "P-1", "first_name": "Ann", "last_name": "Ash", "date_of_birth": "01/02/1980"},
        {"person_ref": "P-2", "first_name": "Ben", "last_name": "Birch"},
        {"person_ref": "P-3", "first_name": "", "last_name": "Cole"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        sent = hms.batch("people", rows).json()
    path = f"/api/feed/v1/batches/{sent['id']}/problems"
    first = hms.get(path).json()
    assert first["stage"] == "preview"
    assert first["problems"] == [
        {"line": 1, "field": "date_of_birth", "why": "A date is written year-month-day, like 2026-04-01."}
    ]
    assert first["next_after_line"] == 1
    rest = hms.get(f"{path}?after_line=1").json()
    assert rest["problems"] == [{"line": 3, "field": "first_name", "why": "This value is missing."}]
    assert rest["next_after_line"] is None
    assert hms.get(f"{path}?stage=apply").json()["problems"] == []


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"batch_key": "k", "rows": [{"person_ref": 5}]}, "body.payload.rows.0.person_ref"),
        ({"rows": PEOPLE}, "body.payload.batch_key"),
        ({"batch_key": "has spaces", "rows": PEOPLE}, "body.payload.batch_key"),
        ({"batch_key": "k", "rows": []}, "body.payload.rows"),
    ],
)
def test_a_body_not_in_the_shape_the_endpoint_takes_says_where(hms: Hms, body: dict, where: str) -> None:
    response = hms.send("POST", "/api/feed/v1/entities/people/batches", json.dumps(body).encode())
    assert response.status_code == 400
    assert where in [problem["where"] for problem in response.json()["problems"]]
    assert FeedBatch.objects.count() == 0


def test_a_body_that_is_not_json_is_refused(hms: Hms) -> None:
    response = hms.send("POST", "/api/feed/v1/entities/people/batches", b"person_ref,first_name\n")
    assert (response.status_code, response.json()) == (400, {"error": "The body is not JSON."})


def test_an_entity_the_feed_does_not_have_is_refused(hms: Hms) -> None:
    response = hms.batch("pets", PEOPLE)
    assert response.status_code == 400
    assert response.json()["problems"][0]["where"] == "path.entity"


def test_a_column_the_entity_does_not_have_refuses_the_batch_whole(
    hms: Hms, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        sent = hms.batch("people", [{**PEOPLE[0], "shoe_size": "9"}]).json()
    status = hms.get(f"/api/feed/v1/batches/{sent['id']}").json()
    assert status["status"] == "refused"
    assert "shoe_size" in status["reason"]


@pytest.mark.skipif(
    db.vendor != "postgresql", reason="SQLite's in-memory test database locks whole tables between threads"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_batch_sent_twice_at_once_makes_one_batch(cast: Cast) -> None:
    """A retry racing the first attempt (two workers of the housing system): one batch, one 202,
    the second answered from the first's batch once its insert meets the first's row."""
    import threading

    added, secret = connection(cast)
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def send() -> None:
        try:
            barrier.wait(timeout=10)
            answers.append(Hms(added, secret).batch("people", PEOPLE, batch_key="raced").status_code)
        finally:
            db.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [200, 202]
    assert FeedBatch.objects.filter(source=FeedBatch.Source.API).count() == 1
