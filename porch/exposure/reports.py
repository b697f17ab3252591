"""Reports from the audit log for the Data Protection Officer.

- exposure_report: every event in a window (optionally one kind of data or one page)
  in which someone's data reached a person the access model did not allow then;
  the people affected, with contact details for Article 34 notices, and the recipients.
- who_saw: everyone who was shown one person's data in a window.
- session_seen: everything one browser session was shown.

Each is a handful of set-based queries (see rules.py); nothing loops over events in Python.
Callers audit the reading: these reports are personal data themselves.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, CharField, Count, ExpressionWrapper, Max, Min, QuerySet, Value, When
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from porch.accounts.models import User
from porch.audit.models import AccessEvent
from porch.core.actor import Actor
from porch.core.roles import StaffRole
from porch.exposure.rules import served_outside_model, with_moment, within_model
from porch.housing.models import Membership, Person


@dataclass(frozen=True)
class Kind:
    """A kind of data, as a DPO and the ICO would name it, and the audit object types it covers."""

    label: str
    object_types: frozenset[str]
    description: str


# "Module" in the reports: which kind of data was served, whichever page served it.
MODULES: dict[str, Kind] = {
    "documents": Kind(
        "Documents",
        frozenset({"document", "internal_document", "asb_document"}),
        "documents (letters, statements, tenancy agreements; internal documents may include case notes, "
        "anti-social behaviour case files and witness statements)",
    ),
    "household": Kind(
        "Homes and household details",
        frozenset({"dashboard", "tenancy", "person", "details_change_request", "test_household"}),
        "names, addresses, dates of birth and contact details of tenants and their household members",
    ),
    "accounts": Kind(
        "Accounts, sign-up and letters",
        frozenset({"user", "session", "activation_letter"}),
        "portal account details and sign-up letters (names and addresses)",
    ),
    "privacy": Kind(
        "Privacy records and viewing as a resident",
        frozenset({"audit_trail", "view_as_session", "exposure_report"}),
        "records of who has looked at a person's data",
    ),
}
OTHER = "other"


def module_of(object_type: str) -> str:
    return next((key for key, kind in MODULES.items() if object_type in kind.object_types), OTHER)


# Every page the audit log can name, in words a DPO uses: who uses it, then what it is.
# The filter on the exposure report lists these, never the code's names for pages; a new
# page with no words here fails test_every_page_in_the_filter_has_plain_words.
ROUTE_LABELS: dict[str, str] = {
    # Anyone, signed in or not
    "home": "Home page",
    "brand_css": "The portal's colours (style sheet)",
    "accessibility": "Accessibility statement",
    "privacy_notice": "How we use your information (privacy notice)",
    "incidents:report": "Report a privacy problem",
    "incidents:acknowledge": "On call: acknowledge link in a call",
    "accounts:login": "Sign in",
    "accounts:sign_in_code": "Sign in: security code",
    "accounts:logout": "Sign out",
    "accounts:password_reset": "Forgotten password",
    "accounts:password_reset_done": "Forgotten password: email sent",
    "accounts:password_reset_confirm": "Forgotten password: choose a new password",
    "accounts:password_reset_complete": "Forgotten password: password changed",
    "accounts:signup_start": "Sign up: your details",
    "accounts:signup_code": "Sign up: activation code",
    "accounts:signup_password": "Sign up: choose a password",
    "accounts:signup_help": "Sign up: ask for help",
    # Everyone's own account
    "accounts:account": "Your account",
    "accounts:confirm_password": "Confirm your password (before a sensitive action)",
    "accounts:mfa_setup": "Set up two-factor authentication",
    "accounts:mfa_recovery_codes": "Two-factor recovery codes",
    "accounts:password_change": "Change your password",
    "accounts:sign_out_elsewhere": "Sign out everywhere else",
    # Residents
    "housing:my_details": "Residents: My details",
    "housing:change_request": "Residents: Ask to change my details",
    "documents:list": "Residents: Your documents",
    "documents:download": "Residents: Download a document",
    "audit:privacy": "Residents: Who has looked at my record",
    # Staff
    "staff:home": "Staff: Home",
    "staff:tenancy_search": "Staff: Find a tenancy",
    "staff:tenancy_detail": "Staff: Tenancy record",
    "staff:document_upload": "Staff: Add a document to a tenancy",
    "staff:person_audit": "Staff: A person's audit trail",
    "staff:view_as_start": "Staff: Start viewing as a resident",
    "staff:view_as_end": "Staff: Stop viewing as a resident",
    "staff:test_residents": "Staff: Test residents",
    "staff:test_outbox": "Staff: Test residents' messages",
    "staff:letters": "Staff: Activation letters",
    "staff:letter_pdf": "Staff: Print an activation letter",
    "staff:letter_printed": "Staff: Mark an activation letter printed",
    "staff:help_requests": "Staff: Sign-up help requests",
    "staff:break_glass": "Staff: Open a record outside your patch",
    "staff:break_glass_reviews": "Staff: Records opened outside a patch, to review",
    "staff:break_glass_reviewed": "Staff: Mark a record opened outside a patch reviewed",
    "staff:document_types": "Staff: Document types",
    "staff:document_type_edit": "Staff: Change a document type",
    "changes:queue": "Staff: Details change requests",
    "changes:detail": "Staff: A details change request",
    "changes:approve": "Staff: Approve a details change request",
    "changes:decline": "Staff: Decline a details change request",
    "rollout:switches": "Staff: Switches (what residents can use)",
    "rollout:switch_off": "Staff: Switch a part of the portal off",
    "rollout:switch_on": "Staff: Ask to switch a part of the portal back on",
    "rollout:approvals": "Staff: Changes waiting for approval",
    "rollout:decide": "Staff: Approve or reject a change",
    "rollout:staff_accounts": "Staff: Staff roles and training",
    "rollout:staff_account": "Staff: One staff member's roles and training",
    "rollout:cohorts": "Staff: Pilot cohorts",
    "rollout:cohort": "Staff: A pilot cohort and its launch checklist",
    "rollout:cohort_homes": "Staff: Add homes to a pilot cohort",
    "rollout:cohort_module": "Staff: Switch a part of the portal for a pilot cohort",
    "rollout:cohort_dpia": "Staff: Attach a pilot cohort's DPIA",
    "rollout:cohort_sign_off": "Staff: DPO sign-off of a pilot cohort",
    "rollout:cohort_status": "Staff: Open or close a pilot cohort",
    "rollout:cohort_invitations": "Staff: Invite a pilot cohort's residents",
    "rollout:script_sign_off": "Staff: Sign off an acceptance script",
    "incidents:log_call": "Staff: Log a privacy problem call",
    "incidents:list": "Staff: Privacy problems",
    "incidents:incident": "Staff: A privacy problem",
    "incidents:incident_status": "Staff: Privacy problem: change its status",
    "incidents:incident_contain": "Staff: Privacy problem: stop it now",
    "incidents:incident_details": "Staff: Privacy problem: severity and summary",
    "incidents:incident_owner": "Staff: Privacy problem: owner",
    "incidents:incident_ico": "Staff: Privacy problem: decision to tell the ICO",
    "incidents:incident_ico_told": "Staff: Privacy problem: when the ICO was told",
    "incidents:incident_affected": "Staff: Privacy problem: decision to tell the people affected",
    "incidents:incident_review": "Staff: Privacy problem: post-incident review",
    "incidents:incident_join": "Staff: Privacy problem: join to the same problem",
    "incidents:incident_near_miss": "Staff: Privacy problem: record as a near miss",
    "incidents:incident_acknowledge": "Staff: Privacy problem: acknowledge",
    "incidents:near_miss_new": "Staff: Record a near miss",
    "incidents:drills": "Staff: Drills",
    "incidents:drill_start": "Staff: Start a drill",
    "incidents:rota": "Staff: On-call rota",
    "incidents:rota_remove": "Staff: Remove someone from the on-call rota",
    "exposure:report": "Staff: Exposure report (whose data reached whom)",
    "exposure:people_csv": "Staff: Exposure report: people affected (spreadsheet)",
    "exposure:recipients_csv": "Staff: Exposure report: who received data (spreadsheet)",
    "exposure:who_saw": "Staff: Who saw a person's data",
    "exposure:who_saw_csv": "Staff: Who saw a person's data (spreadsheet)",
    "exposure:session": "Staff: What one session saw",
    "exposure:session_csv": "Staff: What one session saw (spreadsheet)",
    "exposure:ico_report": "Staff: Draft report to the ICO",
}


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
    """A page's plain name; a page missing from ROUTE_LABELS is shown as "A page with no
    name yet" rather than its code name (and the test that every page has words fails)."""
    return ROUTE_LABELS.get(name, "A page with no name yet")


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
    if module == OTHER:
        known = set().union(*(kind.object_types for kind in MODULES.values()))
        events = events.exclude(object_type__in=known)
    elif module:
        events = events.filter(object_type__in=MODULES[module].object_types)
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
    """Where to write to each person: a home they hold now, else their latest one."""
    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(person_id__in=list(person_ids))
        .select_related("tenancy__property")
        .order_by("person_id", "-start_date", "-id")
    )
    addresses: dict[int, list[str]] = {}
    current: set[int] = set()
    for membership in memberships:
        in_force = membership.end_date is None or membership.end_date > today
        if membership.person_id in current or (membership.person_id in addresses and not in_force):
            continue
        addresses[membership.person_id] = membership.tenancy.property.address_lines
        if in_force:
            current.add(membership.person_id)
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
    subject: Person
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


def exposure_report(*, actor: Actor, window: Window, module: str = "", route: str = "") -> ExposureReport:
    """Two passes over the window: one grouped by recipient, person and kind of data (the
    rule is evaluated once per event there), one counting the distinct records."""
    require_dpo(actor)
    leaked = served_outside_model(events_in(window, module=module, route=route))
    report = ExposureReport(window=window, module=module, route=route)
    groups = list(
        leaked.annotate(module=_module_expression())
        .values("actor_id", "on_behalf_of_id", "subject_id", "module")
        .annotate(events=Count("id"), first=Min("at"), last=Max("at"))
        .order_by()
    )
    if not groups:
        return report
    report.records = leaked.values("object_type", "object_id").distinct().count()
    report.events = sum(row["events"] for row in groups)
    per_person = _merged(groups, ("subject_id",))
    per_receipt = _merged(groups, ("actor_id", "on_behalf_of_id", "subject_id"))

    people = Person.objects.in_bulk([key[0] for key in per_person])
    addresses = home_addresses(people)
    report.affected = sorted(
        (AffectedPerson(people[key[0]], addresses.get(key[0], []), *counts) for key, counts in per_person.items()),
        key=lambda a: (a.person.last_name.lower(), a.person.first_name.lower(), a.person.id),
    )
    named = recipients_by_id([row["actor_id"] for row in groups] + [row["on_behalf_of_id"] for row in groups])
    report.receipts = sorted(
        (
            Receipt(named[actor_id], named[behalf_id] if behalf_id else None, people[subject_id], *counts)
            for (actor_id, behalf_id, subject_id), counts in per_receipt.items()
        ),
        key=lambda r: (r.recipient.label.lower(), r.subject.last_name.lower(), r.subject.first_name.lower()),
    )
    report.kinds = _kinds(groups)
    return report


Counts = tuple[int, datetime.datetime, datetime.datetime]


def _merged(groups: Sequence[Mapping[str, Any]], keys: tuple[str, ...]) -> dict[tuple[Any, ...], Counts]:
    """The grouped rows added up by fewer keys: events summed, first and last kept."""
    merged: dict[tuple[Any, ...], Counts] = {}
    for row in groups:
        key = tuple(row[name] for name in keys)
        events, first, last = merged.get(key, (0, row["first"], row["last"]))
        merged[key] = (events + row["events"], min(first, row["first"]), max(last, row["last"]))
    return merged


def _kinds(groups: Sequence[Mapping[str, Any]]) -> list[KindCount]:
    """Events and distinct people per kind of data."""
    events: dict[str, int] = {}
    people: dict[str, set[int]] = {}
    for row in groups:
        events[row["module"]] = events.get(row["module"], 0) + row["events"]
        people.setdefault(row["module"], set()).add(row["subject_id"])
    other = Kind("Other records", frozenset(), "other records about people")
    return [
        KindCount(
            key, MODULES.get(key, other).label, MODULES.get(key, other).description, events[key], len(people[key])
        )
        for key in sorted(events)
    ]


def _module_expression() -> Case:
    whens = [When(object_type__in=kind.object_types, then=Value(key)) for key, kind in MODULES.items()]
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
