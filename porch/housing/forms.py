from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from porch.core.forms import GovukForm
from porch.housing.models import DetailsChangeRequest
from porch.housing.services import clean_new_value


class ChangeRequestForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    field = forms.ChoiceField(
        label="What do you want to change?",
        choices=DetailsChangeRequest.Field.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to change"},
    )
    new_value = forms.CharField(
        label="What should it say?",
        help_text="For a name, write your full name. For a date of birth, write the day, month and year, "
        "like 27 3 1985. For a mobile number, write a UK mobile number, like 07700 900 982.",
        max_length=200,
        error_messages={"required": "Enter what it should say"},
    )
    note = forms.CharField(
        label="Anything else we should know? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    # A new email address or mobile becomes a way to sign in and to reset the password:
    # whoever asks must know the password, not just hold a signed-in session.
    password = forms.CharField(
        label="Your password",
        help_text="So we know it is you asking.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        field, value = cleaned.get("field"), cleaned.get("new_value")
        if field and value:
            try:
                cleaned["new_value"] = clean_new_value(field, value)
            except ValidationError as error:
                self.add_error("new_value", error)
        return cleaned


class ApproveForm(GovukForm):
    """Approving needs nothing more, except for a name: where the first names end."""


class ApproveNameForm(GovukForm):
    first_name = forms.CharField(
        label="First names",
        help_text="Check where the first names end. Together they must be the name the resident asked for.",
        max_length=100,
        error_messages={"required": "Enter the first names"},
    )
    last_name = forms.CharField(label="Last name", max_length=100, error_messages={"required": "Enter the last name"})


def approve_form_for(change: DetailsChangeRequest, data: Any = None) -> GovukForm:
    if change.field != DetailsChangeRequest.Field.NAME:
        return ApproveForm(data)
    first, _, last = change.new_value.rpartition(" ")
    return ApproveNameForm(data, initial={"first_name": first, "last_name": last}, prefix="approve")


class DeclineForm(GovukForm):
    reason = forms.CharField(
        label="Why can we not make this change?",
        help_text="The resident will read this. Write it in plain English, say what they can do next, "
        "and do not include anyone else's details.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": "Enter the reason we cannot make this change"},
    )
