"""The forms of the money pages: a statement's period (from one day to another, neither in the
future, in order) and an amount to pay by card."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID, uuid4

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from porch.core.forms import GovukDateField, GovukForm
from porch.money.amounts import PoundsField


class StatementForm(GovukForm):
    start = GovukDateField(label="From", help_text="For example, 1 4 2026", error_name="the first day")
    end = GovukDateField(label="To", help_text="For example, 31 3 2027", error_name="the last day")

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


class PayForm(GovukForm):
    """How much to pay by card. The hidden key makes the form one payment however many times
    it is sent; a try the provider could not start gives the next try a key of its own."""

    amount = PoundsField(
        most_pence=settings.PAYMENTS_MOST_PENCE,
        label="How much do you want to pay?",
        help_text="In pounds and pence, for example 25.50",
        error_messages={"required": "Enter how much you want to pay"},
    )
    attempt_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, attempt_key: UUID, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attempt_key"].initial = attempt_key

    def again_with_a_new_key(self, problem: str) -> PayForm:
        """The same amount, a fresh key, and the reason the last try did not start."""
        again = PayForm({"amount": self.data.get("amount", ""), "attempt_key": str(uuid4())}, attempt_key=uuid4())
        again.is_valid()
        again.add_error(None, problem)
        return again


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
