"""Privacy incidents: a report opens one at once (the ICO clock starts) and the
escalation ladder calls on-call; everything done is on its timeline."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import timezone

from porch.accounts.models import User
from porch.audit.services import record
from porch.core import rls
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.core.modules import switch_name
from porch.core.roles import StaffRole
from porch.incidents import access, escalation
from porch.incidents.clock import plain_duration
from porch.incidents.models import Incident, PrivacyReport, ReportSender, TimelineEntry, new_reference
from porch.rollout.models import ModuleSwitch
from porch.rollout.switches import module_switch_off

# A flood of online reports from one sender (a scanner, a script) must not open thousands
# of incidents or call the people on call thousands of times, and a real reporter sharing
# that sender's address must still be heard: every report is kept and gets a reference,
# but after this many new incidents in one run of reports, the sender's later reports
# join the incident its reports opened last. A run ends once the sender has been quiet
# for SENDER_QUIET. See ADR 0008.
NEW_INCIDENTS_PER_SENDER = 3
SENDER_QUIET = datetime.timedelta(hours=1)
# However the runs are spaced, one sender opens at most this many in a day.
NEW_INCIDENTS_PER_SENDER_PER_DAY = 6
SENDER_DAY = datetime.timedelta(hours=24)
# References are six hex digits, so a new one is drawn until it is free.
REFERENCE_TRIES = 20


def privacy_report_create(
    *,
    actor: Actor,
    channel: str,
    what_seen: str,
    page: str,
    idempotency_key: uuid.UUID,
    contact_name: str = "",
    contact: str = "",
    sender: str = "",
    request: HttpRequest | None = None,
) -> PrivacyReport:
    """Save the report once (a double submit makes one) and give it a reference. It opens an
    incident, which takes the report's reference and calls on-call, unless its sender (a
    keyed hash, see intake.py) has opened NEW_INCIDENTS_PER_SENDER in this run of reports:
    then it joins the incident they opened last, keeping its own reference, and nobody is
    called again. A signed-in resident's report is tied to their account."""
    staff_logged = channel == PrivacyReport.Channel.PHONE

    def create() -> PrivacyReport:
        now = timezone.now()
        source = _locked_sender(sender, now) if sender else None
        joins = _incident_to_join(source, now) if source else None

        def save(reference: str) -> PrivacyReport:
            incident = joins or incident_open(actor=actor, summary=what_seen, reference=reference)
            return PrivacyReport.objects.create(
                reference=reference,
                incident=incident,
                channel=channel,
                what_seen=what_seen,
                page=page[:500],
                contact_name=contact_name,
                contact=contact,
                # Viewing as a resident, the report is the staff member's, not the resident's.
                reported_by_id=None if staff_logged else (actor.on_behalf_of_id or actor.user_id),
                logged_by_id=actor.user_id if staff_logged else None,
                idempotency_key=idempotency_key,
            )

        report = _with_unused_reference(save)
        record(actor=actor, action="create", object_type="privacy_report", object_id=report.uuid, request=request)
        how = report.get_channel_display().lower()
        if source is None or joins is None:
            note(report.incident, actor, f"Reported: {how}, reference {report.reference}")
        else:
            since = f"{timezone.localtime(source.first_report_at):%-d %b %Y %H:%M}"
            note(
                joins,
                actor,
                f"Report {report.reference} joined this incident ({how}): its sender had already opened "
                f"{source.incidents_opened} incidents since {since}, so nobody was called again",
            )
        if source is not None:
            _sender_reported(source, opened=None if joins else report.incident, now=now)
        return report

    # Filed by the system, from anyone (a resident, a contractor, someone not signed in): behind
    # the database wall (ADR 0032) reports and incidents are staff-only rows.
    with rls.as_system(connection):
        return create_once(PrivacyReport.objects.all(), idempotency_key, create)


def _locked_sender(key: str, now: datetime.datetime) -> ReportSender:
    ReportSender.objects.get_or_create(key=key, defaults={"first_report_at": now, "last_report_at": now})
    return ReportSender.objects.select_for_update().get(key=key)


def _incident_to_join(sender: ReportSender, now: datetime.datetime) -> Incident | None:
    """The incident this sender's report joins, or None if it opens its own: a sender quiet
    for SENDER_QUIET starts a new run; one that has opened its share in this run, or in the
    last day, joins the incident it opened last, if that (or the one it was joined to) is an
    open incident."""
    if now - sender.last_report_at > SENDER_QUIET:
        sender.first_report_at, sender.incidents_opened = now, 0
    if sender.day_started_at is None or now - sender.day_started_at > SENDER_DAY:
        sender.day_started_at, sender.incidents_opened_today = now, 0
    has_its_share = (
        sender.incidents_opened >= NEW_INCIDENTS_PER_SENDER
        or sender.incidents_opened_today >= NEW_INCIDENTS_PER_SENDER_PER_DAY
    )
    if not has_its_share or sender.incident_id is None:
        return None
    incident = Incident.objects.get(pk=sender.incident_id)
    while incident.merged_into_id is not None:
        incident = Incident.objects.get(pk=incident.merged_into_id)
    # A closed incident is the final record, and a near miss calls nobody: a report after
    # either is heard afresh. Each such release takes a person's decision, so it stays bounded.
    return incident if incident.kind == Incident.Kind.INCIDENT and not incident.is_closed else None


def _sender_reported(sender: ReportSender, *, opened: Incident | None, now: datetime.datetime) -> None:
    if opened is not None:
        sender.incidents_opened += 1
        sender.incidents_opened_today += 1
        sender.incident = opened
    sender.last_report_at = now
    sender.save(
        update_fields=[
            "first_report_at",
            "last_report_at",
            "incidents_opened",
            "incident",
            "day_started_at",
            "incidents_opened_today",
        ]
    )


def unused_reference() -> str:
    """A reference no report and no incident has: a reporter's reference names one thing."""
    for _ in range(REFERENCE_TRIES):
        reference = new_reference()
        if not _reference_taken(reference):
            return reference
    raise RuntimeError("No free privacy problem reference found")


def _reference_taken(reference: str) -> bool:
    return (
        Incident.objects.filter(reference=reference).exists()
        or PrivacyReport.objects.filter(reference=reference).exists()
    )


def _with_unused_reference[T](save: Callable[[str], T]) -> T:
    """save(reference) with a free reference; if another request took the same one at the
    same moment, again with another. Any other refusal (a twin request's idempotency key)
    goes up to create_once, which answers with the twin's record."""
    for _ in range(REFERENCE_TRIES):
        reference = unused_reference()
        try:
            with transaction.atomic():
                return save(reference)
        except IntegrityError:
            if not _reference_taken(reference):
                raise
    raise RuntimeError("No free privacy problem reference found")


def incident_open(
    *,
    actor: Actor | None,
    summary: str,
    kind: str = Incident.Kind.INCIDENT,
    severity: str = Incident.Severity.NOT_ASSESSED,
    reference: str = "",
) -> Incident:
    """Open an incident now (the ICO clock starts) and, once it is saved, start the
    escalation ladder. Near misses are recorded after the fact, so nobody is called.
    An incident opened by a report takes that report's reference."""
    incident = Incident.objects.create(
        reference=reference or unused_reference(),
        aware_at=timezone.now(),
        kind=kind,
        severity=severity,
        summary=summary[:200],
    )
    note(incident, actor, f"Opened: {incident.get_kind_display().lower()}")
    if kind != Incident.Kind.NEAR_MISS:
        transaction.on_commit(lambda: escalation.escalation_start(incident.pk))
    return incident


def switched_off_for_everyone() -> frozenset[str]:
    """The modules (and "portal") switched off for everyone now, read fresh."""
    return frozenset(ModuleSwitch.objects.filter(cohort__isnull=True, is_off=True).values_list("module", flat=True))


def reported_module(incident: Incident) -> str:
    """The module (`@module` on its view) of the first page a report on the incident came
    from, or "" if none names a page of the portal that belongs to one."""
    for page in incident.reports.exclude(page="").order_by("created_at", "id").values_list("page", flat=True)[:20]:
        try:
            match = resolve(urlsplit(page).path)
        except Resolver404:
            continue
        module = getattr(match.func, "porch_module", "")
        if module:
            return str(module)
    return ""


def note(incident: Incident, actor: Actor | None, what: str) -> None:
    TimelineEntry.objects.create(incident=incident, actor_id=actor.user_id if actor else None, what=what[:500])


# --- The incident record ----------------------------------------------------------
#
# Every change below happens on a locked, fresh copy of the incident, is written on its
# timeline and audited. A closed incident is the final record: nothing changes it.

# The order an incident moves through. Status only moves forward.
STATUS_ORDER = [
    Incident.Status.REPORTED,
    Incident.Status.ACKNOWLEDGED,
    Incident.Status.CONTAINED,
    Incident.Status.ASSESSED,
    Incident.Status.NOTIFIED,
    Incident.Status.CLOSED,
]
# Anyone called about the incident may move it this far; the rest is the DPO's.
RESPONDER_STATUSES = (Incident.Status.ACKNOWLEDGED, Incident.Status.CONTAINED, Incident.Status.ASSESSED)


@dataclass(frozen=True)
class Problem:
    """Why something was refused, and the part of the incident page where it is put right."""

    text: str
    anchor: str = ""


class Refused(Exception):
    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(problem.text for problem in problems))
        self.problems = list(problems)


def incident_set_status(*, actor: Actor, incident: Incident, status: str, request: HttpRequest | None = None) -> None:
    """Move the incident forward. Acknowledging, containing and assessing are for anyone
    called about it; "ICO notified" comes from recording that the ICO was told; closing
    is the DPO's (see incident_close)."""
    if status == Incident.Status.CLOSED:
        incident_close(actor=actor, incident=incident, request=request)
        return
    if status not in RESPONDER_STATUSES:
        raise Refused(Problem("Record when you told the ICO and the status moves on its own", "ico-told"))
    with transaction.atomic():
        locked = _locked(incident)
        if _rank(status) <= _rank(locked.status):
            if status == locked.status:
                return  # a second click of the same button
            raise Refused(Problem(f"It is already {locked.get_status_display().lower()}: status only moves forward"))
        _acknowledge_if_needed(actor, locked)
        locked.status = status
        changed = ["status"]
        if status == Incident.Status.CONTAINED and locked.contained_at is None:
            locked.contained_at = timezone.now()
            changed.append("contained_at")
        locked.save(update_fields=changed)
        note(locked, actor, f"Status: {locked.get_status_display()}")
        _audit(actor, locked, status, request)


def incident_contain(*, actor: Actor, incident: Incident, module: str, request: HttpRequest | None = None) -> None:
    """One click from the incident: switch a module (or the portal) off for everyone, on the
    timeline. On a drill nothing real is switched: the timeline says what would have been."""
    with transaction.atomic():
        locked = _locked(incident)
        _acknowledge_if_needed(actor, locked)
        changed = []
        if locked.contained_at is None:
            locked.contained_at = timezone.now()
            changed.append("contained_at")
        if _rank(locked.status) < _rank(Incident.Status.CONTAINED):
            locked.status = Incident.Status.CONTAINED
            changed.append("status")
            note(locked, actor, f"Status: {locked.get_status_display()}")
        locked.save(update_fields=changed)
        if locked.is_drill:
            note(
                locked,
                actor,
                f"Drill: would have switched off for everyone: {switch_name(module)}. Nothing was switched off.",
            )
        else:
            module_switch_off(actor=actor, module=module, reason=f"Incident {locked.reference}", request=request)
            note(locked, actor, f"Switched off for everyone: {module}")
        _audit(actor, locked, f"contained: {module}{' (drill)' if locked.is_drill else ''}", request)


def incident_describe(
    *, actor: Actor, incident: Incident, severity: str, summary: str, request: HttpRequest | None = None
) -> None:
    """Severity and the one-line summary: anyone called about the incident may triage it."""
    with transaction.atomic():
        locked = _locked(incident)
        changed = []
        if severity != locked.severity:
            locked.severity = severity
            changed.append("severity")
            note(locked, actor, f"Severity: {locked.get_severity_display()}")
        if summary != locked.summary:
            locked.summary = summary[:200]
            changed.append("summary")
            note(locked, actor, f"Summary: {locked.summary}")
        if changed:
            locked.save(update_fields=changed)
            _audit(actor, locked, ", ".join(changed), request)


def owner_candidates(incident: Incident) -> QuerySet[User]:
    """Who may own an incident: staff who can see it, that is DPOs and the people called about it."""
    called = incident.notifications.filter(user__isnull=False, status__in=access.CALLED).values("user_id")
    return (
        User.objects.filter(kind=User.Kind.STAFF, is_active=True)
        .filter(Q(role_grants__role=StaffRole.DPO) | Q(pk__in=called))
        .distinct()
        .order_by("username")
    )


def incident_set_owner(*, actor: Actor, incident: Incident, owner: User, request: HttpRequest | None = None) -> None:
    if not owner_candidates(incident).filter(pk=owner.pk).exists():
        raise Refused(Problem("Choose someone who can see this incident", "owner"))
    with transaction.atomic():
        locked = _locked(incident)
        if locked.owner_id == owner.pk:
            return
        locked.owner = owner
        locked.save(update_fields=["owner"])
        note(locked, actor, f"Owner: {display_name(owner)}")
        _audit(actor, locked, "owner", request)


def incident_decide_ico(
    *, actor: Actor, incident: Incident, decision: str, reason: str, request: HttpRequest | None = None
) -> None:
    """The DPO's record of "Notify the ICO: yes or no, and why", with who and when."""
    _require_decider(actor)
    with transaction.atomic():
        locked = _locked(incident)
        _require_real_incident(locked)
        if locked.ico_notified_at and decision == Incident.Decision.NO:
            raise Refused(Problem("You have recorded telling the ICO, so the decision stays yes", "ico-decision"))
        locked.ico_decision, locked.ico_decision_reason = decision, reason
        locked.ico_decided_at, locked.ico_decided_by_id = timezone.now(), actor.user_id
        locked.save(update_fields=["ico_decision", "ico_decision_reason", "ico_decided_at", "ico_decided_by"])
        note(locked, actor, f"Decision: tell the ICO: {locked.get_ico_decision_display().lower()}. Why: {reason}")
        _audit(actor, locked, f"ico decision: {decision}", request)


def incident_record_ico_told(
    *,
    actor: Actor,
    incident: Incident,
    told_at: datetime.datetime,
    reference: str,
    request: HttpRequest | None = None,
) -> None:
    """When the ICO was told and the reference they gave: the incident is then "ICO notified"."""
    _require_decider(actor)
    with transaction.atomic():
        locked = _locked(incident)
        _require_real_incident(locked)
        if locked.ico_decision != Incident.Decision.YES:
            raise Refused(Problem("Record the decision to tell the ICO first", "ico-decision"))
        _acknowledge_if_needed(actor, locked)
        locked.ico_notified_at, locked.ico_reference = told_at, reference
        changed = ["ico_notified_at", "ico_reference"]
        if _rank(locked.status) < _rank(Incident.Status.NOTIFIED):
            locked.status = Incident.Status.NOTIFIED
            changed.append("status")
        locked.save(update_fields=changed)
        late = told_at - locked.ico_deadline
        lateness = f", {plain_duration(late)} after the 72 hours" if late > datetime.timedelta(0) else ""
        when = f"{timezone.localtime(told_at):%-d %b %Y %H:%M}"
        note(locked, actor, f"Told the ICO on {when}{lateness}. Their reference: {reference or 'none given'}")
        _audit(actor, locked, "ico told", request)


def incident_decide_affected(
    *, actor: Actor, incident: Incident, decision: str, reason: str, request: HttpRequest | None = None
) -> None:
    """The DPO's record of "Tell the people affected: yes or no, and why" (Article 34)."""
    _require_decider(actor)
    with transaction.atomic():
        locked = _locked(incident)
        _require_real_incident(locked)
        locked.affected_decision, locked.affected_decision_reason = decision, reason
        locked.affected_decided_at, locked.affected_decided_by_id = timezone.now(), actor.user_id
        locked.save(
            update_fields=[
                "affected_decision",
                "affected_decision_reason",
                "affected_decided_at",
                "affected_decided_by",
            ]
        )
        shown = locked.get_affected_decision_display().lower()
        note(locked, actor, f"Decision: tell the people affected: {shown}. Why: {reason}")
        _audit(actor, locked, f"affected decision: {decision}", request)


def incident_review(
    *,
    actor: Actor,
    incident: Incident,
    what_happened: str,
    cause: str,
    lessons: str,
    actions: str,
    request: HttpRequest | None = None,
) -> None:
    """The post-incident review; it can be saved part-written, and must be whole to close."""
    _require_decider(actor)
    with transaction.atomic():
        locked = _locked(incident)
        locked.review_what_happened, locked.review_cause = what_happened, cause
        locked.review_lessons, locked.review_actions = lessons, actions
        locked.save(update_fields=["review_what_happened", "review_cause", "review_lessons", "review_actions"])
        note(locked, actor, "Post-incident review saved")
        _audit(actor, locked, "review", request)


def close_blockers(incident: Incident) -> list[Problem]:
    """What must be on the record before the incident can close. A drill closes with its
    timings as they are; a near miss needs the reason the ICO was not told."""
    if incident.is_drill:
        return []
    if incident.is_near_miss:
        if incident.ico_decision == Incident.Decision.NO and incident.ico_decision_reason.strip():
            return []
        return [Problem("Record why the ICO was not told", "summary")]
    problems = []
    if not incident.ico_decision:
        problems.append(Problem("Record whether to tell the ICO", "ico-decision"))
    elif incident.ico_decision == Incident.Decision.YES and not incident.ico_notified_at:
        problems.append(Problem("Record when you told the ICO", "ico-told"))
    if not incident.affected_decision:
        problems.append(Problem("Record whether to tell the people affected", "affected"))
    review = {
        "what happened": incident.review_what_happened,
        "the cause": incident.review_cause,
        "the lessons": incident.review_lessons,
        "the actions": incident.review_actions,
    }
    missing = [part for part, text in review.items() if not text.strip()]
    if missing:
        problems.append(Problem(f"Fill in the post-incident review: {_and_list(missing)}", "review"))
    return problems


def incident_close(*, actor: Actor, incident: Incident, request: HttpRequest | None = None) -> None:
    _require_decider(actor)
    with transaction.atomic():
        locked = _locked(incident, closing=True)
        if locked.is_closed:
            return  # a second click
        problems = close_blockers(locked)
        if problems:
            raise Refused(*problems)
        locked.status, locked.closed_at, locked.closed_by_id = Incident.Status.CLOSED, timezone.now(), actor.user_id
        locked.save(update_fields=["status", "closed_at", "closed_by"])
        note(locked, actor, "Closed")
        _audit(actor, locked, "closed", request)


def join_refusal(incident: Incident, into: Incident) -> str | None:
    """Why `incident` cannot be joined to `into`, or None if it can."""
    if into.pk == incident.pk:
        return "Enter the reference of a different incident"
    if incident.is_closed:
        return "This incident is closed"
    if into.is_closed:
        return f"{into.reference} is closed: join this to an open incident"
    if into.kind != incident.kind:
        return f"{into.reference} is a {into.get_kind_display().lower()}: join like to like"
    return None


def incident_join(*, actor: Actor, incident: Incident, into: Incident, request: HttpRequest | None = None) -> None:
    """Join a duplicate ("the same problem as ...") to another incident: its reports move there,
    that incident's ICO clock runs from the earlier of the two first reports, and this one closes."""
    _require_decider(actor)
    with transaction.atomic():
        # Lock both, always in the same order, so two joins cannot deadlock.
        locked = {
            found.pk: found
            for found in Incident.objects.select_for_update().filter(pk__in=[incident.pk, into.pk]).order_by("pk")
        }
        duplicate, target = locked[incident.pk], locked[into.pk]
        refusal = join_refusal(duplicate, target)
        if refusal:
            raise Refused(Problem(refusal, "join"))
        moved = list(duplicate.reports.values_list("reference", flat=True))
        PrivacyReport.objects.filter(incident=duplicate).update(incident=target)
        now = timezone.now()
        duplicate.merged_into, duplicate.status = target, Incident.Status.CLOSED
        duplicate.closed_at, duplicate.closed_by_id = now, actor.user_id
        duplicate.save(update_fields=["merged_into", "status", "closed_at", "closed_by"])
        reports = f"Reports moved: {', '.join(moved)}" if moved else "No reports to move"
        note(duplicate, actor, f"Joined to {target.reference}: the same problem. {reports}. Closed")
        note(target, actor, f"{duplicate.reference} joined to this: the same problem. {reports}")
        if duplicate.aware_at < target.aware_at:
            target.aware_at = duplicate.aware_at
            target.save(update_fields=["aware_at"])
            first = f"{timezone.localtime(target.aware_at):%-d %b %Y %H:%M}"
            note(target, actor, f"The ICO clock now runs from {first}, the first report (on {duplicate.reference})")
        _audit(actor, duplicate, f"joined to {target.reference}", request)
        _audit(actor, target, f"joined from {duplicate.reference}", request)


def incident_reclassify_near_miss(
    *, actor: Actor, incident: Incident, reason: str, request: HttpRequest | None = None
) -> None:
    """The DPO decides it was not a breach after all: a near miss, with why the ICO was not told."""
    _require_decider(actor)
    with transaction.atomic():
        locked = _locked(incident)
        _require_real_incident(locked)
        if locked.ico_notified_at:
            raise Refused(Problem("The ICO has been told about it, so it stays an incident", "near-miss"))
        _acknowledge_if_needed(actor, locked)  # nobody else need be called about it now
        locked.kind = Incident.Kind.NEAR_MISS
        locked.ico_decision, locked.ico_decision_reason = Incident.Decision.NO, reason
        locked.ico_decided_at, locked.ico_decided_by_id = timezone.now(), actor.user_id
        locked.save(update_fields=["kind", "ico_decision", "ico_decision_reason", "ico_decided_at", "ico_decided_by"])
        note(locked, actor, f"Reclassified as a near miss. The ICO was not told because: {reason}")
        _audit(actor, locked, "reclassified: near miss", request)


def near_miss_record(
    *,
    actor: Actor,
    summary: str,
    what_happened: str,
    happened_on: datetime.date,
    reason: str,
    idempotency_key: uuid.UUID,
    request: HttpRequest | None = None,
) -> Incident:
    """Record, after the fact, something that nearly was a breach. Nobody is called."""
    _require_decider(actor)

    def create() -> Incident:
        incident = incident_open(actor=actor, summary=summary, kind=Incident.Kind.NEAR_MISS)
        # For a near miss the date it happened stands where an incident has its first report.
        incident.aware_at = timezone.make_aware(datetime.datetime.combine(happened_on, datetime.time.min))
        incident.review_what_happened = what_happened
        incident.ico_decision, incident.ico_decision_reason = Incident.Decision.NO, reason
        incident.ico_decided_at, incident.ico_decided_by_id = timezone.now(), actor.user_id
        incident.idempotency_key = idempotency_key
        incident.save(
            update_fields=[
                "aware_at",
                "review_what_happened",
                "ico_decision",
                "ico_decision_reason",
                "ico_decided_at",
                "ico_decided_by",
                "idempotency_key",
            ]
        )
        note(incident, actor, f"Recorded as a near miss. The ICO was not told because: {reason}")
        record(actor=actor, action="create", object_type="incident", object_id=incident.uuid, request=request)
        return incident

    return create_once(Incident.objects.all(), idempotency_key, create)


def drill_start(*, actor: Actor, idempotency_key: uuid.UUID, request: HttpRequest | None = None) -> Incident:
    """A rehearsal that goes through the real ladder and is timed (see drills.py)."""
    _require_decider(actor)

    def create() -> Incident:
        started = f"{timezone.localtime():%-d %b %Y %H:%M}"
        incident = incident_open(actor=actor, summary=f"Drill started {started}", kind=Incident.Kind.DRILL)
        incident.idempotency_key = idempotency_key
        incident.save(update_fields=["idempotency_key"])
        record(
            actor=actor,
            action="create",
            object_type="incident",
            object_id=incident.uuid,
            reason="drill",
            request=request,
        )
        return incident

    return create_once(Incident.objects.all(), idempotency_key, create)


def display_name(user: User) -> str:
    return user.get_full_name() or user.username


def _locked(incident: Incident, *, closing: bool = False) -> Incident:
    """A fresh copy, locked until the transaction ends; refused if the incident is closed."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.is_closed and not closing:
        where = f": it was joined to {locked.merged_into.reference}" if locked.merged_into else ""
        raise Refused(Problem(f"This incident is closed{where}"))
    return locked


def _rank(status: str) -> int:
    return STATUS_ORDER.index(Incident.Status(status))


def _acknowledge_if_needed(actor: Actor, incident: Incident) -> None:
    """A person acting on an incident has it: acknowledge it, which stops the calls. The
    canary guard switching a module off by itself is not a person: the calls go on."""
    if incident.acknowledged_at is None and actor.user_id is not None:
        escalation.incident_acknowledge(actor=actor, incident=incident)
        incident.refresh_from_db(fields=["acknowledged_at", "acknowledged_by", "status"])


def _require_decider(actor: Actor) -> None:
    if not access.may_decide(actor):
        raise PermissionDenied


def _require_real_incident(incident: Incident) -> None:
    if not incident.has_ico_deadline:
        kind = incident.get_kind_display().lower()
        raise Refused(Problem(f"This is a {kind}: there is no ICO or affected-people decision to make"))


def _audit(actor: Actor, incident: Incident, what: str, request: HttpRequest | None) -> None:
    record(
        actor=actor,
        action="update",
        object_type="incident",
        object_id=incident.uuid,
        reason=what[:500],
        request=request,
    )


def _and_list(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
