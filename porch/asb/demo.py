"""Demo anti-social behaviour: Alice has reported noise from a flat in her block, with a diary
entry, a risk assessment, an internal note, and one published update (the action plan), so
`make run` shows the report to Alice and the case to the ASB officer (asb@demo.porch.test, a
login the demo cast already has). Written directly, like the rest of the demo data, not through
the audited services: nobody made it. A second call adds nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from porch.accounts.models import User
from porch.asb import services
from porch.asb.models import AsbCase, AsbEntry
from porch.core.modules import DemoLogin
from porch.housing.cast import demo_email
from porch.housing.models import Membership

DAY = datetime.timedelta(days=1)


def demo_asb() -> list[DemoLogin]:
    officer = User.objects.filter(username=demo_email("asb")).first()
    alice = Membership.objects.current().filter(person__email=demo_email("alice")).select_related("tenancy").first()
    if officer is None or alice is None or AsbCase.objects.filter(reporter_id=alice.person_id).exists():
        return []  # the demo cast is not loaded, or this ran already
    moment = timezone.now() - 10 * DAY
    case = AsbCase.objects.create(
        reference=services.new_reference(),
        reporter_id=alice.person_id,
        tenancy=alice.tenancy,
        reported_at=moment,
        what_happened="Loud music and shouting from the flat above until 3am, most nights.",
        happened_when="Most nights for the last two weeks, from about 11pm to 3am",
        where=AsbCase.Where.BLOCK,
        where_detail="The flat above mine",
        who_involved="The people in the flat above (I think number 12)",
        risk=AsbCase.Risk.LOW,
        risk_reason="Noise only; no threats made. Alice does not feel at risk.",
    )
    entries = [
        (AsbEntry.Kind.REPORTED, "", "", True, None),
        (AsbEntry.Kind.DIARY, "Music again until 2am, with banging on the floor.", "Saturday night", True, None),
        (AsbEntry.Kind.RISK, "Low: noise only, no threats made.", "", False, officer),
        (AsbEntry.Kind.NOTE, "Noise nuisance: check for other reports from the block.", "", False, officer),
        (
            AsbEntry.Kind.PLAN,
            "We will write to the household concerned without saying who reported it, and ask you to keep "
            "your diary for two more weeks. If it goes on, we will arrange noise monitoring.",
            "",
            True,
            officer,
        ),
    ]
    for offset, (kind, text, when, published, by) in enumerate(entries):
        AsbEntry.objects.create(
            case=case,
            reporter_id=alice.person_id,
            kind=kind,
            text=text,
            happened_when=when,
            published=published,
            by=by,
            at=moment + offset * 2 * DAY,
        )
    return []
