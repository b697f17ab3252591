"""An ASB officer links the person a report names to their record: found through the staff search
within what they may see, linked once however often the button is pressed, audited; the DPO
reads the link and changes nothing; a housing officer the case is shared with never sees it; and
the staff list pages by position at a constant cost."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import Cast, sign_in
from porch.asb import services, staff_views
from porch.asb.kinds import ASB_CASE, ASB_NAMED
from porch.asb.models import AsbCase, AsbEntry
from porch.asb.tests.helpers import actor_of, make_report
from porch.audit.models import AccessEvent
from porch.housing.models import Person


def link_carol(cast: Cast, case: AsbCase) -> Client:
    """The ASB officer finds Carol Cole by her surname and links the report to her record."""
    officer = sign_in(Client(), cast.staff["asb"])
    found = officer.get(f"/staff/asb/{case.uuid}/link/", {"q": "Cole"})
    carol = cast["cole"].people["carol"]
    assert found.status_code == 200 and [m.person for m in found.context["people"]] == [carol]
    assert officer.post(f"/staff/asb/{case.uuid}/link/", {"person": str(carol.uuid)}).status_code == 302
    return officer


def test_an_asb_officer_links_the_person_named_once_however_often_sent(cast: Cast) -> None:
    case = make_report(cast)
    officer = link_carol(cast, case)
    carol = cast["cole"].people["carol"]
    again = officer.post(f"/staff/asb/{case.uuid}/link/", {"person": str(carol.uuid)})  # a double submit
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.named_person == carol
    assert case.entries.filter(kind=AsbEntry.Kind.LINKED).count() == 1
    page = officer.get(f"/staff/asb/{case.uuid}/").content.decode()
    assert carol.housing_reference in page and "Remove the link" in page

    # The search, the link and the read of it are about Carol, in the kind she is never told of;
    # the change to the case is about the reporter alone, as every row of the case is.
    about_carol = AccessEvent.objects.filter(subject_id=carol.pk)
    assert set(about_carol.values_list("object_type", flat=True)) == {ASB_NAMED.key}
    assert set(about_carol.values_list("action", flat=True)) == {"search", "change", "view"}
    case_rows = AccessEvent.objects.filter(object_type=ASB_CASE.key)
    assert set(case_rows.values_list("subject_id", flat=True)) == {cast["ashton"].people["alice"].pk}
    assert case_rows.filter(reason="person named linked to a record").count() == 1

    assert officer.post(f"/staff/asb/{case.uuid}/unlink/").status_code == 302
    assert officer.post(f"/staff/asb/{case.uuid}/unlink/").status_code == 302
    case.refresh_from_db()
    assert case.named_person is None
    assert case.entries.filter(kind=AsbEntry.Kind.LINKED).count() == 2
    assert about_carol.filter(action="change", reason="unlinked").count() == 1


def test_a_forged_or_unseen_person_is_not_there(cast: Cast) -> None:
    case = make_report(cast)
    officer = sign_in(Client(), cast.staff["asb"])
    assert officer.post(f"/staff/asb/{case.uuid}/link/", {"person": str(uuid.uuid4())}).status_code == 404
    tester = Person.objects.create(housing_reference="TEST1", first_name="Test", last_name="Person", is_test=True)
    assert officer.post(f"/staff/asb/{case.uuid}/link/", {"person": str(tester.uuid)}).status_code == 404
    missing = officer.post(f"/staff/asb/{case.uuid}/link/", {"person": "not-an-id"})
    assert missing.status_code == 200 and "Select the person named in the report" in missing.content.decode()
    assert (
        officer.post(f"/staff/asb/{uuid.uuid4()}/link/", {"person": str(cast["cole"].people["carol"].uuid)}).status_code
        == 404
    )
    case.refresh_from_db()
    assert case.named_person is None and not case.entries.filter(kind=AsbEntry.Kind.LINKED).exists()


def test_the_search_says_what_is_missing(cast: Cast) -> None:
    case = make_report(cast)
    page = sign_in(Client(), cast.staff["asb"]).get(f"/staff/asb/{case.uuid}/link/", {"q": "!!"}).content.decode()
    assert "There is a problem" in page and "using letters or numbers" in page


def test_only_asb_officers_link_and_housing_officers_never_see_the_link(cast: Cast) -> None:
    case = make_report(cast)
    link_carol(cast, case)
    services.share_set(actor=actor_of(cast.staff["asb"]), case=case, shared=True)
    carol = cast["cole"].people["carol"]
    url = f"/staff/asb/{case.uuid}/"

    dpo = sign_in(Client(), cast.staff["dpo"])
    assert carol.housing_reference in dpo.get(url).content.decode()
    assert dpo.post(f"{url}unlink/").status_code == 403
    assert dpo.get(f"{url}link/").status_code == 403

    north = sign_in(Client(), cast.staff["north"])
    page = north.get(url)
    assert page.status_code == 200 and page.context["named"] is None
    assert "Linked to the record" not in page.content.decode() and carol.housing_reference not in page.content.decode()
    assert not [entry for entry in page.context["entries"] if entry.kind == AsbEntry.Kind.LINKED]
    assert north.post(f"{url}link/", {"person": str(carol.uuid)}).status_code == 403
    assert north.post(f"{url}unlink/").status_code == 403
    assert sign_in(Client(), cast.staff["cs"]).get(f"{url}link/").status_code == 403
    case.refresh_from_db()
    assert case.named_person == carol


def test_the_staff_list_pages_by_position(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff_views, "PAGE_SIZE", 2)
    made = [make_report(cast) for _ in range(5)]
    newest_first = [case.pk for case in reversed(made)]
    officer = sign_in(Client(), cast.staff["asb"])
    first = officer.get("/staff/asb/")
    assert [case.pk for case in first.context["cases"]] == newest_first[:2]
    second = officer.get("/staff/asb/", {"older": first.context["page"].older})
    assert [case.pk for case in second.context["cases"]] == newest_first[2:4]
    listed = AccessEvent.objects.filter(object_type=ASB_CASE.key, action="list")
    assert listed.count() == 4  # one row a case shown, about its reporter


def test_the_staff_list_costs_the_same_queries_however_many_cases(cast: Cast, settings: Any) -> None:
    officer = sign_in(Client(), cast.staff["asb"])
    make_report(cast)
    officer.get("/staff/asb/")  # warm the session and the switches
    with CaptureQueriesContext(connection) as one:
        assert len(officer.get("/staff/asb/").context["cases"]) == 1
    for household, who in (
        ("cole", "carol"),
        ("dunn", "dan"),
        ("smith", "sam"),
        ("ashton", "bob"),
        ("ashton", "alice"),
    ):
        make_report(cast, who, household)
    with CaptureQueriesContext(connection) as six:
        assert len(officer.get("/staff/asb/").context["cases"]) == 6
    assert len(six) == len(one)
