"""Demo messages: Alice's thread to the housing team, shared with Bob, with a reply from the
north patch's housing officer and Alice's question back, so `make run` shows a conversation to
the resident and puts it in the housing team's inbox, waiting for a reply. Alice and Bob each
have the notification the officer's reply sent ("Notifications"), in the portal's list only. Written directly, like the rest of the demo data. A second call
adds nothing."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from porch.accounts.models import User
from porch.core.modules import DemoLogin
from porch.housing.cast import demo_email
from porch.housing.models import Membership
from porch.messages.models import Message, Thread
from porch.messages.services import TOLD_SUBJECT, TOLD_TEXT
from porch.messages.teams import Team, Topic
from porch.notifications.kinds import Kind
from porch.notifications.models import Notification

HOUR = datetime.timedelta(hours=1)


def demo_messages() -> list[DemoLogin]:
    officer = User.objects.filter(username=demo_email("housing.north")).first()
    alice = Membership.objects.current().filter(person__email=demo_email("alice")).select_related("tenancy").first()
    if officer is None or alice is None or Thread.objects.filter(tenancy=alice.tenancy).exists():
        return []  # the demo cast is not loaded, or this ran already
    started = timezone.now() - 30 * HOUR
    thread = Thread.objects.create(
        tenancy=alice.tenancy,
        started_by_id=alice.person_id,
        subject="Parking space for a carer",
        topic=Topic.HOME,
        team=Team.HOUSING,
        assigned_to=officer,
        started_at=started,
        last_at=started + 26 * HOUR,
        awaiting_staff=True,
    )
    Message.objects.create(
        thread=thread,
        tenancy=alice.tenancy,
        kind=Message.Kind.RESIDENT,
        person_id=alice.person_id,
        text="My mother's carer visits every morning. Can she use the visitor space by the bins?",
        published=True,
        at=started,
    )
    Message.objects.create(
        thread=thread,
        tenancy=alice.tenancy,
        kind=Message.Kind.STAFF,
        by=officer,
        text="Yes. I have added the carer's car to the permit list for the visitor space. It starts on Monday.",
        published=True,
        at=started + 20 * HOUR,
    )
    Message.objects.create(
        thread=thread,
        tenancy=alice.tenancy,
        kind=Message.Kind.RESIDENT,
        person_id=alice.person_id,
        text="Thank you. Does she need a paper permit in the car window?",
        published=True,
        at=started + 26 * HOUR,
    )
    _told_of_reply(thread, [alice.person_id, *_joint_tenants(alice)])
    return []


def _joint_tenants(alice: Membership) -> list[int]:
    holders = Membership.objects.current().account_holders().filter(tenancy_id=alice.tenancy_id)
    return list(holders.exclude(person_id=alice.person_id).values_list("person_id", flat=True))


def _told_of_reply(thread: Thread, people: list[int]) -> None:
    """The notices services.tell_residents gives, written directly: the demo sends nothing."""
    for person_id in people:
        Notification.objects.create(
            person_id=person_id,
            kind=Kind.MESSAGES,
            subject=TOLD_SUBJECT,
            text=TOLD_TEXT,
            link=reverse("messages:detail", args=[thread.uuid]),
        )
