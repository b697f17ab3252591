from __future__ import annotations

from django import forms

from porch.core.forms import GovukForm


class PrivacyReportForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    page = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    what_seen = forms.CharField(
        label="What did you see?",
        help_text="For example, someone else's name, address or letter. Do not copy other people's details here if you can avoid it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Tell us what you saw"},
    )
    contact_name = forms.CharField(label="Your name (optional)", max_length=200, required=False)
    contact = forms.CharField(
        label="Email address or phone number (optional)",
        help_text="So we can tell you what we find.",
        max_length=200,
        required=False,
    )


class CallLogForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    contact_name = forms.CharField(
        label="Caller's name", max_length=200, error_messages={"required": "Enter the caller's name"}
    )
    contact = forms.CharField(
        label="Caller's phone number or email address",
        max_length=200,
        error_messages={"required": "Enter how to contact the caller"},
    )
    what_seen = forms.CharField(
        label="What did they see?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter what they saw"},
    )
    page = forms.CharField(
        label="Where did they see it? (optional)",
        help_text="The page, letter or screen.",
        max_length=500,
        required=False,
    )
