"""record(): the only writer of the audit log.

Reads a page makes (views, lists, downloads, searches) are gathered on the request and
written together as one INSERT when the view has finished (AuditMiddleware), before the
response leaves: one write a page however many panels it shows. Everything else (sign-ins,
changes, break glass) is written at once, so it commits with the change it records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from porch.audit.append import append
from porch.audit.chain import session_reference
from porch.audit.models import AccessEvent
from porch.core.actor import Actor
from porch.core.modules import AuditKind, audit_kind

# The reason recorded when a patch-based officer reaches a tenancy only because they opened it
# outside their patch (break glass): the resident's privacy page then says so truthfully.
THROUGH_BREAK_GLASS = "through a record opened outside their patch"
# What is only read: written once, at the end of the request that read it.
READS = frozenset(
    {AccessEvent.Action.VIEW, AccessEvent.Action.LIST, AccessEvent.Action.DOWNLOAD, AccessEvent.Action.SEARCH}
)


@dataclass(frozen=True)
class Seen:
    """One object whose personal data was read or written, and whose data it is."""

    object_id: object = ""
    subject_ids: Iterable[int | None] = (None,)
    tenancy_id: int | None = None  # the tenancy the data was reached through, if any
    reason: str = ""


def record(
    *,
    actor: Actor,
    action: str,
    object_type: str | AuditKind,
    object_id: object = "",
    subject_ids: Iterable[int | None] = (None,),
    tenancy_id: int | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Append one row per data subject for one read or write of personal data."""
    seen = Seen(object_id=object_id, subject_ids=subject_ids, tenancy_id=tenancy_id, reason=reason)
    record_many(actor=actor, action=action, object_type=object_type, seen=[seen], request=request)


def record_many(
    *,
    actor: Actor,
    action: str,
    object_type: str | AuditKind,
    seen: Sequence[Seen],
    request: HttpRequest | None = None,
) -> None:
    """Append the rows for several objects read at once (a list page, a search).
    The kind must be declared by a module: an undeclared one raises before anything is written."""
    key = object_type.key if isinstance(object_type, AuditKind) else object_type
    kind = audit_kind(key)
    if isinstance(object_type, AuditKind) and object_type != kind:
        raise KeyError(f"audit kind {key!r} is not the one its module declares")
    at = timezone.now()
    base = {
        "at": at,
        "actor_id": actor.user_id,
        "on_behalf_of_id": actor.on_behalf_of_id,
        "actor_role": actor.role_label,
        "object_type": kind.key,
        "action": action,
        "request_id": getattr(request, "request_id", "") if request else "",
        "client_ip": getattr(request, "client_ip", "") if request else "",
        "route": _route_of(request),
        "session_ref": _session_of(request),
    }
    rows = [
        {
            **base,
            "object_id": str(item.object_id),
            "tenancy_id": item.tenancy_id,
            "reason": item.reason or _reached_by(actor, item.tenancy_id),
            "subject_id": subject,
            "by_subject": by_subject(actor.person_id, actor.on_behalf_of_id, subject),
        }
        for item in seen
        for subject in sorted(set(item.subject_ids), key=lambda s: (s is None, s or 0))
    ]
    pending = getattr(request, "audit_reads", None)
    if pending is not None and action in READS:
        pending.extend(rows)
    else:
        append(rows)


def write_pending(request: HttpRequest) -> None:
    """Write the reads gathered on this request (AuditMiddleware calls it once, when the view
    is done). Anything recorded after that (a file checked as it streams out) is written at once."""
    pending = getattr(request, "audit_reads", None)
    request.audit_reads = None  # type: ignore[attr-defined]
    if pending:
        append(pending)


def by_subject(actor_person_id: int | None, on_behalf_of_id: int | None, subject_id: int | None) -> bool:
    """The person the row is about did it themselves, not someone on their behalf."""
    return actor_person_id is not None and subject_id == actor_person_id and on_behalf_of_id is None


def _reached_by(actor: Actor, tenancy_id: int | None) -> str:
    return THROUGH_BREAK_GLASS if tenancy_id is not None and tenancy_id in actor.break_glass_tenancy_ids else ""


def _route_of(request: HttpRequest | None) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name or "")[:100] if match is not None else ""


def _session_of(request: HttpRequest | None) -> str:
    session = getattr(request, "session", None)
    return session_reference(session.session_key) if session is not None else ""
