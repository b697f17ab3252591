"""The ICO's 72 hours, said plainly: how long is left, or how late it is."""

from __future__ import annotations

import datetime

from django.utils import timezone

from porch.incidents.models import Incident

UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def plain_duration(delta: datetime.timedelta) -> str:
    """'2 days 3 hours', '14 minutes 5 seconds', '40 seconds': the largest unit and, if
    it is not zero, the one after it (never '2 days 5 seconds')."""
    remaining = max(int(delta.total_seconds()), 0)
    counts = []
    for name, size in UNITS:
        count, remaining = divmod(remaining, size)
        counts.append((name, count))
    for index, (name, count) in enumerate(counts):
        if count:
            shown = [(name, count)]
            if index + 1 < len(counts) and counts[index + 1][1]:
                shown.append(counts[index + 1])
            return " ".join(f"{number} {unit}{'' if number == 1 else 's'}" for unit, number in shown)
    return "0 seconds"


def ico_clock(incident: Incident, *, now: datetime.datetime | None = None) -> str:
    """What the ICO clock says for this incident, in one phrase."""
    if incident.is_drill:
        return "No ICO deadline: this is a drill"
    if incident.is_near_miss:
        return "No ICO deadline: a near miss is not reported to the ICO"
    if incident.merged_into_id:
        return "No ICO deadline here: joined to another incident"
    if incident.ico_notified_at:
        return f"The ICO was told on {timezone.localtime(incident.ico_notified_at):%-d %B %Y at %H:%M}"
    if incident.ico_decision == Incident.Decision.NO:
        return "Decided not to tell the ICO"
    left = incident.ico_deadline - (now or timezone.now())
    if left > datetime.timedelta(0):
        return f"{plain_duration(left)} left"
    return f"Overdue by {plain_duration(-left)}"


def ico_overdue(incident: Incident, *, now: datetime.datetime | None = None) -> bool:
    """Still owed to the ICO and past the 72 hours."""
    return (
        incident.has_ico_deadline
        and not incident.merged_into_id
        and not incident.ico_notified_at
        and incident.ico_decision != Incident.Decision.NO
        and incident.ico_deadline <= (now or timezone.now())
    )
