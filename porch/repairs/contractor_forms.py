"""The contractor's forms: a visit's date and time, a progress note, a completion note. Photos
are taken on a phone's camera or chosen from it (JPG or PNG, up to five), and re-encoded from
their pixels before they are kept (porch.core.uploads)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from porch.core.forms import GovukDateField, GovukForm
from porch.core.photo_fields import MAX_PHOTOS, PhotosField

# "10am", "10.30am", "10:30 am", "14:30", "2pm", "noon".
TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")


class VisitForm(GovukForm):
    day = GovukDateField(label="Date of the visit", help_text="For example, 27 3 2026", error_name="date of the visit")
    time = forms.CharField(
        label="Time of the visit",
        help_text="For example, 10am or 14:30",
        max_length=10,
        error_messages={"required": "Enter the time of the visit"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )

    def clean_time(self) -> datetime.time:
        text = self.cleaned_data["time"].strip().lower().replace(" ", "")
        if text in ("noon", "midday", "12noon"):
            return datetime.time(12)
        found = TIME.match(text)
        if found is None:
            raise ValidationError("Enter the time of the visit like 10am or 14:30")
        hour, minute, half = int(found["hour"]), int(found["minute"] or 0), found["half"]
        if half:
            if not 1 <= hour <= 12:
                raise ValidationError("Enter the time of the visit like 10am or 14:30")
            hour = hour % 12 + (12 if half == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError("Enter a real time, like 10am or 14:30")
        return datetime.time(hour, minute)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        day, time = cleaned.get("day"), cleaned.get("time")
        if day is None or time is None:
            return cleaned
        when = datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())
        if day < timezone.localdate():
            self.add_error("day", "The date of the visit must be today or in the future")
        elif when <= timezone.now():
            self.add_error("time", "The time of the visit must be later than now")
        else:
            cleaned["when"] = when
        return cleaned


class NoteForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="What has been done",
        help_text="Say what you found, what you did and what is left to do. The repairs team reads this.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={
            "required": "Enter what has been done",
            "max_length": "What has been done must be 2000 characters or fewer",
        },
    )
    photos = PhotosField(
        label="Photos (optional)",
        help_text=f"Up to {MAX_PHOTOS} photos, JPG or PNG. You can take them with your phone's camera.",
    )


class CompleteForm(NoteForm):
    govuk_page_heading = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text = self.fields["text"]
        text.label = "What was done to complete the repair"
        text.error_messages["required"] = "Enter what was done to complete the repair"
        text.error_messages["max_length"] = "What was done must be 2000 characters or fewer"
