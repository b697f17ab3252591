"""Demo complaints: a complaints handler login, and a complaint from Alice's household at stage 1,
acknowledged, with its response due, so `make run` shows the clocks to the resident and puts it
in the complaints queue.

Written directly, like the rest of the demo data, not through the audited services: nobody made
it. A second call adds nothing. The login shares the demo password (copied from a demo staff
login) and gets the fixed two-step key the demo seeder gives its staff, so
`make demo-code WHO=complaints` prints its code."""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from porch.accounts.models import RoleGrant, User
from porch.complaints import clocks, services
from porch.complaints.models import Complaint, ComplaintEntry, ComplaintStage
from porch.core.modules import DemoLogin
from porch.core.roles import StaffRole
from porch.housing.cast import demo_email
from porch.housing.models import Membership

HANDLER = "complaints"
DAY = datetime.timedelta(days=1)


def demo_complaints() -> list[DemoLogin]:
    template = User.objects.filter(username=demo_email("housing.north")).first()
    if template is None or User.objects.filter(username=demo_email(HANDLER)).exists():
        return []  # the demo cast is not loaded, or this ran already
    handler = _handler(template.password)
    alice = Membership.objects.current().filter(person__email=demo_email("alice")).select_related("tenancy").first()
    if alice is not None:
        _alices_complaint(alice, handler)
    return [
        DemoLogin(
            demo_email(HANDLER),
            StaffRole.COMPLAINTS_HANDLER,
            "Complaints handler: the complaints queue by clock, Alice's complaint at stage 1, the yearly figures",
        )
    ]


def _handler(password: str) -> User:
    username = demo_email(HANDLER)
    user = User.objects.create(
        username=username,
        email=username,
        password=password,
        kind=User.Kind.STAFF,
        training_completed_on=timezone.localdate() - 60 * DAY,
    )
    RoleGrant.objects.create(user=user, role=StaffRole.COMPLAINTS_HANDLER)
    key = hashlib.sha1(f"porch-demo:{username}".encode(), usedforsecurity=False).hexdigest()
    TOTPDevice.objects.create(user=user, name="Demo authenticator", key=key, confirmed=True)
    return user


def _alices_complaint(alice: Membership, handler: User) -> None:
    """Made six days ago and acknowledged the next day (the English code; SPSO stage 1 has no
    acknowledgement): the response is due."""
    region = clocks.region()
    nation = clocks.nation_of(region)
    today = timezone.localdate()
    received = today - 6 * DAY
    acknowledged = received + DAY
    complaint = Complaint.objects.create(
        reference=services.new_reference(),
        tenancy=alice.tenancy,
        raised_by_id=alice.person_id,
        received_on=received,
        about=(
            "The extractor fan in our bathroom was reported weeks ago and is still not fixed. Nobody came on "
            "the day we were given, and nobody called to say why."
        ),
        wanted="Fix the fan, and tell us why the visit was missed.",
        nation=nation,
        region=region,
        stage1_handler=handler,
    )
    stage = ComplaintStage.objects.create(
        complaint=complaint,
        tenancy=alice.tenancy,
        number=1,
        received_on=received,
        acknowledge_by=clocks.acknowledge_by(received, nation, 1, region),
        acknowledged_on=acknowledged if nation == clocks.ENGLAND else None,
        respond_by=clocks.respond_by(received, acknowledged, nation, 1, region),
    )
    complaint.due_on = services.next_due(stage)
    complaint.save(update_fields=["due_on"])
    moment = timezone.now() - 6 * DAY
    entries = [
        (ComplaintEntry.Kind.RAISED, "", True, None),
        (ComplaintEntry.Kind.ACKNOWLEDGED, "We will respond by the date shown.", True, handler),
        (ComplaintEntry.Kind.NOTE, "Asked the repairs team for the job history of the fan.", False, handler),
    ]
    for offset, (kind, text, published, by) in enumerate(entries):
        ComplaintEntry.objects.create(
            complaint=complaint,
            tenancy=alice.tenancy,
            kind=kind,
            text=text,
            published=published,
            by=by,
            at=moment + offset * DAY,
        )
