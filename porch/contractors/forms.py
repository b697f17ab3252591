from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from porch.accounts.models import User
from porch.contractors import access
from porch.core.forms import GovukForm


def _new_email(value: str) -> str:
    email = value.strip().lower()
    if access.email_in_use(email):
        raise ValidationError("There is already an account with this email address")
    return email


class FirmForm(GovukForm):
    name = forms.CharField(
        label="Name of the firm", max_length=200, error_messages={"required": "Enter the name of the firm"}
    )
    admin_email = forms.EmailField(
        label="Email address of the firm's administrator",
        help_text="They get a link to choose a password, then invite the firm's operatives.",
        error_messages={
            "required": "Enter the email address of the firm's administrator",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if access.firm_name_in_use(name):
            raise ValidationError("There is already a firm with this name")
        return name

    def clean_admin_email(self) -> str:
        return _new_email(self.cleaned_data["admin_email"])


class InviteForm(GovukForm):
    email = forms.EmailField(
        label="Email address of the operative",
        help_text="They get a link to choose a password. The link works once, for 3 days.",
        error_messages={
            "required": "Enter the email address of the operative",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def clean_email(self) -> str:
        return _new_email(self.cleaned_data["email"])


class ChoosePasswordForm(GovukForm):
    password = forms.CharField(
        label="Choose a password",
        help_text="At least 12 characters. A few unrelated words work well.",
        widget=forms.PasswordInput,
        error_messages={"required": "Enter a password"},
    )
    autocomplete = {"password": "new-password"}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password
