"""The response guard against deliberately broken views (porch/canaries/tests/broken_urls.py).

The cast's own markers ("CANARYASHTON001"...) are not canary markers; only the
households `manage.py canaries install` makes are guarded."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.test import AsyncClient, Client

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.canaries import known
from porch.canaries.guard import blocked_page
from porch.canaries.models import CanaryTrip
from porch.canaries.services import canaries_install
from porch.core.errors import server_error
from porch.core.markers import PREFIX
from porch.housing.models import TestHousehold
from porch.incidents.models import Incident, Notification, TimelineEntry
from porch.rollout.models import ModuleSwitch
from porch.rollout.switches import forget

NEEDLES = (PREFIX[1:].encode(), PREFIX[1:].lower().encode())


@pytest.fixture(autouse=True)
def _broken_portal(settings: Any) -> Any:
    settings.ROOT_URLCONF = "porch.canaries.tests.broken_urls"
    # The guard is the last wall, and must hold where the database's is absent (SQLite) or
    # fails: behind it, these broken pages could not reach another household's rows at all
    # (tests/test_database_wall_running.py shows that), so here they run without it.
    settings.DATABASE_WALL_ROLE = ""
    settings.CANARY_GUARD_ACTION = "switch_off"
    settings.INCIDENT_ALERT_EMAILS = ["oncall@example.org"]
    known.forget()
    yield
    known.forget()


@pytest.fixture
def canaries(cast: Cast) -> list[TestHousehold]:
    canaries_install(count=2)
    return list(TestHousehold.objects.filter(purpose=TestHousehold.Purpose.CANARY).order_by("id"))


def body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def no_canary_in(data: bytes) -> bool:
    return not any(needle in data for needle in NEEDLES)


def canary_resident(household: TestHousehold) -> Client:
    return sign_in(Client(), household.tenancy.memberships.first().person.user)


def switched_off(module: str) -> bool:
    return ModuleSwitch.objects.filter(module=module, cohort__isnull=True, is_off=True).exists()


def a_document(household: TestHousehold) -> Any:
    return household.tenancy.documents.filter(type__resident_visible=True).first()


# --- Pages ------------------------------------------------------------------------------------


def test_a_page_listing_every_households_documents_is_blocked_before_it_reaches_a_resident(
    cast: Cast, canaries: list[TestHousehold], as_user: Any
) -> None:
    response = as_user(cast.resident("alice")).get("/broken/documents/")
    assert response.status_code == 500
    assert no_canary_in(body(response))
    assert body(response) == blocked_page().content == server_error(None).content  # type: ignore[arg-type]
    assert b"ASHTON" not in body(response)  # the rest of the broken page is gone too


def test_a_trip_opens_one_critical_incident_and_switches_the_module_off(
    cast: Cast, canaries: list[TestHousehold], as_user: Any
) -> None:
    alice = as_user(cast.resident("alice"))
    alice.get("/broken/documents/")
    incident = Incident.objects.get()
    assert incident.severity == Incident.Severity.CRITICAL
    assert incident.status == Incident.Status.CONTAINED
    assert switched_off("documents")
    forget()
    # Switched off: the kill switch now answers before the broken view runs; nothing more trips.
    assert alice.get("/broken/documents/").status_code == 503
    assert as_user(cast.resident("carol")).get("/broken/documents/").status_code == 503
    assert Incident.objects.count() == 1 and CanaryTrip.objects.count() == 1
    trip = CanaryTrip.objects.get()
    assert trip.module == "documents" and trip.found == CanaryTrip.Found.BODY
    assert trip.outcome == CanaryTrip.Outcome.SWITCHED_OFF and trip.incident == incident
    assert trip.actor == cast.resident("alice") and trip.status_code == 200
    assert set(trip.households.all()) == set(canaries)
    timeline = " ".join(incident.timeline.values_list("what", flat=True))
    assert (
        "Canary guard blocked GET /broken/documents/" in timeline and "Switched off for everyone: documents" in timeline
    )


def test_a_trip_notifies_on_call(
    cast: Cast, canaries: list[TestHousehold], as_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        as_user(cast.resident("alice")).get("/broken/documents/")
    incident = Incident.objects.get()
    calls = Notification.objects.filter(incident=incident)
    assert calls.filter(address="oncall@example.org", rung=1).exists()


def test_with_alert_only_the_module_stays_on_and_trips_join_one_incident(
    cast: Cast, canaries: list[TestHousehold], as_user: Any, settings: Any
) -> None:
    settings.CANARY_GUARD_ACTION = "alert"
    for resident in ("alice", "carol", "sam"):
        assert as_user(cast.resident(resident)).get("/broken/documents/").status_code == 500
    assert not switched_off("documents")
    incident = Incident.objects.get()
    assert incident.severity == Incident.Severity.CRITICAL and incident.status == Incident.Status.REPORTED
    assert CanaryTrip.objects.filter(incident=incident, outcome=CanaryTrip.Outcome.ALERT_ONLY).count() == 3
    assert incident.timeline.filter(what__startswith="Canary guard blocked").count() == 3


def test_a_trip_after_the_window_or_closing_or_a_near_miss_opens_a_new_incident(
    cast: Cast, canaries: list[TestHousehold], as_user: Any, settings: Any
) -> None:
    from porch.canaries.models import CanaryAlarm

    settings.CANARY_GUARD_ACTION = "alert"
    alice = as_user(cast.resident("alice"))
    alice.get("/broken/documents/")
    first = Incident.objects.get()
    first.status = Incident.Status.CLOSED
    first.save()
    alice.get("/broken/documents/")
    second = Incident.objects.exclude(pk=first.pk).get()
    Incident.objects.filter(pk=second.pk).update(kind=Incident.Kind.NEAR_MISS)
    alice.get("/broken/documents/")
    third = Incident.objects.exclude(pk__in=[first.pk, second.pk]).get()
    assert third.kind == Incident.Kind.INCIDENT
    alarm = CanaryAlarm.objects.get(module="documents")
    CanaryAlarm.objects.filter(pk=alarm.pk).update(last_trip_at=alarm.last_trip_at - datetime.timedelta(hours=2))
    alice.get("/broken/documents/")
    assert Incident.objects.exclude(pk__in=[first.pk, second.pk, third.pk]).count() == 1


def test_a_trip_joins_the_incident_its_last_one_was_merged_into(
    cast: Cast, canaries: list[TestHousehold], as_user: Any, settings: Any
) -> None:
    from porch.incidents.services import incident_open

    settings.CANARY_GUARD_ACTION = "alert"
    alice = as_user(cast.resident("alice"))
    alice.get("/broken/documents/")
    first = Incident.objects.get()
    target = incident_open(actor=None, summary="A caller reported the same leak")
    Incident.objects.filter(pk=first.pk).update(merged_into=target, status=Incident.Status.CLOSED)
    alice.get("/broken/documents/")
    assert CanaryTrip.objects.order_by("-pk").first().incident == target
    assert Incident.objects.count() == 2


def test_trips_of_different_modules_make_different_incidents(
    cast: Cast, canaries: list[TestHousehold], as_user: Any, settings: Any
) -> None:
    settings.CANARY_GUARD_ACTION = "alert"
    as_user(cast.resident("alice")).get("/broken/documents/")
    Client().get("/broken/people/")
    assert Incident.objects.count() == 2


def test_a_signed_out_visitor_trips_it_and_the_pages_module_goes_off(cast: Cast, canaries: list[TestHousehold]) -> None:
    response = Client().get("/broken/people/")
    assert response.status_code == 500 and no_canary_in(body(response))
    trip = CanaryTrip.objects.get()
    assert trip.actor is None and trip.actor_role == "anonymous" and trip.module == "portal"
    assert switched_off("portal")


def test_the_canary_resident_sees_their_own_pages_and_files(cast: Cast, canaries: list[TestHousehold]) -> None:
    own = canaries[0]
    client = canary_resident(own)
    for url in ("/", "/documents/", f"/documents/{a_document(own).uuid}/download/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert own.marker.encode() in body(response), url
    # Even through a broken download: it is their own file, and it arrives whole.
    document = a_document(own)
    response = client.get(f"/broken/documents/{document.uuid}/download/")
    with document.file.open("rb") as file:
        assert response.status_code == 200 and body(response) == file.read()
    assert not CanaryTrip.objects.exists() and not Incident.objects.exists()


def test_a_canary_resident_trips_it_on_another_canarys_marker(cast: Cast, canaries: list[TestHousehold]) -> None:
    own, other = canaries
    response = canary_resident(own).get("/broken/documents/")
    assert response.status_code == 500 and no_canary_in(body(response))
    assert list(CanaryTrip.objects.get().households.all()) == [other]


def test_another_resident_downloading_a_canary_document_trips_it(
    cast: Cast, canaries: list[TestHousehold], as_user: Any
) -> None:
    document = a_document(canaries[0])
    response = as_user(cast.resident("carol")).get(f"/broken/documents/{document.uuid}/download/")
    assert response.status_code == 500 and no_canary_in(body(response))
    trip = CanaryTrip.objects.get()
    assert trip.found == CanaryTrip.Found.FILE and list(trip.households.all()) == [canaries[0]]
    assert switched_off("documents")


def test_a_copy_of_a_canary_file_is_caught_by_its_file_name(
    cast: Cast, canaries: list[TestHousehold], as_user: Any
) -> None:
    document = a_document(canaries[0])
    response = as_user(cast.resident("carol")).get(f"/broken/documents/{document.uuid}/copy/")
    assert response.status_code == 500 and no_canary_in(body(response))
    assert CanaryTrip.objects.get().found == CanaryTrip.Found.HEADER


@pytest.mark.parametrize("chunk", [7, 30, 31, 4096])
def test_a_stream_is_cut_before_any_marker_leaves(
    cast: Cast, canaries: list[TestHousehold], as_user: Any, chunk: int
) -> None:
    document = a_document(canaries[0])
    response = as_user(cast.resident("carol")).get(f"/broken/documents/{document.uuid}/export/", {"chunk": chunk})
    assert response.status_code == 200  # the headers had gone: the download is cut short instead
    sent = body(response)
    assert no_canary_in(sent)
    assert len(sent) < document.size
    trip = CanaryTrip.objects.get()
    assert trip.found == CanaryTrip.Found.STREAM and trip.module == "documents"
    # Found after the page's reads were written: the trip is in the audit log all the same.
    assert AccessEvent.objects.filter(object_type="canary_trip").exists()


def test_an_async_stream_is_cut_too(cast: Cast, canaries: list[TestHousehold]) -> None:
    document = a_document(canaries[0])
    carol = cast.resident("carol")

    async def fetch() -> tuple[int, bytes]:
        client = AsyncClient()
        await client.aforce_login(carol)
        response = await client.get(f"/broken/documents/{document.uuid}/export-async/")
        return response.status_code, b"".join([chunk async for chunk in response.streaming_content])

    status, sent = async_to_sync(fetch)()
    assert status == 200 and no_canary_in(sent) and len(sent) < document.size
    assert CanaryTrip.objects.get().found == CanaryTrip.Found.STREAM
    assert AccessEvent.objects.filter(object_type="canary_trip").exists()


def test_a_stream_without_a_foreign_marker_arrives_whole(cast: Cast, canaries: list[TestHousehold]) -> None:
    own = canaries[0]
    document = a_document(own)
    response = canary_resident(own).get(f"/broken/documents/{document.uuid}/export/", {"chunk": 5})
    document.file.open("rb")
    assert body(response) == document.file.read()
    assert not CanaryTrip.objects.exists()


def test_staff_opening_a_canary_trip_it_but_nothing_is_switched_off(
    cast: Cast, canaries: list[TestHousehold], as_user: Any
) -> None:
    dpo = as_user(cast.staff["dpo"])
    response = dpo.get(f"/staff/tenancies/{canaries[0].tenancy.uuid}/")
    assert response.status_code == 500 and no_canary_in(body(response))
    assert dpo.get("/broken/staff/people/").status_code == 500
    assert not ModuleSwitch.objects.filter(is_off=True).exists()
    assert Incident.objects.count() == 1  # both pages have no module: one alarm
    assert set(CanaryTrip.objects.values_list("outcome", flat=True)) == {CanaryTrip.Outcome.NOT_SWITCHABLE}
    assert "went to a staff member" in " ".join(Incident.objects.get().timeline.values_list("what", flat=True))


def test_the_isolation_households_and_the_casts_markers_are_not_canaries(
    cast: Cast, canaries: list[TestHousehold], as_user: Any
) -> None:
    """Only canary markers count: other test households' pages are ordinary pages."""
    from porch.accounts.synthetic import synthetic_household_create

    created = synthetic_household_create(actor=None, purpose=TestHousehold.Purpose.REHEARSAL)
    client = sign_in(Client(), created.logins[0].person.user)
    assert created.household.marker.encode() in client.get("/").content
    dpo = as_user(cast.staff["dpo"])
    assert dpo.get(f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/").status_code == 200
    assert not CanaryTrip.objects.exists()


def test_nothing_the_guard_writes_carries_a_marker(cast: Cast, canaries: list[TestHousehold], as_user: Any) -> None:
    marker = canaries[1].marker
    # A marker in the path of a page that also leaks another canary: blocked, and the path blanked.
    # (First: once documents are switched off, the "unavailable" page would only echo the path.)
    response = as_user(cast.resident("carol")).get(f"/broken/echo/{marker}/")
    assert response.status_code == 500 and no_canary_in(body(response))
    as_user(cast.resident("alice")).get("/broken/documents/")
    written = [
        *Incident.objects.values_list("summary", flat=True),
        *TimelineEntry.objects.values_list("what", flat=True),
        *AccessEvent.objects.values_list("reason", flat=True),
        *CanaryTrip.objects.values_list("path", flat=True),
    ]
    assert written and not any(household.marker in text for household in canaries for text in written)
    assert "/broken/echo/[canary marker]/" in CanaryTrip.objects.values_list("path", flat=True)


def test_a_trip_is_audited_against_the_reader_with_the_canaries_as_subjects(
    cast: Cast, canaries: list[TestHousehold], as_user: Any
) -> None:
    as_user(cast.resident("alice")).get("/broken/documents/")
    events = AccessEvent.objects.filter(object_type="canary_trip")
    assert {event.actor_id for event in events} == {cast.resident("alice").pk}
    members = {m.person_id for household in canaries for m in household.tenancy.memberships.all()}
    assert {event.subject_id for event in events} == members


def test_the_page_is_blocked_even_if_the_alarm_cannot_be_recorded(
    cast: Cast, canaries: list[TestHousehold], as_user: Any, monkeypatch: Any
) -> None:
    def broken_alarm(**kwargs: Any) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr("porch.canaries.services.canary_trip", broken_alarm)
    response = as_user(cast.resident("alice")).get("/broken/documents/")
    assert response.status_code == 500 and no_canary_in(body(response))


def test_a_canary_installed_by_another_process_is_guarded_after_the_refresh(
    cast: Cast, as_user: Any, monkeypatch: Any
) -> None:
    from porch.canaries.services import canary_household_create

    known.known()  # this process has read the (empty) list of canaries
    canary_household_create()  # as another process would: this one is not told
    monkeypatch.setattr(known, "REFRESH_SECONDS", 0.0)
    response = as_user(cast.resident("alice")).get("/broken/documents/")
    assert response.status_code == 500 and no_canary_in(body(response))


def test_the_canaries_command_installs_and_lists(cast: Cast, capsys: Any) -> None:
    call_command("canaries", "install", "--count", "2")
    call_command("canaries", "install", "--count", "2")
    households = TestHousehold.objects.filter(purpose=TestHousehold.Purpose.CANARY)
    assert households.count() == 2
    call_command("canaries", "list")
    listing = capsys.readouterr().out
    assert all(household.marker in listing and household.tenancy.reference in listing for household in households)
