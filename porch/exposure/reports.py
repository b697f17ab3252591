"""Reports from the audit log for the Data Protection Officer.

- exposure_report: every event in a window (optionally one kind of data or one page)
  in which someone's data reached a person the access model did not allow then;
  the people affected, with contact details for Article 34 notices, and the recipients.
- who_saw: everyone who was shown one person's data in a window.
- session_seen: everything one browser session was shown.

Each is a handful of set-based queries (see rules.py); nothing loops over events in Python
(the exposure report adds up grouped rows, one per recipient, person and record).
Callers audit the reading: these reports are personal data themselves.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, CharField, Count, ExpressionWrapper, Max, Min, QuerySet, Value, When
from django.db.models.functions import TruncHour
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from porch.accounts.models import User
from porch.audit.models import AccessEvent
from porch.core.actor import Actor
from porch.core.modules import audit_kinds, categories, page_words
from porch.core.roles import StaffRole
from porch.exposure.rules import served_outside_model, with_moment, within_model
from porch.housing.models import Membership, Person


@dataclass(frozen=True)
class Kind:
    """A kind of data, as a DPO and the ICO would name it, and the audit object types it covers."""

    label: str
    object_types: frozenset[str]
    description: str


def data_kinds() -> dict[str, Kind]:
    """ "Module" in the reports: which kind of data was served, whichever page served it.
    Each module declares its categories and the audit kinds in each (porch/<app>/module.py)."""
    return {
        category.key: Kind(
            category.label,
            frozenset(kind.key for kind in audit_kinds() if kind.category == category.key),
            category.description,
        )
        for category in categories()
    }


OTHER = "other"


def module_of(object_type: str) -> str:
    return next((key for key, kind in data_kinds().items() if object_type in kind.object_types), OTHER)


@functools.cache
def route_names() -> tuple[str, ...]:
    """Every named page of the portal, for narrowing a report to one."""
    found: list[str] = []

    def walk(patterns: Iterable[object], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    # The admin site records who used it, never whose data: it has nothing to narrow to.
    return tuple(sorted({name for name in found if not name.startswith("admin:")}))


def route_label(name: str) -> str:
    """A page's plain name, as the module serving it declares it (Module.pages). A page
    with none is shown as "A page with no name yet" rather than its code name (and the
    test that every page has words fails)."""
    return page_words().get(name, "A page with no name yet")


def route_choices() -> list[tuple[str, str]]:
    """Every page, as (route name, plain name), ordered by the plain name."""
    return sorted(((name, route_label(name)) for name in route_names()), key=lambda choice: choice[1])


def require_dpo(actor: Actor) -> None:
    """Only the Data Protection Officer, with current training, reads these reports."""
    if not (actor.has_role(StaffRole.DPO) and actor.reads_personal_data):
        raise PermissionDenied


@dataclass(frozen=True)
class Window:
    start: datetime.datetime
    end: datetime.datetime

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}"


def events_in(window: Window, *, module: str = "", route: str = "") -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.filter(at__gte=window.start, at__lt=window.end)
    kinds = data_kinds()
    if module == OTHER:
        known = set().union(*(kind.object_types for kind in kinds.values()))
        events = events.exclude(object_type__in=known)
    elif module:
        events = events.filter(object_type__in=kinds[module].object_types)
    if route:
        events = events.filter(route=route)
    return events


# --- Who is who ---------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    label: str
    kind: str
    reference: str
    person_id: int | None = None


NOBODY = Recipient("Someone not signed in", "not signed in", "")


def recipients_by_id(user_ids: Iterable[int | None]) -> dict[int | None, Recipient]:
    """How each acting user is named in a report: residents by name, staff by username."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    users = User.objects.select_related("person").in_bulk(wanted)
    named: dict[int | None, Recipient] = {None: NOBODY}
    for user_id, user in users.items():
        if user.person is not None:
            named[user_id] = Recipient(user.person.full_name, "resident", user.person.housing_reference, user.person_id)
        else:
            named[user_id] = Recipient(user.username, user.get_kind_display().lower(), user.username)
    return named


def home_addresses(person_ids: Iterable[int]) -> dict[int, list[str]]:
    """Where to write to each person: a home they hold now, else their latest one.
    Plain values, not model instances: a report can name a hundred thousand people."""
    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(person_id__in=list(person_ids))
        .order_by("person_id", "-start_date", "-id")
        .values_list(
            "person_id",
            "end_date",
            "tenancy__property__address_line_1",
            "tenancy__property__address_line_2",
            "tenancy__property__town",
            "tenancy__property__postcode",
        )
    )
    addresses: dict[int, list[str]] = {}
    current: set[int] = set()
    for person_id, end_date, *lines in memberships.iterator(chunk_size=5000):
        in_force = end_date is None or end_date > today
        if person_id in current or (person_id in addresses and not in_force):
            continue
        addresses[person_id] = [line for line in lines if line]  # as Property.address_lines
        if in_force:
            current.add(person_id)
    return addresses


# --- The exposure report --------------------------------------------------------------


@dataclass(frozen=True)
class AffectedPerson:
    person: Person
    address: list[str]
    events: int
    first_seen: datetime.datetime
    last_seen: datetime.datetime


@dataclass(frozen=True)
class Receipt:
    """Someone who was shown someone else's data, and how often."""

    recipient: Recipient
    on_behalf_of: Recipient | None
    subject: Person | None  # None: a record about a place (a block's notices), naming nobody
    events: int
    first_seen: datetime.datetime
    last_seen: datetime.datetime


@dataclass(frozen=True)
class KindCount:
    module: str
    label: str
    description: str
    events: int
    people: int


@dataclass
class ExposureReport:
    window: Window
    module: str
    route: str
    events: int = 0
    records: int = 0
    affected: list[AffectedPerson] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    kinds: list[KindCount] = field(default_factory=list)

    @property
    def real_people(self) -> list[AffectedPerson]:
        """Synthetic test residents are listed but are nobody to notify."""
        return [affected for affected in self.affected if not affected.person.is_test]

    @property
    def first_seen(self) -> datetime.datetime | None:
        return min((a.first_seen for a in self.affected), default=None)

    @property
    def last_seen(self) -> datetime.datetime | None:
        return max((a.last_seen for a in self.affected), default=None)

    def subject_ids(self) -> list[int | None]:
        """Everyone this report names, for the audit row of reading it."""
        named: set[int | None] = {a.person.id for a in self.affected}
        named |= {r.recipient.person_id for r in self.receipts if r.recipient.person_id}
        return sorted(named, key=lambda i: i or 0) or [None]


Counts = tuple[int, datetime.datetime, datetime.datetime]

# The window is read in slices of about this many events (whole hours), so the background
# task can say how far it has got; each slice is one grouped query.
SLICE_EVENTS = 100_000
Progress = Callable[[int, int], None]


def exposure_report(
    *, actor: Actor, window: Window, module: str = "", route: str = "", progress: Progress | None = None
) -> ExposureReport:
    """One pass over the window: the rule is evaluated once per event, in a query grouped by
    recipient, person, kind of data and record, slice by slice. The groups add up to the
    same figures as one query over the whole window would give (events summed, first and
    last kept, records counted once however many slices they appear in). `progress` is
    told (events read, events in the window) before the first slice and after each."""
    require_dpo(actor)
    events = events_in(window, module=module, route=route)
    report = ExposureReport(window=window, module=module, route=route)
    slices = _slices(events, window)
    total = sum(count for _, _, count in slices)
    if progress:
        progress(0, total)
    merged: dict[tuple[Any, ...], Counts] = {}
    records: set[tuple[str, str]] = set()
    read = 0
    for start, end, count in slices:
        if count:
            # A plain fetch, not a server-side cursor: PostgreSQL plans a cursor for its first rows.
            for row in list(_leaked_groups(events.filter(at__gte=start, at__lt=end))):
                records.add((row["object_type"], row["object_id"]))
                key = (row["actor_id"], row["on_behalf_of_id"], row["subject_id"], row["module"])
                _add(merged, key, (row["events"], row["first"], row["last"]))
        read += count
        if progress:
            progress(read, total)
    if not merged:
        return report
    groups = [
        {"actor_id": a, "on_behalf_of_id": b, "subject_id": s, "module": m, "events": n, "first": f, "last": la}
        for (a, b, s, m), (n, f, la) in merged.items()
    ]
    report.records = len(records)
    report.events = sum(row["events"] for row in groups)
    per_person = _merged(groups, ("subject_id",))
    per_receipt = _merged(groups, ("actor_id", "on_behalf_of_id", "subject_id"))

    people = Person.objects.in_bulk([key[0] for key in per_person if key[0]])
    addresses = home_addresses(people)
    report.affected = sorted(
        (
            AffectedPerson(people[key[0]], addresses.get(key[0], []), *counts)
            for key, counts in per_person.items()
            if key[0]
        ),
        key=lambda a: (a.person.last_name.lower(), a.person.first_name.lower(), a.person.id),
    )
    named = recipients_by_id([row["actor_id"] for row in groups] + [row["on_behalf_of_id"] for row in groups])
    report.receipts = sorted(
        (
            Receipt(named[actor_id], named[behalf_id] if behalf_id else None, people.get(subject_id), *counts)
            for (actor_id, behalf_id, subject_id), counts in per_receipt.items()
        ),
        key=lambda r: (r.recipient.label.lower(), *_name_key(r.subject)),
    )
    report.kinds = _kinds(groups)
    return report


def _leaked_groups(events: QuerySet[AccessEvent]) -> QuerySet[Any, Any]:
    """The events served outside the model, grouped down to the record: one row per
    recipient, person, kind of data and record, with the events and the first and last."""
    return (
        served_outside_model(events)
        .annotate(module=_module_expression())
        .values("actor_id", "on_behalf_of_id", "subject_id", "module", "object_type", "object_id")
        .annotate(events=Count("id"), first=Min("at"), last=Max("at"))
        .order_by()
    )


def _slices(events: QuerySet[AccessEvent], window: Window) -> list[tuple[datetime.datetime, datetime.datetime, int]]:
    """The window cut at whole hours (UTC) into slices of at least SLICE_EVENTS events (an
    hour is never split), each with its count: (from, up to, events). One cheap pass."""
    hours = (
        events.annotate(hour=TruncHour("at", tzinfo=datetime.UTC))
        .values("hour")
        .annotate(events=Count("id"))
        .order_by("hour")
    )
    slices: list[tuple[datetime.datetime, datetime.datetime, int]] = []
    start, held = window.start, 0
    for row in hours:
        held += row["events"]
        cut = row["hour"] + datetime.timedelta(hours=1)
        if held >= SLICE_EVENTS and cut < window.end:
            slices.append((start, cut, held))
            start, held = cut, 0
    if held or not slices:  # the rest of the window; nothing is left out by dropping an empty rest
        slices.append((start, window.end, held))
    return slices


def _name_key(person: Person | None) -> tuple[str, str]:
    return (person.last_name.lower(), person.first_name.lower()) if person else ("", "")


def _add(merged: dict[tuple[Any, ...], Counts], key: tuple[Any, ...], counts: Counts) -> None:
    """Add one group's counts under a key: events summed, first and last kept."""
    events, first, last = merged.get(key, (0, counts[1], counts[2]))
    merged[key] = (events + counts[0], min(first, counts[1]), max(last, counts[2]))


def _merged(groups: Sequence[Mapping[str, Any]], keys: tuple[str, ...]) -> dict[tuple[Any, ...], Counts]:
    """The grouped rows added up by fewer keys: events summed, first and last kept."""
    merged: dict[tuple[Any, ...], Counts] = {}
    for row in groups:
        _add(merged, tuple(row[name] for name in keys), (row["events"], row["first"], row["last"]))
    return merged


def _kinds(groups: Sequence[Mapping[str, Any]]) -> list[KindCount]:
    """Events and distinct people per kind of data."""
    events: dict[str, int] = {}
    people: dict[str, set[int]] = {}
    for row in groups:
        events[row["module"]] = events.get(row["module"], 0) + row["events"]
        people.setdefault(row["module"], set()).add(row["subject_id"])
    other = Kind("Other records", frozenset(), "other records about people")
    kinds = data_kinds()
    return [
        KindCount(key, kinds.get(key, other).label, kinds.get(key, other).description, events[key], len(people[key]))
        for key in sorted(events)
    ]


def _module_expression() -> Case:
    whens = [When(object_type__in=kind.object_types, then=Value(key)) for key, kind in data_kinds().items()]
    return Case(*whens, default=Value(OTHER), output_field=CharField())


# --- Ready reports ------------------------------------------------------------------


def with_verdict(events: QuerySet[AccessEvent]) -> QuerySet[AccessEvent]:
    """Each event marked with whether the access model allowed it then (`allowed`)."""
    return with_moment(events).annotate(allowed=ExpressionWrapper(within_model(), output_field=BooleanField()))


@dataclass
class Summary:
    """One line per recipient (who saw) or per subject (what a session saw)."""

    recipient: Recipient
    on_behalf_of: Recipient | None
    events: int
    first_seen: datetime.datetime
    last_seen: datetime.datetime


def who_saw(*, actor: Actor, person: Person, window: Window) -> tuple[list[Summary], QuerySet[AccessEvent]]:
    """Everyone shown this person's data in the window: a line per recipient, and the events
    newest first (each marked allowed or not). Both use the (subject, at) index."""
    require_dpo(actor)
    events = AccessEvent.objects.filter(subject=person, at__gte=window.start, at__lt=window.end)
    rows = list(
        events.values("actor_id", "on_behalf_of_id")
        .annotate(events=Count("id"), first=Min("at"), last=Max("at"))
        .order_by("-last")
    )
    named = recipients_by_id([row["actor_id"] for row in rows] + [row["on_behalf_of_id"] for row in rows])
    summary = [
        Summary(
            named[row["actor_id"]],
            named[row["on_behalf_of_id"]] if row["on_behalf_of_id"] else None,
            row["events"],
            row["first"],
            row["last"],
        )
        for row in rows
    ]
    return summary, _listed(events)


def session_seen(
    *, actor: Actor, session_ref: str, window: Window
) -> tuple[list[tuple[Person | None, int]], QuerySet[AccessEvent]]:
    """Everything one browser session was shown: whose data (a line per person) and the
    events in order, each marked allowed or not. Uses the (session_ref, at) index."""
    require_dpo(actor)
    events = AccessEvent.objects.filter(session_ref=session_ref, at__gte=window.start, at__lt=window.end)
    rows = list(events.values("subject_id").annotate(events=Count("id")).order_by("-events", "subject_id"))
    people = Person.objects.in_bulk([row["subject_id"] for row in rows if row["subject_id"]])
    return [(people.get(row["subject_id"]), row["events"]) for row in rows], _listed(events)


def session_of_request(*, actor: Actor, request_id: str, window: Window) -> str:
    """The session a request (its X-Request-Id) was made in, if it was recorded in the window."""
    require_dpo(actor)
    found = (
        AccessEvent.objects.filter(request_id=request_id, at__gte=window.start, at__lt=window.end)
        .exclude(session_ref="")
        .values_list("session_ref", flat=True)
        .first()
    )
    return found or ""


def _listed(events: QuerySet[AccessEvent]) -> QuerySet[AccessEvent]:
    return with_verdict(events).select_related("actor__person", "on_behalf_of", "subject").order_by("-at", "-id")
