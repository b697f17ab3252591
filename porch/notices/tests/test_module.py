"""The notices module's declaration: its pages, its audit kind and the homes a notice covers
(the exposure report's rule for it), its isolation probes and its demo data."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from typing import cast as cast_to

import pytest
from django.db.models import Value
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import TODAY, Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.accounts.models import RoleGrant, User
from porch.accounts.synthetic import CreatedHousehold, synthetic_household_create
from porch.audit.models import AccessEvent
from porch.audit.services import record
from porch.canaries.models import CanaryTrip
from porch.canaries.services import canaries_install
from porch.core.actor import Actor
from porch.core.modules import Panel, ResidentRule, audit_kind, module_for, switch_keys
from porch.core.types import PorchRequest
from porch.exposure.reports import route_names
from porch.exposure.rules import served_outside_model
from porch.housing.cast import CAST_BLOCK, demo_email
from porch.housing.models import Block, Estate, Property, TestHousehold
from porch.notices.demo import demo_notices
from porch.notices.kinds import NOTICE
from porch.notices.models import Notice, notice_homes
from porch.notices.synthetic import synthetic_notices_create

from .helpers import DAY, ash_house, birch_court, make_notice


def test_the_module_declares_every_page_it_serves() -> None:
    declared = module_for("notices")
    assert declared is not None and declared.switch is not None and declared.switch.key == "notices"
    served = {name for name in route_names() if name.startswith("notices:")}
    assert set(declared.pages) == served
    assert "notices" in switch_keys()
    assert audit_kind("notice") is NOTICE and NOTICE.residents == ResidentRule.PLACE
    for link in (*declared.resident_links, *declared.staff_links):
        reverse(link.url_name)


def test_a_notice_covers_the_homes_of_its_block_estate_or_patch(cast: Cast) -> None:
    ash, birch = ash_house(), birch_court()
    in_ash = set(Property.objects.filter(block=ash))
    for place in (ash, ash.estate, ash.estate.patch):
        notice = make_notice(place, cast.staff["cs"])
        assert set(notice_homes(Value(str(notice.uuid)))) == in_ash
    assert set(notice_homes(Value(str(make_notice(birch, cast.staff["cs"]).uuid)))) == set(
        Property.objects.filter(block=birch)
    )
    assert not notice_homes(Value("")).exists()


def actor(user: User) -> Actor:
    return actor_for_user(user, verified=True)


def test_the_exposure_report_allows_reads_by_people_and_staff_of_the_place_only(cast: Cast) -> None:
    notice = make_notice(ash_house(), cast.staff["north"])
    allowed = ["alice", "dan", "staff:north", "staff:cs", "staff:dpo"]
    outside = ["sam", "erin", "staff:south"]
    for who in allowed + outside:
        user = cast.staff[who[6:]] if who.startswith("staff:") else cast.resident(who)
        record(actor=actor(user), action="list", object_type=NOTICE, object_id=notice.uuid)
    flagged = served_outside_model(AccessEvent.objects.filter(object_type="notice"))
    names = {event.actor.username.split("@")[0] for event in flagged.select_related("actor")}
    assert names == {"sam", "erin", "south"}


def test_a_staff_read_of_a_notice_for_a_place_with_no_homes_yet_is_judged_by_its_patch(cast: Cast) -> None:
    """A new estate or block has no homes: its patch still says who may read its notices."""
    north = cast.patches["north"]
    estate = Estate.objects.create(name="New Estate", patch=north)
    notices = [
        make_notice(estate, cast.staff["north"]),
        make_notice(Block.objects.create(name="New", estate=estate), cast.staff["north"]),
    ]
    for who in ("north", "south"):
        for notice in notices:
            record(actor=actor(cast.staff[who]), action="view", object_type=NOTICE, object_id=notice.uuid)
    flagged = served_outside_model(AccessEvent.objects.filter(object_type="notice"))
    assert sorted(event.actor.username.split("@")[0] for event in flagged.select_related("actor")) == ["south", "south"]


def test_probe_ids_are_the_notices_of_the_households_places(cast: Cast) -> None:
    declared = module_for("notices")
    assert declared is not None and declared.probe_ids is not None
    ash = ash_house()
    mine = [make_notice(place, cast.staff["cs"]) for place in (ash, ash.estate, ash.estate.patch)]
    mine.append(make_notice(ash, cast.staff["cs"], ends_on=TODAY - DAY, starts_on=TODAY - 5 * DAY))
    make_notice(birch_court(), cast.staff["cs"])
    assert sorted(declared.probe_ids(cast["ashton"].tenancy)) == sorted(str(n.uuid) for n in mine)


def test_a_test_household_gets_a_notice_for_its_own_block_that_no_other_household_sees(cast: Cast) -> None:
    purpose = TestHousehold.Purpose.ISOLATION_CHECK
    ours, theirs = (synthetic_household_create(actor=None, purpose=purpose) for _ in range(2))
    assert ours is not None and theirs is not None
    notice = Notice.objects.get(title__contains=ours.household.marker)
    assert notice.block == ours.household.tenancy.property.block and notice.is_current
    assert ours.household.marker in notice.body and notice.posted_by is None
    module = module_for("notices")
    assert module is not None and module.probe_ids is not None
    assert str(notice.uuid) in module.probe_ids(ours.household.tenancy)

    def notices_page(created: CreatedHousehold) -> str:
        client = Client()
        client.force_login(User.objects.get(person=created.logins[0].person))
        return client.get("/notices/").content.decode()

    assert ours.household.marker in notices_page(ours)
    assert ours.household.marker not in notices_page(theirs)
    # No staff page shows a test household's notice, not even by its id, nor withdraws it.
    dpo = sign_in(Client(), cast.staff["dpo"])
    assert ours.household.marker not in dpo.get("/staff/notices/").content.decode()
    assert dpo.get(f"/staff/notices/{notice.uuid}/").status_code == 404
    customer_services = sign_in(Client(), cast.staff["cs"])
    assert customer_services.post(f"/staff/notices/{notice.uuid}/withdraw/").status_code == 404
    notice.refresh_from_db()
    assert notice.withdrawn_at is None


def test_a_home_sharing_its_block_gets_no_synthetic_notice(cast: Cast) -> None:
    synthetic_notices_create(cast["ashton"].tenancy, "CANARYSHARED")
    assert not Notice.objects.exists()


def test_a_canarys_notice_never_reaches_the_staff_list(cast: Cast) -> None:
    (canary,) = canaries_install(count=1)
    assert Notice.objects.filter(title__contains=canary.marker).exists()
    for who in ("dpo", "cs"):
        response = sign_in(Client(), cast.staff[who]).get("/staff/notices/")
        assert response.status_code == 200 and canary.marker not in response.content.decode()
    assert not CanaryTrip.objects.exists()


def test_the_demo_posts_the_lift_notice_to_the_casts_block_once(cast: Cast) -> None:
    north = cast.patches["north"]
    ashdown = Block.objects.create(name=CAST_BLOCK, estate=Estate.objects.create(name="Ashdown Estate", patch=north))
    officer = User.objects.create_user(username=demo_email("housing.north"), kind=User.Kind.STAFF)
    RoleGrant.objects.create(user=officer, role="housing_officer")
    officer.patches.set([north])
    User.objects.create_user(username=demo_email("customer.services"), kind=User.Kind.STAFF)
    demo_notices()
    demo_notices()
    lift = Notice.objects.get(kind=Notice.Kind.LIFT)
    assert lift.block == ashdown and lift.posted_by == officer and lift.is_current
    works = Notice.objects.get(kind=Notice.Kind.PLANNED_WORKS)
    assert works.block != ashdown and works.block is not None
    assert works.block.estate.patch == north and works.posted_by == officer  # Ash House is in North too
    assert Notice.objects.count() == 2


def test_the_demo_does_nothing_without_the_demo_cast(db: None) -> None:
    demo_notices()
    assert not Notice.objects.exists()


@pytest.mark.parametrize("days", [0, 3])
def test_status_words(cast: Cast, days: int) -> None:
    notice = make_notice(ash_house(), cast.staff["cs"], starts_on=TODAY + days * DAY, ends_on=None)
    assert notice.status() == ("Showing" if days == 0 else "Not started")
    assert notice.status(on=TODAY + datetime.timedelta(days=days)) == "Showing"


def panel_for(cast: Cast, who: str) -> tuple[Panel, Mapping[str, Any] | None]:
    declared = module_for("notices")
    assert declared is not None
    (panel,) = declared.home_panels
    request = cast_to(PorchRequest, RequestFactory().get("/"))
    request.actor = actor(cast.resident(who))
    return panel, panel.context(request)


def test_the_home_panel_shows_the_newest_current_notices_and_records_them(cast: Cast) -> None:
    ash = ash_house()
    notices = [make_notice(ash, cast.staff["north"], title=f"Notice {n}", starts_on=TODAY - n * DAY) for n in range(4)]
    panel, context = panel_for(cast, "alice")
    assert context is not None and context["notices"] == notices[:3] and context["more"]
    html = render_to_string(panel.template, context)
    assert "Notice 0" in html and "Notice 3" not in html and 'href="/notices/"' in html
    assert 'role="region" aria-labelledby="notices-panel-title"' in html
    shown = AccessEvent.objects.filter(object_type="notice", actor=cast.resident("alice"))
    assert sorted(shown.values_list("object_id", flat=True)) == sorted(str(n.uuid) for n in notices[:3])


def test_the_home_panel_is_empty_for_other_blocks_and_former_residents(cast: Cast) -> None:
    make_notice(ash_house(), cast.staff["north"])
    for who in ("sam", "erin"):
        assert panel_for(cast, who)[1] is None
    assert not AccessEvent.objects.filter(object_type="notice").exists()
