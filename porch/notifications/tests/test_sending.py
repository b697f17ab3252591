"""notify(): who is told by which channel, sent by the worker after commit, retried, with a status."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import Cast
from porch.core.models import TestOutboxMessage
from porch.core.sms import OutboxSmsBackend
from porch.notifications import delivery
from porch.notifications.kinds import Channel, Kind
from porch.notifications.models import Delivery, Preference

from .helpers import REPAIR_TEXT, body_of, channels, person, real_smtp, tell
from .notify_server import API_KEY, EMAIL_TEMPLATE, SMS_TEMPLATE, notify_server

TASK = "porch.notifications.delivery.delivery_send"


def test_by_default_email_goes_where_we_have_an_address_and_text_where_we_have_a_mobile(cast: Cast) -> None:
    assert channels(tell(cast, "alice")) == {Channel.EMAIL}
    bob = person(cast, "bob")
    bob.mobile = "07700 900123"
    bob.save()
    assert channels(tell(cast, "bob")) == {Channel.EMAIL, Channel.SMS}


def test_a_kind_turned_off_for_a_channel_is_not_sent_by_it_but_is_still_on_the_list(cast: Cast) -> None:
    Preference.objects.create(person=person(cast, "alice"), kind=Kind.REPAIRS, channel=Channel.EMAIL, enabled=False)
    notification = tell(cast, "alice")
    assert channels(notification) == set()
    assert channels(tell(cast, "alice", Kind.RENT)) == {Channel.EMAIL}


def test_required_notices_go_whatever_was_chosen(cast: Cast) -> None:
    for kind in (Kind.REPAIRS, Kind.RENT, Kind.CASES, Kind.MESSAGES):
        Preference.objects.create(person=person(cast, "alice"), kind=kind, channel=Channel.EMAIL, enabled=False)
    assert channels(tell(cast, "alice", Kind.ACCOUNT)) == {Channel.EMAIL}


def test_a_choice_for_a_required_kind_cannot_be_stored(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Preference.objects.create(person=person(cast, "alice"), kind=Kind.ACCOUNT, channel=Channel.EMAIL, enabled=False)


def test_sending_is_queued_after_commit_and_never_if_the_change_rolls_back(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tell(cast, "alice")
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1

    class Undone(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Undone), transaction.atomic():
        tell(cast, "bob")
        raise Undone
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1


def test_an_email_goes_through_a_real_smtp_server_and_says_nothing_personal(cast: Cast, settings: Any) -> None:
    notification = tell(cast, "alice")
    with real_smtp(settings) as mailbox:
        assert delivery.deliver(Delivery.objects.get(notification=notification).pk) == delivery.SENT
    [(recipients, message)] = mailbox.messages
    body = body_of(message)
    assert recipients == ["alice@example.org"]
    assert message["Subject"] == "There is an update on your repair"
    assert REPAIR_TEXT in body and "http://127.0.0.1:8000/repairs/" in body
    assert "/notifications/choices/" in body
    assert cast["ashton"].marker not in body and "Ashton" not in body
    sent = Delivery.objects.get(notification=notification)
    assert (sent.status, sent.attempts) == (Delivery.Status.SENT, 1) and sent.sent_at is not None


def test_a_failed_try_is_tried_again_later_then_shown_as_not_sent(cast: Cast, settings: Any) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},  # nothing listens there
        }
    }
    pk = Delivery.objects.get(notification=tell(cast, "alice")).pk
    now = timezone.now()
    assert delivery.deliver(pk, now=now) == delivery.RETRYING
    waiting = Delivery.objects.get(pk=pk)
    assert waiting.status == Delivery.Status.WAITING and waiting.attempts == 1
    assert waiting.next_try_at is not None and waiting.next_try_at >= now + datetime.timedelta(seconds=59)
    assert waiting.last_error == "ConnectionRefusedError"
    assert delivery.deliver(pk, now=now) == delivery.SKIPPED  # not due yet
    later = now + datetime.timedelta(hours=1)
    assert delivery.deliver(pk, now=later) == delivery.RETRYING
    assert delivery.deliver(pk, now=later + datetime.timedelta(hours=1)) == delivery.FAILED
    failed = Delivery.objects.get(pk=pk)
    assert (failed.status, failed.attempts, failed.next_try_at) == (Delivery.Status.FAILED, 3, None)


def test_the_address_is_read_when_sending_so_a_removed_one_gets_nothing(cast: Cast) -> None:
    notification = tell(cast, "alice")
    alice = person(cast, "alice")
    alice.email = ""
    alice.save()
    assert delivery.deliver(Delivery.objects.get(notification=notification).pk) == delivery.NO_ADDRESS
    assert Delivery.objects.get(notification=notification).status == Delivery.Status.NO_ADDRESS


def test_a_test_households_messages_land_in_the_test_outbox(cast: Cast, settings: Any) -> None:
    alice = person(cast, "alice")
    alice.is_test = True
    alice.save()
    notification = tell(cast, "alice")
    with real_smtp(settings) as mailbox:
        delivery.deliver(Delivery.objects.get(notification=notification).pk)
    assert mailbox.messages == []
    assert TestOutboxMessage.objects.get().to == "alice@example.org"


def test_a_text_goes_through_govuk_notify_with_a_signed_token(cast: Cast, settings: Any) -> None:
    bob = person(cast, "bob")
    bob.mobile = "07700 900123"
    bob.save()
    Preference.objects.create(person=bob, kind=Kind.REPAIRS, channel=Channel.EMAIL, enabled=False)
    notification = tell(cast, "bob")
    with notify_server() as notify:
        settings.SMS_BACKEND = "porch.notifications.govuk_notify.NotifySmsBackend"
        settings.NOTIFY_BASE_URL, settings.NOTIFY_API_KEY, settings.NOTIFY_SMS_TEMPLATE_ID = (
            notify.url,
            API_KEY,
            SMS_TEMPLATE,
        )
        assert delivery.deliver(Delivery.objects.get(notification=notification).pk) == delivery.SENT
    [text] = notify.texts()
    assert notify.refused == [] and OutboxSmsBackend.outbox == []
    assert text["phone_number"] == "07700 900123" and text["template_id"] == SMS_TEMPLATE
    assert text["personalisation"]["body"] == f"{REPAIR_TEXT} http://127.0.0.1:8000/repairs/"


def test_notify_refusing_the_key_or_failing_is_a_failed_try_with_a_safe_reason(cast: Cast, settings: Any) -> None:
    bob = person(cast, "bob")
    bob.mobile = "07700 900123"
    bob.save()
    first, second = tell(cast, "bob"), tell(cast, "bob")
    with notify_server() as notify:
        settings.SMS_BACKEND = "porch.notifications.govuk_notify.NotifySmsBackend"
        settings.NOTIFY_BASE_URL, settings.NOTIFY_SMS_TEMPLATE_ID = notify.url, SMS_TEMPLATE
        settings.NOTIFY_API_KEY = API_KEY[:-36] + "00000000-0000-4000-8000-000000000000"
        assert delivery.deliver(Delivery.objects.get(notification=first, channel=Channel.SMS).pk) == delivery.RETRYING
        settings.NOTIFY_API_KEY = API_KEY
        notify.failing_with = 500
        assert delivery.deliver(Delivery.objects.get(notification=second, channel=Channel.SMS).pk) == delivery.RETRYING
    assert notify.refused == ["Invalid token: signature, api token not found"] and notify.texts() == []
    reasons = set(Delivery.objects.filter(channel=Channel.SMS).values_list("last_error", flat=True))
    assert reasons == {"GOV.UK Notify answered 403 (AuthError)", "GOV.UK Notify answered 500 (Exception)"}


def test_emails_can_go_through_govuk_notify_too(cast: Cast, settings: Any) -> None:
    notification = tell(cast, "alice")
    with notify_server() as notify:
        settings.MAILERS = {"default": {"BACKEND": "porch.notifications.govuk_notify.NotifyEmailBackend"}}
        settings.NOTIFY_BASE_URL, settings.NOTIFY_API_KEY = notify.url, API_KEY
        settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE
        assert delivery.deliver(Delivery.objects.get(notification=notification).pk) == delivery.SENT
    [email] = notify.emails()
    assert email["email_address"] == "alice@example.org"
    assert email["personalisation"]["subject"] == "There is an update on your repair"
    assert email["personalisation"]["body"].startswith(REPAIR_TEXT)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_it_once_the_change_commits(cast: Cast, settings: Any) -> None:
    with real_smtp(settings) as mailbox:
        with transaction.atomic():
            notification = tell(cast, "alice")
            assert mailbox.messages == []
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert [recipients for recipients, _ in mailbox.messages] == [["alice@example.org"]]
    assert Delivery.objects.get(notification=notification).status == Delivery.Status.SENT


def test_the_cron_safety_net_sends_what_a_lost_task_left_waiting_once(cast: Cast, settings: Any) -> None:
    """The task that should have sent it never ran (its worker died, or its queue was emptied):
    `notifications_deliver` sends it, and running again sends nothing more."""
    notification = tell(cast, "alice")
    later = tell(cast, "bob")
    Delivery.objects.filter(notification=later).update(next_try_at=timezone.now() + datetime.timedelta(hours=1))
    with real_smtp(settings) as mailbox:
        call_command("notifications_deliver", stdout=(said := io.StringIO()))
        call_command("notifications_deliver", stdout=io.StringIO())
    assert [recipients for recipients, _ in mailbox.messages] == [["alice@example.org"]]
    assert said.getvalue().startswith("Sent 1, ")
    assert Delivery.objects.get(notification=notification).status == Delivery.Status.SENT
    assert Delivery.objects.get(notification=later).status == Delivery.Status.WAITING  # not due yet
