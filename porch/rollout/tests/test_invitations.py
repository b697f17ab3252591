from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import Cast, sign_in
from porch.housing.models import Membership, Person
from porch.rollout.invitations import STALLED_AFTER, invitation_batch_send, invitations_queue
from porch.rollout.models import Cohort, Invitation


@pytest.fixture
def newcomers(cast: Cast) -> list[Person]:
    """Five joint tenants of the Coles with no accounts: four with email, one with a mobile only."""
    people = []
    for number in range(5):
        person = Person.objects.create(
            housing_reference=f"P80{number}",
            first_name=f"New{number}",
            last_name="Cole",
            date_of_birth=datetime.date(1990, 1, 1),
            email=f"new{number}@example.org" if number < 4 else "",
            mobile="07700900555" if number == 4 else "",
        )
        Membership.objects.create(
            tenancy=cast["cole"].tenancy, person=person, role="joint_tenant", start_date=datetime.date(2020, 1, 1)
        )
        people.append(person)
    return people


def queue(cast: Cast, django_capture_on_commit_callbacks) -> Cohort:
    from porch.accounts.actors import actor_for_user

    pilot = Cohort.objects.get(name="Pilot")
    with django_capture_on_commit_callbacks(execute=True):
        invitations_queue(actor=actor_for_user(cast.staff["dpo"], verified=True), cohort=pilot)
    return pilot


# The worker commits and checks its connection between tasks, as in production:
# these tests run it outside the usual per-test transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_everyone_without_an_account_is_invited_once_by_the_worker(
    cast: Cast, newcomers, django_capture_on_commit_callbacks
) -> None:
    pilot = queue(cast, django_capture_on_commit_callbacks)
    queue(cast, django_capture_on_commit_callbacks)  # asking twice queues nobody twice
    assert Invitation.objects.count() == 5
    assert not Invitation.objects.filter(person__user__isnull=False).exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert Invitation.objects.filter(status="sent").count() == 5
    assert sorted(message.to[0] for message in mail.outbox) == [f"new{n}@example.org" for n in range(4)]
    assert "/sign-up/" in mail.outbox[0].body
    progress = sign_in(Client(), cast.staff["dpo"]).get(f"/staff/cohorts/{pilot.uuid}/invitations/").content.decode()
    assert 'Sent</dt><dd class="govuk-summary-list__value">5' in progress


def test_a_crashed_worker_resumes_without_sending_anyone_two(
    cast: Cast, newcomers, django_capture_on_commit_callbacks, settings
) -> None:
    settings.INVITATION_BATCH_SIZE = 10
    pilot = queue(cast, django_capture_on_commit_callbacks)
    sends: list[str] = []

    def crash_on_the_third(invitation: Invitation) -> None:
        if len(sends) == 2:
            raise SystemExit("the worker died")
        sends.append(invitation.person.housing_reference)

    with pytest.raises(SystemExit):
        invitation_batch_send(pilot.pk, deliver=crash_on_the_third)
    invitation_batch_send(pilot.pk, deliver=lambda invitation: sends.append(invitation.person.housing_reference))
    assert len(sends) == 4 and max(Counter(sends).values()) == 1
    # The one in hand when the worker died is never sent again: it waits for a person to check.
    assert Counter(Invitation.objects.values_list("status", flat=True)) == {"sent": 4, "sending": 1}


def test_a_chain_a_killed_worker_left_is_started_again_from_cron(
    cast: Cast, newcomers, django_capture_on_commit_callbacks, settings
) -> None:
    """The worker died mid-batch, its task with it: the rest wait with nothing to send them."""
    settings.INVITATION_BATCH_SIZE = 10
    pilot = queue(cast, django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()  # the killed worker's task: it will never run again

    def killed_on_the_third(invitation: Invitation) -> None:
        if Invitation.objects.filter(status="sent").count() == 2:
            raise SystemExit("the worker was killed")

    with pytest.raises(SystemExit):
        invitation_batch_send(pilot.pk, deliver=killed_on_the_third)
    call_command("invitations_resume", stdout=StringIO())
    assert not DBTaskResult.objects.exists()  # claimed a moment ago: it may still be sending
    Invitation.objects.update(claimed_at=timezone.now() - STALLED_AFTER - datetime.timedelta(seconds=1))
    out = StringIO()
    call_command("invitations_resume", stdout=out)
    assert "resumed for 1 cohort(s): Pilot" in out.getvalue()
    assert DBTaskResult.objects.get().args_kwargs["args"] == [pilot.pk]
    settings.INVITATIONS_PER_HOUR = 2  # already sent two this hour: the cap holds the rest
    DBTaskResult.objects.all().delete()
    call_command("invitations_resume", stdout=StringIO())
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_hourly_cap_holds_the_rest_for_later(
    cast: Cast, newcomers, django_capture_on_commit_callbacks, settings
) -> None:
    settings.INVITATIONS_PER_HOUR = 2
    queue(cast, django_capture_on_commit_callbacks)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert Invitation.objects.filter(status="sent").count() == 2
    assert Invitation.objects.filter(status="queued").count() == 3
    later = DBTaskResult.objects.filter(status="READY").get()
    assert later.run_after is not None and later.run_after > datetime.datetime.now(
        tz=datetime.UTC
    ) + datetime.timedelta(minutes=50)


def test_a_closed_cohort_invites_nobody(cast: Cast, newcomers) -> None:
    from porch.accounts.actors import actor_for_user

    pilot = Cohort.objects.get(name="Pilot")
    pilot.status = Cohort.Status.CLOSED
    pilot.save()
    with pytest.raises(ValueError, match="Open the cohort"):
        invitations_queue(actor=actor_for_user(cast.staff["dpo"], verified=True), cohort=pilot)
