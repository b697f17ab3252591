"""Notices for the cast: Ash House (Elm Estate, patch North) holds the Ashtons (Alice, Bob),
Carol, Dan (homeowner) and Erin (former tenant); Birch Court (Oak Estate, patch South) holds Sam."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

from django.test import Client
from django.utils import timezone

from conftest import TODAY, Cast, sign_in
from porch.accounts.models import User
from porch.housing.models import Block, Estate, Patch
from porch.notices.models import Notice

DAY = datetime.timedelta(days=1)


def ash_house() -> Block:
    return Block.objects.select_related("estate__patch").get(name="Ash House")


def birch_court() -> Block:
    return Block.objects.select_related("estate__patch").get(name="Birch Court")


def make_notice(
    place: Block | Estate | Patch,
    posted_by: User,
    *,
    title: str = "Lift out of service",
    starts_on: datetime.date = TODAY - DAY,
    ends_on: datetime.date | None = TODAY + DAY,
    withdrawn: bool = False,
    kind: str = Notice.Kind.LIFT,
) -> Notice:
    return Notice.objects.create(
        block=place if isinstance(place, Block) else None,
        estate=place if isinstance(place, Estate) else None,
        patch=place if isinstance(place, Patch) else None,
        kind=kind,
        title=title,
        body=f"{title}: the body.",
        starts_on=starts_on,
        ends_on=ends_on,
        withdrawn_at=timezone.now() if withdrawn else None,
        posted_by=posted_by,
    )


def client_for(cast: Cast, who: str) -> Client:
    """ "alice", or "staff:north" for a member of staff."""
    if who.startswith("staff:"):
        return sign_in(Client(), cast.staff[who.removeprefix("staff:")])
    return sign_in(Client(), cast.resident(who))


def form_key(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    match = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def notice_data(place: str, /, **extra: Any) -> dict[str, str]:
    starts, ends = TODAY, TODAY + 7 * DAY
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "place": place,
        "kind": "water_off",
        "title": "Water off on Tuesday",
        "body": "The water will be off from 9am to 1pm while we repair a pipe.",
        "starts_on_day": str(starts.day),
        "starts_on_month": str(starts.month),
        "starts_on_year": str(starts.year),
        "ends_on_day": str(ends.day),
        "ends_on_month": str(ends.month),
        "ends_on_year": str(ends.year),
    }
    data.update(extra)
    return data
