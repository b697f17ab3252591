"""The resident's choices: for email and for text messages, the kinds they want to hear about."""

from __future__ import annotations

from typing import Any

from django import forms

from porch.core.forms import GovukForm
from porch.notifications.kinds import CHOOSABLE, Channel

KIND_CHOICES = [(kind.value, kind.label) for kind in CHOOSABLE]
INVALID = "Select only the things listed"


class ChoicesForm(GovukForm):
    email = forms.MultipleChoiceField(
        label="Email me about",
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": INVALID},
    )
    sms = forms.MultipleChoiceField(
        label="Text me about",
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": INVALID},
    )

    def __init__(self, *args: Any, has_email: bool, has_mobile: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = (
            "We send emails to the address on your record. Untick anything you do not want by email."
            if has_email
            else "We do not have an email address for you, so we will not email you. Call us to add one."
        )
        self.fields["sms"].help_text = (
            "We send text messages to the mobile number on your record. Untick anything you do not want by text."
            if has_mobile
            else "We do not have a mobile number for you, so we will not text you. Call us to add one."
        )

    @staticmethod
    def initial_from(chosen: dict[tuple[str, str], bool]) -> dict[str, list[str]]:
        return {
            channel.value: [kind.value for kind in CHOOSABLE if chosen[(kind.value, channel.value)]]
            for channel in Channel
        }
