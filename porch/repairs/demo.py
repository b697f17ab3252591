"""Demo repairs: a repairs coordinator, two contractor firms with a login each, appointment
slots for the next two weeks in each patch, and repairs across the demo homes (open,
completed, breached, damp and mould on Awaab's Law clocks or, in Scotland, on the Right to
Repair), with shared-area repairs in Ashdown House.

Called by the demo seeder once the homes, people and staff exist. Like the rest of the demo
data it is written directly and in bulk, not through the audited services: nobody reported
these. Deterministic (a seeded random.Random), and a second call adds nothing.

The demo logins share the demo password (copied from a demo staff login, so this module
needs nothing from the seeder above it) and get a fixed two-step key the same way the
seeder makes them, so `make demo-code WHO=repairs` prints their code."""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from porch.accounts.models import ContractorFirm, RoleGrant, User
from porch.core.modules import DemoLogin
from porch.core.roles import StaffRole
from porch.core.working_days import is_working_day
from porch.housing.cast import CAST_BLOCK, demo_email
from porch.housing.models import Block, Membership, Patch
from porch.housing.synthetic import TEST_PATCH
from porch.repairs import clocks
from porch.repairs.categories import CATEGORIES, Priority, category
from porch.repairs.models import Appointment, Assignment, Repair, RepairClock, RepairEvent, Slot
from porch.repairs.services import REFERENCE_ALPHABET

COORDINATOR = "repairs"
# (login, firm): the first has jobs in Ashdown House, the second none there.
FIRMS = (("mersey.plumbing", "Mersey Plumbing and Heating"), ("pennine.building", "Pennine Building Services"))
EVERY_NTH_HOME = 8  # about one home in eight has a repair
DAY = datetime.timedelta(days=1)
HOME_CATEGORIES = tuple(c for c in CATEGORIES if c.area != "communal")
DESCRIPTIONS = {
    "kitchen": "It has been getting worse for a week.",
    "bathroom": "We only have the one bathroom.",
    "heating": "The house is cold in the evenings.",
    "electrics": "Nothing happens when I switch it on.",
    "doors_windows": "It is hard to close and lets the cold in.",
    "damp": "Black mould keeps coming back on the bedroom wall, even after cleaning it.",
    "outside": "Someone could trip or get hurt.",
}


def totp_key_for(username: str) -> str:
    """The same fixed key porch.demo.seed gives its staff logins (a test checks they agree)."""
    return hashlib.sha1(f"porch-demo:{username}".encode(), usedforsecurity=False).hexdigest()


def demo_repairs() -> list[DemoLogin]:
    template = User.objects.filter(username=demo_email("housing.north")).first()
    if template is None or User.objects.filter(username=demo_email(COORDINATOR)).exists():
        return []  # the demo cast is not loaded, or this ran already
    ashdown = Block.objects.filter(name=CAST_BLOCK).select_related("estate").order_by("pk").first()
    if ashdown is None:
        return []
    _login(demo_email(COORDINATOR), User.Kind.STAFF, template.password, role=StaffRole.REPAIRS_COORDINATOR)
    firms = []
    for local, name in FIRMS:
        firm = ContractorFirm.objects.create(name=name)
        _login(demo_email(local), User.Kind.CONTRACTOR, template.password, firm=firm)
        firms.append(firm)
    slots = _slots()
    _Writer(firms, ashdown, random.Random(11)).write(slots)  # noqa: S311 (demo data, seeded on purpose)
    (first, first_name), (second, second_name) = FIRMS
    return [
        DemoLogin(
            demo_email(COORDINATOR),
            "repairs_coordinator",
            "Repairs coordinator: the queue, triage, assigning firms, clocks (Awaab's Law, Right to Repair)",
        ),
        DemoLogin(demo_email(first), "contractor", f"{first_name}: jobs in Ashdown House and elsewhere"),
        DemoLogin(demo_email(second), "contractor", f"{second_name}: jobs elsewhere, none in Ashdown House"),
    ]


def _login(username: str, kind: str, password: str, *, role: str = "", firm: ContractorFirm | None = None) -> None:
    user = User.objects.create(
        username=username,
        email=username,
        password=password,
        kind=kind,
        firm=firm,
        training_completed_on=timezone.localdate() - 60 * DAY if role else None,
    )
    if role:
        RoleGrant.objects.create(user=user, role=role)
    TOTPDevice.objects.create(user=user, name="Demo authenticator", key=totp_key_for(username), confirmed=True)


def _slots() -> dict[int, list[Slot]]:
    """Two visits a working day (8am to noon, noon to 4pm) for the next two weeks, per patch."""
    region = clocks.region_of(clocks.nation())
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    slots = []
    for patch_id in Patch.objects.exclude(name=TEST_PATCH).values_list("pk", flat=True):
        for offset in range(1, 15):
            day = today + offset * DAY
            if not is_working_day(day, region=region):
                continue
            for start, end in ((8, 12), (12, 16)):
                slots.append(
                    Slot(
                        patch_id=patch_id,
                        starts_at=datetime.datetime.combine(day, datetime.time(start), tzinfo=zone),
                        ends_at=datetime.datetime.combine(day, datetime.time(end), tzinfo=zone),
                    )
                )
    Slot.objects.bulk_create(slots)
    by_patch: dict[int, list[Slot]] = {}
    for slot in slots:
        by_patch.setdefault(slot.patch_id, []).append(slot)
    return by_patch


@dataclass
class _Home:
    tenancy_id: int
    person_id: int
    block_id: int
    patch_id: int
    email: str


class _Writer:
    """Builds every repair with its clocks, timeline and assignment in memory, then writes
    each table in one bulk insert."""

    def __init__(self, firms: list[ContractorFirm], ashdown: Block, rng: random.Random) -> None:
        self.firms, self.ashdown, self.rng = firms, ashdown, rng
        self.nation = clocks.nation()
        self.now = timezone.now()
        self.repairs: list[Repair] = []
        self.later: list[tuple[Repair, str, int | None]] = []  # (repair, outcome, firm index)
        self.references: set[str] = set()

    def reference(self) -> str:
        while True:
            code = "R" + "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(7))
            if code not in self.references:
                self.references.add(code)
                return code

    def write(self, slots: dict[int, list[Slot]]) -> None:
        homes = self._homes()
        for index, home in enumerate(homes):
            if index % EVERY_NTH_HOME == 0 or home.email in CAST_REPAIRS:
                self._home_repairs(home)
        self._communal()
        Repair.objects.bulk_create(self.repairs, batch_size=2_000)
        self._clocks_events_assignments()
        self._appointment(homes, slots)

    def _homes(self) -> list[_Home]:
        leads = (
            Membership.objects.current()
            .filter(role=Membership.Role.LEAD_TENANT, tenancy__is_test=False)
            .exclude(tenancy__property__block__estate__patch__name=TEST_PATCH)
            .order_by("tenancy_id")
            .values_list(
                "tenancy_id",
                "person_id",
                "tenancy__property__block_id",
                "tenancy__property__block__estate__patch_id",
                "person__email",
            )
        )
        return [_Home(*row) for row in leads]

    def _repair(self, *, code: str, days_ago: float, description: str, **where: int) -> Repair:
        kind = category(code)
        repair = Repair(
            reference=self.reference(),
            category=code,
            priority=kind.priority.value,
            description=description,
            reported_at=self.now - datetime.timedelta(days=days_ago),
            nation=self.nation,
            status=Repair.Status.REPORTED,
            **{f"{key}_id": value for key, value in where.items()},
        )
        self.repairs.append(repair)
        return repair

    def _home_repairs(self, home: _Home) -> None:
        cast = CAST_REPAIRS.get(home.email)
        if cast is not None:
            for code, days_ago, outcome, firm in cast:
                repair = self._repair(
                    code=code, days_ago=days_ago, description=DESCRIPTIONS[category(code).area], tenancy=home.tenancy_id
                )
                self._for_home(repair, home)
                self.later.append((repair, outcome, firm))
            return
        code = self.rng.choice(HOME_CATEGORIES).code
        days_ago = self.rng.uniform(0.2, 60)
        repair = self._repair(
            code=code, days_ago=days_ago, description=DESCRIPTIONS[category(code).area], tenancy=home.tenancy_id
        )
        self._for_home(repair, home)
        outcome = "completed" if days_ago > 20 and self.rng.random() < 0.6 else "open"
        # The second firm works everywhere but Ashdown House, so its login never sees the cast.
        firm = None if self.rng.random() < 0.3 else (1 if home.block_id != self.ashdown.pk else 0)
        self.later.append((repair, outcome, firm))

    def _for_home(self, repair: Repair, home: _Home) -> None:
        repair.reported_by_id = home.person_id
        repair.contact_phone = "07700 900" + f"{home.tenancy_id % 1000:03d}"
        repair.availability = "Weekdays after 10am"
        repair.notify_by = Repair.NotifyBy.EMAIL if home.email else Repair.NotifyBy.NONE

    def _communal(self) -> None:
        for code, days_ago, outcome, text in (
            ("communal_lift", 2.5, "open", "The lift is stuck on the ground floor with its doors open."),
            ("communal_lighting", 40, "completed", "The lights on the second-floor landing are out."),
            ("communal_door_entry", 9, "open", "The entry door does not lock: anyone can walk in."),
        ):
            repair = self._repair(code=code, days_ago=days_ago, description=text, block=self.ashdown.pk)
            self.later.append((repair, outcome, 0))

    def _clocks_events_assignments(self) -> None:
        clocks_, events, assignments = [], [], []
        firm_ids = [firm.pk for firm in self.firms]
        for repair, outcome, firm in self.later:
            deadlines = clocks.deadlines_on_report(
                repair.kind, Priority(repair.priority), repair.reported_at, self.nation
            )
            done = repair.reported_at + datetime.timedelta(days=self.rng.uniform(1, 15))
            completed = outcome == "completed" and done < self.now
            events.append(
                RepairEvent(repair=repair, kind=RepairEvent.Kind.REPORTED, at=repair.reported_at, published=True)
            )
            triaged = repair.reported_at + datetime.timedelta(hours=3)
            if triaged < self.now:
                repair.status = Repair.Status.TRIAGED
                events.append(RepairEvent(repair=repair, kind=RepairEvent.Kind.TRIAGED, at=triaged, published=True))
            if firm is not None and triaged < self.now:
                repair.firm_id = firm_ids[firm]
                repair.status = Repair.Status.ASSIGNED
                assignments.append(
                    Assignment(
                        repair=repair, firm_id=firm_ids[firm], started_at=triaged, ended_at=done if completed else None
                    )
                )
                events.append(
                    RepairEvent(
                        repair=repair, kind=RepairEvent.Kind.ASSIGNED, at=triaged, published=True, for_contractor=True
                    )
                )
            for deadline in deadlines:
                clocks_.append(
                    RepairClock(
                        repair=repair,
                        kind=deadline.kind,
                        due_at=deadline.due_at,
                        precise=deadline.precise,
                        met_at=done if completed else None,
                    )
                )
                if completed and deadline.kind == clocks.Kind.RIGHT_TO_REPAIR:
                    repair.compensation_pence = clocks.right_to_repair_compensation_pence(deadline.due_at, done)
            if completed:
                repair.status = Repair.Status.COMPLETED
                repair.completed_at = repair.closed_at = done
                events.append(
                    RepairEvent(
                        repair=repair,
                        kind=RepairEvent.Kind.COMPLETED,
                        at=done,
                        text="The repair has been done.",
                        published=True,
                    )
                )
        Repair.objects.bulk_update(
            [repair for repair, _, _ in self.later],
            ["status", "firm", "completed_at", "closed_at", "compensation_pence"],
            batch_size=2_000,
        )
        RepairClock.objects.bulk_create(clocks_, batch_size=2_000)
        RepairEvent.objects.bulk_create(events, batch_size=2_000)
        Assignment.objects.bulk_create(assignments, batch_size=2_000)

    def _appointment(self, homes: list[_Home], slots: dict[int, list[Slot]]) -> None:
        """Carol's dripping tap has a visit booked in the first slot of her patch."""
        carol = next((home for home in homes if home.email == demo_email("carol")), None)
        tap = next(
            (r for r, _, _ in self.later if carol and r.tenancy_id == carol.tenancy_id and r.category == "kitchen_tap"),
            None,
        )
        if carol is None or tap is None or not slots.get(carol.patch_id):
            return
        Appointment.objects.create(repair=tap, slot=slots[carol.patch_id][0], booked_at=tap.reported_at)
        Repair.objects.filter(pk=tap.pk).update(status=Repair.Status.BOOKED)
        RepairEvent.objects.create(repair=tap, kind=RepairEvent.Kind.BOOKED, at=tap.reported_at, published=True)


# The named cast's repairs, by the lead tenant's email: (category, days ago, outcome, firm).
# Alice's damp and mould runs on Awaab's Law (England) and is with the first firm; her
# extractor fan is already past its date; Carol's tap has a visit booked.
CAST_REPAIRS: dict[str, list[tuple[str, float, str, int | None]]] = {
    demo_email("alice"): [
        ("damp_mould_patches", 6, "open", 0),
        ("bathroom_extractor", 35, "open", 0),
        ("kitchen_units", 50, "completed", 0),
    ],
    demo_email("carol"): [("kitchen_tap", 1, "open", None)],
}
