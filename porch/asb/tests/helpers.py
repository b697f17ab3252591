"""The reports the tests share, made through the same services the pages use."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from conftest import PASSWORD, Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.asb import services
from porch.asb.models import AsbCase
from porch.core.actor import Actor
from porch.core.uploads import IMAGES, WRONG_TYPE_IMAGE, check_upload

# What Alice writes about her neighbour Carol: the text the person complained about must never reach.
SECRET = "ASBSECRET Carol Cole at number 2 shouts threats at me"


def actor_of(user: Any) -> Actor:
    return actor_for_user(user, verified=True)


def make_report(cast: Cast, who: str = "alice", household: str = "ashton") -> AsbCase:
    new = services.NewReport(
        tenancy=cast[household].tenancy,
        what_happened=f"Shouting on the landing. {SECRET}",
        happened_when="Last night",
        where="block",
        who_involved=SECRET,
    )
    return services.report_make(actor=actor_of(cast[household].users[who]), new=new, key=uuid.uuid4())


def alices_report(cast: Cast) -> str:
    return str(make_report(cast).uuid)


def shared_report(cast: Cast) -> str:
    """Alice's report, shared by the ASB officer with the housing officer of her patch (North)."""
    case = make_report(cast)
    services.share_set(actor=actor_of(cast.staff["asb"]), case=case, shared=True)
    return str(case.uuid)


def jpeg_with_location() -> bytes:
    """A photo carrying a phone's make and a GPS position, as a phone saves it."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker SECRETMETADATA"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (53.0, 26.0, 51.0)
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "red").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


RECORDINGS = Path(__file__).resolve().parents[2] / "core" / "tests" / "recordings"


def recording_upload(name: str = "phone.mp4", *, called: str | None = None) -> SimpleUploadedFile:
    """A real phone-style recording (porch/core/tests/recordings), tagged with a place."""
    return SimpleUploadedFile(called or name, (RECORDINGS / name).read_bytes(), content_type="video/mp4")


def photo_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("landing.jpg", jpeg_with_location(), content_type="image/jpeg")


def alices_photo(cast: Cast) -> str:
    """Alice's report with one photo, checked and re-encoded like any upload: the photo's id."""
    case = make_report(cast)
    services.diary_add(
        actor=actor_of(cast["ashton"].users["alice"]),
        case=case,
        text="Again.",
        happened_when="Tonight",
        files=[check_upload(photo_upload(), IMAGES, WRONG_TYPE_IMAGE)],
        key=uuid.uuid4(),
    )
    return str(case.evidence.get().uuid)


def viewing_as(staff: Any, person: Any) -> Client:
    """A member of staff (given the view-as permission) viewing the portal as a resident."""
    staff.role_grants.get_or_create(role="view_as")
    client = sign_in(Client(), staff)
    client.post("/account/confirm-password/", {"password": PASSWORD, "next": "/staff/"})
    started = client.post(f"/staff/people/{person.uuid}/view-as/", {"reason": "call", "reference": "CALL-1"})
    assert started["Location"] == "/", started
    return client
