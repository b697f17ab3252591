"""The period of a statement (from one day to another, neither in the future, in order) and
whether it comes as a PDF or a CSV."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from porch.core.forms import GovukDateField, GovukForm

PDF, CSV = "pdf", "csv"


class StatementForm(GovukForm):
    start = GovukDateField(label="From", help_text="For example, 1 4 2026", error_name="the first day")
    end = GovukDateField(label="To", help_text="For example, 31 3 2027", error_name="the last day")
    format = forms.ChoiceField(
        label="Format",
        choices=[(PDF, "PDF (to read or print)"), (CSV, "CSV (for a spreadsheet)")],
        initial=PDF,
        widget=forms.RadioSelect,
        error_messages={"required": "Select PDF or CSV", "invalid_choice": "Select PDF or CSV"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        today = timezone.localdate()
        if isinstance(end, datetime.date) and end > today:
            self.add_error("end", ValidationError("The last day must be today or in the past"))
        elif isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            self.add_error("end", ValidationError("The last day must be the same as or after the first day"))
        if isinstance(start, datetime.date) and start > today:
            self.add_error("start", ValidationError("The first day must be today or in the past"))
        return cleaned
