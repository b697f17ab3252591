from __future__ import annotations

from django import forms

from porch.core.forms import GovukForm
from porch.housing.models import DetailsChangeRequest


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
        max_length=200,
        error_messages={"required": "Enter what it should say"},
    )
    note = forms.CharField(
        label="Anything else we should know? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
