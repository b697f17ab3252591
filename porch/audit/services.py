"""record(): the only writer of the audit log."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.chain import GENESIS, row_hash
from porch.audit.models import AccessEvent, ChainHead
from porch.core.actor import Actor


def record(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    subject_ids: Iterable[int | None] = (None,),
    reason: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Append one row per data subject for one read or write of personal data."""
    subjects = sorted(set(subject_ids), key=lambda s: (s is None, s or 0))
    if not subjects:
        return
    at = timezone.now()
    base = {
        "at": at,
        "actor_id": actor.user_id,
        "on_behalf_of_id": actor.on_behalf_of_id,
        "actor_role": actor.role_label,
        "object_type": object_type,
        "object_id": str(object_id),
        "action": action,
        "reason": reason,
        "request_id": getattr(request, "request_id", "") if request else "",
        "client_ip": getattr(request, "client_ip", "") if request else "",
    }
    with transaction.atomic():
        head = _locked_head()
        previous = head.last_hash
        rows = []
        for subject_id in subjects:
            values = {**base, "subject_id": subject_id}
            digest = row_hash(previous, values)
            rows.append(AccessEvent(**values, previous_hash=previous, row_hash=digest))
            previous = digest
        AccessEvent.objects.bulk_create(rows)
        head.last_hash = previous
        head.save(update_fields=["last_hash"])


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head
