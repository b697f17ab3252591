"""The database wall in the running portal (ADR 0032): with DATABASE_WALL_ROLE set on
PostgreSQL (CI's PostgreSQL run), every request runs as a role that owns nothing, behind row-
level security, and the wall holds where the application's rule is wrong or switched off.

The cast's markers judge what reaches a page, not the policies' own keys."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.test import Client

from conftest import Cast, sign_in
from porch.core import rls
from porch.core.isolation import crawl
from porch.documents.models import Document
from porch.repairs.tests.contractor_cast import contractor, job, photo
from tests import test_route_sweep as route_sweep
from tests import wall_widget_urls
from tests.test_canary_crawl import other_households_seen

pytestmark = pytest.mark.skipif(
    not rls.is_on(connection),
    reason="the wall runs on PostgreSQL with DATABASE_WALL_ROLE set (CI's PostgreSQL run sets it)",
)


def _principal_and_role() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, coalesce(current_setting('porch.principal', true), '')")
        role, principal = cursor.fetchone()
    return role, principal


@pytest.fixture
def filters_off(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The application's rule switched off: every `visible_to` returns every row, so each
    `get_*_for` and list built on it asks the database for anything."""
    patched = set()
    for model in apps.get_models():
        queryset = type(model._default_manager.get_queryset())
        if "visible_to" in vars(queryset) and queryset not in patched:
            monkeypatch.setattr(queryset, "visible_to", lambda self, actor: self.all())
            patched.add(queryset)
    assert len(patched) >= 15  # every module's way in, not a few of them
    yield


@pytest.mark.urls("tests.wall_widget_urls")
def test_a_widget_listing_every_case_file_shows_a_resident_only_their_own(with_every_module: Cast, client) -> None:
    """The original incident: a page listing every ASB case file, whoever asks."""
    cast = with_every_module
    every_case_file = Document.objects.filter(type=cast.types["asb"])
    assert every_case_file.exclude(tenancy=cast["cole"].tenancy).exists()  # the query is unscoped
    sign_in(client, cast.resident("carol"))
    page = json.loads(client.get("/every-case-file/").content)
    assert page["role"] == settings.DATABASE_WALL_ROLE != _principal_and_role()[0]  # the request's role, not the tests'
    assert page["titles"] and all(title.endswith(cast["cole"].marker) for title in page["titles"])


def test_a_request_ends_with_nobody_asking(with_every_module: Cast, client) -> None:
    """A reused connection carries nothing of one request into the next."""
    sign_in(client, with_every_module.resident("alice"))
    assert client.get("/documents/").status_code == 200
    role, principal = _principal_and_role()
    assert principal == ""
    assert role == connection.settings_dict["USER"]


RESIDENTS = [("ashton", "alice"), ("cole", "carol"), ("evans", "erin"), ("smith", "sam")]


@pytest.mark.parametrize(("household", "resident"), RESIDENTS)
def test_with_the_applications_filters_off_no_resident_sees_another_households_canary(
    with_every_module: Cast, client, filters_off: None, household: str, resident: str
) -> None:
    assert other_households_seen(with_every_module, client, household, resident) == []


def test_with_the_filters_off_the_crawl_still_reaches_the_residents_own_rows(
    with_every_module: Cast, client, filters_off: None
) -> None:
    """A wall of nothing would pass the test above: Alice still reads her own."""
    ashton = with_every_module["ashton"]
    sign_in(client, with_every_module.resident("alice"))
    urls = {leak.url for leak in crawl(client, foreign_markers=[ashton.marker], foreign_codes=[])}
    assert f"/documents/{ashton.documents['letter'].uuid}/download/" in urls
    assert f"/complaints/{ashton.tenancy.complaints.get().uuid}/" in urls


def staff_crawl(cast: Cast, client, who: str, foreign: list[str]) -> list[object]:
    """A member of staff crawls from their home page and every pattern filled with the ids of
    the households they may not see: what of those households' markers they met."""
    households = [cast[key] for key in foreign]
    sign_in(client, cast.staff[who])
    return crawl(
        client,
        start="/staff/",
        foreign_markers=[household.marker for household in households],
        foreign_codes=[code for household in households for code in household.codes],
    )


def test_with_the_filters_off_a_housing_officer_sees_nothing_of_another_patch(
    with_every_module: Cast, client, filters_off: None
) -> None:
    assert staff_crawl(with_every_module, client, "south", ["ashton", "cole", "dunn", "evans"]) == []
    smith = with_every_module["smith"].tenancy
    assert with_every_module["smith"].marker.encode() in client.get(f"/staff/tenancies/{smith.uuid}/").content


def test_with_the_filters_off_a_system_administrator_sees_no_household(
    with_every_module: Cast, client, filters_off: None
) -> None:
    assert staff_crawl(with_every_module, client, "admin", list(with_every_module.households)) == []


@pytest.mark.urls("tests.wall_widget_urls")
@pytest.mark.parametrize(
    ("who", "reads"),
    [
        ("cs", {"repairs", "messages"}),
        ("asb", {"asb"}),
        ("dpo", {"rent", "repairs", "complaints", "asb", "messages"}),
        ("north", {"repairs", "complaints", "asb", "messages"}),
    ],
)
def test_a_widget_listing_every_case_shows_staff_only_their_roles_tables(
    with_every_module: Cast, client, who: str, reads: set[str]
) -> None:
    """Staff read each module's tables only with one of the module's roles
    (PersonalModel.staff_readers): customer services no rent, complaint or ASB report; the ASB
    team nothing but ASB; the DPO everything; a housing officer no rent, and the rest only of
    their patch's households."""
    cast = with_every_module
    every_row = wall_widget_urls.every_case_said()  # read here, as the tests' own connection does
    assert all(every_row.values())  # each module has rows for the widget to show or not
    seen_by_them = every_row
    if who == "north":
        north = tuple(
            h.marker for h in cast.households.values() if h.tenancy.property.block.estate.patch.name == "North"
        )
        seen_by_them = {module: [text for text in texts if text.endswith(north)] for module, texts in every_row.items()}
        assert all(seen_by_them[module] for module in reads)
    sign_in(client, cast.staff[who])
    page = json.loads(client.get("/every-case/").content)
    assert page == {module: seen_by_them[module] if module in reads else [] for module in every_row}


def test_with_the_filters_off_a_contractor_sees_only_their_firms_job(
    with_every_module: Cast, filters_off: None
) -> None:
    cast = with_every_module
    own, theirs = job(cast.resident("alice"), "a"), job(cast.resident("sam"), "b")
    photo(own), photo(theirs)
    client = sign_in(Client(), contractor("a"))
    others = [household for key, household in cast.households.items() if key != "ashton"]
    codes = [str(theirs.uuid), str(photo(theirs).uuid)] + [code for household in others for code in household.codes]
    assert crawl(client, foreign_markers=[household.marker for household in others], foreign_codes=codes) == []
    assert client.get(f"/jobs/{own.uuid}/").status_code == 200


def test_switching_the_filters_off_does_open_the_application_to_everything(
    with_every_module: Cast, filters_off: None
) -> None:
    """So the crawls above prove the wall, not the application's rule."""
    from porch.accounts.actors import actor_for_user

    alice = actor_for_user(with_every_module.resident("alice"), verified=True)
    visible: QuerySet[Document] = Document.objects.visible_to(alice)
    assert visible.count() == Document.objects.count()


@pytest.mark.django_db
def test_a_command_rests_as_the_system_and_a_web_process_as_nobody(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new connection reads before any request claims it (manage.py sets PORCH_RESTS_AS)."""
    monkeypatch.setenv(rls.RESTS_AS, rls.SYSTEM)
    rls.rest(None, connection)
    assert _principal_and_role()[1] == rls.SYSTEM
    monkeypatch.delenv(rls.RESTS_AS)
    rls.rest(None, connection)
    assert _principal_and_role()[1] == ""


# The route sweep's wrong actors on the far side of the wall from each route's sample (the
# Ashtons, in patch North, whose repairs firm A holds): another household, another patch's
# officer, another firm. The others (a role without the module, the same household) are refused
# by the application's rule, which the wall is wider than by design (ADR 0032).
ACROSS_THE_WALL = {"carol", "staff:south", "contractor:b"}
WALLED_LADDERS = [
    (name, route)
    for name, route in route_sweep.PROTECTED
    if route_sweep.ROUTES.get(name, route_sweep.ADMIN).wrong in ACROSS_THE_WALL
]


def test_the_walled_ladders_are_every_module_s_ways_in() -> None:
    assert len(WALLED_LADDERS) >= 30
    assert {name.split(":")[0] for name, _ in WALLED_LADDERS} >= {
        "documents",
        "repairs",
        "money",
        "complaints",
        "messages",
    }


@pytest.mark.parametrize(("name", "route"), WALLED_LADDERS, ids=[name for name, _ in WALLED_LADDERS])
def test_with_the_filters_off_the_route_sweep_refuses_across_the_wall(
    name: str, route: str, cast: Cast, filters_off: None
) -> None:
    """Each route's actor from another household, patch or firm still gets its 404 (and the
    right actor its page) when the application's filters are off: refused by the wall alone."""
    route_sweep.test_role_ladder(name, route, cast)
