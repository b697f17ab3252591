"""Signed requests: what passes the gate and what is refused, and why (ADR 0021)."""

from __future__ import annotations

import json
import logging
import time
import uuid

import pytest
from django.test import Client

from conftest import Cast, sign_in
from porch.feed.models import FeedBatch
from porch.integrations import services, signing
from porch.integrations.models import Connection, UsedNonce
from porch.integrations.tests.helpers import PEOPLE, Hms, connection

SUBMIT = "/api/feed/v1/entities/people/batches"


@pytest.fixture
def hms(cast: Cast) -> Hms:
    return Hms(*connection(cast))


def error_of(response) -> str:
    body = response.json()
    assert list(body) == ["error"], body  # the reason, and nothing else
    return body["error"]


def test_a_signed_request_from_the_housing_system_makes_a_batch(hms: Hms) -> None:
    response = hms.batch("people", PEOPLE)
    assert response.status_code == 202, response.content
    body = response.json()
    batch = FeedBatch.objects.get(uuid=body["id"])
    assert (batch.entity, batch.format, batch.source) == ("people", "jsonl", FeedBatch.Source.API)
    assert batch.sent_by_system == "Housing management system"
    assert body["batch_key"] == "batch-1" and body["status"] == "received"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # nothing for a browser to keep: no session, no CSRF cookie


def test_a_request_with_no_signature_is_refused_and_says_what_is_missing(hms: Hms) -> None:
    response = hms.client.post(SUBMIT, b"{}", content_type="application/json", REMOTE_ADDR=hms.address)
    assert response.status_code == 401
    assert "Missing: Porch-Connection, Porch-Timestamp, Porch-Nonce, Porch-Signature" in error_of(response)
    assert response["WWW-Authenticate"].startswith("Porch-Signature")


def test_a_bad_signature_is_refused_and_nothing_is_made(hms: Hms) -> None:
    response = hms.batch("people", PEOPLE, secret="porch_feed_not-the-secret")
    assert response.status_code == 401
    assert "The signature does not match" in error_of(response)
    assert FeedBatch.objects.count() == 0


def test_a_body_changed_after_signing_is_refused(hms: Hms) -> None:
    body = json.dumps({"batch_key": "b", "rows": PEOPLE}).encode()
    headers = hms.headers("POST", SUBMIT, body)
    tampered = body.replace(b"Fatima", b"Mallory")
    response = hms.client.post(
        SUBMIT, tampered, content_type="application/json", headers=headers, REMOTE_ADDR=hms.address
    )
    assert response.status_code == 401
    assert FeedBatch.objects.count() == 0


def test_a_query_changed_after_signing_is_refused(hms: Hms) -> None:
    sent = hms.batch("people", PEOPLE).json()
    problems = f"/api/feed/v1/batches/{sent['id']}/problems"
    assert hms.get(problems + "?after_line=0").status_code == 200
    response = hms.get(problems + "?after_line=5", sign_path=problems + "?after_line=0")
    assert response.status_code == 401


@pytest.mark.parametrize("seconds", [-301, 301])
def test_a_timestamp_more_than_five_minutes_off_is_refused(hms: Hms, seconds: int) -> None:
    response = hms.batch("people", PEOPLE, timestamp=int(time.time()) + seconds)
    assert response.status_code == 401
    assert "within 5 minutes of ours" in error_of(response)


def test_a_timestamp_that_is_not_unix_seconds_is_refused(hms: Hms) -> None:
    response = hms.batch("people", PEOPLE, timestamp="2026-11-30T10:00:00Z")
    assert response.status_code == 401


def test_a_replayed_request_is_refused(hms: Hms) -> None:
    body = json.dumps({"batch_key": "once", "rows": PEOPLE}).encode()
    headers = hms.headers("POST", SUBMIT, body)
    first = hms.client.post(SUBMIT, body, content_type="application/json", headers=headers, REMOTE_ADDR=hms.address)
    again = hms.client.post(SUBMIT, body, content_type="application/json", headers=headers, REMOTE_ADDR=hms.address)
    assert first.status_code == 202
    assert again.status_code == 401
    assert "nonce has been used before" in error_of(again)


def test_a_nonce_of_the_wrong_shape_is_refused(hms: Hms) -> None:
    assert hms.batch("people", PEOPLE, nonce="short").status_code == 401
    assert hms.batch("people", PEOPLE, nonce="x" * 16 + " spaces").status_code == 401


def test_nonces_are_kept_no_longer_than_a_replay_could_pass(hms: Hms) -> None:
    old = UsedNonce.objects.create(connection=hms.connection, nonce="n" * 20, used_at="2020-01-01T00:00:00Z")
    assert hms.batch("people", PEOPLE).status_code == 202
    assert not UsedNonce.objects.filter(pk=old.pk).exists()
    assert UsedNonce.objects.filter(connection=hms.connection).count() == 1


def test_a_scope_the_connection_lacks_is_refused(cast: Cast) -> None:
    hms = Hms(*connection(cast, scopes=["properties", "outbox"]))
    response = hms.batch("people", PEOPLE)
    assert response.status_code == 403
    assert error_of(response) == "This connection may not send people."
    assert FeedBatch.objects.count() == 0


def test_an_address_outside_the_allow_list_is_refused(hms: Hms) -> None:
    hms.address = "203.0.113.9"
    response = hms.batch("people", PEOPLE)
    assert response.status_code == 403
    assert "does not accept requests from this address (203.0.113.9)" in error_of(response)
    assert FeedBatch.objects.count() == 0


def test_a_connection_with_no_addresses_accepts_none(cast: Cast) -> None:
    hms = Hms(*connection(cast, networks=[]))
    assert hms.batch("people", PEOPLE).status_code == 403


def test_an_ipv4_address_written_as_ipv6_is_judged_as_itself(hms: Hms) -> None:
    hms.address = "::ffff:192.0.2.10"
    assert hms.batch("people", PEOPLE).status_code == 202


def test_a_switched_off_connection_is_refused(cast: Cast, hms: Hms) -> None:
    from porch.accounts.actors import actor_for_user

    services.connection_switch_off(actor=actor_for_user(cast.staff["admin"], verified=True), connection=hms.connection)
    response = hms.batch("people", PEOPLE)
    assert response.status_code == 401
    assert error_of(response) == "There is no active connection with this id."


def test_an_unknown_connection_gets_the_same_answer_as_a_switched_off_one(hms: Hms) -> None:
    for named in (uuid.uuid4(), "not-a-uuid"):
        response = hms.batch("people", PEOPLE, connection=named)
        assert error_of(response) == "There is no active connection with this id."


def test_after_rotation_the_old_secret_is_refused_and_the_new_one_works(cast: Cast, hms: Hms) -> None:
    from porch.accounts.actors import actor_for_user

    admin = actor_for_user(cast.staff["admin"], verified=True)
    new_secret = services.connection_rotate(actor=admin, connection=hms.connection, version=1)
    assert new_secret and new_secret != hms.secret
    refused = hms.batch("people", PEOPLE, batch_key="old")
    assert refused.status_code == 401
    assert hms.batch("people", PEOPLE, batch_key="new", secret=new_secret).status_code == 202


def test_a_changed_server_key_stops_every_secret_until_rotated(hms: Hms, settings) -> None:
    settings.FEED_API_KEY = "another-server-key-0123456789abcdefghijkl"
    response = hms.batch("people", PEOPLE)
    assert response.status_code == 401
    assert "secret is no longer valid" in error_of(response)


def test_with_no_server_key_every_request_is_refused(hms: Hms, settings) -> None:
    settings.FEED_API_KEY = ""
    response = hms.batch("people", PEOPLE)
    assert response.status_code == 503
    assert "not set up" in error_of(response)


def test_past_the_rate_limit_a_connection_is_told_to_wait(hms: Hms, settings) -> None:
    settings.FEED_API_REQUESTS_PER_MINUTE = 2
    assert hms.get("/api/feed/v1/openapi.json").status_code == 200
    assert hms.get("/api/feed/v1/openapi.json").status_code == 200
    response = hms.get("/api/feed/v1/openapi.json")
    assert response.status_code == 429
    assert "may make 2 a minute" in error_of(response)
    assert 1 <= int(response["Retry-After"]) <= 60


def test_one_connections_rate_does_not_hold_back_another(cast: Cast, hms: Hms, settings) -> None:
    settings.FEED_API_REQUESTS_PER_MINUTE = 1
    other = Hms(*connection(cast, name="Second system"))
    assert hms.get("/api/feed/v1/openapi.json").status_code == 200
    assert hms.get("/api/feed/v1/openapi.json").status_code == 429
    assert other.get("/api/feed/v1/openapi.json").status_code == 200


def test_a_body_over_the_limit_is_refused_before_it_is_read(hms: Hms, settings) -> None:
    settings.FEED_API_MAX_MEGABYTES = 1
    rows = [{"person_ref": f"P-{n}", "first_name": "x" * 90, "last_name": "y"} for n in range(12000)]
    response = hms.batch("people", rows)
    assert response.status_code == 413
    assert error_of(response).startswith("The body is larger than 1 MB, the most one request may carry")


def test_a_signed_in_system_administrators_session_is_no_connection(cast: Cast, hms: Hms) -> None:
    """No cookie authenticates the API, whoever is signed in: without a signature, 401 and nothing else."""
    admin = sign_in(Client(), cast.staff["admin"])
    sent = hms.batch("people", PEOPLE).json()
    for method, path in (("POST", SUBMIT), ("GET", f"/api/feed/v1/batches/{sent['id']}")):
        response = admin.generic(
            method,
            path,
            json.dumps({"batch_key": "k", "rows": PEOPLE}),
            content_type="application/json",
            REMOTE_ADDR=hms.address,
        )
        assert response.status_code == 401
        assert sent["id"] not in response.content.decode()
    assert FeedBatch.objects.count() == 1


def test_every_request_accepted_or_refused_is_logged(hms: Hms, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="porch.integrations"):
        hms.batch("people", PEOPLE)
        hms.batch("people", PEOPLE, secret="porch_feed_wrong")
        hms.get("/api/feed/v1/entities/people/batches")  # a method it does not take
    lines = [record.getMessage() for record in caplog.records if record.name == "porch.integrations"]
    assert len(lines) == 3
    assert f"connection {hms.connection.uuid}: 202 accepted" in lines[0]
    assert f"from {hms.address}" in lines[0]
    assert "(not admitted): 401 The signature does not match" in lines[1]
    assert lines[2].endswith("(not admitted): 405 refused")


def test_the_connection_notes_when_it_was_last_used(hms: Hms) -> None:
    assert hms.connection.last_used_at is None
    hms.get("/api/feed/v1/openapi.json")
    assert Connection.objects.get(pk=hms.connection.pk).last_used_at is not None


def test_the_signature_is_over_the_lines_the_docs_describe() -> None:
    """The example in docs/feed-api.md, worked by hand: a change here breaks every integrator."""
    import hashlib
    import hmac

    body = b'{"batch_key":"k","rows":[]}'
    text = f"POST\n{SUBMIT}\n1764460800\nabcdefghijklmnop\n{hashlib.sha256(body).hexdigest()}".encode()
    expected = hmac.new(b"porch_feed_secret", text, hashlib.sha256).hexdigest()
    assert signing.signature("porch_feed_secret", "POST", SUBMIT, "1764460800", "abcdefghijklmnop", body) == expected


def test_a_session_still_setting_up_two_factor_is_answered_like_any_other(cast: Cast, hms: Hms) -> None:
    """Not sent to set up two-factor: the API has nothing to do with a browser's session."""
    from conftest import make_staff

    unverified = make_staff("new@staff.example.org", ["sysadmin"], [])
    unverified.totpdevice_set.all().delete()
    client = Client()
    client.force_login(unverified)
    response = client.get("/api/feed/v1/openapi.json", REMOTE_ADDR=hms.address)
    assert response.status_code == 401
    assert list(response.json()) == ["error"]
