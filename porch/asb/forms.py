"""The anti-social behaviour forms, the reporter's and the ASB team's. Every form that creates
carries a key, so a double submit makes one record. Evidence: photos, each checked by its content
and re-encoded from its pixels (no EXIF, no location); and sound or video recordings, each checked
by its structure and copied without the metadata we can take out (porch.core.media, ADR 0030)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings

from porch.asb.models import AsbCase, AsbEntry
from porch.core.forms import GovukForm, offer_homes
from porch.core.kept_files import KeptFile
from porch.core.media_fields import KINDS, MAX_RECORDINGS, RecordingsField
from porch.core.photo_fields import MAX_PHOTOS, PhotosField
from porch.housing.models import Tenancy


def photos_hint() -> str:
    return (
        f"Up to {MAX_PHOTOS} photos, JPG or PNG, smaller than {settings.MAX_UPLOAD_MEGABYTES}MB each. "
        "We remove the date, place and phone details from each photo before we keep it."
    )


def recordings_hint() -> str:
    # Honest about what stays: a video's own sound and pictures can show where it was made, and we
    # cannot take every kind of hidden detail out of every kind of recording (ADR 0030).
    return (
        f"Up to {MAX_RECORDINGS} recordings ({KINDS}), smaller than {settings.MAX_MEDIA_MEGABYTES}MB each. "
        "We remove the place it was recorded and the phone's details from videos made on a phone, "
        "and the details stored with most sound recordings. What can be seen or heard in a recording stays."
    )


def _evidence_fields(form: forms.Form, kept: list[KeptFile]) -> None:
    """The limits come from settings, read when the form is made. Files kept from the form's
    last sending (porch.core.kept_files) are listed, with a box to remove them."""
    form.fields["photos"].help_text = photos_hint()
    form.fields["recordings"].help_text = recordings_hint()
    if kept:
        described = "; ".join(f"{_kind_of(file)}, {_size(file.size)}" for file in kept)
        form.fields["drop_kept"] = forms.BooleanField(
            label=f"Remove the {len(kept)} {'file' if len(kept) == 1 else 'files'} you chose before ({described})",
            help_text="We kept them when we asked you to correct something, so you do not need to choose them again.",
            required=False,
        )


class EvidenceForm(GovukForm):
    """A form with photos and recordings that keeps them when it comes back for another answer."""

    def __init__(self, *args: Any, kept: list[KeptFile] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept = kept or []
        _evidence_fields(self, self.kept)

    def show_kept(self, kept: list[KeptFile]) -> None:
        """After keeping this sending's files: list them on the form shown again."""
        self.kept = kept
        _evidence_fields(self, kept)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("drop_kept"):
            for field, most, what in (("photos", MAX_PHOTOS, "photos"), ("recordings", MAX_RECORDINGS, "recordings")):
                before = sum(1 for file in self.kept if file.field == field)
                if before and field in cleaned and before + len(cleaned[field]) > most:
                    self.add_error(field, f"Select up to {most} {what}, with the {before} you chose before")
        return cleaned

    @property
    def files_checked(self) -> list[Any]:
        return [*self.cleaned_data["photos"], *self.cleaned_data["recordings"]]


def _kind_of(file: KeptFile) -> str:
    return "a photo" if file.field == "photos" else "a recording"


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(size // 1000, 1)} KB"


def _text(label: str, help_text: str, missing: str, most: int, rows: int = 5, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=most,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing, "max_length": f"{label} must be {most:,} characters or fewer"},
        **kwargs,
    )


class ReportForm(EvidenceForm):
    key = forms.UUIDField(widget=forms.HiddenInput)
    home = forms.ChoiceField(
        label="Which home are you reporting from?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select which home", "invalid_choice": "Select which home"},
    )
    what_happened = _text(
        "What happened?",
        "Tell us what you saw or heard, in your own words.",
        "Enter what happened",
        4000,
        rows=8,
    )
    happened_when = forms.CharField(
        label="When did it happen?",
        help_text="For example, last night from 11pm to 2am, or every evening this week.",
        max_length=200,
        error_messages={
            "required": "Enter when it happened",
            "max_length": "When it happened must be 200 characters or fewer",
        },
    )
    where = forms.ChoiceField(
        label="Where did it happen?",
        choices=AsbCase.Where.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where it happened", "invalid_choice": "Select where it happened"},
    )
    where_detail = forms.CharField(
        label="Where exactly? (optional)",
        help_text="For example, the stairwell on the 2nd floor, or the car park.",
        max_length=200,
        required=False,
        error_messages={"max_length": "Where exactly must be 200 characters or fewer"},
    )
    who_involved = _text(
        "Who was involved? (optional)",
        "Describe them as you know them: a name, a flat number, or what they look like. "
        "We will not tell them you made this report.",
        "",
        2000,
        rows=3,
        required=False,
    )
    at_risk_now = forms.ChoiceField(
        label="Do you feel at risk now?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you feel at risk now"},
    )
    photos = PhotosField(label="Photos (optional)")
    recordings = RecordingsField(label="Sound or video recordings (optional)")

    def __init__(self, *args: Any, homes: list[Tenancy], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        self.homes = offer_homes(self, homes)

    def clean_home(self) -> Tenancy:
        return self.homes[self.cleaned_data["home"]]

    def clean_at_risk_now(self) -> bool:
        return bool(self.cleaned_data["at_risk_now"] == "yes")


class DiaryForm(EvidenceForm):
    key = forms.UUIDField(widget=forms.HiddenInput)
    text = _text("What happened this time?", "Tell us what you saw or heard.", "Enter what happened this time", 4000)
    happened_when = forms.CharField(
        label="When did it happen?",
        help_text="For example, Saturday at about 1am.",
        max_length=200,
        error_messages={
            "required": "Enter when it happened",
            "max_length": "When it happened must be 200 characters or fewer",
        },
    )
    photos = PhotosField(label="Photos (optional)")
    recordings = RecordingsField(label="Sound or video recordings (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": uuid.uuid4()})
        super().__init__(*args, **kwargs)


# --- The ASB team's forms ---------------------------------------------------------------------

ENTRY_KINDS = [
    (AsbEntry.Kind.ACTION, "An action taken (internal)"),
    (AsbEntry.Kind.NOTE, "An internal note"),
    (AsbEntry.Kind.WITNESS, "A witness statement (the ASB team only, never the reporter)"),
]
PUBLISHED_KINDS = [
    (AsbEntry.Kind.PLAN, "The action plan"),
    (AsbEntry.Kind.UPDATE, "An update"),
]


class EntryForm(GovukForm):
    """An entry by the ASB team: internal (prefix "note") or for the reporter (prefix "publish")."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="What is it?", widget=forms.RadioSelect, error_messages={"required": "Select what it is"}
    )
    text = forms.CharField(
        label="Text",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the text", "max_length": "The text must be 4,000 characters or fewer"},
    )

    def __init__(self, *args: Any, published: bool, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": uuid.uuid4()})
        super().__init__(*args, prefix="publish" if published else "note", **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = PUBLISHED_KINDS if published else ENTRY_KINDS
        self.fields["text"].help_text = (
            "The reporter reads this. Never name a witness or say who else has complained."
            if published
            else "Only the ASB team and the DPO read this. The reporter never sees it."
        )


class RiskForm(GovukForm):
    risk = forms.ChoiceField(
        label="Risk to the reporter",
        choices=AsbCase.Risk.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the risk"},
    )
    reason = forms.CharField(
        label="Why?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you assessed the risk this way"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="risk", **kwargs)


class ShareForm(GovukForm):
    shared = forms.BooleanField(
        label="Let the housing officer of this home's patch read this case",
        help_text="They read the case page only: not the photos or recordings, nor whose record you linked it "
        "to, and they change nothing.",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="share", **kwargs)


class CloseForm(GovukForm):
    reporter_view = forms.CharField(
        label="What did the reporter say about the outcome?",
        help_text="Record their view in their words as far as you can. Only the ASB team reads this.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the reporter said about the outcome"},
    )
    text = forms.CharField(
        label="What to tell the reporter",
        help_text="The reporter reads this on their report.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what to tell the reporter"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="close", **kwargs)


class NamedSearchForm(GovukForm):
    """Looking for the record of the person a report names (GET: nothing changes)."""

    q = forms.CharField(
        label="Search by name, tenancy reference, postcode or address",
        help_text="For example Cole, Carol Cole, T0000002 or the first line of their address.",
        min_length=2,
        max_length=100,
        error_messages={
            "required": "Enter a name, reference, postcode or address to search for",
            "min_length": "Enter at least 2 characters",
            "max_length": "Enter no more than 100 characters",
        },
    )

    def clean_q(self) -> str:
        term: str = self.cleaned_data["q"].strip()
        if not any(character.isalnum() for character in term):
            raise forms.ValidationError("Enter a name, reference, postcode or address, using letters or numbers")
        return term


class LinkForm(GovukForm):
    person = forms.UUIDField(
        label="Who is the person named in the report?",
        widget=forms.HiddenInput,
        error_messages={
            "required": "Select the person named in the report",
            "invalid": "Select the person named in the report",
        },
    )
