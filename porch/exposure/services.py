"""Reading the reports (audited: they are personal data too), their CSV files, and
saving the DPO's draft ICO report on the incident."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.models import AccessEvent
from porch.audit.services import record
from porch.core.actor import Actor
from porch.exposure.module import EXPOSURE_REPORT
from porch.exposure.reports import (
    ExposureReport,
    Recipient,
    Window,
    recipients_by_id,
    require_dpo,
    route_label,
)
from porch.housing.models import Person
from porch.incidents.models import Incident
from porch.incidents.services import note

# Not resident-facing (see porch.audit.access): residents are never told that they
# appeared in a DPO's investigation, which could tip off someone who took data.
REPORT = EXPOSURE_REPORT
# A record about a place (a block's notices) names nobody: the spreadsheet says so.
PLACE_RECORDS = "Nobody named: records about a place"


def report_reason(kind: str, window: Window, *parts: str) -> str:
    return " ".join([kind, str(window), *(part for part in parts if part)])[:500]


def who_saw_read(
    *,
    actor: Actor,
    person: Person,
    window: Window,
    recipients: Iterable[Recipient],
    request: HttpRequest,
    download: bool = False,
) -> None:
    """The person's own trail (they see this on their privacy page, as for the DPO's
    person audit page) and, internally, the residents named as having seen it."""
    require_dpo(actor)
    action = "download" if download else "view"
    with transaction.atomic():
        record(
            actor=actor,
            action=action,
            object_type="audit_trail",
            object_id=person.uuid,
            subject_ids=[person.id],
            reason=report_reason("who saw", window),
            request=request,
        )
        others = {recipient.person_id for recipient in recipients if recipient.person_id} - {person.id}
        if others:
            record(
                actor=actor,
                action=action,
                object_type=REPORT,
                object_id=person.uuid,
                subject_ids=others,
                reason=report_reason("who saw", window),
                request=request,
            )


def session_seen_read(
    *,
    actor: Actor,
    session_ref: str,
    window: Window,
    subject_ids: Iterable[int | None],
    request: HttpRequest,
    download: bool = False,
) -> None:
    require_dpo(actor)
    record(
        actor=actor,
        action="download" if download else "view",
        object_type=REPORT,
        object_id=session_ref,
        subject_ids=set(subject_ids) or {None},
        reason=report_reason("session", window),
        request=request,
    )


# --- CSV -----------------------------------------------------------------------------


def _cell(value: object) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: names come from residents."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _when(moment: datetime.datetime | None, zone: datetime.tzinfo | None = None) -> str:
    """Local time; pass the zone when writing many (looking it up each time is slow)."""
    if not moment:
        return ""
    return moment.astimezone(zone or timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M:%S")


def affected_people_csv(report: ExposureReport) -> str:
    zone = timezone.get_current_timezone()
    return _csv(
        [
            "Name",
            "Housing reference",
            "Person ID",
            "Address",
            "Email",
            "Mobile",
            "Events",
            "First seen",
            "Last seen",
            "Test resident",
        ],
        (
            [
                a.person.full_name,
                a.person.housing_reference,
                a.person.uuid,
                ", ".join(a.address),
                a.person.email,
                a.person.mobile,
                a.events,
                _when(a.first_seen, zone),
                _when(a.last_seen, zone),
                "yes" if a.person.is_test else "no",
            ]
            for a in report.affected
        ),
    )


def _who(recipient: Recipient | None) -> list[object]:
    if recipient is None:
        return ["", ""]
    return [recipient.label, recipient.reference]


def recipients_csv(report: ExposureReport) -> str:
    zone = timezone.get_current_timezone()
    return _csv(
        [
            "Recipient",
            "Recipient reference",
            "Recipient kind",
            "On behalf of (viewing as the recipient)",
            "On behalf of reference",
            "Whose data",
            "Their housing reference",
            "Events",
            "First seen",
            "Last seen",
        ],
        (
            [
                *_who(r.recipient),
                r.recipient.kind,
                *_who(r.on_behalf_of),
                r.subject.full_name if r.subject else PLACE_RECORDS,
                r.subject.housing_reference if r.subject else "",
                r.events,
                _when(r.first_seen, zone),
                _when(r.last_seen, zone),
            ]
            for r in report.receipts
        ),
    )


def events_csv(events: Iterable[AccessEvent]) -> str:
    """One line per event, for the who-saw and session reports."""
    header = [
        "When",
        "Who",
        "Who reference",
        "On behalf of",
        "Role",
        "Action",
        "What",
        "Object ID",
        "Whose data",
        "Their housing reference",
        "Page",
        "Session reference",
        "Request ID",
        "Allowed by the access model then",
    ]
    parts = [_csv(header, [])]
    batch: list[AccessEvent] = []
    for event in events:
        batch.append(event)
        if len(batch) == 500:
            parts.append(_event_lines(batch))
            batch = []
    parts.append(_event_lines(batch))
    return "".join(parts)


def _event_lines(events: list[AccessEvent]) -> str:
    if not events:
        return ""
    named = recipients_by_id([e.actor_id for e in events] + [e.on_behalf_of_id for e in events])
    out = io.StringIO()
    writer = csv.writer(out)
    for e in events:
        who = named[e.actor_id]
        writer.writerow(
            [
                _cell(value)
                for value in (
                    _when(e.at),
                    who.label,
                    who.reference,
                    named[e.on_behalf_of_id].label if e.on_behalf_of_id else "",
                    e.actor_role,
                    e.get_action_display(),
                    e.object_type,
                    e.object_id,
                    e.subject.full_name if e.subject else "",
                    e.subject.housing_reference if e.subject else "",
                    route_label(e.route) if e.route else "",
                    e.session_ref,
                    e.request_id,
                    "yes" if getattr(e, "allowed", True) else "NO",
                )
            ]
        )
    return out.getvalue()


# --- The draft ICO report -------------------------------------------------------------


def ico_report_viewed(*, actor: Actor, incident: Incident, request: HttpRequest | None = None) -> None:
    record(
        actor=actor,
        action="view",
        object_type="incident",
        object_id=incident.uuid,
        reason="ICO report draft",
        request=request,
    )


def ico_report_save(*, actor: Actor, incident: Incident, draft: str, request: HttpRequest | None = None) -> None:
    """The DPO's edited draft, kept on the incident, with a line on its timeline."""
    require_dpo(actor)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.ico_report_draft == draft:
            return
        locked.ico_report_draft = draft
        locked.save(update_fields=["ico_report_draft"])
        note(locked, actor, "Draft ICO report saved")
        record(
            actor=actor,
            action="update",
            object_type="incident",
            object_id=locked.uuid,
            reason="ICO report draft saved",
            request=request,
        )
