"""The repairs team's forms: the queue's filters, and one form for each change to a repair.
Every form on a repair's page has its own prefix, so their fields' ids never clash."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from porch.accounts.models import ContractorFirm
from porch.core.forms import GovukForm
from porch.repairs.categories import AREAS, CATEGORIES, EMERGENCY_CATEGORIES, PRIORITY_WORDS, Category, Priority
from porch.repairs.categories import category as category_of
from porch.repairs.models import Repair

REASON_HELP = "Say why. Only the repairs team reads this."
PRIORITY_CHOICES = [(priority.value, PRIORITY_WORDS[priority]) for priority in Priority]

# --- The queue's filters ---------------------------------------------------------------

OPEN, CLOSED, ALL = "open", "closed", "all"
DUE_TODAY, DUE_SOON, BREACHED = "today", "soon", "breached"
AWAAB, RIGHT_TO_REPAIR, PRIORITY_CLOCK = "awaab", "right_to_repair", "priority"


class QueueFilterForm(GovukForm):
    """Read from the query string; a value that is not offered is an error shown above the
    queue, never a silently wider list."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[(OPEN, "Open"), (CLOSED, "Completed or cancelled"), (ALL, "All")],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    priority = forms.ChoiceField(
        label="Priority",
        required=False,
        choices=[("", "Any"), *PRIORITY_CHOICES],
        error_messages={"invalid_choice": "Select a priority from the list"},
    )
    clock = forms.ChoiceField(
        label="Clocks",
        required=False,
        choices=[
            ("", "Any"),
            (DUE_TODAY, "Due today"),
            (DUE_SOON, "Due within 2 days"),
            (BREACHED, "Breached"),
        ],
        error_messages={"invalid_choice": "Select a clock from the list"},
    )
    law = forms.ChoiceField(
        label="Kind of clock",
        required=False,
        choices=[
            ("", "Any"),
            (AWAAB, "Awaab's Law"),
            (RIGHT_TO_REPAIR, "Right to Repair"),
            (PRIORITY_CLOCK, "Our priorities"),
        ],
        error_messages={"invalid_choice": "Select a kind of clock from the list"},
    )
    area = forms.ChoiceField(
        label="Type of repair",
        required=False,
        choices=[("", "Any"), *((area.code, area.label) for area in AREAS), ("emergency", "Emergency")],
        error_messages={"invalid_choice": "Select a type of repair from the list"},
    )
    # Set by the links from a block's page and from the queue's rows: a list of every block
    # would be thousands of options.
    block = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean_status(self) -> str:
        return str(self.cleaned_data.get("status") or OPEN)


# --- Changes to one repair ---------------------------------------------------------------


def _reason(label: str = "Reason", help_text: str = REASON_HELP) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"{label} must be 1,000 characters or fewer",
        },
    )


def category_choices(repair: Repair) -> list[tuple[str, list[tuple[str, str]]]]:
    """A shared area's repair stays a shared area's: it may only take a communal category;
    a home's repair only a home's."""
    grouped: list[tuple[str, list[tuple[str, str]]]] = []
    for area in AREAS:
        if area.communal != repair.is_communal:
            continue
        grouped.append((area.label, [(c.code, c.label) for c in CATEGORIES if c.area == area.code]))
    if not repair.is_communal:
        grouped.append(("Emergency", [(c.code, c.label) for c in EMERGENCY_CATEGORIES]))
    return grouped


class TriageForm(GovukForm):
    category = forms.ChoiceField(
        label="Type of repair",
        error_messages={"required": "Select the type of repair", "invalid_choice": "Select the type of repair"},
    )
    priority = forms.ChoiceField(
        label="Priority",
        choices=PRIORITY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a priority", "invalid_choice": "Select a priority"},
    )
    reason = _reason()

    def __init__(self, *args: Any, repair: Repair, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"category": repair.category, "priority": repair.priority})
        super().__init__(*args, prefix="triage", **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = category_choices(repair)

    def chosen(self) -> tuple[Category, Priority]:
        return category_of(self.cleaned_data["category"]), Priority(self.cleaned_data["priority"])


class AssignForm(GovukForm):
    firm = forms.ChoiceField(
        label="Contractor firm",
        error_messages={"required": "Select a contractor firm", "invalid_choice": "Select a contractor firm"},
    )
    reason = _reason()

    def __init__(self, *args: Any, repair: Repair, **kwargs: Any) -> None:
        super().__init__(*args, prefix="assign", **kwargs)
        self.firms = {str(firm.uuid): firm for firm in ContractorFirm.objects.order_by("name")}
        field = self.fields["firm"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a firm")] + [
            (code, firm.name) for code, firm in self.firms.items() if firm.pk != repair.firm_id
        ]

    def chosen(self) -> ContractorFirm:
        return self.firms[self.cleaned_data["firm"]]


class NoteForm(GovukForm):
    """An update for the resident, a note for the contractor, or an internal note (the
    prefix says which). Its key makes a double submit one entry."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the note", "max_length": "The note must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, prefix: str, label: str, help_text: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": uuid.uuid4()})
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].help_text = help_text


class ReasonForm(GovukForm):
    """A change that needs only a reason (an emergency hazard, the investigation's findings)."""

    reason = _reason()

    def __init__(self, *args: Any, prefix: str, label: str = "Reason", help_text: str = REASON_HELP, **kwargs: Any):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["reason"] = _reason(label, help_text)


class CloseForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("completed", "The repair is done"), ("cancelled", "Cancel the repair")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the repair is done or cancelled"},
    )
    message = _reason(
        "What to tell the resident",
        "The resident reads this on their repair's page. Do not name anyone else.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="close", **kwargs)
