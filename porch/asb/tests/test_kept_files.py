"""A report or diary entry that comes back for another answer keeps the photos and recordings
already chosen (porch.core.kept_files): the resident does not choose them again, can remove
them, and nobody else's form ever reaches them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from conftest import Cast, sign_in
from porch.asb.models import AsbCase, AsbEvidence
from porch.asb.tests.helpers import make_report, photo_upload, recording_upload
from porch.core.kept_files import FOLDER, kept_files_prune


def _answers(client: Client) -> dict[str, Any]:
    form = client.get("/anti-social-behaviour/new/").context["form"]
    return {
        "key": form.initial["key"],
        "home": form.initial["home"],
        "what_happened": "Shouting on the landing.",
        "happened_when": "Last night",
        "where": "block",
        "at_risk_now": "no",
    }


def _kept_names() -> list[str]:
    return default_storage.listdir(FOLDER)[1] if default_storage.exists(FOLDER) else []


def test_a_report_sent_back_for_an_answer_keeps_its_files_until_it_is_sent(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    answers = _answers(alice)
    missing = {**answers, "happened_when": ""}
    first = alice.post(
        "/anti-social-behaviour/new/",
        {**missing, "photos": photo_upload(), "recordings": recording_upload("voice.m4a")},
    )
    page = first.content.decode()
    assert first.status_code == 200 and "Enter when it happened" in page
    assert "Remove the 2 files you chose before (a photo" in page and "a recording" in page
    assert len(_kept_names()) == 2 and not AsbCase.objects.exists()

    sent = alice.post("/anti-social-behaviour/new/", answers)  # no files chosen again
    case = AsbCase.objects.get()
    assert sent["Location"] == f"/anti-social-behaviour/{case.uuid}/"
    assert sorted(AsbEvidence.objects.filter(case=case).values_list("content_type", flat=True)) == [
        "audio/mp4",
        "image/jpeg",
    ]
    assert _kept_names() == []  # the report holds its own copies


def test_the_resident_can_remove_the_kept_files(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    answers = _answers(alice)
    alice.post("/anti-social-behaviour/new/", {**answers, "happened_when": "", "photos": photo_upload()})
    alice.post("/anti-social-behaviour/new/", {**answers, "drop_kept": "on"})
    assert not AsbEvidence.objects.exists() and _kept_names() == []


def test_another_session_never_reaches_the_kept_files_even_with_the_forms_key(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    answers = _answers(alice)
    alice.post("/anti-social-behaviour/new/", {**answers, "happened_when": "", "photos": photo_upload()})
    carol = sign_in(Client(), cast.resident("carol"))
    theirs = {**_answers(carol), "key": answers["key"]}
    carol.post("/anti-social-behaviour/new/", theirs)
    assert AsbCase.objects.get().reporter == cast["cole"].people["carol"]
    assert not AsbEvidence.objects.exists()
    assert len(_kept_names()) == 1  # still Alice's, for her next try


def test_kept_files_count_towards_the_limit(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    answers = _answers(alice)
    alice.post(
        "/anti-social-behaviour/new/", {**answers, "happened_when": "", "recordings": recording_upload("voice.m4a")}
    )
    three = [recording_upload("voice.mp3"), recording_upload("voice.wav"), recording_upload("voice.ogg")]
    page = alice.post("/anti-social-behaviour/new/", {**answers, "recordings": three}).content.decode()
    assert "Select up to 3 recordings, with the 1 you chose before" in page
    assert not AsbCase.objects.exists()


def test_a_diary_entry_keeps_its_files_too(cast: Cast) -> None:
    case = make_report(cast)
    alice = sign_in(Client(), cast.resident("alice"))
    key = alice.get(f"/anti-social-behaviour/{case.uuid}/diary/").context["form"].initial["key"]
    url = f"/anti-social-behaviour/{case.uuid}/diary/"
    alice.post(url, {"key": key, "text": "Again.", "happened_when": "", "photos": photo_upload()})
    alice.post(url, {"key": key, "text": "Again.", "happened_when": "Saturday"})
    assert AsbEvidence.objects.filter(case=case, content_type="image/jpeg").count() == 1


def test_files_of_forms_never_sent_again_are_deleted_after_two_days(cast: Cast) -> None:
    alice = sign_in(Client(), cast.resident("alice"))
    alice.post("/anti-social-behaviour/new/", {**_answers(alice), "happened_when": "", "photos": photo_upload()})
    assert kept_files_prune() == 0
    assert kept_files_prune(now=timezone.now() + datetime.timedelta(days=3)) == 1
    assert _kept_names() == []
