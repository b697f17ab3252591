"""Reads of rent and service-charge accounts, each audited: one row per account and per
account holder it is about (the joint tenants of a joint account)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Case, DateField, F, Q, Value, When
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import Seen, record_many
from porch.core.actor import Actor
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
    if not accounts:
        return
    holders = holder_ids([account.tenancy_id for account in accounts])
    seen = [Seen(account.uuid, holders[account.tenancy_id], account.tenancy_id, what) for account in accounts]
    record_many(actor=actor, action=action, object_type=RENT_ACCOUNT, seen=seen, request=request)


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
