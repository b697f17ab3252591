"""Reads of rent and service-charge accounts, each audited: one row per account and per
account holder it is about (the joint tenants of a joint account)."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest

from porch.audit.services import Seen, record_many
from porch.core.actor import Actor
from porch.housing.models import Membership
from porch.money.kinds import RENT_ACCOUNT
from porch.money.models import RentAccount


def accounts_shown(
    *, actor: Actor, accounts: Sequence[RentAccount], request: HttpRequest, what: str = "balance"
) -> None:
    if not accounts:
        return
    holders = account_holders_now([account.tenancy_id for account in accounts])
    seen = [
        Seen(account.uuid, holders.get(account.tenancy_id, [None]), account.tenancy_id, what) for account in accounts
    ]
    record_many(actor=actor, action="view", object_type=RENT_ACCOUNT, seen=seen, request=request)


def account_holders_now(tenancy_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each tenancy's account holders now: whose data its account is."""
    holders: dict[int, list[int]] = {}
    found = Membership.objects.current().filter(tenancy_id__in=tenancy_ids, role__in=Membership.ACCOUNT_ROLES)
    for tenancy, person in found.values_list("tenancy_id", "person_id"):
        holders.setdefault(tenancy, []).append(person)
    return holders
