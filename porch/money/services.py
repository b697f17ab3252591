"""Reads of money records, each audited: one row per record and per account holder it is
about (the joint tenants of a joint account); and who those account holders are."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from django.db.models import Case, DateField, F, Q, Value, When
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import Seen, record_many
from porch.core.actor import Actor
from porch.core.modules import AuditKind
from porch.housing.models import Membership, Person
from porch.money.kinds import RENT_ACCOUNT
from porch.money.models import RentAccount


def accounts_shown(
    *,
    actor: Actor,
    accounts: Sequence[RentAccount],
    request: HttpRequest,
    what: str = "balance",
    action: str = "view",
) -> None:
    records_shown(actor=actor, kind=RENT_ACCOUNT, records=accounts, request=request, what=what, action=action)


class TenancyRecord(Protocol):
    """A money record: its own id, and the tenancy whose account holders it is about."""

    uuid: UUID
    tenancy_id: int


def records_shown(
    *,
    actor: Actor,
    kind: AuditKind,
    records: Sequence[TenancyRecord],
    request: HttpRequest,
    what: str = "",
    action: str = "view",
) -> None:
    """One audit row per record shown and per account holder of its tenancy (accounts, card
    payments, Direct Debits, arrangements, invoices all read this way)."""
    if not records:
        return
    holders = holder_ids([record.tenancy_id for record in records])
    seen = [Seen(record.uuid, holders[record.tenancy_id], record.tenancy_id, what) for record in records]
    record_many(actor=actor, action=action, object_type=kind, seen=seen, request=request)


def account_holders(tenancy_ids: Sequence[int]) -> dict[int, list[Person]]:
    """Each tenancy's account holders, whose data its account is: those who hold it now, or,
    for a tenancy that has ended, those who held it on its last day (arrears left behind are
    still theirs). One query, however many tenancies."""
    today = timezone.localdate()
    # The first day the tenancy is no longer in force: tomorrow, for one in force today.
    after = Case(
        When(tenancy__end_date__lte=today, then=F("tenancy__end_date")),
        default=Value(today + datetime.timedelta(days=1)),
        output_field=DateField(),
    )
    found = (
        Membership.objects.account_holders()
        .filter(tenancy_id__in=tenancy_ids)
        .alias(after=after)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=F("after")), start_date__lt=F("after"))
        .select_related("person")
        .order_by("start_date", "id")
    )
    holders: dict[int, list[Person]] = {}
    for membership in found:
        holders.setdefault(membership.tenancy_id, []).append(membership.person)
    return holders


def holder_ids(tenancy_ids: Sequence[int]) -> dict[int, list[int | None]]:
    """The same, as person ids for audit rows and outbox events: [None] for a tenancy with no
    holder left, so a row is still written."""
    holders = account_holders(tenancy_ids)
    return {tenancy: [person.pk for person in holders.get(tenancy, [])] or [None] for tenancy in tenancy_ids}
