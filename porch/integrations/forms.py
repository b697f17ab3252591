"""Forms for system administrators: add a connection, change what it may do, rotate its secret."""

from __future__ import annotations

import ipaddress
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from porch.core.forms import GovukForm
from porch.integrations import access
from porch.integrations.scopes import scope_choices

MOST_NETWORKS = 50


def _password() -> forms.CharField:
    # The connection writes to the housing record: whoever sets it up must know the password,
    # not just hold a signed-in session.
    return forms.CharField(
        label="Your password",
        help_text="So we know it is you.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )


class SettingsForm(GovukForm):
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        help_text="Choose only what the housing system needs.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select what the connection may do",
            "invalid_choice": "Select what the connection may do",
        },
    )
    networks = forms.CharField(
        label="Addresses it sends from",
        help_text=(
            "One to a line: an address like 203.0.113.10, or a network like 203.0.113.0/24. "
            "Requests from anywhere else are refused. Leave it empty to refuse every address for now."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
        error_messages={"max_length": "Addresses it sends from must be 3000 characters or fewer"},
    )
    apply_when_previewed = forms.BooleanField(
        label="Apply its batches as soon as they are checked",
        help_text=(
            "Otherwise a system administrator applies each batch from the housing record feed's page. "
            "A batch that would end many tenancies or move many people still waits for a second person."
        ),
        required=False,
    )
    password = _password()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scopes = self.fields["scopes"]
        assert isinstance(scopes, forms.MultipleChoiceField)
        scopes.choices = scope_choices()

    def clean_networks(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["networks"].splitlines() if line.strip()]
        if len(lines) > MOST_NETWORKS:
            raise ValidationError(f"Enter {MOST_NETWORKS} addresses or fewer")
        return [_network(line) for line in lines]


def _network(text: str) -> str:
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError:
        raise ValidationError(
            f"{text[:50]} is not an address or a network: enter one like 203.0.113.10 or 203.0.113.0/24"
        ) from None
    if network.prefixlen == 0:
        raise ValidationError(f"{text} lets every address in: enter the housing system's own addresses")
    return str(network)


class ConnectionForm(SettingsForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    name = forms.CharField(
        label="Name",
        help_text="The housing system it is for, as staff will know it. For example, Housing management system.",
        max_length=100,
        error_messages={"required": "Enter a name", "max_length": "Name must be 100 characters or fewer"},
    )
    field_order = ["idempotency_key", "name", "scopes", "networks", "apply_when_previewed", "password"]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        # Not the connection this same form added a moment ago (a double submit): that one is shown.
        if access.name_taken(name, but_for=self.data.get("idempotency_key", "")):
            raise ValidationError(f"A connection called {name} already exists: choose another name")
        return name


class RotateForm(GovukForm):
    # The version being replaced: sending the form twice replaces it once.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    password = _password()


class SwitchOffForm(GovukForm):
    confirm = forms.BooleanField(
        label="Yes, switch this connection off for good",
        error_messages={"required": "Confirm you want to switch this connection off"},
    )
