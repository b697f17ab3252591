from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from porch.core.forms import GovukDateField, GovukForm
from porch.housing.models import Block, Estate, Patch
from porch.notices.models import Notice, Place


class AreaForm(GovukForm):
    """Staff who may post in more than one patch choose the area first: one patch's places
    make a list anyone can read, the whole organisation's would not."""

    area = forms.ChoiceField(
        label="Which area is the notice for?",
        help_text="Choose the housing patch. Next you choose the block or estate in it, or the whole area.",
        error_messages={
            "required": "Select the area the notice is for",
            "invalid_choice": "Select the area the notice is for",
        },
    )
    govuk_page_heading = "area"

    def __init__(self, *args: Any, patches: list[Patch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose an area")] + [(str(patch.uuid), patch.name) for patch in patches]
        _choice_field(self, "area").choices = choices


class NoticeForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    place = forms.ChoiceField(
        label="Who is it for?",
        help_text="Everyone whose home is in the block, the estate or the area you choose will see it.",
        error_messages={"required": "Select who the notice is for", "invalid_choice": "Select who the notice is for"},
    )
    kind = forms.ChoiceField(
        label="What is it about?",
        choices=Notice.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the notice is about"},
    )
    title = forms.CharField(
        label="Title",
        help_text="For example, Lift out of service",
        max_length=120,
        error_messages={"required": "Enter a title", "max_length": "Title must be 120 characters or fewer"},
    )
    body = forms.CharField(
        label="What residents need to know",
        help_text=(
            "Say what is happening, for how long, and who to call. Plain text only. "
            "Do not name any resident or say which flat is affected: everyone who lives there can read it."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        error_messages={
            "required": "Enter what residents need to know",
            "max_length": "What residents need to know must be 2000 characters or fewer",
        },
    )
    starts_on = GovukDateField(
        label="First day to show it",
        help_text="For example, 27 3 2026. Leave it empty to show it from today.",
        required=False,
    )
    ends_on = GovukDateField(
        label="Last day to show it (optional)",
        help_text="Leave it empty to show it until you withdraw it.",
        required=False,
    )

    def __init__(self, *args: Any, places: dict[str, Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        patches = [
            (code, f"Everyone in the {place} area") for code, place in places.items() if isinstance(place, Patch)
        ]
        estates = [(code, f"{place} (estate)") for code, place in places.items() if isinstance(place, Estate)]
        blocks = [(code, f"{place}, {place.estate}") for code, place in places.items() if isinstance(place, Block)]
        groups: list[tuple[str, Any]] = [("", "Choose a block, estate or area")]
        groups += [
            (label, options)
            for label, options in (("Area", patches), ("Estates", estates), ("Blocks", blocks))
            if options
        ]
        _choice_field(self, "place").choices = groups

    def clean_place(self) -> Place:
        # ChoiceField has already refused any value not offered: a forged place never gets here.
        return self.places[self.cleaned_data["place"]]

    def clean_starts_on(self) -> datetime.date:
        starts_on: datetime.date | None = self.cleaned_data["starts_on"]
        return starts_on or timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if ends_on is not None and ends_on < timezone.localdate():
            self.add_error("ends_on", "Last day to show it must be today or in the future")
        elif ends_on is not None and starts_on is not None and ends_on < starts_on:
            self.add_error("ends_on", "Last day to show it must be the same as or after the first day")
        return cleaned


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field
