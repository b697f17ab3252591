"""Drill timings: how long from the report to the first call, to acknowledgement and to
containment, each against its goal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from porch.incidents.clock import plain_duration
from porch.incidents.models import Incident, Notification

MET, MISSED, NOT_YET = "met", "missed", "not yet"

# The goals the issue sets for every privacy problem, rehearsed by drills.
NOTIFIED_GOAL = datetime.timedelta(minutes=1)
ACKNOWLEDGED_GOAL = datetime.timedelta(minutes=15)
CONTAINED_GOAL = datetime.timedelta(minutes=60)

FIRST_SENT = Min("notifications__sent_at", filter=Q(notifications__status=Notification.Status.SENT))


@dataclass(frozen=True)
class Timing:
    label: str
    goal: datetime.timedelta
    took: datetime.timedelta | None  # None: it has not happened
    outcome: str  # MET, MISSED or NOT_YET

    @property
    def goal_text(self) -> str:
        return f"within {plain_duration(self.goal)}"

    @property
    def took_text(self) -> str:
        return plain_duration(self.took) if self.took is not None else "not done"


def with_first_notification(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Each incident with `first_notified_at`: when its first call was sent, in the same query."""
    return incidents.annotate(first_notified_at=FIRST_SENT)


def first_notified_at(incident: Incident) -> datetime.datetime | None:
    """The earliest call sent about the incident (calls waiting, failed or in doubt do not count)."""
    if hasattr(incident, "first_notified_at"):  # annotated by with_first_notification
        annotated: datetime.datetime | None = incident.first_notified_at
        return annotated
    sent = incident.notifications.filter(status=Notification.Status.SENT).aggregate(first=Min("sent_at"))
    first: datetime.datetime | None = sent["first"]
    return first


def drill_timings(incident: Incident, *, now: datetime.datetime | None = None) -> list[Timing]:
    """Report to first call, to acknowledgement, to containment. A step not yet done is
    'not yet' while its goal can still be met and 'missed' after."""
    now = now or timezone.now()
    steps = (
        ("First call sent", NOTIFIED_GOAL, first_notified_at(incident)),
        ("Acknowledged", ACKNOWLEDGED_GOAL, incident.acknowledged_at),
        ("Contained", CONTAINED_GOAL, incident.contained_at),
    )
    return [_timing(label, goal, incident.aware_at, done_at, now) for label, goal, done_at in steps]


def _timing(
    label: str,
    goal: datetime.timedelta,
    started: datetime.datetime,
    done_at: datetime.datetime | None,
    now: datetime.datetime,
) -> Timing:
    if done_at is None:
        return Timing(label, goal, None, MISSED if now - started > goal else NOT_YET)
    took = max(done_at - started, datetime.timedelta(0))
    return Timing(label, goal, took, MET if took <= goal else MISSED)
