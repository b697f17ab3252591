"""Changing the on-call rota. Changes are audited: who is called about a breach matters."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import HttpRequest

from porch.accounts.models import User
from porch.audit.services import record
from porch.core.actor import Actor
from porch.incidents.models import OnCallShift


def on_call_shift_add(
    *,
    actor: Actor,
    user: User,
    rung: int,
    role_label: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    request: HttpRequest | None = None,
) -> OnCallShift:
    with transaction.atomic():
        shift = OnCallShift.objects.create(
            user=user,
            rung=rung,
            role_label=role_label,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by_id=actor.user_id,
        )
        record(
            actor=actor,
            action="create",
            object_type="on_call_shift",
            object_id=shift.uuid,
            reason=f"{user.username}, call {rung}, {starts_at:%Y-%m-%d %H:%M} to {ends_at:%Y-%m-%d %H:%M}",
            request=request,
        )
    return shift


def on_call_shift_remove(*, actor: Actor, shift: OnCallShift, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        record(
            actor=actor,
            action="update",
            object_type="on_call_shift",
            object_id=shift.uuid,
            reason=f"Removed: {shift.user.username}, call {shift.rung}",
            request=request,
        )
        shift.delete()
