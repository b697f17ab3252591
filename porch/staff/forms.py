from __future__ import annotations

from django import forms

from porch.core.forms import GovukForm
from porch.staff.models import BreakGlass, ViewAsSession


class TenancySearchForm(GovukForm):
    q = forms.CharField(
        label="Search by tenancy reference, postcode, name or address",
        help_text="For example T0000001, M14 5TQ, Ashworth, Alice Ashworth or Ashdown House. "
        "Addresses are found by whole words of the first line.",
        min_length=2,
        max_length=100,
        error_messages={
            "required": "Enter something to search for",
            "min_length": "Enter at least 2 characters",
            "max_length": "Enter no more than 100 characters",
        },
    )

    def clean_q(self) -> str:
        term: str = self.cleaned_data["q"]
        if not any(character.isalnum() for character in term):
            raise forms.ValidationError("Enter a reference, postcode, name or address, using letters or numbers")
        return term


class BreakGlassForm(GovukForm):
    reference = forms.CharField(
        label="Tenancy reference",
        max_length=30,
        error_messages={"required": "Enter the tenancy reference"},
    )
    reason = forms.ChoiceField(
        label="Why do you need to open this record?",
        choices=BreakGlass.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you need to open this record"},
    )
    details = forms.CharField(
        label="Give details",
        help_text="For example the call reference, or the colleague you are covering for. The Data Protection Officer reads this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Give details of why you need to open this record"},
    )


class BreakGlassReviewForm(GovukForm):
    note = forms.CharField(
        label="What did you check?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Add a note saying what you checked"},
    )


class ViewAsForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why do you need to see their account?",
        choices=ViewAsSession.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you need to see their account"},
    )
    reference = forms.CharField(
        label="Call, visit or case reference",
        max_length=100,
        error_messages={"required": "Enter the call, visit or case reference"},
    )


class TestHouseholdForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
