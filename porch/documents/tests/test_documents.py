from __future__ import annotations

import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from PIL import Image

from conftest import PASSWORD, Cast, pdf_bytes, sign_in
from porch.audit.models import AccessEvent
from porch.documents.models import Document, DocumentType


def upload(client: Client, cast: Cast, file: SimpleUploadedFile, *, key: str | None = None, **extra: str):
    tenancy = cast["ashton"].tenancy
    data = {
        "idempotency_key": key or str(uuid.uuid4()),
        "document_type": str(cast.types["letter"].pk),
        "title": "Welcome letter",
        "addressee": "",
        "file": file,
        **extra,
    }
    return client.post(f"/staff/tenancies/{tenancy.uuid}/documents/new/", data)


@pytest.fixture
def officer(cast: Cast) -> Client:
    return sign_in(Client(), cast.staff["north"])


def test_staff_add_a_pdf_to_a_tenancy_in_their_patch(cast: Cast, officer: Client) -> None:
    response = upload(officer, cast, SimpleUploadedFile("letter.pdf", pdf_bytes("hello"), "application/pdf"))
    assert response.status_code == 302
    document = Document.objects.get(title="Welcome letter")
    assert document.content_type == "application/pdf" and document.uploaded_by == cast.staff["north"]
    assert AccessEvent.objects.filter(action="create", object_id=str(document.uuid)).exists()


def test_a_double_submit_creates_one_document(cast: Cast, officer: Client) -> None:
    key = str(uuid.uuid4())
    for _ in range(2):
        upload(officer, cast, SimpleUploadedFile("letter.pdf", pdf_bytes("hello"), "application/pdf"), key=key)
    assert Document.objects.filter(title="Welcome letter").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.pdf", b"#!/bin/sh\nrm -rf /\n", "The selected file must be a PDF, JPG or PNG"),
        ("letter.pdf", b"<script>alert(1)</script>", "The selected file must be a PDF, JPG or PNG"),
        ("letter.exe", b"%PDF-1.4 pretending", "The selected file must be a PDF, JPG or PNG"),
        ("letter.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "The selected file must be smaller than 10MB"),
    ],
    ids=["script renamed pdf", "html renamed pdf", "pdf renamed exe", "too big"],
)
def test_bad_uploads_get_a_clear_error_and_store_nothing(
    cast: Cast, officer: Client, name: str, content: bytes, message: str
) -> None:
    response = upload(officer, cast, SimpleUploadedFile(name, content, "application/pdf"))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert 'value="Welcome letter"' in page  # what was typed is kept
    assert not Document.objects.filter(title="Welcome letter").exists()


def test_an_empty_file_is_refused(cast: Cast, officer: Client) -> None:
    response = upload(officer, cast, SimpleUploadedFile("letter.pdf", b"", "application/pdf"))
    assert "The selected file is empty" in response.content.decode()


def test_photos_lose_their_location_data(cast: Cast, officer: Client) -> None:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0132] = "2026:01:01 10:00:00"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    assert b"PhoneMaker" in buffer.getvalue()
    upload(officer, cast, SimpleUploadedFile("damp.jpg", buffer.getvalue(), "image/jpeg"))
    document = Document.objects.get(title="Welcome letter")
    stored = document.file.read()
    assert b"PhoneMaker" not in stored and not Image.open(io.BytesIO(stored)).getexif()


def test_staff_cannot_upload_to_a_tenancy_outside_their_patch(cast: Cast) -> None:
    south = sign_in(Client(), cast.staff["south"])
    response = upload(south, cast, SimpleUploadedFile("letter.pdf", pdf_bytes("x"), "application/pdf"))
    assert response.status_code == 404


def test_downloads_are_attachments_with_the_right_type_and_no_sniffing(cast: Cast) -> None:
    client = sign_in(Client(), cast.resident("alice"))
    response = client.get(f"/documents/{cast['ashton'].documents['letter'].uuid}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_forged_id_gets_the_same_404_as_a_foreign_one(cast: Cast) -> None:
    client = sign_in(Client(), cast.resident("alice"))
    forged = client.get(f"/documents/{uuid.uuid4()}/download/")
    foreign = client.get(f"/documents/{cast['cole'].documents['letter'].uuid}/download/")
    assert forged.status_code == foreign.status_code == 404
    # The sign-out form's CSRF token and the report link's own address differ; nothing else may.
    strip = lambda page: re.sub(rb'(value="[^"]+"|\?from=[^"]+")', b"", page)  # noqa: E731
    assert strip(forged.content) == strip(foreign.content)


def test_a_former_tenant_sees_no_documents(cast: Cast) -> None:
    client = sign_in(Client(), cast.resident("erin"))
    assert client.get(f"/documents/{cast['evans'].documents['letter'].uuid}/download/").status_code == 404
    assert "You have no documents yet" in client.get("/documents/").content.decode()


def test_residents_only_see_types_marked_for_them(cast: Cast) -> None:
    page = sign_in(Client(), cast.resident("alice")).get("/documents/").content.decode()
    titles = set(re.findall(r"(Rent letter|Personal letter|Internal note|ASB case file|Tenancy agreement)", page))
    assert titles == {"Rent letter", "Personal letter"}


def test_the_database_refuses_to_make_asb_files_resident_visible(db) -> None:
    asb = DocumentType.objects.get(name="ASB case file")
    asb.resident_visible = True
    with pytest.raises(IntegrityError), transaction.atomic():
        asb.save()


def test_only_asb_readers_see_asb_documents(cast: Cast) -> None:
    asb_file = cast["ashton"].documents["asb"]
    tenancy = cast["ashton"].tenancy
    north_page = sign_in(Client(), cast.staff["north"]).get(f"/staff/tenancies/{tenancy.uuid}/").content.decode()
    asb_page = sign_in(Client(), cast.staff["asb"]).get(f"/staff/tenancies/{tenancy.uuid}/").content.decode()
    assert asb_file.title not in north_page and asb_file.title in asb_page


def test_letting_residents_see_a_type_waits_for_a_second_person(cast: Cast) -> None:
    from porch.rollout.models import ChangeProposal

    agreement = cast.types["agreement"]
    admin = sign_in(Client(), cast.staff["admin"])
    url = f"/staff/document-types/{agreement.uuid}/"
    assert admin.get(url)["Location"].startswith("/account/confirm-password/")
    admin.post("/account/confirm-password/", {"password": PASSWORD, "next": url})
    assert admin.post(url, {"resident_visible": "yes"}).status_code == 302
    agreement.refresh_from_db()
    assert not agreement.resident_visible
    proposal = ChangeProposal.objects.get()
    admin.post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})
    agreement.refresh_from_db()
    assert not agreement.resident_visible  # the proposer cannot approve their own change
    sign_in(Client(), cast.staff["dpo"]).post(f"/staff/approvals/{proposal.uuid}/", {"decision": "approve"})
    agreement.refresh_from_db()
    assert agreement.resident_visible
    assert AccessEvent.objects.filter(object_type="change_proposal", object_id=str(proposal.uuid)).count() == 2


def test_making_a_type_private_again_takes_effect_at_once(cast: Cast) -> None:
    letter = cast.types["letter"]
    admin = sign_in(Client(), cast.staff["admin"])
    url = f"/staff/document-types/{letter.uuid}/"
    admin.post("/account/confirm-password/", {"password": PASSWORD, "next": url})
    admin.post(url, {"resident_visible": "no"})
    letter.refresh_from_db()
    assert not letter.resident_visible


def test_locked_types_cannot_be_made_visible_even_by_a_system_administrator(cast: Cast) -> None:
    asb = DocumentType.objects.get(name="ASB case file")
    admin = sign_in(Client(), cast.staff["admin"])
    admin.post("/account/confirm-password/", {"password": PASSWORD, "next": "/"})
    page = admin.post(f"/staff/document-types/{asb.uuid}/", {"resident_visible": "yes"})
    assert "can never be shown to residents" in page.content.decode()
    asb.refresh_from_db()
    assert not asb.resident_visible
