"""Canary households: installing them, and what happens when the guard catches one.

A trip (a response carrying a canary marker to someone it does not belong to)
is recorded, audited, joined to the open canary incident of the same module or
opens a new one at the highest severity (which calls on-call), and, when
CANARY_GUARD_ACTION is "switch_off", switches that module off for residents.

Nothing written here carries a marker: the DPO reading the incident would trip
the guard in turn. Canaries are named by their tenancy reference."""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone

from porch.accounts.models import User
from porch.audit.services import Seen, record, record_many
from porch.canaries import known
from porch.canaries.known import Canary
from porch.canaries.models import CanaryAlarm, CanaryTrip
from porch.core import rls
from porch.core.actor import ANONYMOUS_ACTOR, Actor
from porch.core.markers import marker_new, redact
from porch.core.modules import synthetic_records_create
from porch.housing.models import Membership, Person, Tenancy, TestHousehold
from porch.housing.synthetic import synthetic_tenancy_create
from porch.incidents.models import Incident
from porch.incidents.services import incident_contain, incident_open, note
from porch.rollout.models import ModuleSwitch

logger = logging.getLogger(__name__)

# The guard acts as the system: audit rows and switch changes name no person.
GUARD = Actor(kind="system")

SWITCH_OFF = "switch_off"
ALERT = "alert"
GUARD_ACTIONS = (ALERT, SWITCH_OFF)


# --- Installing -----------------------------------------------------------------------------


def canaries_install(*, count: int) -> list[TestHousehold]:
    """Make canary households until there are `count` (never more: running it twice adds nothing)."""
    existing = TestHousehold.objects.filter(purpose=TestHousehold.Purpose.CANARY).count()
    made = [canary_household_create() for _ in range(max(0, count - existing))]
    known.forget()
    return made


def canary_household_create() -> TestHousehold:
    """A household flagged as test whose names, address, email and documents carry one
    random marker. Its residents have accounts with no usable password: nobody signs in
    as a canary, so its marker should never be in any response at all."""
    marker = marker_new()
    with transaction.atomic():
        tenancy = synthetic_tenancy_create(address_line_1=f"{10 + secrets.randbelow(90)} Larch Walk {marker}")
        household = TestHousehold.objects.create(tenancy=tenancy, marker=marker, purpose=TestHousehold.Purpose.CANARY)
        people = [
            _canary_resident(tenancy, marker, first_name, role, index)
            for index, (first_name, role) in enumerate(
                (("Robin", Membership.Role.LEAD_TENANT), ("Wren", Membership.Role.JOINT_TENANT))
            )
        ]
        synthetic_records_create(tenancy, marker)
        record(
            actor=GUARD,
            action="create",
            object_type="test_household",
            object_id=tenancy.uuid,
            subject_ids=[person.id for person in people],
            tenancy_id=tenancy.id,
            reason="canary household installed (manage.py canaries install)",
        )
    return household


def _canary_resident(tenancy: Tenancy, marker: str, first_name: str, role: str, index: int) -> Person:
    email = f"{marker.lower()}.{index}@test.invalid"
    person = Person.objects.create(
        housing_reference=f"TEST{secrets.token_hex(4).upper()}",
        first_name=first_name,
        last_name=f"Canary {marker}",
        # A random date: a date cannot carry a marker, but it need not be guessable either.
        date_of_birth=datetime.date(1940, 1, 1) + datetime.timedelta(days=secrets.randbelow(60 * 365)),
        email=email,
        is_test=True,
    )
    Membership.objects.create(tenancy=tenancy, person=person, role=role, start_date=tenancy.start_date)
    User.objects.create_user(
        username=email, email=email, password=None, kind=User.Kind.RESIDENT, person=person, is_test=True
    )
    return person


NO_TRIPS: tuple[int, datetime.datetime | None] = (0, None)


@dataclass(frozen=True)
class CanaryListing:
    reference: str
    marker: str
    created_at: datetime.datetime
    people: int
    documents: int
    trips: int
    last_trip_at: datetime.datetime | None


def canaries_listing() -> list[CanaryListing]:
    """For the operator at the command line (the only place markers are ever shown)."""
    households = (
        TestHousehold.objects.filter(purpose=TestHousehold.Purpose.CANARY)
        .select_related("tenancy")
        .annotate(
            people=Count("tenancy__memberships", distinct=True),
            documents=Count("tenancy__documents", distinct=True),
        )
        .order_by("created_at")
    )
    trips: dict[int, tuple[int, datetime.datetime | None]] = {
        row["testhousehold_id"]: (row["n"], row["last"])
        for row in CanaryTrip.households.through.objects.values("testhousehold_id").annotate(
            n=Count("canarytrip_id"), last=Max("canarytrip__at")
        )
    }
    return [
        CanaryListing(
            reference=household.tenancy.reference,
            marker=household.marker,
            created_at=household.created_at,
            people=household.people,
            documents=household.documents,
            trips=trips.get(household.pk, NO_TRIPS)[0],
            last_trip_at=trips.get(household.pk, NO_TRIPS)[1],
        )
        for household in households
    ]


# --- A trip -----------------------------------------------------------------------------------


def canary_trip(*, request: HttpRequest, canaries: Sequence[Canary], found: str, status_code: int) -> CanaryTrip:
    """Record a blocked response, raise the alarm and, if so configured, switch the module off."""
    actor = actor_of(request)
    module = module_of(request)
    canaries = sorted(canaries, key=lambda canary: canary.reference)
    # Recorded by the system, whoever tripped it (staff-only rows behind the database wall).
    with rls.as_system(connection), transaction.atomic():
        alarm = _locked_alarm(module)
        now = timezone.now()
        incident = _incident_to_join(alarm, now) or incident_open(
            actor=None, summary=_summary(module), severity=Incident.Severity.CRITICAL
        )
        trip = _trip_create(request, actor, module, incident, canaries, found, status_code)
        note(incident, None, _trip_description(trip, canaries, actor))
        trip.outcome = _contain(incident=incident, module=module, actor=actor, request=request)
        trip.save(update_fields=["outcome"])
        if trip.outcome != CanaryTrip.Outcome.SWITCHED_OFF:
            note(incident, None, f"Canary guard: {trip.get_outcome_display().lower()}{_why(trip.outcome, actor)}")
        alarm.incident, alarm.last_trip_at = incident, now
        alarm.save(update_fields=["incident", "last_trip_at"])
        _trip_audit(request, actor, trip, canaries)
    logger.critical(
        "Canary guard blocked %s %s (module %s): incident %s, %s",
        trip.method,
        trip.path,
        module or "none",
        incident.reference,
        trip.outcome,
    )
    return trip


def _trip_create(
    request: HttpRequest,
    actor: Actor,
    module: str,
    incident: Incident,
    canaries: Sequence[Canary],
    found: str,
    status_code: int,
) -> CanaryTrip:
    trip = CanaryTrip.objects.create(
        module=module,
        method=(request.method or "")[:10],
        path=redact(request.path)[:200],
        status_code=status_code,
        found=found,
        actor_id=actor.user_id,
        on_behalf_of_id=actor.on_behalf_of_id,
        actor_role=actor.role_label,
        request_id=getattr(request, "request_id", ""),
        incident=incident,
        outcome=CanaryTrip.Outcome.ALERT_ONLY,
    )
    trip.households.set([canary.household_id for canary in canaries])
    return trip


def _trip_audit(request: HttpRequest, actor: Actor, trip: CanaryTrip, canaries: Sequence[Canary]) -> None:
    """The reader as actor, each canary's people as subjects: "who saw this canary" finds the trip."""
    reason = f"blocked by the canary guard before it left the server: {trip.method} {trip.path}"
    record_many(
        actor=actor,
        action="view",
        object_type="canary_trip",
        seen=[Seen(trip.pk, canary.member_ids or (None,), canary.tenancy_id, reason) for canary in canaries],
        request=request,
    )


def actor_of(request: HttpRequest) -> Actor:
    """The actor the response was going to; signed out if it cannot be told (the strictest reading)."""
    try:
        actor = getattr(request, "actor", None)
        return actor if actor is not None and isinstance(actor.kind, str) else ANONYMOUS_ACTOR
    except Exception:  # resolving the lazy actor failed: treat as signed out
        logger.exception("Canary guard could not resolve the actor")
        return ANONYMOUS_ACTOR


def module_of(request: HttpRequest) -> str:
    """The module of the view that produced the response (`porch.core.routes.module`), or ""."""
    match = getattr(request, "resolver_match", None)
    return str(getattr(match.func, "porch_module", "") or "") if match is not None else ""


def _locked_alarm(module: str) -> CanaryAlarm:
    CanaryAlarm.objects.get_or_create(module=module)
    return CanaryAlarm.objects.select_for_update().get(module=module)


def _incident_to_join(alarm: CanaryAlarm, now: datetime.datetime) -> Incident | None:
    """The incident the last trip of this module joined, if that was recent and it is still open."""
    window = datetime.timedelta(minutes=settings.CANARY_INCIDENT_JOIN_MINUTES)
    if alarm.incident_id is None or alarm.last_trip_at is None or now - alarm.last_trip_at > window:
        return None
    incident = Incident.objects.get(pk=alarm.incident_id)
    if incident.merged_into_id is not None:
        incident = Incident.objects.get(pk=incident.merged_into_id)
    # A closed incident is the final record; one reclassified as a near miss calls nobody.
    return incident if incident.kind == Incident.Kind.INCIDENT and not incident.is_closed else None


def _contain(*, incident: Incident, module: str, actor: Actor, request: HttpRequest) -> str:
    """Switch the module off, but only where a switch stops the leak: the kill switch
    gates residents and signed-out visitors on pages that belong to a module; staff
    pages and pages with no module stay up whatever is switched, so switching there
    would only take unrelated pages away from residents. The guard keeps blocking
    each such response anyway."""
    if settings.CANARY_GUARD_ACTION != SWITCH_OFF:
        return CanaryTrip.Outcome.ALERT_ONLY
    if not module or actor.is_staff:
        return CanaryTrip.Outcome.NOT_SWITCHABLE
    if ModuleSwitch.objects.filter(module=module, cohort__isnull=True, is_off=True).exists():
        return CanaryTrip.Outcome.ALREADY_OFF
    incident_contain(actor=GUARD, incident=incident, module=module, request=request)
    return CanaryTrip.Outcome.SWITCHED_OFF


def _summary(module: str) -> str:
    where = f"the {module} module" if module else "a page with no module"
    return f"Canary guard: a canary household's data was about to leave the server from {where}"


def _trip_description(trip: CanaryTrip, canaries: Sequence[Canary], actor: Actor) -> str:
    references = ", ".join(canary.reference for canary in canaries)
    return redact(
        f"Canary guard blocked {trip.method} {trip.path} ({trip.status_code}, "
        f"module {trip.module or 'none'}) on its way to {_who(actor)}: "
        f"{trip.get_found_display().lower()}, canary household {references}. "
        f"The reader got the server error page. Request {trip.request_id or 'unknown'}."
    )


def _who(actor: Actor) -> str:
    if actor.is_viewing_as:
        return f"a staff member viewing as a resident (user {actor.on_behalf_of_id})"
    if actor.is_resident:
        return f"a resident (user {actor.user_id})"
    if actor.is_staff:
        return f"a staff member ({actor.role_label}, user {actor.user_id})"
    if actor.is_authenticated:
        return f"a signed-in {actor.kind} (user {actor.user_id})"
    return "a signed-out visitor"


def _why(outcome: str, actor: Actor) -> str:
    if outcome == CanaryTrip.Outcome.ALERT_ONLY:
        return " (CANARY_GUARD_ACTION is alert)"
    if outcome == CanaryTrip.Outcome.NOT_SWITCHABLE:
        reason = "it went to a staff member" if actor.is_staff else "the page belongs to no module"
        return f": {reason}, and the kill switch does not take such pages away; the guard keeps blocking them"
    return ""
