"""Invitations to a cohort, sent by the task worker in batches under an hourly cap.

Each invitation is claimed (QUEUED -> SENDING, committed) before it is sent and
marked SENT after. A worker that dies between the two leaves it in SENDING,
where it stays for a person to check: it is never sent twice.

A worker killed mid-batch also takes the chain of batches with it (the next batch is queued
when one ends), so `resume_stalled` (`manage.py invitations_resume`, from cron) starts it
again for any open cohort with invitations waiting, room under the hourly cap, and none
claimed for STALLED_AFTER."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.tasks import task
from django.utils import timezone

from porch.audit.services import record
from porch.core import notify
from porch.core.actor import Actor
from porch.housing.models import Membership, Person
from porch.rollout.models import Cohort, CohortHomes, Invitation

HOUR = datetime.timedelta(hours=1)
# A batch claims an invitation every second or so: this long without one, with room under the
# cap, and nothing is sending them.
STALLED_AFTER = datetime.timedelta(minutes=5)


def people_to_invite(cohort: Cohort) -> list[Person]:
    """Lead and joint tenants and homeowners, in the cohort's homes now, with no
    account yet and an email or mobile on record (the rest get letters from staff)."""
    places = CohortHomes.objects.filter(cohort=cohort, active=True)
    in_cohort = Q(pk__in=[])
    for place in places:
        if place.patch_id:
            in_cohort |= Q(tenancy__property__block__estate__patch_id=place.patch_id)
        elif place.estate_id:
            in_cohort |= Q(tenancy__property__block__estate_id=place.estate_id)
        elif place.block_id:
            in_cohort |= Q(tenancy__property__block_id=place.block_id)
        else:
            in_cohort |= Q(tenancy_id=place.tenancy_id)
    memberships = Membership.objects.current().account_holders().filter(in_cohort).filter(person__user__isnull=True)
    people = Person.objects.filter(id__in=memberships.values("person_id")).exclude(email="", mobile="")
    return list(people)


def invitations_queue(*, actor: Actor, cohort: Cohort, request: HttpRequest | None = None) -> int:
    """Queue one invitation per person (asking twice queues nobody twice) and wake the worker."""
    if cohort.status != Cohort.Status.OPEN:
        raise ValueError("Open the cohort before inviting anyone.")
    people = people_to_invite(cohort)
    with transaction.atomic():
        before = Invitation.objects.filter(cohort=cohort).count()
        Invitation.objects.bulk_create(
            [Invitation(cohort=cohort, person=person, channel="email" if person.email else "sms") for person in people],
            ignore_conflicts=True,
        )
        queued = Invitation.objects.filter(cohort=cohort).count() - before
        record(
            actor=actor,
            action="create",
            object_type="invitations",
            object_id=cohort.uuid,
            reason=f"{queued} queued",
            request=request,
        )
        transaction.on_commit(lambda: send_invitations.enqueue(cohort.pk))
    return queued


@task()
def send_invitations(cohort_id: int) -> int:
    """One batch; if more are waiting, the next batch is scheduled when the hourly cap allows."""
    sent = invitation_batch_send(cohort_id)
    if Invitation.objects.filter(cohort_id=cohort_id, status=Invitation.Status.QUEUED).exists():
        send_invitations.using(run_after=next_slot()).enqueue(cohort_id)
    return sent


def resume_stalled() -> list[Cohort]:
    """Start sending again for each open cohort whose invitations wait with nobody sending
    them (its worker was killed or restarted mid-batch). Should a batch still be on its way,
    both claim each invitation before sending it, so nobody is invited twice."""
    if sent_in_the_last_hour() >= settings.INVITATIONS_PER_HOUR:
        return []  # the cap holds them: a batch is scheduled for when it allows
    lately = timezone.now() - STALLED_AFTER
    stalled = list(
        Cohort.objects.filter(status=Cohort.Status.OPEN, invitations__status=Invitation.Status.QUEUED)
        .exclude(invitations__claimed_at__gt=lately)
        .distinct()
    )
    for cohort in stalled:
        send_invitations.enqueue(cohort.pk)
    return stalled


def invitation_batch_send(cohort_id: int, deliver: Callable[[Invitation], None] | None = None) -> int:
    """Send up to a batch, one claim at a time, so a crash leaves at most one in doubt."""
    deliver = deliver or deliver_invitation
    room = min(settings.INVITATION_BATCH_SIZE, settings.INVITATIONS_PER_HOUR - sent_in_the_last_hour())
    sent = 0
    for _ in range(max(room, 0)):
        invitation = _claim_one(cohort_id)
        if invitation is None:
            break
        if not still_wanted(invitation):
            Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.CANCELLED)
            continue
        try:
            deliver(invitation)
        except OSError as error:  # the mail or SMS server refused it
            Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.FAILED, error=str(error)[:300])
            continue
        Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.SENT, sent_at=timezone.now())
        sent += 1
    return sent


def still_wanted(invitation: Invitation) -> bool:
    """Checked again when sending: the cohort is still open, and the person is still
    in it and still has no account."""
    cohort = invitation.cohort
    return cohort.status == Cohort.Status.OPEN and any(
        person.pk == invitation.person_id for person in people_to_invite(cohort)
    )


def _claim_one(cohort_id: int) -> Invitation | None:
    """Take the next queued invitation for this worker; committed before it is sent."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(skip_locked=True)
            .filter(cohort_id=cohort_id, status=Invitation.Status.QUEUED)
            .select_related("person", "cohort")
            .order_by("id")
            .first()
        )
        if invitation is None:
            return None
        invitation.status = Invitation.Status.SENDING
        invitation.claimed_at = timezone.now()
        invitation.save(update_fields=["status", "claimed_at"])
    return invitation


def sent_in_the_last_hour() -> int:
    return Invitation.objects.filter(sent_at__gt=timezone.now() - HOUR).count()


def next_slot() -> datetime.datetime:
    """When the oldest send of the last hour falls out of the window (or now, if there is room)."""
    oldest = (
        Invitation.objects.filter(sent_at__gt=timezone.now() - HOUR)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    if oldest is None or sent_in_the_last_hour() < settings.INVITATIONS_PER_HOUR:
        return timezone.now()
    return oldest + HOUR


def deliver_invitation(invitation: Invitation) -> None:
    person = invitation.person
    link = f"{settings.PORTAL_URL.rstrip('/')}/sign-up/"
    body = (
        f"Hello {person.first_name}, you can now use {settings.LANDLORD_NAME}'s online service to see your "
        f"tenancy and documents. Create your account at {link} with your tenancy reference, date of birth and "
        f"postcode. If you did not expect this, call us on {settings.LANDLORD_PHONE}."
    )
    if invitation.channel == "email":
        notify.email(
            to=person.email, subject=f"Your {settings.LANDLORD_NAME} online account", body=body, is_test=person.is_test
        )
    else:
        notify.text(to=person.mobile, body=body, is_test=person.is_test)


def progress(cohort: Cohort) -> dict[str, int]:
    counts = dict(Invitation.objects.filter(cohort=cohort).values_list("status").annotate(n=Count("id")))
    signed_up = Invitation.objects.filter(cohort=cohort, person__user__isnull=False).count()
    return {status: counts.get(status, 0) for status in Invitation.Status.values} | {"signed_up": signed_up}
