"""Residents see the current notices for their block, estate or patch, and nothing else."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import TODAY, Cast
from porch.audit.models import AccessEvent
from porch.housing.models import Membership
from porch.notices.models import Notice
from porch.rollout.models import CohortModule, ModuleSwitch

from .helpers import DAY, ash_house, birch_court, client_for, make_notice

LIST = "/notices/"


def shown_to(cast: Cast, who: str) -> str:
    response = client_for(cast, who).get(LIST)
    assert response.status_code == 200, (who, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dan"])
def test_everyone_in_the_block_sees_its_notice_tenants_and_homeowners_alike(cast: Cast, who: str) -> None:
    make_notice(ash_house(), cast.staff["north"], title="Lift out of service at Ash House")
    page = shown_to(cast, who)
    assert "Lift out of service at Ash House" in page
    assert "Everyone in Ash House" in page


def test_a_resident_of_another_block_does_not_see_it(cast: Cast) -> None:
    make_notice(ash_house(), cast.staff["north"], title="Lift out of service at Ash House")
    page = shown_to(cast, "sam")
    assert "Lift out of service at Ash House" not in page
    assert "There are no notices for your building" in page


def test_a_former_resident_sees_none(cast: Cast) -> None:
    make_notice(ash_house(), cast.staff["north"], title="Lift out of service at Ash House")
    assert "Lift out of service at Ash House" not in shown_to(cast, "erin")


def test_a_resident_who_has_moved_out_of_a_home_in_force_sees_none(cast: Cast) -> None:
    """The tenancy is still in force, but Bob's own membership of it has ended."""
    make_notice(ash_house(), cast.staff["north"], title="Lift out of service at Ash House")
    Membership.objects.filter(person=cast["ashton"].people["bob"]).update(end_date=TODAY)
    assert "Lift out of service at Ash House" not in shown_to(cast, "bob")
    assert "Lift out of service at Ash House" in shown_to(cast, "alice")


def test_estate_and_patch_notices_reach_everyone_there(cast: Cast) -> None:
    ash = ash_house()
    make_notice(ash.estate, cast.staff["north"], title="Fire safety checks on Elm Estate")
    make_notice(ash.estate.patch, cast.staff["cs"], title="Water off across North")
    alice, sam = shown_to(cast, "alice"), shown_to(cast, "sam")
    assert "Fire safety checks on Elm Estate" in alice and "Water off across North" in alice
    assert "Everyone in Elm Estate" in alice and "Everyone in the North area" in alice
    assert "Fire safety checks on Elm Estate" not in sam and "Water off across North" not in sam


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "withdrawn", "shown"),
    [
        (TODAY, None, False, True),
        (TODAY - 3 * DAY, TODAY, False, True),  # the last day is shown
        (TODAY + DAY, None, False, False),  # not started
        (TODAY - 3 * DAY, TODAY - DAY, False, False),  # ended
        (TODAY - 3 * DAY, None, True, False),  # withdrawn
    ],
    ids=["started today", "last day today", "future", "ended", "withdrawn"],
)
def test_only_current_notices_are_shown(cast: Cast, starts_on, ends_on, withdrawn: bool, shown: bool) -> None:
    make_notice(ash_house(), cast.staff["north"], starts_on=starts_on, ends_on=ends_on, withdrawn=withdrawn)
    assert ("Lift out of service" in shown_to(cast, "alice")) is shown


def test_reading_the_page_records_one_event_per_notice_about_no_person(cast: Cast) -> None:
    ash = ash_house()
    lift = make_notice(ash, cast.staff["north"])
    water = make_notice(ash.estate, cast.staff["north"], title="Water off")
    make_notice(birch_court(), cast.staff["south"], title="Not Alice's")
    shown_to(cast, "alice")
    events = AccessEvent.objects.filter(object_type="notice")
    assert sorted(events.values_list("object_id", flat=True)) == sorted([str(lift.uuid), str(water.uuid)])
    for event in events:
        assert event.actor == cast.resident("alice") and event.subject_id is None and event.action == "list"
        assert event.route == "notices:list"


def test_an_empty_page_records_nothing(cast: Cast) -> None:
    """An event about no notice would cover no homes: the exposure report would flag it."""
    shown_to(cast, "sam")
    assert not AccessEvent.objects.filter(object_type="notice").exists()


def test_the_page_takes_the_same_queries_however_many_notices(cast: Cast) -> None:
    client = client_for(cast, "alice")
    make_notice(ash_house(), cast.staff["north"])
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for n in range(5):
        make_notice(ash_house().estate, cast.staff["north"], title=f"Notice {n}")
    with CaptureQueriesContext(connection) as six:
        client.get(LIST)
    assert len(six) == len(one)


def test_the_kill_switch_makes_the_page_unavailable(cast: Cast) -> None:
    make_notice(ash_house(), cast.staff["north"], title="Lift out of service at Ash House")
    ModuleSwitch.objects.create(module="notices", is_off=True, reason="checking something")
    response = client_for(cast, "alice").get(LIST)
    assert response.status_code == 503
    assert "Lift out of service at Ash House" not in response.content.decode()
    assert not AccessEvent.objects.filter(object_type="notice").exists()


def test_a_cohort_without_notices_switched_on_is_told_not_yet(cast: Cast) -> None:
    CohortModule.objects.filter(module="notices").delete()
    response = client_for(cast, "alice").get(LIST)
    assert response.status_code == 403
    assert "not available for your home yet" in response.content.decode()


@pytest.mark.parametrize("who", ["staff:north", "staff:cs", "staff:dpo", "staff:admin"])
def test_staff_do_not_use_the_residents_page(cast: Cast, who: str) -> None:
    assert client_for(cast, who).get(LIST).status_code == 403


@pytest.mark.django_db  # behind the database wall, every request says who is asking
def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_the_body_is_plain_text(cast: Cast) -> None:
    notice = make_notice(ash_house(), cast.staff["north"])
    Notice.objects.filter(pk=notice.pk).update(body="<script>alert(1)</script>\nSecond line")
    page = shown_to(cast, "alice")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line" in page


def test_a_tenancy_that_ended_hides_the_notices_of_its_block(cast: Cast) -> None:
    make_notice(ash_house(), cast.staff["north"], title="Lift out of service at Ash House")
    tenancy = cast["cole"].tenancy
    tenancy.end_date = TODAY
    tenancy.save(update_fields=["end_date"])
    assert "Lift out of service at Ash House" not in shown_to(cast, "carol")


# --- The home page (needs the home page to render each module's home_panels) ------------------


def test_the_home_page_shows_the_current_notices_of_the_block(cast: Cast) -> None:
    make_notice(ash_house(), cast.staff["north"], title="Lift out of service at Ash House")
    for who in ("alice", "dan"):
        page = client_for(cast, who).get("/").content.decode()
        assert "Lift out of service at Ash House" in page, who
        assert 'href="/notices/"' in page
    assert "Lift out of service at Ash House" not in client_for(cast, "sam").get("/").content.decode()


def test_the_home_page_shows_no_notices_while_switched_off(cast: Cast) -> None:
    make_notice(ash_house(), cast.staff["north"], title="Lift out of service at Ash House")
    ModuleSwitch.objects.create(module="notices", is_off=True, reason="checking something")
    response = client_for(cast, "alice").get("/")
    assert response.status_code == 200
    assert "Lift out of service at Ash House" not in response.content.decode()


def test_the_residents_menu_links_to_the_notices(cast: Cast) -> None:
    page = client_for(cast, "alice").get("/").content.decode()
    assert 'href="/notices/"' in page and "Notices for your building" in page
