"""What a team's message inbox and the complaints queue cost as the landlord grows (issue 14):
at 1,000 homes and at 150,000 homes with about 500,000 messages and 20,000 complaints.

Load threads, messages and complaints into a PostgreSQL database (idempotent and resumable: a
second run adds none):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_bench_cases \\
        DEBUG=1 .venv/bin/python bench/cases_pages.py load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_bench_cases_1k \\
        DEBUG=1 .venv/bin/python bench/cases_pages.py load --homes 1000

`load` migrates, seeds --homes demo homes if the database has none (the demo's logins, Alice's
thread and complaint with them), switches messages and complaints on in the demo pilot if a
database seeded before them lacks them, adds a second complaints handler (stage 2 must be
someone else), then, home by home, over the last three years:

- message threads (none to four a home, 1.13 on average, about 3 messages each: 3.3 to 3.5
  messages a home), each to the team its topic goes to (porch.messages.teams), one in seven
  of a joint tenancy's private to the tenant who started it, about half taken by the team's
  demo login where it has one; the household and the team take turns, and an old thread
  ends with the team's reply (one in fifty left waiting), so the threads waiting for the
  team are mostly the last few days';
- complaints (4.5% of homes a year make one), stage 1 on the clocks of
  porch.complaints.clocks as complaint_make starts them: acknowledged within 5 working
  days (one in twenty late), one in twelve extended with a reason, one in five answered
  up to 15 working days late and one in a hundred 20 to 120; 18% taken to stage 2 by a different handler;
  closed some days after the response; each with its stages and the timeline entries the
  services write. Whatever would happen after today has not happened yet, so the open
  complaints (a few percent) are those of the last weeks, and the late ones.

Each batch of blocks is one transaction, keyed by its first thread's deterministic
idempotency key, so a stopped run resumes where it stopped. Every home's threads and
complaints come from a generator seeded with its tenancy's reference. Then every table is
analysed: with autovacuum off (as on the bench's server) nothing seed_demo loaded has
statistics, and the planner's guesses are not what a live database would run.

A queue view shows up to 50 complaints. At 1,000 homes a proportional share of open
complaints is a handful, and a page of 3 against a page of 50 measures the page's length,
not the table's size; so after the homes, `load` tops each clock (overdue, due within two
working days) up to QUEUE_FLOOR open complaints, at either size, so every view compared is a
full page; and each team's inbox up to QUEUE_FLOOR threads waiting for a reply (its default
view), marking the newest threads not waiting. Clocks are dates: load and measure on the same day (a later day moves complaints
from due soon to overdue; a second `load` tops them up again).

Measure both sizes, interleaved:

    DEBUG=1 .venv/bin/python bench/cases_pages.py measure \\
        --small postgres://postgres@127.0.0.1:5432/porch_bench_cases_1k \\
        --large postgres://postgres@127.0.0.1:5432/porch_bench_cases [--requests 100] [--explain]

One worker process per database (bench/_measure.py): Django on it, DEBUG off, the staff
logins signed in past two-step sign-in. For each page and size: queries per request, the
median wall time and process CPU time of a request through the whole stack, the audit rows'
write apart. --explain prints each page's slowest queries and EXPLAIN ANALYZE of its two
slowest reads.
"""

from __future__ import annotations

import argparse
import datetime
import html
import random
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The pages: (login, address, how many times to follow the page's "Next" link first). "thread"
# and "complaint" are Alice's (the demo's own, the same at both sizes).
# The inbox shows the threads waiting for a reply unless asked for all (?show=all).
INBOX, QUEUE = "/staff/messages/?show=all", "/staff/complaints/"
PAGES: dict[str, tuple[str, str, int]] = {
    "Inbox, first page (customer services)": ("customer.services", INBOX, 0),
    "Inbox, third page (customer services)": ("customer.services", INBOX, 2),
    "Inbox, first page (housing officer, one patch)": ("housing.north", INBOX, 0),
    "Inbox, waiting for a reply (customer services)": ("customer.services", "/staff/messages/", 0),
    "Inbox, taken by me (housing officer)": ("housing.north", "/staff/messages/?show=mine", 0),
    "Thread page (Alice's)": ("customer.services", "thread", 0),
    "Complaints queue (every open)": ("complaints", QUEUE, 0),
    "Complaints queue, second page": ("complaints", QUEUE, 1),
    "Complaints queue (due soon)": ("complaints", QUEUE + "?clock=due_soon", 0),
    "Complaints queue (overdue)": ("complaints", QUEUE + "?clock=overdue", 0),
    "Complaint page (Alice's)": ("complaints", "complaint", 0),
}
# What each page shows, from its context.
ROWS = ("threads", "messages_on", "complaints", "entries")
# The keys of what this script adds: uuid5 of this namespace and the home.
NAMESPACE = uuid.UUID("0e3f7c1a-6b52-4f1e-9d0a-3a7c5be1c214")
YEARS = 3
HOMES_A_BATCH = 2_000
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
# Each clock of the queue holds at least this many open complaints: more than a page of 50.
QUEUE_FLOOR = 60
SECOND_HANDLER = "bench-complaints-2@example.org"

THREADS_A_HOME = ((0, 38), (1, 30), (2, 18), (3, 9), (4, 5))  # (threads, weight): 1.13 a home
MESSAGES_A_THREAD = ((1, 12), (2, 52), (3, 6), (4, 16), (5, 4), (6, 6), (7, 2), (8, 2))  # 3.1 with the replies
TOPICS = (("repair", 30), ("rent", 20), ("home", 25), ("complaint", 5), ("other", 20))
SUBJECTS = {
    "repair": ("Repair not finished", "When is the plumber coming?", "Damp in the bedroom", "Broken window"),
    "rent": ("Housing Benefit change", "My rent statement", "Paying by Direct Debit", "Missed payment"),
    "home": ("Parking permit", "A pet in the flat", "Lodger", "Swapping homes", "Noise from the bins"),
    "complaint": ("About my complaint", "Complaint reference", "Still waiting on my complaint"),
    "other": ("Change of phone number", "Letter I received", "Garden waste", "Help with the website"),
}
RESIDENT_TEXT = "Could you let me know what happens next? I am at home most mornings."
STAFF_TEXT = "Thank you for your message. I have passed this on and will come back to you this week."

COMPLAINTS_A_YEAR = 0.045  # the chance a home makes a complaint in a year
ABOUT = (
    "The repair to our kitchen ceiling was booked three times and nobody came.",
    "We were told the damp would be treated in the spring and nothing has happened.",
    "The caretaker spoke to my son rudely about the bins.",
    "My rent account shows a payment I did not make.",
)
WANTED = "An apology, and the work done by a date I can rely on."
OUTCOMES = (("upheld", 40), ("partly", 25), ("not_upheld", 35))


def weighted(rng: random.Random, choices: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


# --- Loading ---------------------------------------------------------------------------------


@dataclass
class Home:
    tenancy_id: int
    reference: str
    start: datetime.date
    block_id: int
    patch: str
    # Account holders: (person, the day they joined), the longest-standing first.
    holders: list[tuple[int, datetime.date]] = field(default_factory=list)

    def holder_on(self, rng: random.Random, day: datetime.date) -> int:
        """An account holder who was one on that day (the longest-standing if nobody was)."""
        members = [person for person, since in self.holders if since <= day]
        return rng.choice(members) if members else self.holders[0][0]


def load(options: argparse.Namespace) -> None:
    from bench.scratch import scratch_portal

    scratch_portal(homes=options.homes, prefix="porch-bench-cases-", if_empty=True)
    from django.db import connection, transaction

    from porch.complaints.models import Complaint
    from porch.messages.models import Message, Thread

    assert connection.vendor == "postgresql", "load into PostgreSQL: a ratio across engines means nothing"
    with transaction.atomic():
        _switched_on_in_the_pilot()
        _second_handler()
    started = time.monotonic()
    homes = _homes()
    batches = list(_batches(homes))
    writer = _Writer()
    done = added = 0
    for number, batch in enumerate(batches, 1):
        added += _load_batch(writer, batch)
        done += len(batch)
        rate = added / max(time.monotonic() - started, 0.001)
        print(f"  {done:,} of {len(homes):,} homes ({number}/{len(batches)}), {added:,} rows added, {rate:,.0f}/s")
    topped = _top_up_the_queue(writer, homes)
    print(f"Queue topped up with {topped} open complaints")
    print(f"Threads marked waiting for a reply to fill each team's first page: {_top_up_the_waiting()}")
    print("Analysing the tables (and the whole database)")
    with connection.cursor() as cursor:  # noqa: TID251 - a bench, not the portal
        for table in (
            "messaging_thread",
            "messaging_message",
            "complaints_complaint",
            "complaints_complaintstage",
            "complaints_complaintentry",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        # And every other table: a database with autovacuum off (as on the bench's server) has
        # no statistics for what seed_demo loaded, and the planner then hashes every tenancy to
        # find the household of 50 threads (60 ms, where the index takes 2).
        cursor.execute("ANALYZE")
    threads, messages, complaints = Thread.objects.count(), Message.objects.count(), Complaint.objects.count()
    open_ = Complaint.objects.filter(status=Complaint.Status.OPEN).count()
    print(
        f"{len(homes):,} homes: {threads:,} threads, {messages:,} messages ({messages / len(homes):.2f} a home), "
        f"{complaints:,} complaints, {open_:,} open ({open_ / max(complaints, 1):.1%})"
    )


def _switched_on_in_the_pilot() -> None:
    """A database seeded before messages or complaints has its demo pilot without them: switch
    them on there, as seed_demo now does (as repairs_pages.py does for repairs)."""
    from porch.rollout.models import Cohort, CohortModule

    for cohort in Cohort.objects.filter(status=Cohort.Status.OPEN, modules__module="documents").distinct():
        for module in ("messages", "complaints"):
            CohortModule.objects.get_or_create(cohort=cohort, module=module, defaults={"enabled": True})


def _second_handler() -> Any:
    """The handler of every loaded complaint's stage 2: never the stage 1 handler (a database
    constraint). No password: nobody signs in as it."""
    from django.utils import timezone

    from porch.accounts.models import RoleGrant, User
    from porch.core.roles import StaffRole

    user, made = User.objects.get_or_create(
        username=SECOND_HANDLER,
        defaults={"kind": User.Kind.STAFF, "training_completed_on": timezone.localdate() - 30 * DAY},
    )
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        RoleGrant.objects.create(user=user, role=StaffRole.COMPLAINTS_HANDLER)
    return user


def _homes() -> list[Home]:
    """Every live home with its account holders, block by block (test households left out)."""
    from porch.housing.models import Membership
    from porch.housing.synthetic import TEST_PATCH

    rows = (
        Membership.objects.current()
        .account_holders()
        .filter(tenancy__is_test=False)
        .exclude(tenancy__property__block__estate__patch__name=TEST_PATCH)
        .order_by("tenancy__property__block_id", "tenancy_id", "start_date", "person_id")
        .values_list(
            "tenancy_id",
            "tenancy__reference",
            "tenancy__start_date",
            "tenancy__property__block_id",
            "tenancy__property__block__estate__patch__name",
            "person_id",
            "start_date",
        )
    )
    homes: list[Home] = []
    for tenancy_id, reference, start, block_id, patch, person_id, since in rows.iterator(chunk_size=10_000):
        if not homes or homes[-1].tenancy_id != tenancy_id:
            homes.append(Home(tenancy_id, reference, start, block_id, patch))
        homes[-1].holders.append((person_id, since))
    return homes


def _batches(homes: list[Home]) -> Iterator[list[Home]]:
    """Whole blocks, about HOMES_A_BATCH homes a batch."""
    batch: list[Home] = []
    for home in homes:
        if len(batch) >= HOMES_A_BATCH and home.block_id != batch[-1].block_id:
            yield batch
            batch = []
        batch.append(home)
    if batch:
        yield batch


def _load_batch(writer: _Writer, batch: list[Home]) -> int:
    """One transaction: a batch is all there or not at all, so its first thread says whether it is."""
    from django.db import transaction

    from porch.complaints.models import Complaint, ComplaintEntry, ComplaintStage
    from porch.messages.models import Message, Thread

    writer.start()
    for home in batch:
        writer.threads_of(home)
        writer.complaints_of(home)
    if not writer.threads or Thread.objects.filter(idempotency_key=writer.threads[0].idempotency_key).exists():
        return 0
    with transaction.atomic():
        Thread.objects.bulk_create(writer.threads, batch_size=2_000)
        Message.objects.bulk_create(writer.messages, batch_size=5_000)
        Complaint.objects.bulk_create(writer.complaints, batch_size=2_000)
        ComplaintStage.objects.bulk_create(writer.stages, batch_size=5_000)
        ComplaintEntry.objects.bulk_create(writer.entries, batch_size=5_000)
    return len(writer.threads) + len(writer.messages) + len(writer.complaints)


@dataclass
class _Stage:
    """A stage as it would go if nothing stopped it, day by day; what happened by today is
    what `_Writer` keeps."""

    number: int
    received: datetime.date
    acknowledged: datetime.date | None
    extended_on: datetime.date | None
    extension_days: int
    responded: datetime.date
    outcome: str
    closed: datetime.date


class _Writer:
    """Builds threads and complaints as the services leave them, then as the teams moved them on."""

    def __init__(self) -> None:
        from django.utils import timezone

        from porch.accounts.models import User
        from porch.complaints import clocks
        from porch.housing.cast import demo_email

        self.now = timezone.now()
        self.today = timezone.localdate()
        self.region = clocks.region()
        self.nation = clocks.nation_of(self.region)
        logins = {
            local: User.objects.filter(username=demo_email(local)).values_list("pk", flat=True).first()
            for local in ("housing.north", "housing.south", "repairs", "income", "customer.services", "complaints")
        }
        # Who takes a team's threads: the team's demo login (housing: the officer of the patch).
        self.takers: dict[tuple[str, str], int | None] = {
            ("housing", "North"): logins["housing.north"],
            ("housing", "South"): logins["housing.south"],
            ("repairs", ""): logins["repairs"],
            ("income", ""): logins["income"],
            ("customer_services", ""): logins["customer.services"],
        }
        self.handlers = (logins["complaints"], User.objects.get(username=SECOND_HANDLER).pk)
        assert self.handlers[0], "no complaints handler: seed the demo (seed_demo) first"
        self.start()

    def start(self) -> None:
        from porch.complaints.models import Complaint, ComplaintEntry, ComplaintStage
        from porch.messages.models import Message, Thread

        self.threads: list[Thread] = []
        self.messages: list[Message] = []
        self.complaints: list[Complaint] = []
        self.stages: list[ComplaintStage] = []
        self.entries: list[ComplaintEntry] = []

    def _earliest(self, home: Home) -> datetime.datetime:
        from porch.repairs.models import start_of

        # In UTC: adding days to a time in London's zone adds wall-clock days, an hour out across a clock change.
        return max(self.now - YEARS * 365 * DAY, start_of(home.start).astimezone(datetime.UTC))

    # --- Threads ---

    def threads_of(self, home: Home) -> None:
        from porch.messages.models import Message, Thread
        from porch.messages.teams import TOPIC_TEAM

        rng = random.Random(f"threads:{home.reference}")  # noqa: S311 - bench data, seeded on purpose
        earliest = self._earliest(home)
        for number in range(weighted(rng, THREADS_A_HOME)):
            started = earliest + (self.now - earliest) * rng.random()
            topic = weighted(rng, TOPICS)
            team = TOPIC_TEAM[topic]
            starter = home.holder_on(rng, started.date())
            private = len(home.holders) > 1 and rng.random() < 1 / 7
            count = weighted(rng, MESSAGES_A_THREAD)
            if count % 2 and rng.random() > 0.02:
                count += 1  # the team answers the household's last message (one in fifty forgotten)
            moments = [started]
            for _ in range(count - 1):
                moments.append(moments[-1] + HOUR * rng.uniform(1, 72))
            turns = (Message.Kind.RESIDENT, Message.Kind.STAFF)
            # What would be written after now is not written yet.
            kinds = [(turns[turn % 2], at) for turn, at in enumerate(moments) if at <= self.now]
            taker = self.takers.get((team, home.patch if team == "housing" else ""))
            taken = taker if taker and rng.random() < 0.5 else None
            thread = Thread(
                tenancy_id=home.tenancy_id,
                private_to_id=starter if private else None,
                started_by_id=starter,
                subject=rng.choice(SUBJECTS[topic]),
                topic=topic,
                team=team,
                assigned_to_id=taken,
                started_at=started,
                last_at=kinds[-1][1],
                awaiting_staff=kinds[-1][0] == Message.Kind.RESIDENT,
                idempotency_key=uuid.uuid5(NAMESPACE, f"thread:{home.tenancy_id}:{number}"),
            )
            self.threads.append(thread)
            for kind, moment in kinds:
                resident = kind == Message.Kind.RESIDENT
                self.messages.append(
                    Message(
                        thread=thread,
                        tenancy_id=home.tenancy_id,
                        kind=kind,
                        person_id=starter if resident else None,
                        by_id=None if resident else taken,
                        text=RESIDENT_TEXT if resident else STAFF_TEXT,
                        published=True,
                        at=moment,
                    )
                )

    # --- Complaints ---

    def complaints_of(self, home: Home) -> None:
        rng = random.Random(f"complaints:{home.reference}")  # noqa: S311 - bench data, seeded on purpose
        earliest = self._earliest(home).date()
        span = (self.today - earliest).days
        for number in range(sum(rng.random() < COMPLAINTS_A_YEAR for _ in range(YEARS))):
            received = earliest + datetime.timedelta(days=int(span * rng.random()))
            first = self._plan(rng, 1, received)
            second = self._plan(rng, 2, first.responded + rng.randint(1, 40) * DAY) if rng.random() < 0.18 else None
            key = f"complaint:{home.tenancy_id}:{number}"
            self._complaint(rng, home, key, [first, second] if second else [first])

    def _plan(self, rng: random.Random, number: int, received: datetime.date) -> _Stage:
        """How the stage would go: acknowledged (one in twenty late), sometimes extended,
        answered on time four times in five, closed after."""
        from porch.complaints import clocks
        from porch.core.working_days import add_working_days

        acknowledge_by = clocks.acknowledge_by(received, self.nation, number, self.region)
        acknowledged = None
        if acknowledge_by is not None:
            acknowledged = add_working_days(received, rng.randint(6, 9) if rng.random() < 0.05 else rng.randint(1, 5))
        respond_by = clocks.respond_by(received, acknowledged, self.nation, number, self.region)
        extension = rng.randint(1, 5) if rng.random() < 1 / 12 else 0
        if extension:
            respond_by = clocks.extended(respond_by, extension, self.nation, number, self.region)
        chance = rng.random()
        if chance < 0.01:
            responded = add_working_days(respond_by, rng.randint(20, 120))  # long overdue
        elif chance < 0.21:
            responded = add_working_days(respond_by, rng.randint(1, 15))  # late
        else:
            since = acknowledged or received
            responded = since + datetime.timedelta(days=int((respond_by - since).days * rng.random()) + 1)
        return _Stage(
            number=number,
            received=received,
            acknowledged=acknowledged,
            extended_on=add_working_days(acknowledged or received, 3) if extension else None,
            extension_days=extension,
            responded=responded,
            outcome=weighted(rng, OUTCOMES),
            closed=responded + rng.randint(0, 10) * DAY,
        )

    def _complaint(self, rng: random.Random, home: Home, key: str, plans: list[_Stage]) -> None:
        """The complaint as it stands today: the stages begun by today, each with what of it has
        happened by today, its next deadline (services.next_due) and its timeline."""
        from porch.complaints.models import Complaint, ComplaintEntry

        stage1_handler = self.handlers[0]
        key_uuid = uuid.uuid5(NAMESPACE, key)
        begun = [plan for plan in plans if plan.received <= self.today]
        complaint = Complaint(
            reference="C" + _code(key_uuid.int),
            tenancy_id=home.tenancy_id,
            raised_by_id=home.holder_on(rng, begun[0].received),
            received_on=begun[0].received,
            about=rng.choice(ABOUT),
            wanted=WANTED,
            nation=self.nation,
            region=self.region,
            stage=len(begun),
            idempotency_key=key_uuid,
        )
        self.complaints.append(complaint)
        for plan, then in zip(begun, [*begun[1:], None], strict=True):
            stage = self._stage(complaint, plan)
            if then is None:
                self._stands(complaint, plan, stage)
            elif plan.closed < then.received:  # closed, then taken to stage 2
                self._entry(complaint, plan.number, ComplaintEntry.Kind.CLOSED, plan.closed, stage1_handler)

    def _stage(self, complaint: Any, plan: _Stage) -> Any:
        from porch.complaints import clocks
        from porch.complaints.models import ComplaintEntry, ComplaintStage

        Kind = ComplaintEntry.Kind
        today = self.today
        handler = self.handlers[plan.number - 1]
        acknowledged = plan.acknowledged if plan.acknowledged and plan.acknowledged <= today else None
        stage = ComplaintStage(
            complaint=complaint,
            tenancy_id=complaint.tenancy_id,
            number=plan.number,
            received_on=plan.received,
            acknowledge_by=clocks.acknowledge_by(plan.received, self.nation, plan.number, self.region),
            acknowledged_on=acknowledged,
            respond_by=clocks.respond_by(plan.received, acknowledged, self.nation, plan.number, self.region),
        )
        self.stages.append(stage)
        raised = Kind.RAISED if plan.number == 1 else Kind.ESCALATED
        self._entry(complaint, plan.number, raised, plan.received, None)
        if acknowledged:
            self._entry(complaint, plan.number, Kind.ACKNOWLEDGED, acknowledged, handler)
        if plan.extended_on and plan.extended_on <= today and plan.extended_on < plan.responded:
            stage.extended_to = clocks.extended(
                stage.respond_by, plan.extension_days, self.nation, plan.number, self.region
            )
            stage.extension_reason = "We are waiting for the contractor's report of the visit."
            self._entry(complaint, plan.number, Kind.EXTENDED, plan.extended_on, handler)
        if plan.responded <= today:
            stage.acknowledged_on = stage.acknowledged_on or (plan.responded if stage.acknowledge_by else None)
            stage.responded_on, stage.outcome = plan.responded, plan.outcome
            self._entry(complaint, plan.number, Kind.RESPONDED, plan.responded, handler)
        if acknowledged or stage.responded_on:
            setattr(complaint, f"stage{plan.number}_handler_id", handler)
        return stage

    def _stands(self, complaint: Any, plan: _Stage, stage: Any) -> None:
        """The complaint's status and next deadline from its current stage."""
        from porch.complaints.models import Complaint, ComplaintEntry
        from porch.complaints.services import next_due

        complaint.due_on = next_due(stage)
        if stage.responded_on and plan.closed <= self.today:
            complaint.status = Complaint.Status.CLOSED
            complaint.closed_at = _moment(plan.closed)
            handler = self.handlers[plan.number - 1]
            self._entry(complaint, plan.number, ComplaintEntry.Kind.CLOSED, plan.closed, handler)

    def _entry(self, complaint: Any, stage: int, kind: str, day: datetime.date, by: int | None) -> None:
        from porch.complaints.models import ComplaintEntry

        self.entries.append(
            ComplaintEntry(
                complaint=complaint,
                tenancy_id=complaint.tenancy_id,
                stage=stage,
                kind=kind,
                published=True,
                by_id=by,
                at=_moment(day),
            )
        )

    # --- The queue's floor ---

    def backlog(self, rng: random.Random, home: Home, clock: str, number: int) -> None:
        """An open complaint at stage 1, acknowledged, its response overdue or due within two
        working days: received so that its deadline falls there."""
        from porch.complaints import clocks
        from porch.complaints.forms import QueueFilterForm
        from porch.complaints.queue import DUE_SOON_WORKING_DAYS
        from porch.core.working_days import add_working_days

        soon = add_working_days(self.today, DUE_SOON_WORKING_DAYS)
        fitting = []
        for back in range(1, 120):
            received = self.today - back * DAY
            acknowledged = add_working_days(received, 1)
            deadline = clocks.respond_by(received, acknowledged, self.nation, 1, self.region)
            fits = deadline < self.today if clock == QueueFilterForm.OVERDUE else self.today <= deadline <= soon
            if fits and acknowledged <= self.today:
                fitting.append((received, acknowledged))
        received, acknowledged = rng.choice(fitting)
        plan = _Stage(1, received, acknowledged, None, 0, self.today + 365 * DAY, "", self.today + 400 * DAY)
        self._complaint(rng, home, f"backlog:{clock}:{number}", [plan])


def _top_up_the_waiting() -> int:
    """At least QUEUE_FLOOR threads waiting for a reply in each team's inbox, as for the queue:
    at 1,000 homes a proportional share is a couple, and the inbox's default view (waiting for a
    reply) would compare a page of 2 with a page of 50. The newest threads not waiting are
    marked waiting (a household's last word), so a second run marks none."""
    from porch.messages.models import Thread
    from porch.messages.teams import Team

    marked = 0
    for team in Team:
        inbox = Thread.objects.filter(team=team, is_test=False)
        short = QUEUE_FLOOR - inbox.filter(awaiting_staff=True).count()
        if short > 0:
            newest = inbox.filter(awaiting_staff=False).order_by("-last_at", "-id").values_list("pk", flat=True)[:short]
            marked += Thread.objects.filter(pk__in=list(newest)).update(awaiting_staff=True)
    return marked


def _top_up_the_queue(writer: _Writer, homes: list[Home]) -> int:
    """At least QUEUE_FLOOR open complaints overdue and as many due within two working days,
    each on a home picked by its number, so a second run adds none (until the days move)."""
    from django.db import transaction

    from porch.complaints.forms import QueueFilterForm
    from porch.complaints.models import Complaint, ComplaintEntry, ComplaintStage
    from porch.complaints.queue import DUE_SOON_WORKING_DAYS
    from porch.core.working_days import add_working_days

    open_ = Complaint.objects.filter(due_on__isnull=False, is_test=False)
    today = writer.today
    counts = {
        QueueFilterForm.OVERDUE: open_.filter(due_on__lt=today).count(),
        QueueFilterForm.DUE_SOON: open_.filter(
            due_on__gte=today, due_on__lte=add_working_days(today, DUE_SOON_WORKING_DAYS)
        ).count(),
    }
    writer.start()
    for clock, count in counts.items():
        number = 0
        while count < QUEUE_FLOOR:
            key = f"backlog:{clock}:{number}"
            if not Complaint.objects.filter(idempotency_key=uuid.uuid5(NAMESPACE, key)).exists():
                home = homes[(number * 7_919 + (clock == QueueFilterForm.OVERDUE) * 104_729) % len(homes)]
                writer.backlog(random.Random(key), home, clock, number)  # noqa: S311 - bench data, seeded on purpose
                count += 1
            number += 1
    with transaction.atomic():
        Complaint.objects.bulk_create(writer.complaints)
        ComplaintStage.objects.bulk_create(writer.stages)
        ComplaintEntry.objects.bulk_create(writer.entries)
    return len(writer.complaints)


def _moment(day: datetime.date) -> datetime.datetime:
    """Ten in the morning of the day, local time."""
    from django.utils import timezone

    return datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())


def _code(number: int) -> str:
    """Eight characters from the key: a reference one longer than the services' random seven,
    so never the same as one of theirs; unique in practice (40 bits of a uuid5)."""
    from porch.complaints.services import REFERENCE_ALPHABET

    digits = []
    for _ in range(8):
        number, digit = divmod(number, len(REFERENCE_ALPHABET))
        digits.append(REFERENCE_ALPHABET[digit])
    return "".join(digits)


# --- Measuring -------------------------------------------------------------------------------


def measure(options: argparse.Namespace) -> None:
    from bench._measure import Worker, interleave, print_conditions, print_slowest

    sizes = {"small": options.small, "large": options.large}
    workers = {name: Worker(__file__, url, options.explain) for name, url in sizes.items()}
    facts = {name: worker.ask({"do": "hello"}) for name, worker in workers.items()}
    timings = interleave(workers, PAGES, options.requests, options.turn)
    for worker in workers.values():
        worker.close()

    print_conditions(options.requests, options.turn, timings)
    for name, fact in facts.items():
        print(f"{name}: {fact['summary']}")
    print()
    print(
        "| Page | Homes | Rows shown | Queries | Wall (ms) | CPU (ms) | Audit write (ms) "
        "| Wall ratio | CPU ratio | Less-audit ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for page in PAGES:
        medians = {name: timings.medians(page, name) for name in sizes}
        small = medians["small"]
        for name in sizes:
            fact, (wall_ms, cpu_ms, audit_ms, rest_ms) = facts[name], medians[name]
            ratios = "| | |" if name == "small" else f"| {wall_ms / small[0]:.2f} | {cpu_ms / small[1]:.2f} |"
            rest = "" if name == "small" else f"{rest_ms / small[3]:.2f}"
            print(
                f"| {page} | {fact['homes']:,} | {fact['pages'][page]['shown']} | {fact['pages'][page]['queries']} "
                f"| {wall_ms:.1f} | {cpu_ms:.1f} | {audit_ms:.1f} {ratios} {rest} |"
            )
    if options.explain:
        print_slowest(facts)


def worker(options: argparse.Namespace) -> None:
    """Django on DATABASE_URL (already loaded: nothing is migrated or seeded), DEBUG off."""
    from bench._measure import django_on_database, serve, signed_in_staff

    django_on_database()
    from django.test import Client

    from porch.accounts.models import User
    from porch.housing.cast import demo_email

    clients = {
        who: signed_in_staff(Client(), User.objects.get(username=demo_email(who)))
        for who in {who for who, _, _ in PAGES.values()}
    }
    requests: dict[str, Callable[[], Any]] = {}
    for page, (who, where, nexts) in PAGES.items():
        url = _address(clients[who], where, nexts)
        requests[page] = lambda client=clients[who], url=url: client.get(url)
    serve(requests, lambda: _hello(requests, options.explain))


def _address(client: Any, where: str, nexts: int) -> str:
    """The page's address: Alice's thread or complaint, or a list page after following its
    "next" link `nexts` times, as a member of staff would."""
    from porch.complaints.models import Complaint
    from porch.housing.cast import demo_email
    from porch.housing.models import Membership
    from porch.messages.models import Thread

    # The demo's own (made with no idempotency key): the same at both sizes.
    alices = {
        "tenancy_id": Membership.objects.current().get(person__email=demo_email("alice")).tenancy_id,
        "idempotency_key__isnull": True,
    }
    if where == "thread":
        return f"/staff/messages/{Thread.objects.get(**alices).uuid}/"
    if where == "complaint":
        return f"/staff/complaints/{Complaint.objects.get(**alices).uuid}/"
    url = where
    for _ in range(nexts):
        found = re.search(r'href="([^"]+)" rel="next"', client.get(url).content.decode())
        assert found, f"{url} has no next page: load more"
        url = where.split("?")[0] + html.unescape(found.group(1))
    return url


def _hello(requests: dict[str, Callable[[], Any]], explain: bool) -> dict[str, Any]:
    """What the database holds, and for each page: warm, its status, rows, queries, and the
    slowest queries of one request."""
    from bench._measure import look_at_pages
    from porch.complaints.models import Complaint
    from porch.housing.models import Property
    from porch.messages.models import Message, Thread

    def shown(response: Any) -> int:
        return next(len(response.context[key]) for key in ROWS if key in response.context)

    pages = look_at_pages(requests, explain, shown)
    homes = Property.objects.count()
    threads, messages = Thread.objects.count(), Message.objects.count()
    complaints = Complaint.objects.count()
    open_ = Complaint.objects.filter(status=Complaint.Status.OPEN).count()
    queued = Complaint.objects.filter(due_on__isnull=False, is_test=False).count()
    return {
        "homes": homes,
        "pages": pages,
        "summary": f"{homes:,} homes, {threads:,} threads, {messages:,} messages, {complaints:,} complaints "
        f"({open_:,} open, {queued:,} in the queue)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    loading = steps.add_parser("load", help="add threads, messages and complaints (DATABASE_URL)")
    loading.add_argument("--homes", type=int, default=150_000, help="demo homes to seed if the database has none")
    measuring = steps.add_parser("measure", help="both sizes, interleaved")
    measuring.add_argument("--small", required=True, help="the 1,000-home database's URL")
    measuring.add_argument("--large", required=True, help="the 150,000-home database's URL")
    measuring.add_argument("--requests", type=int, default=100, help="requests a page a size")
    measuring.add_argument("--turn", type=int, default=5, help="requests in one worker's turn")
    measuring.add_argument(
        "--explain", action="store_true", help="the slowest queries, and plans of the two slowest reads"
    )
    working = steps.add_parser("worker")
    working.add_argument("--explain", action="store_true")
    options = parser.parse_args()
    {"load": load, "measure": measure, "worker": worker}[options.step](options)


if __name__ == "__main__":
    main()
