from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone

from porch.core.forms import GovukForm
from porch.exposure.reports import OTHER, Window, data_kinds, route_choices

INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
SESSION_REF = re.compile(r"^[0-9a-f]{24}$")
REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


def moment_field(label: str, hint: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=hint,
        input_formats=INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"{label} must be a real date and time, like 2026-11-14 09:30",
        },
    )


def default_window(aware_at: datetime.datetime | None = None) -> dict[str, datetime.datetime]:
    """The last 7 days; for an incident, from 7 days before the first report until now.
    The end is rounded up to the next minute, so what happened just now is included."""
    now = timezone.localtime().replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    start = timezone.localtime(aware_at) if aware_at else now
    return {"start": start - datetime.timedelta(days=7), "end": now}


class WindowForm(GovukForm):
    start = moment_field("From", "Date and time, for example 2026-11-14 09:30")
    end = moment_field("Up to", "Events up to (not including) this moment")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", "The end must be after the start")
        return cleaned

    @property
    def window(self) -> Window:
        return Window(self.cleaned_data["start"], self.cleaned_data["end"])


class ExposureForm(WindowForm):
    # One run per form shown: the same form sent twice asks once (porch.core.idempotency).
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    module = forms.ChoiceField(
        label="Kind of data",
        required=False,
        choices=lambda: [
            ("", "Every kind"),
            *((key, k.label) for key, k in data_kinds().items()),
            (OTHER, "Anything else"),
        ],
    )
    route = forms.ChoiceField(label="Page", required=False, help_text="Only events recorded by this page")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        route = self.fields["route"]
        assert isinstance(route, forms.ChoiceField)  # as declared above; self.fields holds plain Fields
        route.choices = [("", "Every page"), *route_choices()]


class WhoSawForm(WindowForm):
    person = forms.CharField(
        label="Housing reference or person ID",
        max_length=64,
        help_text="For example P00010, or the ID at the end of the person's address in the staff pages",
        error_messages={"required": "Enter a housing reference or person ID"},
    )
    field_order = ["person", "start", "end"]


class SessionForm(WindowForm):
    reference = forms.CharField(
        label="Session reference or request ID",
        max_length=64,
        help_text="A session reference (24 characters, from the other reports) or a request ID "
        "(32 characters, the X-Request-Id of a page)",
        error_messages={"required": "Enter a session reference or request ID"},
    )
    field_order = ["reference", "start", "end"]

    def clean_reference(self) -> str:
        value = str(self.cleaned_data["reference"]).strip().lower()
        if not (SESSION_REF.match(value) or REQUEST_ID.match(value)):
            raise forms.ValidationError(
                "Enter a session reference of 24 characters or a request ID of 32 characters, letters a to f and numbers"
            )
        return value

    @property
    def is_request_id(self) -> bool:
        return bool(REQUEST_ID.match(self.cleaned_data["reference"]))


class IcoDraftForm(GovukForm):
    draft = forms.CharField(
        label="Draft report to the ICO",
        widget=forms.Textarea(attrs={"rows": 30}),
        max_length=20000,
        error_messages={"required": "Enter the draft report"},
    )
