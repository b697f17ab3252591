"""The resident's repairs: the list, a repair's page, its photos, who sees which, the audit
rows they leave, and the kill switch."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import Cast
from porch.audit.models import AccessEvent
from porch.repairs import services
from porch.repairs.models import Repair, RepairEvent, RepairPhoto
from porch.rollout.models import ModuleSwitch

from .resident_helpers import actor_of, client_for, home_repair, shared_repair

LIST = "/repairs/"


def add_photo(repair: Repair) -> RepairPhoto:
    photo = RepairPhoto(repair=repair, content_type="image/png", size=8)
    photo.file.save("p.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return photo


def test_the_list_shows_own_and_shared_repairs_open_first(cast: Cast) -> None:
    done = home_repair(cast, "alice", code="kitchen_units")
    services.complete(actor=actor_of(cast, "alice"), repair=done)
    tap = home_repair(cast, "alice")
    lift = shared_repair(cast, "carol")
    page = client_for(cast, "alice").get(LIST).content.decode()
    positions = [page.index(repair.reference) for repair in (tap, lift, done)]
    assert positions[2] > max(positions[:2])  # the completed one last
    assert "Shared areas of Ash House" in page and "Dripping or broken tap" in page
    assert "Light out by my door" not in page


def test_the_list_shows_another_households_home_repairs_to_nobody_else(cast: Cast) -> None:
    carols = home_repair(cast, "carol")
    for who in ("alice", "dan", "sam", "erin"):
        assert carols.reference not in client_for(cast, who).get(LIST).content.decode(), who


def test_a_former_tenant_sees_nothing(cast: Cast) -> None:
    lift = shared_repair(cast, "carol")
    client = client_for(cast, "erin")
    assert lift.reference not in client.get(LIST).content.decode()
    assert client.get(f"/repairs/{lift.uuid}/").status_code == 404


def test_another_households_repair_id_is_404_on_every_page(cast: Cast) -> None:
    carols = home_repair(cast, "carol")
    photo = add_photo(carols)
    client = client_for(cast, "alice")
    for url in (
        f"/repairs/{carols.uuid}/",
        f"/repairs/{carols.uuid}/reported/",
        f"/repairs/{carols.uuid}/appointment/",
        f"/repairs/{carols.uuid}/cancel/",
        f"/repairs/photos/{photo.uuid}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/repairs/{carols.uuid}/appointment/cancel/").status_code == 404
    assert client.post(f"/repairs/{carols.uuid}/cancel/", {"reason": "fixed"}).status_code == 404
    carols.refresh_from_db()
    assert carols.is_open


def test_a_neighbour_sees_a_shared_repair_without_the_reporters_words_name_or_photos(cast: Cast) -> None:
    lift = shared_repair(cast, "carol", text="Light out by my door, I am at home with my baby")
    photo = add_photo(lift)
    RepairEvent.objects.create(repair=lift, kind=RepairEvent.Kind.UPDATE, text="Electrician booked", published=True)
    RepairEvent.objects.create(repair=lift, kind=RepairEvent.Kind.NOTE, text="Internal: resident rang twice")
    client = client_for(cast, "alice")
    page = client.get(f"/repairs/{lift.uuid}/").content.decode()
    assert "Lights out in a stairwell or corridor" in page and "Shared areas of Ash House" in page
    assert "Electrician booked" in page
    for private in ("baby", "Carol", "Cole", "07700 900111", "Internal: resident rang twice", str(photo.uuid)):
        assert private not in page, private
    assert client.get(f"/repairs/photos/{photo.uuid}/").status_code == 404
    # Nor may she change it.
    assert client.get(f"/repairs/{lift.uuid}/cancel/").status_code == 403
    assert client.post(f"/repairs/{lift.uuid}/appointment/cancel/").status_code == 403


def test_a_repair_page_shows_each_clock_with_its_date_and_the_published_timeline(cast: Cast, settings: Any) -> None:
    settings.REPAIRS_NATION = "england"
    damp = home_repair(cast, "alice", code="damp_mould_patches", text="Black mould in the bedroom")
    page = client_for(cast, "alice").get(f"/repairs/{damp.uuid}/").content.decode()
    assert "Black mould in the bedroom" in page
    for clock in damp.clocks.all():
        assert clock.words.replace("'", "&#x27;") in page
        assert timezone.localtime(clock.due_at).strftime("%-d %B %Y") in page
    assert "Reported" in page


def test_an_emergency_clock_shows_its_time(cast: Cast) -> None:
    repair = home_repair(cast, "alice", code="emergency_gas")
    clock = repair.clocks.get(precise=True)
    page = client_for(cast, "alice").get(f"/repairs/{repair.uuid}/").content.decode()
    due = timezone.localtime(clock.due_at)
    assert f"{due:%-I:%M}".lstrip("0") in page


def test_a_late_right_to_repair_repair_in_scotland_shows_the_compensation(cast: Cast, settings: Any) -> None:
    settings.REPAIRS_NATION = "scotland"
    repair = home_repair(cast, "alice", code="kitchen_leak")
    Repair.objects.filter(pk=repair.pk).update(reported_at=timezone.now() - datetime.timedelta(days=30))
    repair.clocks.update(due_at=timezone.now() - datetime.timedelta(days=20))
    services.complete(actor=actor_of(cast, "alice"), repair=repair)
    repair.refresh_from_db()
    assert repair.compensation_pence
    page = client_for(cast, "alice").get(f"/repairs/{repair.uuid}/").content.decode()
    assert repair.compensation in page and "owe you" in page


def test_the_list_the_page_and_a_photo_are_audited(cast: Cast) -> None:
    tap = home_repair(cast, "alice")
    lift = shared_repair(cast, "carol")
    photo = add_photo(tap)
    client = client_for(cast, "alice")
    # The log is append-only (on PostgreSQL a trigger refuses deletes): look at what comes next.
    before = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    client.get(LIST)
    listed = AccessEvent.objects.filter(action="list", id__gt=before)
    assert {event.object_id for event in listed} == {str(tap.uuid), str(lift.uuid)}
    assert {e.subject_id for e in listed.filter(object_type="repair")} == {p.pk for p in cast["ashton"].people.values()}
    assert listed.get(object_type="communal_repair").subject_id is None  # never the reporter
    client.get(f"/repairs/{tap.uuid}/")
    assert AccessEvent.objects.filter(action="view", object_id=str(tap.uuid)).exists()
    response = client.get(f"/repairs/photos/{photo.uuid}/")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert AccessEvent.objects.filter(action="download", object_id=str(tap.uuid)).exists()


def test_the_list_takes_the_same_queries_however_many_repairs(cast: Cast) -> None:
    client = client_for(cast, "alice")
    home_repair(cast, "alice")
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(4):
        home_repair(cast, "alice")
        shared_repair(cast, "carol")
    with CaptureQueriesContext(connection) as nine:
        client.get(LIST)
    assert len(nine) == len(one)


def test_the_kill_switch_makes_the_pages_unavailable(cast: Cast) -> None:
    tap = home_repair(cast, "alice")
    ModuleSwitch.objects.create(module="repairs", is_off=True, reason="checking something")
    client = client_for(cast, "alice")
    for url in (LIST, f"/repairs/{tap.uuid}/", "/repairs/report/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert tap.reference not in response.content.decode()
    assert not AccessEvent.objects.filter(object_type="repair", action__in=["list", "view"]).exists()
    assert "/repairs/" not in client.get("/").content.decode()


def test_the_home_page_shows_the_open_repairs_and_the_way_to_report(cast: Cast) -> None:
    home_repair(cast, "alice")
    shared_repair(cast, "carol")
    page = client_for(cast, "alice").get("/").content.decode()
    assert "2 open repairs" in page and 'href="/repairs/report/?new=1"' in page
    assert 'href="/repairs/"' in page


def test_a_resident_cancels_their_own_repair_with_a_reason(cast: Cast) -> None:
    tap = home_repair(cast, "alice")
    client = client_for(cast, "alice")
    page = client.post(f"/repairs/{tap.uuid}/cancel/", {}).content.decode()
    assert "Select why you want to cancel" in page
    response = client.post(f"/repairs/{tap.uuid}/cancel/", {"reason": "fixed"})
    assert response["Location"] == f"/repairs/{tap.uuid}/"
    tap.refresh_from_db()
    assert tap.status == Repair.Status.CANCELLED
    assert tap.events.get(kind=RepairEvent.Kind.CANCELLED).text == "It has been fixed or the problem has gone"
    again = client.post(f"/repairs/{tap.uuid}/cancel/", {"reason": "fixed"}, follow=True).content.decode()
    assert "already closed" in again
    assert tap.events.filter(kind=RepairEvent.Kind.CANCELLED).count() == 1
