"""The repairs queue, the clocks dashboard and a block's shared-area repairs: who may read
them, what the filters choose, paging, the audit rows, and a query count that does not grow
with the rows on the page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.repairs import clocks
from porch.repairs.models import Repair, RepairClock
from porch.repairs.tests.ladders_staff import coordinator, make_repair

QUEUE = "/staff/repairs/"
CLOCKS = "/staff/repairs/clocks/"


def client_for(cast: Cast, who: str) -> Client:
    if who == "repairs":
        return sign_in(Client(), coordinator(cast))
    if who in cast.staff:
        return sign_in(Client(), cast.staff[who])
    return sign_in(Client(), cast.resident(who))


def breach(repair: Repair, kind: str = clocks.Kind.COMPLETE) -> None:
    repair.clocks.filter(kind=kind).update(due_at=timezone.now() - datetime.timedelta(hours=1))


def due_in(repair: Repair, delta: datetime.timedelta, kind: str = clocks.Kind.COMPLETE) -> None:
    repair.clocks.filter(kind=kind).update(due_at=timezone.now() + delta)


# --- Who may read --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("repairs", 200),
        ("cs", 200),
        ("dpo", 200),
        ("north", 200),
        ("south", 200),
        ("asb", 403),
        ("admin", 403),
        ("alice", 403),
    ],
)
def test_who_may_read_the_queue_and_the_clocks(cast: Cast, who: str, status: int) -> None:
    client = client_for(cast, who)
    assert client.get(QUEUE).status_code == status
    assert client.get(CLOCKS).status_code == status


def test_housing_officers_see_only_their_patches_repairs(cast: Cast) -> None:
    north = make_repair(cast)
    south = make_repair(cast, household="smith", reporter="sam")
    north_page = client_for(cast, "north").get(QUEUE).content.decode()
    south_page = client_for(cast, "south").get(QUEUE).content.decode()
    assert north.reference in north_page and south.reference not in north_page
    assert south.reference in south_page and north.reference not in south_page
    everyone = client_for(cast, "repairs").get(QUEUE).content.decode()
    assert north.reference in everyone and south.reference in everyone


def test_test_households_repairs_never_reach_the_queue(cast: Cast) -> None:
    cast["cole"].tenancy.is_test = True
    cast["cole"].tenancy.save(update_fields=["is_test"])
    hidden = make_repair(cast, household="cole", reporter="carol")
    assert hidden.is_test  # marked when reported, so the queue needs no join to leave it out
    shown = make_repair(cast)
    page = client_for(cast, "repairs").get(QUEUE).content.decode()
    assert shown.reference in page and hidden.reference not in page


# --- Each row, and the filters -----------------------------------------------------------------


def test_each_row_shows_reference_what_where_priority_next_due_and_firm(cast: Cast) -> None:
    repair = make_repair(cast, code="heating_partial")
    page = client_for(cast, "repairs").get(QUEUE).content.decode()
    due = repair.clocks.get(kind=clocks.Kind.COMPLETE).due_at
    assert repair.reference in page
    assert "Some radiators not working" in page
    assert "1 Ash House" in page
    assert "Urgent" in page
    assert timezone.localtime(due).strftime("%-d %b %Y") in page
    assert "Not assigned" in page


def test_the_queue_shows_open_repairs_unless_asked(cast: Cast) -> None:
    open_one = make_repair(cast)
    closed = make_repair(cast, description="Closed one")
    Repair.objects.filter(pk=closed.pk).update(
        status=Repair.Status.CANCELLED, cancelled_at=timezone.now(), closed_at=timezone.now()
    )
    client = client_for(cast, "repairs")
    page = client.get(QUEUE).content.decode()
    assert open_one.reference in page and closed.reference not in page
    page = client.get(QUEUE, {"status": "closed"}).content.decode()
    assert closed.reference in page and open_one.reference not in page
    page = client.get(QUEUE, {"status": "all"}).content.decode()
    assert closed.reference in page and open_one.reference in page


def test_filter_by_priority_and_type(cast: Cast) -> None:
    tap = make_repair(cast, code="kitchen_tap")  # routine, kitchen
    toilet = make_repair(cast, code="bathroom_toilet_blocked")  # emergency, bathroom
    client = client_for(cast, "repairs")
    page = client.get(QUEUE, {"priority": "emergency"}).content.decode()
    assert toilet.reference in page and tap.reference not in page
    page = client.get(QUEUE, {"area": "kitchen"}).content.decode()
    assert tap.reference in page and toilet.reference not in page


def test_filter_by_clock_due_soon_and_breached(cast: Cast) -> None:
    breached = make_repair(cast, description="Breached")
    breach(breached)
    soon = make_repair(cast, description="Soon")
    due_in(soon, datetime.timedelta(hours=30))
    later = make_repair(cast, description="Later")
    due_in(later, datetime.timedelta(days=5))
    met = make_repair(cast, description="Met late")
    breach(met)
    met.clocks.update(met_at=timezone.now())
    client = client_for(cast, "repairs")
    page = client.get(QUEUE, {"clock": "breached"}).content.decode()
    assert breached.reference in page
    assert soon.reference not in page and later.reference not in page and met.reference not in page
    page = client.get(QUEUE, {"clock": "soon"}).content.decode()
    assert soon.reference in page
    assert breached.reference not in page and later.reference not in page


def test_filter_by_kind_of_clock(cast: Cast) -> None:
    damp = make_repair(cast, code="damp_mould_patches")
    breach(damp, clocks.Kind.AWAAB_INVESTIGATE)
    tap = make_repair(cast)
    breach(tap)
    client = client_for(cast, "repairs")
    page = client.get(QUEUE, {"clock": "breached", "law": "awaab"}).content.decode()
    assert damp.reference in page and tap.reference not in page
    page = client.get(QUEUE, {"clock": "breached", "law": "priority"}).content.decode()
    assert tap.reference in page and damp.reference not in page


def test_filter_by_block_takes_its_homes_and_shared_areas(cast: Cast) -> None:
    home = make_repair(cast)
    shared = make_repair(cast, code="communal_lift", communal=True)
    elsewhere = make_repair(cast, household="smith", reporter="sam")
    block = cast["ashton"].tenancy.property.block
    page = client_for(cast, "repairs").get(QUEUE, {"block": str(block.uuid)}).content.decode()
    assert home.reference in page and shared.reference in page and elsewhere.reference not in page


def test_a_filter_value_not_offered_is_an_error_not_a_wider_list(cast: Cast) -> None:
    repair = make_repair(cast)
    page = client_for(cast, "repairs").get(QUEUE, {"priority": "whenever"}).content.decode()
    assert "There is a problem" in page and "Select a priority from the list" in page
    assert repair.reference not in page


# --- Paging, audit and query count ------------------------------------------------------------


def test_the_queue_is_paged_fifty_at_a_time_keeping_the_filters(cast: Cast) -> None:
    for n in range(51):
        make_repair(cast, description=f"Repair {n}")
    client = client_for(cast, "repairs")
    first = client.get(QUEUE, {"priority": "routine"}).content.decode()
    oldest = Repair.objects.get(description="Repair 0")
    assert first.count("/staff/repairs/") >= 50 and oldest.reference not in first
    older = re.search(r'href="\?priority=routine&amp;older=(\d+)"', first)
    assert older is not None and "Previous" not in first  # by position: no count of every open repair
    second = client.get(QUEUE, {"priority": "routine", "older": older[1]}).content.decode()
    assert oldest.reference in second and Repair.objects.get(description="Repair 50").reference not in second
    assert "newer=" in second and "older=" not in second


def overdue_by(repair: Repair, hours: int, kind: str = clocks.Kind.COMPLETE) -> None:
    repair.clocks.filter(kind=kind).update(due_at=timezone.now() - datetime.timedelta(hours=hours))


def test_breached_repairs_come_the_longest_overdue_first_each_once(cast: Cast) -> None:
    """Not the latest reported first: a breached repair is an old one, so that order would
    walk every newer open repair to fill a page, and the longest overdue is the one to do."""
    slightly, badly, twice = (make_repair(cast, description=d) for d in ("Slightly", "Badly", "Twice"))
    overdue_by(slightly, 2)
    overdue_by(badly, 200)
    overdue_by(twice, 50)
    overdue_by(twice, 60, clocks.Kind.ATTEND)  # two clocks past due: listed once, by the earlier
    page = client_for(cast, "repairs").get(QUEUE, {"clock": "breached"})
    html = page.content.decode()
    assert [r.reference for r in page.context["repairs"]] == [badly.reference, twice.reference, slightly.reference]
    assert "the longest overdue first" in html


def test_breached_repairs_are_paged_by_position_both_ways(cast: Cast) -> None:
    repairs = [make_repair(cast, description=f"Late {n}") for n in range(52)]
    for hours, repair in enumerate(reversed(repairs), start=1):
        overdue_by(repair, hours)  # "Late 0" is the longest overdue
    client = client_for(cast, "repairs")
    first = client.get(QUEUE, {"clock": "breached"})
    assert [r.description for r in first.context["repairs"]][:2] == ["Late 0", "Late 1"]
    assert len(first.context["repairs"]) == 50 and first.context["page"].newer is None
    second = client.get(QUEUE, {"clock": "breached", "older": first.context["page"].older})
    assert [r.description for r in second.context["repairs"]] == ["Late 50", "Late 51"]
    assert second.context["page"].older is None
    back = client.get(QUEUE, {"clock": "breached", "newer": second.context["page"].newer})
    assert [r.description for r in back.context["repairs"]] == [f"Late {n}" for n in range(50)]


def test_the_queue_is_audited_as_a_list_one_row_per_person(cast: Cast) -> None:
    repair = make_repair(cast)
    client_for(cast, "repairs").get(QUEUE)
    rows = AccessEvent.objects.filter(action="list", object_type="repair", object_id=str(repair.uuid))
    ashtons = {person.pk for person in cast["ashton"].people.values()}
    assert {row.subject_id for row in rows} == ashtons
    assert {row.actor_id for row in rows} == {cast.staff["repairs"].pk}


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_queries_for_one_row_or_many(cast: Cast) -> None:
    make_repair(cast, code="damp_mould_patches")
    make_repair(cast, code="communal_lift", communal=True)
    client = client_for(cast, "repairs")
    client.get(QUEUE)  # the first request of a session loads what later ones remember
    few = queries_for(client, QUEUE)
    for n in range(12):
        make_repair(cast, household=("smith" if n % 2 else "cole"), reporter=("sam" if n % 2 else "carol"))
        make_repair(cast, code="communal_leak", communal=True)
    many = queries_for(client, QUEUE)
    assert many == few
    assert many <= 20


def test_the_breached_queue_costs_the_same_queries_for_one_row_or_many(cast: Cast) -> None:
    breach(make_repair(cast))
    client = client_for(cast, "repairs")
    client.get(QUEUE)
    url = f"{QUEUE}?clock=breached"
    few = queries_for(client, url)
    for n in range(12):
        breach(make_repair(cast, household=("smith" if n % 2 else "cole"), reporter=("sam" if n % 2 else "carol")))
        breach(make_repair(cast, code="communal_leak", communal=True))
    assert queries_for(client, url) == few


# --- The clocks dashboard ----------------------------------------------------------------------


def test_the_dashboard_counts_repairs_by_clock_and_links_to_the_queue(cast: Cast) -> None:
    damp = make_repair(cast, code="damp_mould_patches")
    breach(damp, clocks.Kind.AWAAB_INVESTIGATE)
    tap = make_repair(cast)
    due_in(tap, datetime.timedelta(hours=20))
    south = make_repair(cast, household="smith", reporter="sam")
    breach(south)
    page = client_for(cast, "repairs").get(CLOCKS)
    counts = page.context["rows"]
    by_law = {law: buckets for law, _, buckets in counts}
    assert by_law["awaab"]["breached"] == 1
    assert by_law["priority"]["breached"] == 1
    assert by_law["priority"]["soon"] == 1
    assert by_law["right_to_repair"] == {"today": 0, "soon": 0, "breached": 0}
    assert "/staff/repairs/?status=open&amp;law=awaab&amp;clock=breached" in page.content.decode()
    # A housing officer counts only their own patch.
    north = {law: buckets for law, _, buckets in client_for(cast, "north").get(CLOCKS).context["rows"]}
    assert north["priority"]["breached"] == 0 and north["awaab"]["breached"] == 1


def test_the_dashboard_leaves_out_closed_repairs_and_met_clocks(cast: Cast) -> None:
    done = make_repair(cast)
    breach(done)
    RepairClock.objects.filter(repair=done).update(met_at=timezone.now())
    page = client_for(cast, "repairs").get(CLOCKS)
    assert all(count == 0 for _, _, buckets in page.context["rows"] for count in buckets.values())


# --- A block's shared-area repairs -----------------------------------------------------------


def test_a_blocks_page_lists_its_shared_area_repairs_not_its_homes(cast: Cast) -> None:
    shared = make_repair(cast, code="communal_lift", communal=True, description="Lift stuck on floor 3")
    home = make_repair(cast)
    block = cast["ashton"].tenancy.property.block
    page = client_for(cast, "repairs").get(f"/staff/repairs/blocks/{block.uuid}/").content.decode()
    assert shared.reference in page and home.reference not in page
    assert AccessEvent.objects.filter(action="list", object_type="communal_repair", object_id=str(shared.uuid)).exists()


def test_a_blocks_page_is_patch_scoped(cast: Cast) -> None:
    block = cast["ashton"].tenancy.property.block
    url = f"/staff/repairs/blocks/{block.uuid}/"
    assert client_for(cast, "north").get(url).status_code == 200
    assert client_for(cast, "south").get(url).status_code == 404
    assert client_for(cast, "asb").get(url).status_code == 403
    assert (
        client_for(cast, "repairs").get("/staff/repairs/blocks/00000000-0000-4000-8000-000000000000/").status_code
        == 404
    )
