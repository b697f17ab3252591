"""The feed's staff forms: sending a file in, and deciding about a held person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from porch.core.forms import GovukForm
from porch.feed.entities import choices
from porch.feed.models import FeedBatch

MEGABYTE = 1024 * 1024
# The format each file name ending is read as.
FORMATS = {".csv": FeedBatch.Format.CSV, ".jsonl": FeedBatch.Format.JSONL, ".json": FeedBatch.Format.JSONL}
WRONG_TYPE = "The selected file must be a CSV file (.csv) or a JSON lines file (.jsonl or .json)"


class UploadForm(GovukForm):
    entity = forms.ChoiceField(
        label="What does the file hold?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the file holds", "invalid_choice": "Select what the file holds"},
    )
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded – try again",  # noqa: RUF001 (GOV.UK's wording)
            "missing": "Select a file",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entity = self.fields["entity"]
        assert isinstance(entity, forms.ChoiceField)
        entity.choices = choices()
        self.fields["file"].help_text = (
            f"A CSV file (.csv) or a JSON lines file (.jsonl or .json), smaller than {settings.FEED_MAX_MEGABYTES}MB. "
            "The same file sent twice is one batch."
        )

    def clean_file(self) -> Any:
        """Known by its name's ending (the file itself is read by the worker, which refuses a
        damaged one whole); its size checked here, before anything is kept."""
        upload = self.cleaned_data["file"]
        if format_of(upload.name or "") is None:
            raise ValidationError(WRONG_TYPE)
        if upload.size > settings.FEED_MAX_MEGABYTES * MEGABYTE:
            raise ValidationError(f"The selected file must be smaller than {settings.FEED_MAX_MEGABYTES}MB")
        return upload

    @property
    def file_format(self) -> str:
        return format_of(self.cleaned_data["file"].name) or ""


def format_of(name: str) -> str | None:
    lowered = name.lower()
    return next((fmt for ending, fmt in FORMATS.items() if lowered.endswith(ending)), None)


ADD, LEAVE_OUT = "add", "leave_out"
NEITHER = "Choose whether to add this person or leave them out"


class HeldDecisionForm(GovukForm):
    """Which of the two buttons was pressed; anything else is refused."""

    decision = forms.ChoiceField(
        choices=[(ADD, "Add as a different person"), (LEAVE_OUT, "Leave out")],
        error_messages={"required": NEITHER, "invalid_choice": NEITHER},
    )

    @property
    def adds(self) -> bool:
        return bool(self.cleaned_data["decision"] == ADD)
