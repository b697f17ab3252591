from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.accounts.models import User
from porch.audit.models import AccessEvent
from porch.staff.models import BreakGlass


def open_outside_patch(client: Client, reference: str, **overrides: str):
    data = {
        "reference": reference,
        "reason": "call",
        "details": "Resident phoned about a leak, call ref 12345",
        **overrides,
    }
    return client.post("/staff/outside-my-patch/", data)


def test_an_officer_opens_a_home_outside_their_patch_with_a_reason(cast: Cast) -> None:
    ashton = cast["ashton"]
    south = sign_in(Client(), cast.staff["south"])
    url = f"/staff/tenancies/{ashton.tenancy.uuid}/"
    assert south.get(url).status_code == 404
    response = open_outside_patch(south, ashton.tenancy.reference.lower())
    assert response["Location"] == url
    page = south.get(url).content.decode()
    assert "This home is outside your patch" in page and ashton.people["alice"].full_name in page
    event = AccessEvent.objects.filter(action="break_glass").first()
    assert event is not None and event.actor == cast.staff["south"] and "call ref 12345" in event.reason


def test_a_reason_is_required(cast: Cast) -> None:
    south = sign_in(Client(), cast.staff["south"])
    page = open_outside_patch(south, cast["ashton"].tenancy.reference, reason="", details="").content.decode()
    assert "There is a problem" in page
    assert "Select why you need to open this record" in page and "Give details" in page
    assert not BreakGlass.objects.exists()


def test_an_unknown_reference_is_refused_clearly(cast: Cast) -> None:
    south = sign_in(Client(), cast.staff["south"])
    page = open_outside_patch(south, "T999999").content.decode()
    assert "No tenancy has that reference" in page


def test_the_record_closes_again_after_the_set_hours(cast: Cast) -> None:
    ashton = cast["ashton"]
    south = sign_in(Client(), cast.staff["south"])
    open_outside_patch(south, ashton.tenancy.reference)
    BreakGlass.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert south.get(f"/staff/tenancies/{ashton.tenancy.uuid}/").status_code == 404


def test_the_dpo_reviews_every_opening(cast: Cast) -> None:
    open_outside_patch(sign_in(Client(), cast.staff["south"]), cast["ashton"].tenancy.reference)
    dpo = sign_in(Client(), cast.staff["dpo"])
    page = dpo.get("/staff/outside-patch-reviews/").content.decode()
    assert "south@staff.example.org" in page and "call ref 12345" in page
    opened = BreakGlass.objects.get()
    dpo.post(f"/staff/outside-patch-reviews/{opened.uuid}/reviewed/", {"note": "Checked the call log"})
    opened.refresh_from_db()
    assert opened.reviewed_by == cast.staff["dpo"] and opened.review_note == "Checked the call log"
    assert "Nothing to review" in dpo.get("/staff/outside-patch-reviews/").content.decode()


def test_a_review_without_a_note_marks_the_note_box_and_reviews_nothing(cast: Cast) -> None:
    open_outside_patch(sign_in(Client(), cast.staff["south"]), cast["ashton"].tenancy.reference)
    opened = BreakGlass.objects.get()
    response = sign_in(Client(), cast.staff["dpo"]).post(f"/staff/outside-patch-reviews/{opened.uuid}/reviewed/", {})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and f'href="#note-{opened.uuid}"' in page
    assert "govuk-textarea--error" in page
    opened.refresh_from_db()
    assert opened.reviewed_at is None


def test_organisation_wide_staff_have_no_need_to_break_glass(cast: Cast) -> None:
    assert sign_in(Client(), cast.staff["cs"]).get("/staff/outside-my-patch/").status_code == 403


def test_staff_without_current_training_cannot_open_personal_data(cast: Cast) -> None:
    User.objects.filter(pk=cast.staff["north"].pk).update(
        training_completed_on=timezone.localdate() - datetime.timedelta(days=366)
    )
    north = sign_in(Client(), cast.staff["north"])
    response = north.get(f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/")
    assert response.status_code == 403 and "Complete your data protection training" in response.content.decode()
    assert north.get(f"/documents/{cast['ashton'].documents['letter'].uuid}/download/").status_code == 404
    assert "training is not up to date" in north.get("/staff/").content.decode()


def test_staff_never_trained_cannot_open_personal_data(cast: Cast) -> None:
    User.objects.filter(pk=cast.staff["cs"].pk).update(training_completed_on=None)
    response = sign_in(Client(), cast.staff["cs"]).get("/staff/tenancies/", {"q": "Ashton"})
    assert response.status_code == 403


def test_the_residents_privacy_page_says_an_officer_from_another_area_looked_for_a_reason(cast: Cast) -> None:
    ashton = cast["ashton"]
    south = sign_in(Client(), cast.staff["south"])
    open_outside_patch(south, ashton.tenancy.reference)
    south.get(f"/staff/tenancies/{ashton.tenancy.uuid}/")
    page = sign_in(Client(), cast.resident("alice")).get("/privacy/").content.decode()
    assert "A housing officer from another area opened your tenancy record, for a reason they recorded" in page
    assert "A housing officer from another area looked at your tenancy record, for a reason they recorded" in page
    assert "Your housing officer" not in page
    assert "call ref 12345" not in page  # the officer's own words stay with the DPO


def test_the_patch_officer_is_still_described_as_the_housing_officer(cast: Cast) -> None:
    sign_in(Client(), cast.staff["north"]).get(f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/")
    page = sign_in(Client(), cast.resident("alice")).get("/privacy/").content.decode()
    assert "Your housing officer looked at your tenancy record" in page
    assert "another area" not in page


def test_a_home_in_ones_own_patch_is_not_opened_as_if_outside_it(cast: Cast) -> None:
    north = sign_in(Client(), cast.staff["north"])
    page = open_outside_patch(north, cast["ashton"].tenancy.reference).content.decode()
    assert "This home is in your patch" in page
    assert not BreakGlass.objects.exists()


def test_opening_a_home_outside_the_patch_opens_its_records_in_every_module_but_asb(cast: Cast) -> None:
    """Break glass is one rule (housing.models.patch_rule): the household's repairs, complaints
    and messages open with its tenancy, for the same hours. An ASB case does not: it reaches a
    housing officer only when an ASB officer shares it."""
    from porch.asb.tests.helpers import make_report
    from porch.complaints.tests.helpers import make_complaint
    from porch.messages.tests.helpers import make_thread
    from porch.repairs.tests.ladders_staff import make_repair

    pages = [
        f"/staff/repairs/{make_repair(cast).uuid}/",
        f"/staff/complaints/{make_complaint(cast).uuid}/",
        f"/staff/messages/{make_thread(cast).uuid}/",
    ]
    asb_case = f"/staff/asb/{make_report(cast).uuid}/"
    south = sign_in(Client(), cast.staff["south"])
    assert [south.get(page).status_code for page in [*pages, asb_case]] == [404] * 4
    open_outside_patch(south, cast["ashton"].tenancy.reference)
    assert [south.get(page).status_code for page in pages] == [200] * 3
    assert south.get(asb_case).status_code == 404
    BreakGlass.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert [south.get(page).status_code for page in pages] == [404] * 3
