"""A tenancy or membership is in force from its first day up to, not on, its end date: the
rule the feed and the pages share with MembershipQuerySet.current."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import Cast
from porch.housing.models import Membership, in_force

DAY = datetime.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (DAY, None, True),  # from its first day
        (DAY + datetime.timedelta(days=1), None, False),  # not before it starts
        (DAY - datetime.timedelta(days=30), DAY + datetime.timedelta(days=1), True),
        (DAY - datetime.timedelta(days=30), DAY, False),  # not on its end date
    ],
)
def test_in_force_from_the_first_day_up_to_the_end_date(
    start: datetime.date, end: datetime.date | None, expected: bool
) -> None:
    assert in_force(start, end, DAY) is expected


@pytest.mark.django_db
def test_a_membership_in_force_is_one_the_current_memberships_hold_while_its_tenancy_is(cast: Cast) -> None:
    for membership in Membership.objects.select_related("tenancy"):
        for day in (membership.start_date, membership.end_date, timezone.localdate()):
            if day is None:
                continue
            current = Membership.objects.current(day).filter(pk=membership.pk).exists()
            assert current is (membership.in_force(day) and membership.tenancy.is_current(day)), (membership, day)
