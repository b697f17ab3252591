"""The forms of an arrangement to pay off arrears: a resident's offer, and the income team's
decision on it."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateformat import format as date_format

from porch.core.forms import GovukDateField, GovukForm
from porch.money import arrangements
from porch.money.amounts import PoundsField
from porch.money.models import ARRANGEMENT_FREQUENCIES

FREQUENCIES = [(every.value, every.label[:1].upper() + every.label[1:]) for every in ARRANGEMENT_FREQUENCIES]


class ProposeForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    amount = PoundsField(
        most_pence=1,  # set for the account in __init__
        label="How much can you pay each time?",
        help_text="On top of your usual rent and charges. For example, 10.00",
        error_messages={"required": "Enter how much you can pay each time"},
    )
    every = forms.ChoiceField(
        label="How often can you pay it?",
        choices=FREQUENCIES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often you can pay", "invalid_choice": "Select how often you can pay"},
    )
    starts_on = GovukDateField(
        label="When can you make the first payment?",
        error_name="the date of your first payment",
    )
    note = forms.CharField(
        label="Anything you want us to know (optional)",
        help_text="For example, when you are paid, or what has changed for you.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
        error_messages={"max_length": "What you want us to know must be 500 characters or fewer"},
    )

    def __init__(self, *args: Any, arrears_pence: int, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        assert isinstance(amount, PoundsField)
        amount.least_pence, amount.most_pence = arrangements.offer_limits(arrears_pence)
        self.first_day, self.last_day = arrangements.start_limits(today)
        self.fields[
            "starts_on"
        ].help_text = f"Between today and {date_format(self.last_day, 'j F Y')}. For example, {self._example()}"

    def _example(self) -> str:
        soon = self.first_day + datetime.timedelta(days=7)
        return f"{soon.day} {soon.month} {soon.year}"

    def clean_starts_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["starts_on"]
        if day < self.first_day:
            raise ValidationError("The date of your first payment must be today or in the future")
        if day > self.last_day:
            raise ValidationError(
                f"The date of your first payment must be on or before {date_format(self.last_day, 'j F Y')}"
            )
        return day


# The income team's three answers to a proposal.
AGREE, CHANGE, DECLINE = "agree", "change", "decline"


class DecisionForm(GovukForm):
    """One form for the three answers, so the page works without JavaScript: the new terms
    are read only for "agree with changes", the reason for that and for "decline"."""

    decision = forms.ChoiceField(
        label="What have you decided?",
        choices=[
            (AGREE, "Agree to what they asked for"),
            (CHANGE, "Agree with changes to the amount or how often"),
            (DECLINE, "Decline"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you have decided", "invalid_choice": "Select what you have decided"},
    )
    amount = PoundsField(
        most_pence=1,  # set for the account in __init__
        label="Amount each time, if you are changing it",
        help_text="For agree with changes only. It starts as what they asked for.",
        required=False,
    )
    every = forms.ChoiceField(
        label="How often, if you are changing it",
        help_text="For agree with changes only. It starts as what they asked for.",
        choices=FREQUENCIES,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select how often they will pay"},
    )
    reason = forms.CharField(
        label="Reason, for agree with changes or decline",
        help_text="The resident will read this. Write it in plain English, say what they can do next, "
        "and do not include anyone else's details.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
        error_messages={"max_length": "The reason must be 1000 characters or fewer"},
    )

    def __init__(self, *args: Any, proposed_pence: int, proposed_every: str, arrears_pence: int, **kwargs: Any) -> None:
        pounds, pence = divmod(proposed_pence, 100)
        kwargs.setdefault("initial", {"amount": f"{pounds}.{pence:02d}", "every": proposed_every})
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        assert isinstance(amount, PoundsField)
        # An officer may ask for more than the resident offered, never more than is owed.
        amount.most_pence = max(arrears_pence, proposed_pence)
        self.proposed = (proposed_pence, proposed_every)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        if decision == CHANGE:
            self._check_change(cleaned)
        if decision in (CHANGE, DECLINE) and not cleaned.get("reason", "").strip():
            why = "Enter the reason you are changing what they asked for" if decision == CHANGE else None
            self.add_error("reason", why or "Enter the reason you are declining")
        return cleaned

    def _check_change(self, cleaned: dict[str, Any]) -> None:
        if "amount" in self.errors or "every" in self.errors:
            return
        if cleaned.get("amount") is None:
            self.add_error("amount", "Enter the amount each time")
        elif not cleaned.get("every"):
            self.add_error("every", "Select how often they will pay")
        elif (cleaned["amount"], cleaned["every"]) == self.proposed:
            self.add_error("amount", "Change the amount or how often, or choose to agree to what they asked for")

    def terms(self) -> tuple[int, str] | None:
        """The terms agreed to, or None for a refusal."""
        decision = self.cleaned_data["decision"]
        if decision == DECLINE:
            return None
        if decision == AGREE:
            return self.proposed
        return self.cleaned_data["amount"], self.cleaned_data["every"]
