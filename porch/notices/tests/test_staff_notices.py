"""Staff post notices to places they look after, read notices of places they may see, and
withdraw them. Customer services: everywhere; housing officers: their own patches; the other
organisation-wide roles: read only; the system administrator: nothing."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import TODAY, Cast
from porch.audit.models import AccessEvent
from porch.housing.models import Block, Estate
from porch.notices.models import Notice

from .helpers import DAY, ash_house, birch_court, client_for, form_key, make_notice, notice_data

LIST = "/staff/notices/"
NEW = "/staff/notices/new/"


def detail(notice: Notice) -> str:
    return f"/staff/notices/{notice.uuid}/"


def withdraw(notice: Notice) -> str:
    return f"/staff/notices/{notice.uuid}/withdraw/"


def place(value: Block | Estate) -> str:
    return f"{'block' if isinstance(value, Block) else 'estate'}:{value.uuid}"


# --- The role ladder ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff:north", 200),
        ("staff:cs", 200),
        ("staff:asb", 200),
        ("staff:dpo", 200),
        ("staff:admin", 403),
        ("alice", 403),
        ("dan", 403),
    ],
)
def test_who_may_read_the_staff_list(cast: Cast, who: str, status: int) -> None:
    assert client_for(cast, who).get(LIST).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff:north", 302),
        ("staff:cs", 302),
        ("staff:asb", 403),
        ("staff:dpo", 403),
        ("staff:admin", 403),
        ("alice", 403),
    ],
)
def test_only_customer_services_and_housing_officers_post(cast: Cast, who: str, status: int) -> None:
    client = client_for(cast, who)
    north = f"{NEW}?area={ash_house().estate.patch.uuid}"
    assert client.get(north).status_code == (200 if status == 302 else status)
    response = client.post(north, notice_data(place(ash_house())))
    assert response.status_code == status
    assert Notice.objects.exists() is (status == 302)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff:north", 200),
        ("staff:cs", 200),
        ("staff:dpo", 200),
        ("staff:south", 404),  # not their patch: not visible
        ("staff:admin", 403),
        ("alice", 403),  # a resident of the block: never the staff page
    ],
)
def test_who_may_read_a_notice(cast: Cast, who: str, status: int) -> None:
    notice = make_notice(ash_house(), cast.staff["north"])
    assert client_for(cast, who).get(detail(notice)).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff:north", 302),
        ("staff:cs", 302),
        ("staff:south", 404),
        ("staff:dpo", 403),
        ("staff:asb", 403),
        ("staff:admin", 403),
        ("alice", 403),
    ],
)
def test_who_may_withdraw_a_notice(cast: Cast, who: str, status: int) -> None:
    notice = make_notice(ash_house(), cast.staff["north"])
    assert client_for(cast, who).post(withdraw(notice)).status_code == status
    notice.refresh_from_db()
    assert (notice.withdrawn_at is not None) is (status == 302)


def test_withdrawing_is_a_post(cast: Cast) -> None:
    notice = make_notice(ash_house(), cast.staff["north"])
    assert client_for(cast, "staff:north").get(withdraw(notice)).status_code == 405


@pytest.mark.django_db  # behind the database wall, every request says who is asking
@pytest.mark.parametrize("url", [LIST, NEW])
def test_signed_out_visitors_are_sent_to_sign_in(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_staff_without_current_training_are_sent_to_training(cast: Cast) -> None:
    officer = cast.staff["north"]
    officer.training_completed_on = timezone.localdate() - datetime.timedelta(days=400)
    officer.save(update_fields=["training_completed_on"])
    for url in (LIST, NEW):
        response = client_for(cast, "staff:north").get(url)
        assert response.status_code == 403 and "training" in response.content.decode()


# --- What each sees ----------------------------------------------------------------------------


def test_a_housing_officer_sees_the_notices_of_their_patch_only(cast: Cast) -> None:
    make_notice(ash_house(), cast.staff["north"], title="Ash lift")
    make_notice(birch_court(), cast.staff["south"], title="Birch water")
    make_notice(ash_house().estate.patch, cast.staff["cs"], title="North-wide checks", ends_on=TODAY - DAY)
    north = client_for(cast, "staff:north").get(LIST).content.decode()
    assert "Ash lift" in north and "North-wide checks" in north and "Birch water" not in north
    everyone = client_for(cast, "staff:dpo").get(LIST).content.decode()
    assert "Ash lift" in everyone and "Birch water" in everyone and "North-wide checks" in everyone


@pytest.mark.parametrize("who", ["staff:north", "staff:dpo"])
def test_a_forged_id_gets_the_same_404_as_a_foreign_one(cast: Cast, who: str) -> None:
    south = make_notice(birch_court(), cast.staff["south"])
    client = client_for(cast, who)
    forged = client.get(f"/staff/notices/{uuid.uuid4()}/")
    assert forged.status_code == 404
    if who == "staff:north":
        foreign = client.get(detail(south))
        assert foreign.status_code == 404
        assert client.post(withdraw(south)).status_code == 404
    assert client.post(f"/staff/notices/{uuid.uuid4()}/withdraw/").status_code in (403, 404)


def test_the_list_records_one_event_per_notice_shown(cast: Cast) -> None:
    ash = make_notice(ash_house(), cast.staff["north"])
    make_notice(birch_court(), cast.staff["south"])
    client_for(cast, "staff:north").get(LIST)
    events = AccessEvent.objects.filter(object_type="notice", action="list")
    assert list(events.values_list("object_id", "subject_id", "actor_id")) == [
        (str(ash.uuid), None, cast.staff["north"].pk)
    ]


# --- Posting -----------------------------------------------------------------------------------


def test_a_housing_officer_posts_a_notice_to_a_block_in_their_patch(cast: Cast) -> None:
    client = client_for(cast, "staff:north")
    ash = ash_house()
    data = notice_data(place(ash), idempotency_key=form_key(client, NEW))
    response = client.post(NEW, data)
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(notice)
    assert notice.block == ash and notice.estate is None and notice.patch is None
    assert notice.kind == "water_off" and notice.title == "Water off on Tuesday"
    assert notice.starts_on == TODAY and notice.ends_on == TODAY + 7 * DAY
    assert notice.posted_by == cast.staff["north"]
    created = AccessEvent.objects.get(object_type="notice", action="create")
    assert created.object_id == str(notice.uuid) and created.actor == cast.staff["north"]
    assert created.subject_id is None and created.route == "notices:staff_new"
    page = client.get(detail(notice)).content.decode()
    assert "Notice posted" in page and "Everyone in Ash House" in page


def test_the_form_offers_only_the_places_the_officer_looks_after(cast: Cast) -> None:
    page = client_for(cast, "staff:north").get(NEW).content.decode()
    ash = ash_house()
    assert f'value="block:{ash.uuid}"' in page and f'value="estate:{ash.estate.uuid}"' in page
    assert f'value="patch:{ash.estate.patch.uuid}"' in page
    assert str(birch_court().uuid) not in page and "Birch Court" not in page
    assert "Do not name any resident" in page


def test_a_housing_officer_cannot_post_outside_their_patch_by_forging_the_place(cast: Cast) -> None:
    birch = birch_court()
    client = client_for(cast, "staff:north")
    for forged in (place(birch), place(birch.estate), f"patch:{birch.estate.patch.uuid}", f"block:{uuid.uuid4()}"):
        response = client.post(NEW, notice_data(forged))
        page = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in page
        assert "Select who the notice is for" in page
    # Naming the other patch as the area changes nothing: an officer of one patch posts only there.
    response = client.post(f"{NEW}?area={birch.estate.patch.uuid}", notice_data(place(birch)))
    assert response.status_code == 200 and "Select who the notice is for" in response.content.decode()
    assert not Notice.objects.exists()


def test_customer_services_choose_the_area_first_and_may_post_anywhere(cast: Cast) -> None:
    client = client_for(cast, "staff:cs")
    chooser = client.get(NEW).content.decode()
    assert "Which area is the notice for?" in chooser and "North" in chooser and "South" in chooser
    birch = birch_court()
    south = f"{NEW}?area={birch.estate.patch.uuid}"
    form = client.get(south).content.decode()
    assert "Birch Court" in form and "Ash House" not in form
    response = client.post(south, notice_data(place(birch.estate)))
    assert response.status_code == 302
    assert Notice.objects.get().estate == birch.estate


def test_an_area_not_offered_is_an_error_not_a_page(cast: Cast) -> None:
    page = client_for(cast, "staff:cs").get(f"{NEW}?area={uuid.uuid4()}").content.decode()
    assert "There is a problem" in page and "Select the area the notice is for" in page


def test_a_double_submit_creates_one_notice(cast: Cast) -> None:
    client = client_for(cast, "staff:north")
    data = notice_data(place(ash_house()), idempotency_key=form_key(client, NEW))
    first, second = client.post(NEW, data), client.post(NEW, data)
    assert Notice.objects.count() == 1
    assert first["Location"] == second["Location"] == detail(Notice.objects.get())
    assert AccessEvent.objects.filter(object_type="notice", action="create").count() == 1


def test_another_users_form_key_is_refused_not_answered_with_their_notice(cast: Cast) -> None:
    data = notice_data(place(ash_house()))
    assert client_for(cast, "staff:north").post(NEW, data).status_code == 302
    response = client_for(cast, "staff:cs").post(f"{NEW}?area={ash_house().estate.patch.uuid}", data)
    assert response.status_code == 400
    assert Notice.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"place": ""}, "Select who the notice is for"),
        ({"kind": ""}, "Select what the notice is about"),
        ({"kind": "party"}, "Select a valid choice"),
        ({"title": ""}, "Enter a title"),
        ({"title": "x" * 121}, "Title must be 120 characters or fewer"),
        ({"body": ""}, "Enter what residents need to know"),
        ({"starts_on_month": "13"}, "First day to show it must be a real date"),
        ({"ends_on_year": "26"}, "Year must include 4 numbers"),
    ],
)
def test_bad_input_shows_the_error_summary(cast: Cast, changes: dict[str, str], message: str) -> None:
    response = client_for(cast, "staff:north").post(NEW, notice_data(place(ash_house()), **changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Post a notice" in page and 'class="govuk-error-summary"' in page
    assert message in page
    assert not Notice.objects.exists()


def test_the_last_day_cannot_be_before_the_first(cast: Cast) -> None:
    start, end = TODAY + 5 * DAY, TODAY + 2 * DAY
    data = notice_data(
        place(ash_house()),
        starts_on_day=str(start.day),
        starts_on_month=str(start.month),
        starts_on_year=str(start.year),
        ends_on_day=str(end.day),
        ends_on_month=str(end.month),
        ends_on_year=str(end.year),
    )
    page = client_for(cast, "staff:north").post(NEW, data).content.decode()
    assert "Last day to show it must be the same as or after the first day" in page
    assert 'href="#id_ends_on_day"' in page  # the summary links to the field
    assert not Notice.objects.exists()


def test_the_database_refuses_a_notice_for_two_places_or_none(cast: Cast) -> None:
    ash = ash_house()
    for places in ({"block": ash, "estate": ash.estate}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Notice.objects.create(
                kind="other", title="x", body="x", starts_on=TODAY, posted_by=cast.staff["cs"], **places
            )


def test_without_a_last_day_it_shows_until_withdrawn_and_from_today_when_no_first_day(cast: Cast) -> None:
    data = notice_data(
        place(ash_house()),
        starts_on_day="",
        starts_on_month="",
        starts_on_year="",
        ends_on_day="",
        ends_on_month="",
        ends_on_year="",
    )
    assert client_for(cast, "staff:north").post(NEW, data).status_code == 302
    notice = Notice.objects.get()
    assert notice.starts_on == TODAY and notice.ends_on is None and notice.is_current


# --- Withdrawing -------------------------------------------------------------------------------


def test_withdrawing_ends_the_notice_for_residents_at_once_and_is_audited(cast: Cast) -> None:
    notice = make_notice(ash_house(), cast.staff["north"], title="Lift out of service at Ash House")
    assert "Lift out of service at Ash House" in client_for(cast, "alice").get("/notices/").content.decode()
    client = client_for(cast, "staff:cs")
    response = client.post(withdraw(notice))
    assert response.status_code == 302 and response["Location"] == detail(notice)
    assert "Lift out of service at Ash House" not in client_for(cast, "alice").get("/notices/").content.decode()
    event = AccessEvent.objects.get(object_type="notice", action="update")
    assert event.object_id == str(notice.uuid) and event.reason == "withdrawn" and event.actor == cast.staff["cs"]
    # Twice is once.
    client.post(withdraw(notice))
    assert AccessEvent.objects.filter(object_type="notice", action="update").count() == 1
    page = client.get(detail(notice)).content.decode()
    assert "Withdrawn" in page and "Withdraw notice" not in page


def test_a_dpo_reads_a_notice_but_is_not_offered_to_withdraw_it(cast: Cast) -> None:
    notice = make_notice(ash_house(), cast.staff["north"])
    page = client_for(cast, "staff:dpo").get(detail(notice)).content.decode()
    assert notice.title in page and "Withdraw notice" not in page
    assert AccessEvent.objects.filter(object_type="notice", action="view", actor=cast.staff["dpo"]).count() == 1


def test_the_staff_list_takes_the_same_queries_however_many_notices(cast: Cast) -> None:
    client = client_for(cast, "staff:cs")
    ash = ash_house()
    make_notice(ash, cast.staff["north"])
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for place in (ash.estate, ash.estate.patch, birch_court(), birch_court().estate):
        make_notice(place, cast.staff["cs"])
    with CaptureQueriesContext(connection) as five:
        client.get(LIST)
    assert len(five) == len(one)
