"""The complaints forms, residents' and staff's. Every form that creates carries a key, so a
double submit makes one record."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator

from porch.complaints import clocks
from porch.complaints.models import ComplaintStage
from porch.core.forms import GovukForm, offer_homes
from porch.housing.models import Tenancy


class ComplaintForm(GovukForm):
    key = forms.UUIDField(widget=forms.HiddenInput)
    home = forms.ChoiceField(
        label="Which home is your complaint about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select which home", "invalid_choice": "Select which home"},
    )
    about = forms.CharField(
        label="What is your complaint about?",
        help_text="Tell us what happened, when, and how it has affected you and your household.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=4000,
        error_messages={
            "required": "Enter what your complaint is about",
            "max_length": "What your complaint is about must be 4,000 characters or fewer",
        },
    )
    wanted = forms.CharField(
        label="What would you like us to do to put things right?",
        help_text="For example, finish a repair, apologise, or change how we do something.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": "Enter what you would like us to do",
            "max_length": "What you would like us to do must be 2,000 characters or fewer",
        },
    )
    repair_reference = forms.CharField(
        label="Is it about a repair? (optional)",
        help_text="If you know it, give the repair's reference. You can find it on your repairs page.",
        required=False,
        max_length=40,
        error_messages={"max_length": "The repair reference must be 40 characters or fewer"},
    )

    def __init__(self, *args: Any, homes: list[Tenancy], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        self.homes = offer_homes(self, homes)

    def clean_home(self) -> Tenancy:
        return self.homes[self.cleaned_data["home"]]


class EscalateForm(GovukForm):
    comment = forms.CharField(
        label="Is there anything you want to add? (optional)",
        help_text="You do not need to give a reason.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"max_length": "What you want to add must be 2,000 characters or fewer"},
    )


class NoteForm(GovukForm):
    """An update for the resident or an internal note (the prefix says which)."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the note", "max_length": "The note must be 4,000 characters or fewer"},
    )

    def __init__(self, *args: Any, prefix: str, label: str, help_text: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": uuid.uuid4()})
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].help_text = help_text


class ExtendForm(GovukForm):
    days = forms.IntegerField(
        label="How many more working days?",
        min_value=1,
        error_messages={
            "required": "Enter how many more working days",
            "invalid": "Enter a whole number of working days",
            "min_value": "Enter at least 1 working day",
        },
    )
    reason = forms.CharField(
        label="Why do you need more time?",
        help_text="The resident reads this. Do not name anyone else.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why you need more time"},
    )

    def __init__(self, *args: Any, nation: str, stage: int, **kwargs: Any) -> None:
        super().__init__(*args, prefix="extend", **kwargs)
        most = clocks.most_extension_days(nation, stage)
        field = self.fields["days"]
        assert isinstance(field, forms.IntegerField)
        field.max_value = most
        field.help_text = f"Counted from the original deadline for this stage. At most {most} working days."
        field.error_messages["max_value"] = f"An extension can be at most {most} working days"
        field.validators.append(MaxValueValidator(most))


class RespondForm(GovukForm):
    key = forms.UUIDField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="What did you decide?",
        choices=ComplaintStage.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you decided"},
    )
    text = forms.CharField(
        label="Your response",
        help_text=(
            "This becomes the letter the household receives. Say what you found, what you decided and why, "
            "and what you will do to put things right. Do not name anyone else."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=8000,
        error_messages={
            "required": "Enter your response",
            "max_length": "Your response must be 8,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": uuid.uuid4()})
        super().__init__(*args, prefix="respond", **kwargs)


class QueueFilterForm(GovukForm):
    DUE_SOON, OVERDUE = "due_soon", "overdue"
    clock = forms.ChoiceField(
        label="Clock",
        required=False,
        choices=[("", "Every open complaint"), (DUE_SOON, "Due within 2 working days"), (OVERDUE, "Overdue")],
        error_messages={"invalid_choice": "Select a clock from the list"},
    )


class YearForm(GovukForm):
    year = forms.IntegerField(
        label="Year starting 1 April",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Enter a year",
            "invalid": "Enter a year as 4 digits, like 2025",
            "min_value": "Enter a year from 2000",
            "max_value": "Enter a year up to 2100",
        },
    )
