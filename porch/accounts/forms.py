from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.db import transaction

from porch.accounts.backends import accounts_with_email
from porch.accounts.models import User
from porch.accounts.tasks import (
    RESET_EMAIL_BODY_TEMPLATE,
    RESET_EMAIL_SUBJECT_TEMPLATE,
    password_reset_send,
    password_reset_shared_send,
)
from porch.core.forms import GovukDateField, GovukForm

if TYPE_CHECKING:
    # Django's forms take no type arguments when the code runs: only mypy sees the user model.
    UserSetPasswordForm = SetPasswordForm[User]
else:
    UserSetPasswordForm = SetPasswordForm


class SignInForm(GovukForm):
    username = forms.CharField(
        label="Email address, mobile number or customer reference",
        help_text=(
            "You can also use the sign-in name we showed you when you created your account. If you share an "
            "email address or mobile number with someone you live with, use your sign-in name or your customer "
            "reference (it starts with P)."
        ),
        max_length=150,
        error_messages={"required": "Enter your email address, mobile number or customer reference"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        error_messages={"required": "Enter the code"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "spellcheck": "false"})


class SignupCodeForm(CodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The code is 6 digits long."
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class SignupStartForm(GovukForm):
    reference = forms.CharField(
        label="Tenancy or account reference",
        max_length=30,
        help_text="You can find this on your tenancy agreement or a letter from us, for example T0001234.",
        error_messages={"required": "Enter your tenancy or account reference"},
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        help_text="For example, 27 3 1985",
        must_be_past=True,
        autocomplete="bday",
        error_messages={"required": "Enter your date of birth"},
    )
    postcode = forms.CharField(
        label="Postcode of your home",
        max_length=10,
        error_messages={"required": "Enter the postcode of your home"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"


class NewPasswordForm(GovukForm):
    password = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="Use at least 12 characters. A few words strung together is easy to remember and hard to guess.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password_again = forms.CharField(
        label="Enter the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password_again") != cleaned.get("password"):
            self.add_error("password_again", "The passwords do not match")
        return cleaned


class ConfirmPasswordForm(GovukForm):
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )


class HelpRequestForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    full_name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter your full name"})
    contact = forms.CharField(
        label="How can we contact you?",
        help_text="An email address or phone number.",
        max_length=200,
        error_messages={"required": "Enter an email address or phone number"},
    )
    address = forms.CharField(label="Your address (optional)", max_length=300, required=False)
    tenancy_reference = forms.CharField(label="Tenancy reference (optional)", max_length=30, required=False)
    message = forms.CharField(
        label="What is the problem? (optional)", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class GovukPasswordResetForm(GovukForm, PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )

    def get_users(self, email: str) -> list[User]:
        """The accounts this address resets: a resident's by the email on their housing
        record (so after an approved change the old address resets nothing), others by
        their account's, and only those that may sign in with a password."""
        return [user for user in accounts_with_email(email) if user.has_usable_password()]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Queue the reset email for the task worker after commit.

        Django sends the email here, in the request, for real accounts only, so
        a slow mail server showed which addresses have accounts. Now a known and
        an unknown address both cost one lookup. The worker makes the link from
        PORTAL_URL and sends it through notify (test residents' to the test outbox).

        Joint tenants may share one address: a link sent there would let either of
        them take over the other's account (and read letters addressed to them
        alone), so a shared address gets a notice with no link, saying to call us."""
        templates = {
            "subject_template_name": kwargs.get("subject_template_name", RESET_EMAIL_SUBJECT_TEMPLATE),
            "email_template_name": kwargs.get("email_template_name", RESET_EMAIL_BODY_TEMPLATE),
        }
        users = self.get_users(self.cleaned_data["email"])
        if len(users) > 1:
            ids = [user.pk for user in users]
            transaction.on_commit(lambda: password_reset_shared_send.enqueue(ids))
        elif users:
            transaction.on_commit(functools.partial(password_reset_send.enqueue, users[0].pk, **templates))


class GovukSetPasswordForm(GovukForm, UserSetPasswordForm):
    pass
