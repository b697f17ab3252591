from __future__ import annotations

import pytest
from django.test import Client

from conftest import Cast, sign_in
from porch.audit.models import AccessEvent
from porch.rollout.models import ChangeProposal, ModuleSwitch
from tests.test_route_sweep import ROUTE_LIST


def switch_off(client: Client, module: str, reason: str = "Incident 42: documents showing to the wrong people"):
    return client.post(f"/staff/switches/{module}/off/", {"reason": reason})


def test_a_dpo_switches_documents_off_and_residents_see_the_unavailable_page(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    assert switch_off(dpo, "documents")["Location"] == "/staff/switches/"
    alice = sign_in(Client(), cast.resident("alice"))
    response = alice.get("/documents/")
    assert response.status_code == 503 and "not available right now" in response.content.decode()
    assert alice.get(f"/documents/{cast['ashton'].documents['letter'].uuid}/download/").status_code == 503
    assert alice.get("/").status_code == 200  # the rest of the portal stays up
    assert AccessEvent.objects.filter(object_type="module_switch", object_id="documents").exists()


def test_staff_pages_stay_up_when_the_whole_portal_is_off(cast: Cast) -> None:
    switch_off(sign_in(Client(), cast.staff["admin"]), "portal")
    assert sign_in(Client(), cast.resident("alice")).get("/").status_code == 503
    assert Client().get("/sign-up/").status_code == 503
    assert Client().get("/sign-in/").status_code == 200
    north = sign_in(Client(), cast.staff["north"])
    assert north.get("/staff/").status_code == 200
    assert north.get(f"/documents/{cast['ashton'].documents['letter'].uuid}/download/").status_code == 200


def test_switching_off_needs_a_reason(cast: Cast) -> None:
    response = switch_off(sign_in(Client(), cast.staff["dpo"]), "documents", reason="")
    assert response.status_code == 400 and "Enter why" in response.content.decode()
    assert not ModuleSwitch.objects.exists()


def test_switching_back_on_waits_for_a_second_person(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    switch_off(dpo, "documents")
    dpo.post("/staff/switches/documents/on/", {"reason": "Fixed and checked"})
    proposal = ChangeProposal.objects.get()
    dpo.post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})
    assert ModuleSwitch.objects.get().is_off
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})
    assert not ModuleSwitch.objects.get().is_off
    assert sign_in(Client(), cast.resident("alice")).get("/documents/").status_code == 200


def test_a_rejected_proposal_changes_nothing(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    switch_off(dpo, "documents")
    dpo.post("/staff/switches/documents/on/", {"reason": "Fixed"})
    proposal = ChangeProposal.objects.get()
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/approvals/{proposal.uuid}/", {"decision": "reject"})
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and ModuleSwitch.objects.get().is_off


def test_the_database_refuses_a_proposer_deciding_their_own_change(cast: Cast) -> None:
    from django.db import IntegrityError, transaction

    proposal = ChangeProposal.objects.create(
        kind="switch_on", target="documents", before="off", after="on", reason="x", proposed_by=cast.staff["dpo"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeProposal.objects.filter(pk=proposal.pk).update(decided_by=cast.staff["dpo"], status="approved")


def test_asking_twice_makes_one_proposal(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    switch_off(dpo, "documents")
    dpo.post("/staff/switches/documents/on/", {"reason": "Fixed"})
    dpo.post("/staff/switches/documents/on/", {"reason": "Fixed"})
    assert ChangeProposal.objects.count() == 1


def test_every_resident_facing_page_belongs_to_a_module_the_kill_switch_covers() -> None:
    resident_facing = {
        name: view
        for name, _, view in ROUTE_LIST
        if getattr(view, "porch_audience", None) is not None and view.porch_audience.name.startswith("resident")
    }
    assert resident_facing
    assert [name for name, view in resident_facing.items() if not getattr(view, "porch_module", None)] == []


def test_a_module_can_be_switched_off_for_one_cohort_only(cast: Cast) -> None:
    from porch.rollout.models import Cohort, CohortHomes, CohortModule

    CohortHomes.objects.filter(patch=cast.patches["south"]).delete()
    south = Cohort.objects.create(name="South pilot", status=Cohort.Status.OPEN)
    CohortHomes.objects.create(cohort=south, patch=cast.patches["south"])
    CohortModule.objects.create(cohort=south, module="documents", enabled=True)
    pilot = Cohort.objects.get(name="Pilot")

    dpo = sign_in(Client(), cast.staff["dpo"])
    dpo.post("/staff/switches/documents/off/", {"reason": "Incident 9", "cohort": str(pilot.uuid)})
    assert sign_in(Client(), cast.resident("alice")).get("/documents/").status_code == 503
    assert sign_in(Client(), cast.resident("sam")).get("/documents/").status_code == 200

    dpo.post("/staff/switches/documents/on/", {"reason": "Fixed", "cohort": str(pilot.uuid)})
    proposal = ChangeProposal.objects.get()
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})
    assert sign_in(Client(), cast.resident("alice")).get("/documents/").status_code == 200
