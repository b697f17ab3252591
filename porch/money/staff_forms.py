"""The arrears list's filters, read from the query string: a value that cannot be read is an
error shown above the list, never a silently wider list."""

from __future__ import annotations

from django import forms

from porch.core.forms import GovukForm
from porch.money.amounts import PoundsField
from porch.money.models import RentAccount

# The most the amount filter takes: more than any account owes, so no real search is refused.
MOST_PENCE = 100_000_000  # £1,000,000.00
MOST_WEEKS = 520


class ArrearsFilterForm(GovukForm):
    least = PoundsField(
        label="Owes at least",
        help_text="In pounds, for example 500",
        required=False,
        most_pence=MOST_PENCE,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    weeks = forms.IntegerField(
        label="Weeks in arrears, at least",
        help_text="Weeks of the regular charge owed, for example 4",
        required=False,
        min_value=1,
        max_value=MOST_WEEKS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the number of weeks as a whole number, like 4",
            "min_value": "The number of weeks must be 1 or more",
            "max_value": f"The number of weeks must be {MOST_WEEKS} or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Account",
        required=False,
        choices=[("", "Rent and service charges"), *RentAccount.Kind.choices],
        error_messages={"invalid_choice": "Select an account from the list"},
    )
    behind = forms.BooleanField(
        label="Only those not keeping to an agreed payment arrangement",
        required=False,
    )
    extra_care = forms.BooleanField(
        label="Only households flagged as needing extra care (vulnerable or with support needs)",
        required=False,
    )
