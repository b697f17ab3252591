"""A form field for a few photos in one file input that opens the phone's camera, each checked
by its content and re-encoded from its pixels before it is kept (porch.core.uploads): no EXIF,
no location. Shared by the modules that take photos (repairs, anti-social behaviour reports)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from porch.core.uploads import IMAGES, WRONG_TYPE_IMAGE, CheckedFile, check_upload

MAX_PHOTOS = 5


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS photos in one optional file input that opens the phone's camera."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"accept": "image/jpeg,image/png", "capture": "environment", "multiple": True}
        kwargs.setdefault("widget", PhotosInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        uploads = [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(f"Select up to {MAX_PHOTOS} photos")
        checked: list[CheckedFile] = []
        for upload in uploads:
            if not isinstance(upload, UploadedFile):
                raise ValidationError(WRONG_TYPE_IMAGE)
            checked.append(check_upload(upload, IMAGES, WRONG_TYPE_IMAGE))
        return checked
