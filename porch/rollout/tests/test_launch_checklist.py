from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, Cast, pdf_bytes, sign_in
from porch.housing.models import Block, Estate, Patch
from porch.rollout.models import ChangeProposal, Cohort, CohortHomes, CohortModule, IsolationCheckRun


def east_household(cast: Cast) -> tuple[Patch, Client]:
    """A new patch with Sam's household moved into it, outside every cohort."""
    east = Patch.objects.create(name="East")
    block = Block.objects.create(name="Cedar Court", estate=Estate.objects.create(name="Pine Estate", patch=east))
    home = cast["smith"].tenancy.property
    home.block = block
    home.save()
    return east, Client()


def start_cohort(dpo: Client, name: str = "East pilot") -> Cohort:
    response = dpo.post("/staff/cohorts/", {"name": name})
    cohort = Cohort.objects.get(name=name)
    assert response["Location"] == f"/staff/cohorts/{cohort.uuid}/"
    return cohort


def complete_checklist(cohort: Cohort, dpo: Client) -> None:
    url = f"/staff/cohorts/{cohort.uuid}/"
    dpo.post(url + "dpia/", {"dpia": SimpleUploadedFile("dpia.pdf", pdf_bytes("DPIA"), "application/pdf")})
    if not cohort.scripts.exists():
        cohort.scripts.create(title="Sign in and see your own home")
    for script in cohort.scripts.all():
        dpo.post(f"/staff/acceptance-scripts/{script.uuid}/sign-off/")
    IsolationCheckRun.objects.create(passed=True, households=3, residents=6)
    dpo.post(url + "dpo-sign-off/")


def test_a_cohort_opens_only_when_its_checklist_is_all_green(cast: Cast) -> None:
    east, _ = east_household(cast)
    dpo = sign_in(Client(), cast.staff["dpo"])
    cohort = start_cohort(dpo)
    dpo.post(f"/staff/cohorts/{cohort.uuid}/homes/", {"patch": east.pk})
    dpo.post(f"/staff/cohorts/{cohort.uuid}/status/", {"status": "open"})
    cohort.refresh_from_db()
    assert cohort.status == "draft"
    assert Client().post("/sign-in/", {"username": "sam@example.org", "password": PASSWORD}).status_code == 403

    complete_checklist(cohort, dpo)
    page = dpo.get(f"/staff/cohorts/{cohort.uuid}/").content.decode()
    assert "Not done" not in page
    dpo.post(f"/staff/cohorts/{cohort.uuid}/status/", {"status": "open"})
    cohort.refresh_from_db()
    assert cohort.status == "draft"  # the DPO who signed off cannot also open: two people agree
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/cohorts/{cohort.uuid}/status/", {"status": "open"})
    cohort.refresh_from_db()
    assert cohort.status == "open"
    assert Client().post("/sign-in/", {"username": "sam@example.org", "password": PASSWORD}).status_code == 302


def test_a_stale_isolation_check_keeps_the_checklist_red(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    cohort = start_cohort(dpo)
    complete_checklist(cohort, dpo)
    IsolationCheckRun.objects.update(ran_at=timezone.now() - datetime.timedelta(hours=25))
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/cohorts/{cohort.uuid}/status/", {"status": "open"})
    cohort.refresh_from_db()
    assert cohort.status == "draft"


def test_the_isolation_self_test_is_described_in_words_a_dpo_uses(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    cohort = start_cohort(dpo)
    page = dpo.get(f"/staff/cohorts/{cohort.uuid}/").content.decode()
    assert (
        "The isolation self-test has never run on this installation. Ask your system administrator to run it." in page
    )
    assert "manage.py" not in page and "isolation_check" not in page
    IsolationCheckRun.objects.create(passed=False, households=3, residents=6)
    page = dpo.get(f"/staff/cohorts/{cohort.uuid}/").content.decode()
    assert "The isolation self-test failed on" in page and "Ask your system administrator to look into it." in page
    IsolationCheckRun.objects.all().delete()
    IsolationCheckRun.objects.create(passed=True, households=3, residents=6)
    IsolationCheckRun.objects.update(ran_at=timezone.now() - datetime.timedelta(hours=25))
    page = dpo.get(f"/staff/cohorts/{cohort.uuid}/").content.decode()
    assert "The isolation self-test last passed on" in page and "Ask your system administrator to run it again." in page


def test_approving_more_homes_is_refused_while_the_checklist_is_red(cast: Cast) -> None:
    east, _ = east_household(cast)
    dpo = sign_in(Client(), cast.staff["dpo"])
    pilot = Cohort.objects.get(name="Pilot")
    dpo.post(f"/staff/cohorts/{pilot.uuid}/homes/", {"patch": east.pk})
    proposal = ChangeProposal.objects.get(kind="cohort_add_homes")
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})
    proposal.refresh_from_db()
    assert proposal.status == "pending" and not CohortHomes.objects.get(patch=east).active


def test_only_the_dpo_signs_off(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    cohort = start_cohort(dpo)
    assert sign_in(Client(), cast.staff["admin"]).post(f"/staff/cohorts/{cohort.uuid}/dpo-sign-off/").status_code == 403


def test_homes_added_to_an_open_cohort_wait_for_a_second_person(cast: Cast) -> None:
    east, _ = east_household(cast)
    dpo = sign_in(Client(), cast.staff["dpo"])
    pilot = Cohort.objects.get(name="Pilot")
    complete_checklist(pilot, dpo)
    dpo.post(f"/staff/cohorts/{pilot.uuid}/homes/", {"patch": east.pk})
    homes = CohortHomes.objects.get(patch=east)
    assert not homes.active
    assert Client().post("/sign-in/", {"username": "sam@example.org", "password": PASSWORD}).status_code == 403
    proposal = ChangeProposal.objects.get(kind="cohort_add_homes")
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})
    homes.refresh_from_db()
    assert homes.active
    assert Client().post("/sign-in/", {"username": "sam@example.org", "password": PASSWORD}).status_code == 302


def test_a_list_of_references_adds_those_tenancies_and_flags_unknown_ones(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    cohort = start_cohort(dpo)
    reference = cast["smith"].tenancy.reference
    page = dpo.post(f"/staff/cohorts/{cohort.uuid}/homes/", {"references": f"{reference}\nT404404"}).content.decode()
    assert "There is a problem" in page and "T404404" in page
    assert not CohortHomes.objects.filter(cohort=cohort).exists()
    dpo.post(f"/staff/cohorts/{cohort.uuid}/homes/", {"references": reference.lower()})
    assert CohortHomes.objects.get(cohort=cohort).tenancy == cast["smith"].tenancy


def test_switching_a_module_on_for_a_cohort_waits_for_a_second_person(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    cohort = start_cohort(dpo)
    dpo.post(f"/staff/cohorts/{cohort.uuid}/modules/", {"module": "documents", "enabled": "on"})
    assert not CohortModule.objects.filter(cohort=cohort, enabled=True).exists()
    proposal = ChangeProposal.objects.get(kind="cohort_module_on")
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})
    assert CohortModule.objects.get(cohort=cohort).enabled


def test_switching_a_module_off_for_a_cohort_withdraws_a_waiting_proposal_to_switch_it_on(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    cohort = start_cohort(dpo)
    dpo.post(f"/staff/cohorts/{cohort.uuid}/modules/", {"module": "documents", "enabled": "on"})
    dpo.post(f"/staff/cohorts/{cohort.uuid}/modules/", {"module": "documents"})
    proposal = ChangeProposal.objects.get(kind="cohort_module_on")
    assert proposal.status == ChangeProposal.Status.REJECTED
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})
    assert not CohortModule.objects.filter(cohort=cohort, enabled=True).exists()


def test_closing_needs_nobody_else(cast: Cast) -> None:
    pilot = Cohort.objects.get(name="Pilot")
    sign_in(Client(), cast.staff["admin"]).post(f"/staff/cohorts/{pilot.uuid}/status/", {"status": "closed"})
    pilot.refresh_from_db()
    assert pilot.status == "closed"
    assert Client().post("/sign-in/", {"username": "alice@example.org", "password": PASSWORD}).status_code == 403


def test_an_uploaded_list_of_references_adds_those_tenancies(cast: Cast) -> None:
    dpo = sign_in(Client(), cast.staff["dpo"])
    cohort = start_cohort(dpo)
    listing = f"reference\n{cast['smith'].tenancy.reference}\n{cast['cole'].tenancy.reference.lower()}\n".encode()
    page = dpo.post(
        f"/staff/cohorts/{cohort.uuid}/homes/",
        {"references_file": SimpleUploadedFile("homes.csv", listing, "text/csv")},
    ).content.decode()
    assert "REFERENCE" in page  # the heading line is not a tenancy: the form says so and adds nothing
    listing = listing.replace(b"reference\n", b"")
    dpo.post(
        f"/staff/cohorts/{cohort.uuid}/homes/",
        {"references_file": SimpleUploadedFile("homes.csv", listing, "text/csv")},
    )
    assert {homes.tenancy for homes in CohortHomes.objects.filter(cohort=cohort)} == {
        cast["smith"].tenancy,
        cast["cole"].tenancy,
    }


def test_closing_and_reopening_needs_a_fresh_sign_off_for_the_homes_it_then_holds(cast: Cast) -> None:
    east, _ = east_household(cast)
    dpo = sign_in(Client(), cast.staff["dpo"])
    admin = sign_in(Client(), cast.staff["admin"])
    pilot = Cohort.objects.get(name="Pilot")
    complete_checklist(pilot, dpo)
    admin.post(f"/staff/cohorts/{pilot.uuid}/status/", {"status": "closed"})
    admin.post(f"/staff/cohorts/{pilot.uuid}/homes/", {"patch": east.pk})
    admin.post(f"/staff/cohorts/{pilot.uuid}/status/", {"status": "open"})
    pilot.refresh_from_db()
    assert pilot.status == "closed" and pilot.dpo_signed_off_at is None
    assert Client().post("/sign-in/", {"username": "sam@example.org", "password": PASSWORD}).status_code == 403
