"""The forms of the money pages: a statement's period (from one day to another, neither in the
future, in order) and whether it comes as a PDF or a CSV, an amount to pay by card, and a Direct
Debit's bank details, day and amount."""

from __future__ import annotations

import datetime
from typing import Any, Self
from uuid import UUID, uuid4

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from porch.core.forms import GovukDateField, GovukForm
from porch.money.amounts import PoundsField

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
        elif isinstance(start, datetime.date) and start.year < EARLIEST_YEAR:
            self.add_error("start", ValidationError(f"The first day must be in {EARLIEST_YEAR} or later"))
        return cleaned


# No account is older: a statement from before it would be all balance brought forward.
EARLIEST_YEAR = 1900


class OneTimeKeyForm(GovukForm):
    """A form that is one record however many times it is sent: it carries a key made when the
    page was drawn. A try the provider did not take gives the next try a key of its own, so a
    corrected form is never taken for the first (the provider would answer with what it made)."""

    attempt_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, attempt_key: UUID, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attempt_key"].initial = attempt_key

    def again_with_a_new_key(self, problem: str, field: str | None = None) -> Self:
        """The same answers, a fresh key, and why the last try did not go through."""
        data = {**{name: self.data.get(name) for name in self.data}, "attempt_key": str(uuid4())}
        again = type(self)(data, attempt_key=uuid4())
        again.is_valid()
        again.add_error(field, problem)
        return again


class PayForm(OneTimeKeyForm):
    """How much to pay by card."""

    amount = PoundsField(
        most_pence=settings.PAYMENTS_MOST_PENCE,
        label="How much do you want to pay?",
        help_text="In pounds and pence, for example 25.50",
        error_messages={"required": "Enter how much you want to pay"},
    )


class PaymentLookupForm(GovukForm):
    """A payment's reference (PAY-7KQ3M9XA) or a tenancy's reference, as a caller gives it."""

    q = forms.CharField(
        label="Payment reference or tenancy reference",
        help_text="For example PAY-7KQ3M9XA or T0000001",
        max_length=30,
        error_messages={"required": "Enter a payment reference or a tenancy reference"},
    )

    def clean_q(self) -> str:
        term: str = self.cleaned_data["q"].strip().upper()
        if not term.replace("-", "").isalnum():
            raise ValidationError("Enter a reference using letters, numbers and dashes only")
        return term


class NotSentBack(forms.TextInput):
    """A bank detail: never written back into a page (a form with an error asks for it again),
    so it is in no page the browser keeps or the back button shows."""

    def format_value(self, value: Any) -> None:
        return None


def _digits(value: str, *, fewest: int, most: int, words: str) -> str:
    digits = value.replace(" ", "").replace("-", "")
    if not digits.isdigit() or not fewest <= len(digits) <= most:
        raise ValidationError(words)
    return digits


class DirectDebitForm(OneTimeKeyForm):
    holder_name = forms.CharField(
        label="Name on the account",
        max_length=18,  # Bacs carries 18 characters of the account holder's name
        error_messages={
            "required": "Enter the name on the account",
            "max_length": "Name on the account must be 18 characters or fewer",
        },
    )
    sort_code = forms.CharField(
        label="Sort code",
        help_text="Must be 6 digits long",
        max_length=8,
        widget=NotSentBack(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Enter a sort code"},
    )
    account_number = forms.CharField(
        label="Account number",
        help_text="Must be between 6 and 8 digits long",
        max_length=10,
        widget=NotSentBack(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Enter an account number"},
    )
    collection_day = forms.TypedChoiceField(
        label="Which day of the month should we collect it?",
        help_text="Any day from the 1st to the 28th, so it is the same day every month",
        choices=[("", "Choose a day")] + [(day, str(day)) for day in range(1, 29)],
        coerce=int,
        error_messages={"required": "Choose the day of the month to collect it"},
    )
    amount = PoundsField(
        most_pence=settings.PAYMENTS_MOST_PENCE,
        label="How much should we collect each month?",
        help_text="In pounds and pence, for example 426.40",
        error_messages={"required": "Enter how much to collect each month"},
    )
    only_signatory = forms.BooleanField(
        label="I am the account holder, and the only person needed to authorise Direct Debits from this account",
        error_messages={"required": "Confirm you can set up a Direct Debit from this account on your own"},
    )

    def clean_sort_code(self) -> str:
        return _digits(self.cleaned_data["sort_code"], fewest=6, most=6, words="Enter a valid sort code like 309430")

    def clean_account_number(self) -> str:
        words = "Enter a valid account number like 00733445"
        return _digits(self.cleaned_data["account_number"], fewest=6, most=8, words=words).rjust(8, "0")


class DirectDebitChangeForm(GovukForm):
    collection_day = DirectDebitForm.base_fields["collection_day"]
    amount = DirectDebitForm.base_fields["amount"]


class RefundForm(GovukForm):
    amount = PoundsField(
        most_pence=settings.PAYMENTS_MOST_PENCE,
        label="How much to refund",
        help_text="In pounds and pence, at most what is left of the payment",
        error_messages={"required": "Enter how much to refund"},
    )
    reason = forms.CharField(
        label="Why",
        help_text="For the second person who approves it, and for the audit log",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this payment is being refunded"},
    )


class RefundDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Do you approve this refund?",
        choices=[("approve", "Yes, send the refund"), ("reject", "No, do not refund")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve this refund"},
    )
