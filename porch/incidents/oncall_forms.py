"""The on-call rota form: who, which call on the ladder, from when to when."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from porch.accounts.models import User
from porch.core.forms import GovukDateField, GovukForm
from porch.incidents.forms import StaffChoiceField

TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]?([0-5]\d)\s*$")


class ClockTimeField(forms.CharField):
    """A 24-hour time typed as 09:00, 9.00 or 0900."""

    def clean(self, value: Any) -> datetime.time:
        text = super().clean(value)
        match = TIME.match(text or "")
        if not match:
            raise forms.ValidationError(f"Enter {str(self.label).lower()} as a 24-hour time, like 09:00")
        return datetime.time(int(match.group(1)), int(match.group(2)))


class OnCallShiftForm(GovukForm):
    user = StaffChoiceField(
        label="Who",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Choose who is on call", "invalid_choice": "Choose who is on call"},
    )
    rung = forms.TypedChoiceField(
        label="Which call on the ladder",
        help_text="Call 1 is called first. Call 2 is called if call 1 has not acknowledged in time, and so on.",
        choices=[(n, f"Call {n}") for n in range(1, 6)],
        coerce=int,
    )
    role_label = forms.CharField(
        label="Their role on call (optional)", help_text="For example, DPO or senior engineer.", required=False
    )
    start_date = GovukDateField(label="Start date", error_messages={"required": "Enter the start date"})
    start_time = ClockTimeField(label="Start time", initial="09:00", max_length=5)
    end_date = GovukDateField(label="End date", error_messages={"required": "Enter the end date"})
    end_time = ClockTimeField(label="End time", initial="09:00", max_length=5)

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        who = self.fields["user"]
        assert isinstance(who, StaffChoiceField)
        who.queryset = people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"start_date", "start_time", "end_date", "end_time"} <= data.keys():
            starts = _aware(data["start_date"], data["start_time"])
            ends = _aware(data["end_date"], data["end_time"])
            if ends <= starts:
                self.add_error("end_date", "The end must be after the start")
            elif ends <= timezone.now():
                self.add_error("end_date", "The end must be in the future")
            data["starts_at"], data["ends_at"] = starts, ends
        return data


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))
