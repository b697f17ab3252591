"""A notification for each account holder of a synthetic test household, carrying its marker,
so the canary crawl proves no other login's notifications page shows it."""

from __future__ import annotations

from porch.housing.models import Membership, Person, Tenancy
from porch.notifications.kinds import Kind
from porch.notifications.models import Notification


def synthetic_notifications_create(tenancy: Tenancy, marker: str) -> None:
    holders = Membership.objects.filter(tenancy=tenancy).account_holders().values_list("person_id", flat=True)
    for person in Person.objects.filter(pk__in=holders):
        Notification.objects.create(
            person=person,
            kind=Kind.REPAIRS,
            subject=f"Test notification {marker}",
            text=f"A notification for a test household only. {marker}",
        )
