"""Someone who has learnt a canary marker must not be able to turn the guard against the
portal: typing it into a form, a search or a privacy report raises no incident and
switches nothing off. And the DPO can still investigate a trip the guard raised."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.canaries import known
from porch.canaries.services import canaries_install
from porch.housing.models import TestHousehold
from porch.incidents.models import Incident, PrivacyReport
from porch.rollout.models import ModuleSwitch


@pytest.fixture
def marker(cast: Cast, settings: Any) -> str:
    settings.CANARY_GUARD_ACTION = "switch_off"
    canaries_install(count=1)
    known.forget()
    yield TestHousehold.objects.get(purpose=TestHousehold.Purpose.CANARY).marker
    known.forget()


def nothing_raised() -> bool:
    return not Incident.objects.exists() and not ModuleSwitch.objects.filter(is_off=True).exists()


def test_a_marker_typed_into_sign_up_is_not_shown_back_and_raises_nothing(marker: str) -> None:
    response = Client().post("/sign-up/", {"reference": marker, "postcode": marker.lower()})
    assert response.status_code == 200
    assert marker not in response.content.decode().upper()
    assert nothing_raised()


def test_a_marker_in_a_query_string_shown_back_is_blocked_quietly(cast: Cast, marker: str) -> None:
    """Whatever page echoes its query, the guard sees the visitor's own input: no alarm."""
    client = sign_in(Client(), cast.staff["cs"])
    response = client.get("/staff/tenancies/", {"q": marker})
    assert marker not in response.content.decode().upper()
    assert nothing_raised()


def test_a_marker_in_a_privacy_report_is_removed_and_the_dpo_can_read_the_report(cast: Cast, marker: str) -> None:
    client = Client()
    form = client.get("/report-a-privacy-problem/").content.decode()
    key = form.split('name="idempotency_key" value="')[1].split('"')[0]
    client.post(
        "/report-a-privacy-problem/", {"idempotency_key": key, "what_seen": f"I saw Robin Canary {marker} on my page"}
    )
    report = PrivacyReport.objects.get()
    assert marker not in report.what_seen and "[canary marker]" in report.what_seen
    assert marker not in report.incident.summary
    dpo = sign_in(Client(), cast.staff["dpo"])
    assert dpo.get("/staff/privacy-problems/").status_code == 200
    assert dpo.get(f"/staff/privacy-problems/{report.incident.uuid}/").status_code == 200
    assert not ModuleSwitch.objects.filter(is_off=True).exists()


def test_the_dpo_can_investigate_a_trip_in_the_exposure_reports(cast: Cast, marker: str) -> None:
    from porch.accounts.actors import actor_for_user
    from porch.audit.services import record

    household = TestHousehold.objects.get(purpose=TestHousehold.Purpose.CANARY)
    person = household.tenancy.memberships.first().person
    carol = actor_for_user(cast.resident("carol"), verified=True)
    record(actor=carol, action="view", object_type="document", subject_ids=[person.id], tenancy_id=household.tenancy_id)
    now = timezone.localtime()
    window = {
        "start": f"{now - datetime.timedelta(days=1):%Y-%m-%d %H:%M}",
        "end": f"{now + datetime.timedelta(days=1):%Y-%m-%d %H:%M}",
    }
    # The DPO asks for the report, the worker works it out (ADR 0015), the DPO opens it.
    from porch.exposure.models import ExposureRun
    from porch.exposure.runs import run_compute

    dpo = sign_in(Client(), cast.staff["dpo"])
    asked = dpo.post("/staff/exposure/", {**window, "idempotency_key": str(uuid.uuid4())})
    run = ExposureRun.objects.get()
    assert run_compute(run.pk, run.attempt) == "done"
    page = dpo.get(asked["Location"])
    assert page.status_code == 200
    assert marker in page.content.decode().upper()  # the canary resident, named for the DPO
    assert not Incident.objects.exists()
    # Anyone else reaching the same page would still be stopped by the audience first.
    assert sign_in(Client(), cast.staff["cs"]).get(asked["Location"]).status_code == 403
