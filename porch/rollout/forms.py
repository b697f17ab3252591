from __future__ import annotations

from django import forms

from porch.core.forms import GovukForm


class SwitchReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why?",
        help_text="For example the incident number. Everyone who manages switches can see this.",
        max_length=500,
        error_messages={"required": "Enter why"},
    )
