"""A person who joins a tenancy sees its whole-tenancy documents from the day they joined
(and anything addressed to them); the audit log names as subjects the people a document
was about on its date, never someone who joined later or had left before."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import PASSWORD, TODAY, Cast, Household, make_document, pdf_bytes, sign_in
from porch.accounts.models import User
from porch.audit.models import AccessEvent
from porch.documents.models import Document
from porch.housing.models import Membership, Person

JOINED = TODAY - datetime.timedelta(days=30)
BEFORE = JOINED - datetime.timedelta(days=1)


def dated(document: Document, day: datetime.date) -> Document:
    Document.objects.filter(pk=document.pk).update(dated=day)
    document.refresh_from_db()
    return document


@pytest.fixture
def joiner(cast: Cast) -> tuple[Person, User]:
    """Jo joins the Ashtons as a joint tenant thirty days ago, with an account."""
    person = Person.objects.create(
        housing_reference="P90001", first_name="Jo", last_name="Joiner", date_of_birth=datetime.date(1990, 5, 5)
    )
    Membership.objects.create(
        tenancy=cast["ashton"].tenancy, person=person, role=Membership.Role.JOINT_TENANT, start_date=JOINED
    )
    user = User.objects.create_user(
        username="jo@example.org", password=PASSWORD, kind=User.Kind.RESIDENT, person=person
    )
    return person, user


@pytest.fixture
def papers(cast: Cast, joiner: tuple[Person, User]) -> dict[str, Document]:
    ashton: Household = cast["ashton"]
    letter = cast.types["letter"]
    jo, _ = joiner
    return {
        "before": dated(make_document(ashton.tenancy, letter, "Rent statement", "OLDSTATEMENT"), BEFORE),
        "on_the_day": dated(make_document(ashton.tenancy, letter, "Welcome pack", "WELCOMEPACK"), JOINED),
        "after": dated(make_document(ashton.tenancy, letter, "Rent review", "RENTREVIEW"), TODAY),
        "to_jo_before": dated(
            make_document(ashton.tenancy, letter, "Your offer", "OFFERLETTER", addressee=jo),
            BEFORE - datetime.timedelta(days=5),
        ),
    }


def test_a_joining_member_does_not_see_whole_tenancy_documents_dated_before_they_joined(
    cast: Cast, joiner: tuple[Person, User], papers: dict[str, Document]
) -> None:
    client = sign_in(Client(), joiner[1])
    listing = client.get("/documents/").content.decode()
    assert "OLDSTATEMENT" not in listing
    assert client.get(f"/documents/{papers['before'].uuid}/download/").status_code == 404
    # The cast's own household letters were added today, so Jo sees those; and the ones dated since.
    for kept in ("on_the_day", "after"):
        assert papers[kept].title in listing
        assert client.get(f"/documents/{papers[kept].uuid}/download/").status_code == 200


def test_a_joining_member_sees_documents_addressed_to_them_whatever_their_date(
    joiner: tuple[Person, User], papers: dict[str, Document]
) -> None:
    client = sign_in(Client(), joiner[1])
    assert papers["to_jo_before"].title in client.get("/documents/").content.decode()
    assert client.get(f"/documents/{papers['to_jo_before'].uuid}/download/").status_code == 200


def test_members_who_were_there_still_see_the_earlier_documents(cast: Cast, papers: dict[str, Document]) -> None:
    client = sign_in(Client(), cast.resident("alice"))
    assert client.get(f"/documents/{papers['before'].uuid}/download/").status_code == 200
    # ...but not a letter addressed to someone else.
    assert client.get(f"/documents/{papers['to_jo_before'].uuid}/download/").status_code == 404


def test_the_home_page_follows_the_same_rule(joiner: tuple[Person, User], papers: dict[str, Document]) -> None:
    Document.objects.exclude(pk=papers["before"].pk).delete()
    page = sign_in(Client(), joiner[1]).get("/").content.decode()
    assert "OLDSTATEMENT" not in page


def subjects_of(document: Document, action: str) -> set[int | None]:
    return set(
        AccessEvent.objects.filter(object_id=str(document.uuid), action=action).values_list("subject_id", flat=True)
    )


def test_a_document_added_after_a_joint_tenant_left_does_not_name_them(cast: Cast) -> None:
    """Bob leaves; a letter to the household after that is not about him, whoever opens it."""
    ashton = cast["ashton"]
    alice, bob, amy = (ashton.people[name] for name in ("alice", "bob", "amy"))
    Membership.objects.filter(person=bob).update(end_date=TODAY - datetime.timedelta(days=10))
    officer = sign_in(Client(), cast.staff["north"])
    response = officer.post(
        f"/staff/tenancies/{ashton.tenancy.uuid}/documents/new/",
        {
            "idempotency_key": str(uuid.uuid4()),
            "document_type": str(cast.types["letter"].pk),
            "title": "After Bob left",
            "addressee": "",
            "file": SimpleUploadedFile("letter.pdf", pdf_bytes("after"), "application/pdf"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(title="After Bob left")
    assert subjects_of(document, "create") == {alice.id, amy.id}

    officer.get(f"/documents/{document.uuid}/download/")
    sign_in(Client(), cast.resident("alice")).get(f"/documents/{document.uuid}/download/")
    assert subjects_of(document, "download") == {alice.id, amy.id}


def test_an_earlier_document_still_names_the_member_who_has_since_left(cast: Cast) -> None:
    """A statement from when Bob lived there is about him, even if read after he left."""
    ashton = cast["ashton"]
    statement = dated(make_document(ashton.tenancy, cast.types["letter"], "Old statement", ashton.marker), BEFORE)
    Membership.objects.filter(person=ashton.people["bob"]).update(end_date=TODAY - datetime.timedelta(days=10))
    sign_in(Client(), cast.staff["north"]).get(f"/documents/{statement.uuid}/download/")
    assert ashton.people["bob"].id in subjects_of(statement, "download")


def test_a_document_dated_after_the_tenancy_ended_names_the_members_at_its_end(cast: Cast) -> None:
    evans = cast["evans"]
    final = dated(make_document(evans.tenancy, cast.types["letter"], "Final account", evans.marker), TODAY)
    assert final.subject_ids == [evans.people["erin"].id]


def test_staff_can_date_an_upload_and_not_in_the_future(cast: Cast) -> None:
    officer = sign_in(Client(), cast.staff["north"])

    def send(day: datetime.date) -> object:
        return officer.post(
            f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/documents/new/",
            {
                "idempotency_key": str(uuid.uuid4()),
                "document_type": str(cast.types["letter"].pk),
                "title": f"Dated {day}",
                "dated_day": str(day.day),
                "dated_month": str(day.month),
                "dated_year": str(day.year),
                "addressee": "",
                "file": SimpleUploadedFile("letter.pdf", pdf_bytes("x"), "application/pdf"),
            },
        )

    assert send(BEFORE).status_code == 302  # type: ignore[attr-defined]
    assert Document.objects.get(title=f"Dated {BEFORE}").dated == BEFORE
    tomorrow = TODAY + datetime.timedelta(days=1)
    refused = send(tomorrow)
    assert refused.status_code == 200  # type: ignore[attr-defined]
    assert "Date on the document must be today or in the past" in refused.content.decode()  # type: ignore[attr-defined]
    assert not Document.objects.filter(title=f"Dated {tomorrow}").exists()


def test_stored_files_are_named_by_the_record_not_the_uploader(cast: Cast) -> None:
    officer = sign_in(Client(), cast.staff["north"])
    officer.post(
        f"/staff/tenancies/{cast['ashton'].tenancy.uuid}/documents/new/",
        {
            "idempotency_key": str(uuid.uuid4()),
            "document_type": str(cast.types["letter"].pk),
            "title": "Named",
            "addressee": "",
            "file": SimpleUploadedFile("Alice Ashton arrears 2026.pdf", pdf_bytes("x"), "application/pdf"),
        },
    )
    document = Document.objects.get(title="Named")
    assert document.file.name.endswith(f"/{document.uuid}.pdf")
    assert "arrears" not in document.file.name.lower()


def test_the_list_and_home_page_record_each_document_about_the_people_on_its_date(
    cast: Cast, joiner: tuple[Person, User], papers: dict[str, Document]
) -> None:
    """Bob left the day after the old statement; Jo joined after it. Alice's look at her
    documents is a look at the statement about Bob (not Jo), and at the rent review about
    Jo (not Bob); so is the home page's "What's new"."""
    ashton = cast["ashton"]
    alice, bob, jo = ashton.people["alice"], ashton.people["bob"], joiner[0]
    Membership.objects.filter(person=bob).update(end_date=BEFORE + datetime.timedelta(days=1))
    client = sign_in(Client(), cast.resident("alice"))
    for url, shown in (("/documents/", "before"), ("/", "after")):
        client.get(url)
        about = set(
            AccessEvent.objects.filter(
                object_type="document", action="list", object_id=str(papers[shown].uuid)
            ).values_list("subject_id", flat=True)
        )
        assert alice.id in about
    listed = AccessEvent.objects.filter(object_type="document", action="list")
    before = set(listed.filter(object_id=str(papers["before"].uuid)).values_list("subject_id", flat=True))
    after = set(listed.filter(object_id=str(papers["after"].uuid)).values_list("subject_id", flat=True))
    assert bob.id in before and jo.id not in before
    assert jo.id in after and bob.id not in after
