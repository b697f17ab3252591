"""The canary crawl over repairs, on the cast: repairs whose descriptions carry a marker go to
the Coles' home and to Birch Court's shared areas; every other resident crawls everything they
can reach from the home page and the repairs list, and tries every URL with those repairs' ids
(and their photos'): no marker may reach them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from conftest import Cast, sign_in
from porch.core.isolation import Leak, crawl
from porch.repairs.models import Repair, RepairPhoto
from porch.repairs.synthetic import synthetic_repairs_create

from .resident_helpers import home_repair, shared_repair

COLE_HOME = "CANARYRCOLEHOME"
BIRCH_SHARED = "CANARYRBIRCHSHARED"
ASH_SHARED_WORDS = "CANARYRASHSHAREDWORDS"


@pytest.fixture
def repairs(cast: Cast) -> dict[str, Repair]:
    coles = home_repair(cast, "carol", text=f"Tap drips {COLE_HOME}")
    photo = RepairPhoto(repair=coles, content_type="image/png", size=8)
    photo.file.save("p.png", ContentFile(f"PNG {COLE_HOME}".encode()), save=True)
    return {
        COLE_HOME: coles,
        BIRCH_SHARED: shared_repair(cast, "sam", text=f"Lift stuck {BIRCH_SHARED}"),
        # Carol's words about a shared area of Ash House: her neighbours see the repair, never them.
        ASH_SHARED_WORDS: shared_repair(cast, "carol", text=f"Light out by my door {ASH_SHARED_WORDS}"),
    }


def crawl_repairs(client: Any, markers: list[str], repairs: dict[str, Repair]) -> list[Leak]:
    codes = [str(repair.uuid) for repair in repairs.values()]
    codes += [str(code) for code in RepairPhoto.objects.values_list("uuid", flat=True)]
    return [
        leak
        for start in ("/", "/repairs/")
        for leak in crawl(client, start=start, foreign_markers=markers, foreign_codes=codes)
    ]


@pytest.mark.parametrize("resident", ["alice", "bob", "dan", "erin", "sam"])
def test_no_other_resident_sees_a_households_repair_or_a_neighbours_words(
    cast: Cast, client: Any, repairs: dict[str, Repair], resident: str
) -> None:
    sign_in(client, cast.resident(resident))
    foreign = [COLE_HOME, ASH_SHARED_WORDS]
    if resident != "sam":
        foreign.append(BIRCH_SHARED)
    assert crawl_repairs(client, foreign, repairs) == []


def test_the_crawl_reaches_the_residents_own_repair(cast: Cast, client: Any, repairs: dict[str, Repair]) -> None:
    """A crawl that found nothing would prove nothing: Carol's crawl finds her own repair."""
    sign_in(client, cast.resident("carol"))
    seen = crawl(client, foreign_markers=[COLE_HOME], foreign_codes=[])
    assert {leak.marker for leak in seen} == {COLE_HOME}


def test_a_test_households_repair_carries_its_marker_and_reaches_that_household_alone(cast: Cast, client: Any) -> None:
    marker = "CANARYRSYNTHETIC"
    synthetic_repairs_create(cast["cole"].tenancy, marker)
    repair = Repair.objects.get(tenancy=cast["cole"].tenancy)
    assert marker in repair.description and repair.clocks.exists()
    sign_in(client, cast.resident("alice"))
    assert crawl(client, start="/repairs/", foreign_markers=[marker], foreign_codes=[str(repair.uuid)]) == []
    sign_in(client, cast.resident("carol"))
    assert marker in client.get(f"/repairs/{repair.uuid}/").content.decode()
