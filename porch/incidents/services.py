"""Reporting a privacy problem. A report opens an incident at once and alerts the
people on INCIDENT_ALERT_EMAILS straight after it is saved."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.incidents.models import Incident, PrivacyReport, TimelineEntry

logger = logging.getLogger(__name__)


def privacy_report_create(
    *,
    actor: Actor,
    channel: str,
    what_seen: str,
    page: str,
    contact_name: str,
    contact: str,
    idempotency_key: uuid.UUID,
    request: HttpRequest | None = None,
) -> PrivacyReport:
    """Save the report once (a double submit makes one), open its incident, alert on-call."""
    staff_logged = channel == PrivacyReport.Channel.PHONE

    def create() -> PrivacyReport:
        incident = Incident.objects.create(aware_at=timezone.now())
        report = PrivacyReport.objects.create(
            incident=incident,
            channel=channel,
            what_seen=what_seen,
            page=page[:500],
            contact_name=contact_name,
            contact=contact,
            reported_by_id=None if staff_logged else actor.user_id,
            logged_by_id=actor.user_id if staff_logged else None,
            idempotency_key=idempotency_key,
        )
        record(actor=actor, action="create", object_type="privacy_report", object_id=report.uuid, request=request)
        note(incident, actor, f"Reported: {report.get_channel_display().lower()}, reference {report.reference}")
        transaction.on_commit(lambda: alert_on_call(report))
        return report

    return create_once(PrivacyReport.objects.all(), idempotency_key, create)


def note(incident: Incident, actor: Actor | None, what: str) -> None:
    TimelineEntry.objects.create(incident=incident, actor_id=actor.user_id if actor else None, what=what[:500])


def incident_set_status(*, actor: Actor, incident: Incident, status: str, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        incident.status = status
        incident.save(update_fields=["status"])
        note(incident, actor, f"Status: {incident.get_status_display()}")
        record(
            actor=actor,
            action="update",
            object_type="incident",
            object_id=incident.uuid,
            reason=status,
            request=request,
        )


def incident_contain(*, actor: Actor, incident: Incident, module: str, request: HttpRequest | None = None) -> None:
    """One click from the incident: switch a module (or the portal) off for everyone, on the timeline."""
    from porch.rollout.services import module_switch_off

    with transaction.atomic():
        module_switch_off(actor=actor, module=module, reason=f"Incident {incident.reference}", request=request)
        if incident.status in (Incident.Status.REPORTED, Incident.Status.ACKNOWLEDGED):
            incident.status = Incident.Status.CONTAINED
            incident.save(update_fields=["status"])
        note(incident, actor, f"Switched off for everyone: {module}")


def alert_on_call(report: PrivacyReport) -> None:
    """Interim alert: an email to the on-call list. (The rota and escalation ladder come next.)"""
    recipients = settings.INCIDENT_ALERT_EMAILS
    if not recipients:
        logger.error("Privacy problem %s reported but INCIDENT_ALERT_EMAILS is empty", report.reference)
        return
    body = (
        f"A privacy problem was reported ({report.get_channel_display()}) at {report.created_at:%d %b %Y %H:%M}.\n"
        f"Incident {report.incident.reference}. The ICO deadline is {report.incident.ico_deadline:%d %b %Y %H:%M}.\n\n"
        f"Page: {report.page or 'not given'}\n\nWhat they saw:\n{report.what_seen}\n\n"
        f"Open the incident list: {settings.PORTAL_URL.rstrip('/')}/staff/privacy-problems/"
    )
    try:
        send_mail(f"URGENT privacy problem {report.incident.reference}", body, None, recipients)
    except OSError:
        logger.exception("Could not email the on-call list about %s", report.reference)
        note(report.incident, None, f"Alert email to {', '.join(recipients)} FAILED")
        return
    note(report.incident, None, f"Alert emailed to {', '.join(recipients)}")
