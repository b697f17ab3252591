"""Repairs for the cast, for the residents' tests: Ash House (Elm Estate, patch North) holds
the Ashtons (Alice, Bob; Amy has no account), Carol, Dan (homeowner) and Erin (former
tenant); Birch Court (Oak Estate, patch South) holds Sam."""

from __future__ import annotations

import datetime
import io
import re
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import ExifTags, Image

from conftest import Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.housing.models import Block, Patch
from porch.repairs import categories, services
from porch.repairs.models import Repair, Slot

HOUR = datetime.timedelta(hours=1)


def client_for(cast: Cast, who: str) -> Client:
    if who.startswith("staff:"):
        return sign_in(Client(), cast.staff[who.removeprefix("staff:")])
    return sign_in(Client(), cast.resident(who))


def actor_of(cast: Cast, who: str) -> Any:
    return actor_for_user(cast.resident(who), verified=True)


def home_repair(cast: Cast, who: str = "alice", *, code: str = "kitchen_tap", text: str = "") -> Repair:
    """A repair reported by a resident to their own home, through the service."""
    household = next(h for h in cast.households.values() if who in h.users)
    report = services.Report(
        category=categories.category(code),
        description=text or f"The kitchen tap drips. Reported by {who}.",
        tenancy=household.tenancy,
        contact_name=who.capitalize(),
        contact_phone="07700 900982",
    )
    return services.report_repair(actor=actor_of(cast, who), report=report, key=uuid.uuid4())


def shared_repair(cast: Cast, who: str = "carol", *, text: str = "Light out by my door at number 2") -> Repair:
    household = next(h for h in cast.households.values() if who in h.users)
    report = services.Report(
        category=categories.category("communal_lighting"),
        description=text,
        block=household.tenancy.property.block,
        contact_name="Carol Cole",
        contact_phone="07700 900111",
    )
    return services.report_repair(actor=actor_of(cast, who), report=report, key=uuid.uuid4())


def slot(patch: Patch, *, hours_ahead: int = 72) -> Slot:
    starts = timezone.now() + hours_ahead * HOUR
    return Slot.objects.create(patch=patch, starts_at=starts, ends_at=starts + 4 * HOUR)


def ash_house() -> Block:
    return Block.objects.select_related("estate__patch").get(name="Ash House")


def jpeg_with_location(colour: str = "red") -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker SECRETMETADATA"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (53.0, 26.0, 51.0)
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def photo_upload(name: str = "tap.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else jpeg_with_location(), "image/jpeg")


def idempotency_key(page: str) -> str:
    match = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert match, page
    return match.group(1)
