"""Sound and video evidence through HTTP: a phone video is taken and kept without the place it was
filmed; a file that is not a recording, whatever it is called, is refused with the form's other
answers kept; one too large is refused, never kept whole; and the reporter opens the files she
sent herself, and only those, each download audited."""

from __future__ import annotations

import io
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import Cast, sign_in
from porch.asb.kinds import ASB_CASE
from porch.asb.models import AsbCase, AsbEvidence
from porch.asb.tests.helpers import SECRET, make_report, photo_upload, recording_upload, viewing_as
from porch.audit.models import AccessEvent
from porch.core.media_fields import WRONG_TYPE_RECORDING
from porch.core.upload_handlers import CappedUploadHandler, TooBig


def _report(client: Client, **files: Any) -> Any:
    form = client.get("/anti-social-behaviour/new/").context["form"]
    data = {
        "key": form.initial["key"],
        "home": form.initial["home"],
        "what_happened": f"Shouting on the landing. {SECRET}",
        "happened_when": "Last night",
        "where": "block",
        "who_involved": "KEPTWORDS the man at number 2",
        "at_risk_now": "no",
    }
    return client.post("/anti-social-behaviour/new/", {**data, **files})


def test_a_phone_video_is_kept_without_the_place_it_was_filmed_once_however_often_sent(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    form = alice.get("/anti-social-behaviour/new/").context["form"]
    assert "We cannot take sound or video" not in str(form)
    data = {
        "key": form.initial["key"],
        "home": form.initial["home"],
        "what_happened": "Shouting.",
        "happened_when": "Last night",
        "where": "block",
        "at_risk_now": "no",
    }
    for _ in range(2):  # a double submit
        sent = alice.post(
            "/anti-social-behaviour/new/",
            {
                **data,
                "recordings": [recording_upload("phone.mp4"), recording_upload("voice.m4a")],
                "photos": photo_upload(),
            },
        )
        assert sent.status_code == 302
    case = AsbCase.objects.get()
    kept = {evidence.content_type: evidence.file.read() for evidence in AsbEvidence.objects.all()}
    assert set(kept) == {"video/mp4", "audio/mp4", "image/jpeg"}
    for data_kept in kept.values():
        assert b"+51.5074" not in data_kept and b"SECRET" not in data_kept
    assert AsbEvidence.objects.filter(case=case, content_type="video/mp4").get().file.name.endswith(".mp4")


def test_a_file_that_is_not_a_recording_is_refused_and_the_answers_stay(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    jpeg = photo_upload().read()
    for forged in (
        SimpleUploadedFile("video.mp4", jpeg, content_type="video/mp4"),  # a photo renamed
        SimpleUploadedFile("clip.mp4", b"<html><script>alert(1)</script></html>", content_type="video/mp4"),
        SimpleUploadedFile("voice.mp3", b"Just words, no sound.", content_type="audio/mpeg"),
    ):
        response = _report(alice, recordings=forged)
        page = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in page
        assert WRONG_TYPE_RECORDING in page
        assert "KEPTWORDS the man at number 2" in page and "Shouting on the landing" in page
    assert not AsbCase.objects.exists() and not AsbEvidence.objects.exists()


def test_a_recording_over_the_limit_is_refused_and_never_kept_whole(
    cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MAX_MEDIA_MEGABYTES = 1
    made: list[object] = []
    complete = CappedUploadHandler.file_complete

    def noted(handler: CappedUploadHandler, size: int) -> object:
        made.append(complete(handler, size))
        return made[-1]

    monkeypatch.setattr(CappedUploadHandler, "file_complete", noted)
    alice = sign_in(Client(), cast.resident("alice"))
    big = SimpleUploadedFile("long.mp4", bytes(1024 * 1024 + 4096), content_type="video/mp4")
    page = _report(alice, recordings=big).content.decode()
    assert "The selected file must be smaller than 1MB" in page
    assert "KEPTWORDS" in page and not AsbCase.objects.exists()
    # The page's cap stopped the file as it arrived: the form was handed its size, not its bytes.
    assert [type(file) for file in made] == [TooBig] and made[0].size == 1024 * 1024 + 4096  # type: ignore[attr-defined]


def test_the_upload_handler_drops_what_comes_past_the_pages_cap() -> None:
    """On a page that declares a cap, the bytes past it reach no other handler (so no temporary
    file grows past it) and the form is handed the size the file reached."""

    def view() -> None: ...

    view.porch_upload_cap = lambda: 100  # type: ignore[attr-defined]
    handler = CappedUploadHandler(SimpleNamespace(resolver_match=SimpleNamespace(func=view)))
    handler.new_file("recordings", "long.mp4", "video/mp4", None)
    assert handler.receive_data_chunk(bytes(60), 0) == bytes(60)
    assert handler.receive_data_chunk(bytes(60), 60) is None
    assert handler.receive_data_chunk(bytes(60), 120) is None
    made = handler.file_complete(180)
    assert isinstance(made, TooBig) and made.size == 180 and made.read() == b""
    uncapped = CappedUploadHandler(SimpleNamespace(resolver_match=None))
    uncapped.new_file("attachment", "letter.pdf", "application/pdf", None)
    assert uncapped.receive_data_chunk(bytes(1000), 0) == bytes(1000) and uncapped.file_complete(1000) is None


def _staff_file(case: AsbCase, cast: Cast) -> AsbEvidence:
    """A file a member of the ASB team added to the case (a recording from the police, say)."""
    return AsbEvidence.objects.create(
        case=case,
        reporter_id=case.reporter_id,
        file=ContentFile(b"ID3 STAFFFILE", name="upload.mp3"),
        content_type="audio/mpeg",
        size=13,
        uploaded_by=cast.staff["asb"],
    )


def test_the_reporter_opens_the_files_she_sent_and_no_others(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    assert _report(alice, recordings=recording_upload("voice.wav")).status_code == 302
    case = AsbCase.objects.get()
    hers = AsbEvidence.objects.get()
    staffs = _staff_file(case, cast)

    page = alice.get(f"/anti-social-behaviour/{case.uuid}/").content.decode()
    assert f"/anti-social-behaviour/files/{hers.uuid}/" in page
    assert str(staffs.uuid) not in page
    download = alice.get(f"/anti-social-behaviour/files/{hers.uuid}/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "audio/wav" and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"RIFF")
    downloads = AccessEvent.objects.filter(object_type=ASB_CASE.key, action="download", object_id=str(case.uuid))
    assert [(event.actor_id, event.subject_id) for event in downloads] == [
        (cast.resident("alice").pk, cast["ashton"].people["alice"].pk)
    ]

    assert alice.get(f"/anti-social-behaviour/files/{staffs.uuid}/").status_code == 404  # staff's, not hers
    assert alice.get(f"/anti-social-behaviour/files/{uuid.uuid4()}/").status_code == 404
    for other in ("bob", "carol"):
        assert (
            sign_in(Client(), cast.resident(other)).get(f"/anti-social-behaviour/files/{hers.uuid}/").status_code == 404
        )
    as_alice = viewing_as(cast.staff["cs"], cast["ashton"].people["alice"])
    assert as_alice.get(f"/anti-social-behaviour/files/{hers.uuid}/").status_code == 404

    officer = sign_in(Client(), cast.staff["asb"])
    staff_page = officer.get(f"/staff/asb/{case.uuid}/").content.decode()
    assert "Download sound recording 1" in staff_page and str(staffs.uuid) in staff_page
    file = officer.get(f"/staff/asb/files/{hers.uuid}/")
    assert file.status_code == 200 and file["Content-Disposition"].startswith("attachment")


def test_a_report_without_files_says_so(cast: Cast) -> None:
    case = make_report(cast)
    page = sign_in(Client(), cast.resident("alice")).get(f"/anti-social-behaviour/{case.uuid}/").content.decode()
    assert "You have not sent any." in page


def test_a_recording_is_read_from_its_temporary_file(cast: Cast, settings: Any) -> None:
    """Larger than Django keeps in memory: written to a temporary file as it arrives, checked there."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    alice = sign_in(Client(), cast.resident("alice"))
    assert _report(alice, recordings=recording_upload("phone.mov")).status_code == 302
    kept = AsbEvidence.objects.get()
    assert kept.content_type == "video/quicktime" and kept.file.name.endswith(".mov")
    assert io.BytesIO(kept.file.read()).getvalue()[4:8] == b"ftyp"
