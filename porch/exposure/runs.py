"""The exposure report off the request (ADR 0015): the DPO asks, a run is recorded, the
background worker works it out and keeps the finished report on the run, and the DPO
reads it (audited, as the report always was) until it is deleted KEEP_DAYS later."""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.tasks import task
from django.utils import timezone

from porch.accounts.actors import actor_for_user
from porch.audit.services import Seen, record_many
from porch.core.actor import Actor
from porch.core.idempotency import create_once
from porch.exposure.models import KEEP_DAYS, ExposureRun
from porch.exposure.reports import ExposureReport, Window, data_kinds, exposure_report, require_dpo, route_label
from porch.exposure.services import REPORT, affected_people_csv, recipients_csv, report_reason

logger = logging.getLogger(__name__)

# Rows of each table shown on the page; the spreadsheets always have them all.
SHOWN = 500
Status = ExposureRun.Status

NO_LONGER_DPO = (
    "The person who asked for it is no longer the Data Protection Officer, "
    "or their data protection training is out of date"
)
WENT_WRONG = "Something went wrong while working out the report. Nothing was saved"


def kept() -> Q:
    """Runs still kept: finished within KEEP_DAYS, or asked for within KEEP_DAYS."""
    cutoff = timezone.now() - datetime.timedelta(days=KEEP_DAYS)
    return Q(finished_at__gte=cutoff) | Q(finished_at__isnull=True, created_at__gte=cutoff)


def runs_prune() -> int:
    """Delete the runs past keeping, with the personal data of their reports."""
    deleted, _ = ExposureRun.objects.exclude(kept()).delete()
    return deleted


def run_request(*, actor: Actor, window: Window, module: str, route: str, idempotency_key: uuid.UUID) -> ExposureRun:
    """Record the DPO's request and queue the worker's task once it is committed. The same
    form sent twice (a double click, a resubmit) makes one run: the second gets the first."""
    require_dpo(actor)
    asker = actor.user_id
    assert asker is not None, "require_dpo admits only a signed-in DPO"
    runs_prune()

    def create() -> ExposureRun:
        run = ExposureRun.objects.create(
            requested_by_id=asker,
            idempotency_key=idempotency_key,
            start=window.start,
            end=window.end,
            module=module,
            route=route,
        )
        _enqueue_after_commit(run)
        return run

    return create_once(ExposureRun.objects.filter(requested_by_id=asker), idempotency_key, create)


def run_retry(*, actor: Actor, run: ExposureRun) -> ExposureRun:
    """Try a failed run again (or one whose worker stopped answering), as a new attempt: a
    lost worker that comes back can no longer write its outcome. Anything else is left alone,
    so a retry sent twice queues one attempt."""
    require_dpo(actor)
    with transaction.atomic():
        locked = ExposureRun.objects.select_for_update().get(pk=run.pk)
        if not locked.may_retry:
            return locked
        locked.status = Status.QUEUED
        locked.attempt += 1
        locked.events_read, locked.events_total = 0, None
        locked.created_at = timezone.now()
        locked.started_at = locked.progress_at = locked.finished_at = None
        locked.error = ""
        locked.save(
            update_fields=[
                "status",
                "attempt",
                "events_read",
                "events_total",
                "created_at",
                "started_at",
                "progress_at",
                "finished_at",
                "error",
            ]
        )
        _enqueue_after_commit(locked)
    return locked


def _enqueue_after_commit(run: ExposureRun) -> None:
    pk, attempt = run.pk, run.attempt
    transaction.on_commit(lambda: exposure_run_compute.enqueue(pk, attempt))


@task()
def exposure_run_compute(run_id: int, attempt: int) -> str:
    """The worker's task: work out one attempt of one run."""
    return run_compute(run_id, attempt)


def run_compute(run_id: int, attempt: int) -> str:
    """Claim the attempt (a task delivered twice runs once), work the report out, saying how
    far it has got after each slice of the window, and keep it on the run; or fail plainly.
    Only the attempt that claimed the run writes to it."""
    now = timezone.now()
    mine = ExposureRun.objects.filter(pk=run_id, attempt=attempt)
    if not mine.filter(status=Status.QUEUED).update(status=Status.RUNNING, started_at=now, progress_at=now):
        return "skipped"
    running = mine.filter(status=Status.RUNNING)
    run = mine.select_related("requested_by").get()

    def progress(read: int, total: int) -> None:
        running.update(events_read=read, events_total=total, progress_at=timezone.now())

    try:
        report = exposure_report(
            actor=actor_for_user(run.requested_by, verified=True),
            window=Window(run.start, run.end),
            module=run.module,
            route=run.route,
            progress=progress,
        )
        done = {
            "result": page_data(report),
            "people_csv": affected_people_csv(report),
            "recipients_csv": recipients_csv(report),
        }
    except PermissionDenied:
        running.update(status=Status.FAILED, error=NO_LONGER_DPO, finished_at=timezone.now())
        return Status.FAILED
    except Exception:  # any failure at all must reach the DPO's page as "failed", never hang as "working"
        logger.exception("Exposure report run %s, attempt %s, failed", run_id, attempt)
        running.update(status=Status.FAILED, error=WENT_WRONG, finished_at=timezone.now())
        return Status.FAILED
    running.update(status=Status.DONE, finished_at=timezone.now(), **done)
    runs_prune()
    return Status.DONE


# --- The finished report, as kept and as shown ----------------------------------------


def _moment(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def page_data(report: ExposureReport) -> dict[str, Any]:
    """What the page shows, as JSON: the figures, the first SHOWN rows of each table, and
    everyone the report names (for the audit row of each reading)."""
    data: dict[str, Any] = {
        "events": report.events,
        "records": report.records,
        "people": len(report.affected),
        "real_people": len(report.real_people),
        "receipts": len(report.receipts),
        "first_seen": _moment(report.first_seen),
        "last_seen": _moment(report.last_seen),
        "kinds": [{"label": k.label, "events": k.events, "people": k.people} for k in report.kinds],
        "affected_rows": [
            {
                "name": a.person.full_name,
                "reference": a.person.housing_reference,
                "is_test": a.person.is_test,
                "address": ", ".join(a.address),
                "email": a.person.email,
                "mobile": a.person.mobile,
                "events": a.events,
                "first": _moment(a.first_seen),
                "last": _moment(a.last_seen),
            }
            for a in report.affected[:SHOWN]
        ],
        "receipt_rows": [
            {
                "recipient": r.recipient.label,
                "kind": r.recipient.kind,
                "reference": r.recipient.reference,
                "on_behalf_of": r.on_behalf_of.label if r.on_behalf_of else "",
                "subject": r.subject.full_name if r.subject else "",
                "events": r.events,
                "first": _moment(r.first_seen),
                "last": _moment(r.last_seen),
            }
            for r in report.receipts[:SHOWN]
        ],
        "subject_ids": report.subject_ids(),
    }
    return data


@dataclass(frozen=True)
class Shown:
    """A finished run's report, ready for the page."""

    run: ExposureRun
    data: dict[str, Any]

    def moment(self, name: str) -> datetime.datetime | None:
        value = self.data.get(name)
        return datetime.datetime.fromisoformat(value) if value else None

    def rows(self, table: str) -> list[dict[str, Any]]:
        return [
            {
                **row,
                "first": datetime.datetime.fromisoformat(row["first"]),
                "last": datetime.datetime.fromisoformat(row["last"]),
            }
            for row in self.data[table]
        ]


def narrowing(run: ExposureRun) -> list[tuple[str, str]]:
    """The kind of data and the page a run was narrowed to, in words, for its page."""
    named: list[tuple[str, str]] = []
    if run.module:
        kind = data_kinds().get(run.module)
        named.append(("Kind of data", kind.label if kind else "Anything else"))
    if run.route:
        named.append(("Page", route_label(run.route)))
    return named


def run_read(*, actor: Actor, run: ExposureRun, request: HttpRequest, download: bool = False) -> Shown:
    """A finished report, read by the DPO: one audit row per person it names, as reading
    the report always was."""
    require_dpo(actor)
    assert run.status == Status.DONE and run.result is not None, "only a finished run has a report"
    window = Window(run.start, run.end)
    record_many(
        actor=actor,
        action="download" if download else "view",
        object_type=REPORT,
        seen=[
            Seen(
                run.uuid,
                run.result["subject_ids"] or [None],
                reason=report_reason("exposure", window, run.module, run.route),
            )
        ],
        request=request,
    )
    return Shown(run, run.result)


def runs_recent(runs: QuerySet[ExposureRun]) -> list[ExposureRun]:
    return list(runs.select_related("requested_by").order_by("-created_at", "-id")[:20])
