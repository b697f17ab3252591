"""Reporting a privacy problem. A report opens an incident at once and alerts the
people on INCIDENT_ALERT_EMAILS straight after it is saved."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import record
from porch.core.actor import Actor
from porch.incidents.models import Incident, PrivacyReport

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
    existing = PrivacyReport.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    staff_logged = channel == PrivacyReport.Channel.PHONE
    try:
        with transaction.atomic():
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
            transaction.on_commit(lambda: alert_on_call(report))
    except IntegrityError:
        return PrivacyReport.objects.get(idempotency_key=idempotency_key)
    return report


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
