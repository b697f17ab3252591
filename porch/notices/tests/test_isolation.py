"""The canary crawl over notices, on the cast.

The synthetic test households of the isolation check each live in a block of their own, so
they show that a block's notice stays with its one household; the cast shows it for blocks
that several households share: notices carrying a marker of their own go to Birch Court
(Sam's block) and, ended, to Ash House; every resident crawls everything they can reach and tries every URL with the notices'
ids, and no marker may reach anyone outside the place, or anyone after the notice ended."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import TODAY, Cast, sign_in
from porch.core.isolation import Leak, crawl
from porch.notices.models import Notice

from .helpers import DAY, ash_house, birch_court, make_notice

# No marker is a prefix of another: the crawl looks for each as a substring.
BIRCH = "CANARYNBIRCHBLOCK"
BIRCH_ESTATE = "CANARYNBIRCHESTATE"
BIRCH_PATCH = "CANARYNBIRCHPATCH"
ASH_ENDED = "CANARYNASHENDED"
ASH = "CANARYNASHNOW"
BIRCH_ALL = [BIRCH, BIRCH_ESTATE, BIRCH_PATCH]


def marked(notice: Notice, marker: str) -> Notice:
    Notice.objects.filter(pk=notice.pk).update(title=f"{notice.title} {marker}", body=f"{notice.body} {marker}")
    return notice


@pytest.fixture
def notices(cast: Cast) -> dict[str, Notice]:
    birch, ash = birch_court(), ash_house()
    return {
        BIRCH: marked(make_notice(birch, cast.staff["south"]), BIRCH),
        BIRCH_ESTATE: marked(make_notice(birch.estate, cast.staff["south"]), BIRCH_ESTATE),
        BIRCH_PATCH: marked(make_notice(birch.estate.patch, cast.staff["south"]), BIRCH_PATCH),
        ASH_ENDED: marked(
            make_notice(ash, cast.staff["north"], starts_on=TODAY - 9 * DAY, ends_on=TODAY - DAY), ASH_ENDED
        ),
        ASH: marked(make_notice(ash, cast.staff["north"]), ASH),
    }


def crawl_from_home_and_notices(client: Any, markers: list[str], notices: dict[str, Notice]) -> list[Leak]:
    """From the home page, and from the notices page itself (reached from home through the
    menu and the home page's panel, which the central pages add)."""
    codes = [str(notice.uuid) for notice in notices.values()]
    return [
        leak
        for start in ("/", "/notices/")
        for leak in crawl(client, start=start, foreign_markers=markers, foreign_codes=codes)
    ]


@pytest.mark.parametrize("resident", ["alice", "bob", "carol", "dan", "erin"])
def test_no_one_outside_birch_court_sees_its_notices(cast: Cast, client, notices, resident: str) -> None:
    sign_in(client, cast.resident(resident))
    foreign = [*BIRCH_ALL, ASH_ENDED]
    if resident == "erin":  # a former tenant: nothing of Ash House either
        foreign.append(ASH)
    assert crawl_from_home_and_notices(client, foreign, notices) == []


def test_sam_sees_nothing_of_ash_house(cast: Cast, client, notices) -> None:
    sign_in(client, cast.resident("sam"))
    assert crawl_from_home_and_notices(client, [ASH, ASH_ENDED], notices) == []


def test_the_crawl_reaches_the_residents_own_notices(cast: Cast, client, notices) -> None:
    """A crawl that saw nothing would prove nothing: from the home page, Sam's crawl finds
    the notices for his block, estate and patch (on the home page's panel, and through it
    or the menu, on the notices page)."""
    sign_in(client, cast.resident("sam"))
    seen = crawl(client, foreign_markers=BIRCH_ALL, foreign_codes=[])
    assert {leak.marker for leak in seen if leak.url == "/notices/"} == set(BIRCH_ALL)
    assert {leak.marker for leak in seen if leak.url == "/"} == set(BIRCH_ALL)


def test_staff_in_one_patch_see_nothing_of_anothers_notices(cast: Cast, client, notices) -> None:
    sign_in(client, cast.staff["north"])
    codes = [str(notice.uuid) for notice in notices.values()]
    leaks = crawl(client, start="/staff/notices/", foreign_markers=BIRCH_ALL, foreign_codes=codes)
    assert leaks == []
    # The same crawl does reach the North notices.
    assert crawl(client, start="/staff/notices/", foreign_markers=[ASH], foreign_codes=[]) != []
