"""Anti-social behaviour reports through HTTP: a resident reports with a photo (stripped of its
location) and keeps a diary, once however often the form is sent; the report is the reporter's
alone (not her joint tenant's); the neighbour she names finds nothing of it anywhere; the ASB
team works it, a housing officer reads it only once shared, and every read is audited about the
reporter alone."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError
from django.test import Client

from conftest import Cast, sign_in
from porch.asb import services
from porch.asb.kinds import ASB_CASE, ASB_NAMED
from porch.asb.models import AsbCase, AsbEntry, AsbEvidence
from porch.asb.tests.helpers import SECRET, actor_of, make_report, photo_upload, recording_upload
from porch.asb.tests.test_links import link_carol
from porch.audit.models import AccessEvent
from porch.core.isolation import crawl
from porch.core.media_fields import check_recording
from porch.notifications.models import Notification
from porch.portal.access import views_of_own_record


def _report_form(client: Client) -> dict[str, object]:
    form = client.get("/anti-social-behaviour/new/").context["form"]
    return {
        "key": form.initial["key"],
        "home": form.initial["home"],
        "what_happened": f"Shouting on the landing. {SECRET}",
        "happened_when": "Last night",
        "where": "block",
        "who_involved": SECRET,
        "at_risk_now": "no",
    }


def test_the_emergency_number_comes_first(cast: Cast) -> None:
    page = sign_in(Client(), cast.resident("alice")).get("/anti-social-behaviour/new/").content.decode()
    assert "If you are in danger now, call 999" in page
    assert page.index("call 999") < page.index("What happened?")


def test_a_double_submit_makes_one_report_and_its_photo_loses_its_location(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    data = _report_form(alice)
    first = alice.post("/anti-social-behaviour/new/", {**data, "photos": photo_upload()})
    second = alice.post("/anti-social-behaviour/new/", {**data, "photos": photo_upload()})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    case = AsbCase.objects.get()
    assert case.reporter == cast["ashton"].people["alice"]
    stored = AsbEvidence.objects.get().file.read()
    assert b"SECRETMETADATA" not in stored and b"GPS" not in stored and stored.startswith(b"\xff\xd8\xff")

    diary = alice.get(f"/anti-social-behaviour/{case.uuid}/diary/").context["form"]
    entry = {"key": diary.initial["key"], "text": "Music until 3am DIARYTEXT", "happened_when": "Saturday"}
    for _ in range(2):
        assert alice.post(f"/anti-social-behaviour/{case.uuid}/diary/", entry).status_code == 302
    assert case.entries.filter(kind=AsbEntry.Kind.DIARY).count() == 1
    assert "DIARYTEXT" in alice.get(f"/anti-social-behaviour/{case.uuid}/").content.decode()


def test_the_form_says_what_is_missing(cast: Cast) -> None:
    response = sign_in(Client(), cast.resident("alice")).post("/anti-social-behaviour/new/", {"key": str(uuid.uuid4())})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "Enter what happened" in page


def test_the_report_is_the_reporters_alone_not_her_joint_tenants(cast: Cast) -> None:
    case = make_report(cast)
    bob = sign_in(Client(), cast.resident("bob"))
    assert bob.get(f"/anti-social-behaviour/{case.uuid}/").status_code == 404
    assert case.reference not in bob.get("/anti-social-behaviour/").content.decode()
    alice = sign_in(Client(), cast.resident("alice"))
    assert case.reference in alice.get("/anti-social-behaviour/").content.decode()


def test_the_neighbour_she_names_finds_nothing_of_it_anywhere(cast: Cast) -> None:
    """Carol lives in Alice's block and is named in Alice's report, and the ASB officer has linked
    the report to Carol's record. Signed in, Carol crawls every page she can reach (her privacy
    page and notifications among them) and tries every URL with the case's and its file's ids:
    the report's words appear nowhere, and nothing tells her she was looked up or linked. (There
    is no subject access download yet: when there is, it must leave out ASB_NAMED as the privacy
    page does.)"""
    case = make_report(cast)
    officer = actor_of(cast.staff["asb"])
    services.case_note(actor=officer, case=case, kind="plan", text=f"Plan. {SECRET}", key=uuid.uuid4())
    services.case_note(actor=officer, case=case, kind="witness", text=f"Witness. {SECRET}", key=uuid.uuid4())
    services.diary_add(
        actor=actor_of(cast.resident("alice")),
        case=case,
        text=f"Again. {SECRET}",
        happened_when="Tonight",
        files=[check_recording(recording_upload("voice.wav"))],
        key=uuid.uuid4(),
    )
    link_carol(cast, case).get(f"/staff/asb/{case.uuid}/")  # the link made, and an audited read of it
    carol_person = cast["cole"].people["carol"]
    assert AsbCase.objects.get().named_person == carol_person
    carol = sign_in(Client(), cast.resident("carol"))
    codes = [str(case.uuid), str(case.evidence.get().uuid)]
    leaks = crawl(carol, foreign_markers=["ASBSECRET", case.reference, "RIFF"], foreign_codes=codes)
    assert leaks == []
    assert carol.get("/privacy/").context["entries"] == []  # nobody has looked at anything of hers she is told of
    # Rows about Carol exist (the DPO finds them in her trail), in the one kind never told to her.
    about_carol = AccessEvent.objects.filter(subject_id=carol_person.pk).exclude(actor_id=cast.resident("carol").pk)
    assert set(about_carol.values_list("object_type", flat=True)) == {ASB_NAMED.key}
    assert not views_of_own_record(actor_of(cast.resident("carol"))).exists()
    about = set(AccessEvent.objects.filter(object_type=ASB_CASE.key).values_list("subject_id", flat=True))
    assert about == {cast["ashton"].people["alice"].pk}
    assert set(Notification.objects.values_list("person_id", flat=True)) == {cast["ashton"].people["alice"].pk}


def test_the_asb_team_works_the_case_and_the_reporter_reads_only_what_is_published(cast: Cast) -> None:
    case = make_report(cast)
    officer = sign_in(Client(), cast.staff["asb"])
    url = f"/staff/asb/{case.uuid}/"
    assert officer.post(f"{url}risk/", {"risk-risk": "medium", "risk-reason": "Threats made."}).status_code == 302
    for prefix, kind, text in (
        ("note", "witness", "WITNESSWORDS from number 3"),
        ("note", "note", "INTERNALWORDS"),
        ("publish", "plan", "PLANWORDS: we will write to them"),
    ):
        data = {f"{prefix}-key": str(uuid.uuid4()), f"{prefix}-kind": kind, f"{prefix}-text": text}
        assert officer.post(f"{url}{'publish' if prefix == 'publish' else 'note'}/", data).status_code == 302
    # The reporter cannot be sent a witness statement by the publish form either.
    forged = {"publish-key": str(uuid.uuid4()), "publish-kind": "witness", "publish-text": "FORGED"}
    assert officer.post(f"{url}publish/", forged).status_code == 200
    assert not AsbEntry.objects.filter(text="FORGED").exists()

    page = sign_in(Client(), cast.resident("alice")).get(f"/anti-social-behaviour/{case.uuid}/").content.decode()
    assert "PLANWORDS" in page
    assert "WITNESSWORDS" not in page and "INTERNALWORDS" not in page and "Threats made" not in page
    told = Notification.objects.get()
    assert told.person == cast["ashton"].people["alice"] and "Sign in to read it" in told.text
    assert "PLANWORDS" not in told.text

    dpo = sign_in(Client(), cast.staff["dpo"])
    assert "WITNESSWORDS" in dpo.get(url).content.decode()
    assert dpo.post(f"{url}close/", {"close-reporter_view": "x", "close-text": "y"}).status_code == 403

    closing = {"close-reporter_view": "Happy it stopped.", "close-text": "CLOSEDWORDS"}
    assert officer.post(f"{url}close/", closing).status_code == 302
    case.refresh_from_db()
    assert not case.is_open and case.reporter_view == "Happy it stopped." and case.risk == "medium"


def test_a_housing_officer_reads_it_only_once_shared_and_only_in_their_patch(cast: Cast) -> None:
    case = make_report(cast)
    url = f"/staff/asb/{case.uuid}/"
    north, south = sign_in(Client(), cast.staff["north"]), sign_in(Client(), cast.staff["south"])
    assert north.get(url).status_code == 404
    assert case.reference not in north.get("/staff/asb/").content.decode()
    officer = sign_in(Client(), cast.staff["asb"])
    assert officer.post(f"{url}share/", {"share-shared": "on"}).status_code == 302
    assert officer.get(url).status_code == 200
    page = north.get(url)
    assert page.status_code == 200 and not page.context["forms"] and page.context["evidence"] == []
    assert case.reference in north.get("/staff/asb/").content.decode()
    assert (
        north.post(f"{url}note/", {"note-key": str(uuid.uuid4()), "note-kind": "note", "note-text": "x"}).status_code
        == 403
    )
    assert south.get(url).status_code == 404
    # Roles that never read ASB cases are refused by the route, before any case is looked for:
    # the answer is the same for every id, so it says nothing about whether this one exists.
    assert sign_in(Client(), cast.staff["cs"]).get(url).status_code == 403
    readers = set(
        AccessEvent.objects.filter(object_type=ASB_CASE.key, action="view").values_list("actor_id", flat=True)
    )
    assert readers == {cast.staff["asb"].pk, cast.staff["north"].pk}


def test_the_database_never_publishes_a_witness_statement(cast: Cast) -> None:
    case = make_report(cast)
    with pytest.raises(IntegrityError):
        AsbEntry.objects.create(case=case, reporter_id=case.reporter_id, kind="witness", text="x", published=True)


def test_the_reporters_list_pages_rather_than_dropping_older_reports(cast: Cast) -> None:
    from porch.asb.views import PAGE_SIZE

    made = [make_report(cast) for _ in range(PAGE_SIZE + 1)]
    alice = sign_in(Client(), cast.resident("alice"))
    first = alice.get("/anti-social-behaviour/")
    assert len(first.context["cases"]) == PAGE_SIZE
    rest = alice.get(f"/anti-social-behaviour/?older={first.context['page'].older}").context["cases"]
    assert [case.pk for case in rest] == [made[0].pk]
