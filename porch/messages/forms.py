"""The messages forms. Every form that creates carries a key, so a double submit makes one
record; a file is checked by its content (porch.core.uploads)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from porch.accounts.models import User
from porch.core.forms import GovukForm, offer_homes
from porch.core.kept_files import KeptFile
from porch.core.modules import Subject, subject_kind
from porch.core.uploads import CheckedFile, check_upload
from porch.housing.models import Tenancy
from porch.messages.inbox import Show
from porch.messages.teams import Team, Topic

SHARED, PRIVATE = "shared", "private"


class MessageForm(GovukForm):
    """A message (a reply, or the first of a new thread) with an optional file."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        error_messages={
            "required": "Enter your message",
            "max_length": "Your message must be 4,000 characters or fewer",
        },
    )
    attachment = forms.FileField(
        label="Attach a file (optional)",
        help_text="A PDF, JPG or PNG. Photos have their location and camera details removed.",
        required=False,
    )

    def __init__(self, *args: Any, kept: list[KeptFile] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.checked: CheckedFile | None = None
        self.show_kept(kept or [])

    def show_kept(self, kept: list[KeptFile]) -> None:
        """The file attached when the form last came back, kept (porch.core.kept_files)."""
        self.kept = kept
        if kept:
            kind = kept[0].content_type.rsplit("/", 1)[-1].upper()
            self.fields["drop_kept"] = forms.BooleanField(
                label=f"Remove the file you attached before (a {kind})",
                help_text="We kept it when we asked you to correct something, so you do not need to attach it again.",
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.kept and not cleaned.get("drop_kept") and self.checked is not None:
            self.add_error("attachment", "Attach one file: remove the one you attached before to send this one")
        return cleaned

    @property
    def files_checked(self) -> list[CheckedFile]:
        return [self.checked] if self.checked is not None else []

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.checked = check_upload(upload)
        return upload


class ThreadForm(MessageForm):
    home = forms.ChoiceField(
        label="Which home is it about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select which home", "invalid_choice": "Select which home"},
    )
    topic = forms.ChoiceField(
        label="What is it about?",
        choices=Topic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what it is about", "invalid_choice": "Select what it is about"},
    )
    about_reference = forms.CharField(
        label="Reference (optional)",
        help_text="If it is about a repair or a complaint, give its reference if you know it.",
        required=False,
        max_length=40,
        error_messages={"max_length": "The reference must be 40 characters or fewer"},
    )
    subject = forms.CharField(
        label="Subject",
        help_text="A few words, so you can find it later.",
        max_length=120,
        error_messages={"required": "Enter a subject", "max_length": "The subject must be 120 characters or fewer"},
    )
    who = forms.ChoiceField(
        label="Who can read it?",
        choices=[
            (SHARED, "Everyone who holds the tenancy with me"),
            (PRIVATE, "Only me"),
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select who can read it"},
    )
    # "kind:code" of the record the thread is about, when started from its page (porch.messages.about).
    about = forms.CharField(widget=forms.HiddenInput, required=False)
    field_order = ["key", "about", "home", "topic", "about_reference", "subject", "text", "attachment", "who"]

    def __init__(
        self, *args: Any, homes: list[Tenancy], joint: bool, about: Subject | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if about is not None:
            self._about(about, homes)
            # A home's record: that home. A shared area's (no tenancy): any home they write from.
            homes = [home for home in homes if about.tenancy_id in (None, home.pk)]
        self.homes = offer_homes(self, homes)
        # Only a joint tenant has anyone to share with: they must choose.
        if joint:
            self.fields["who"].required = True
            self.fields["who"].error_messages["required"] = "Select who can read it"
        else:
            del self.fields["who"]

    def _about(self, about: Subject, homes: list[Tenancy]) -> None:
        """Started from a record's page: it names the record, and the topic follows from it."""
        self.fields["about"].initial = f"{about.kind}:{about.code}"
        kind = subject_kind(about.kind)
        if kind is not None:
            self.fields["topic"].initial = kind.topic
        del self.fields["about_reference"]

    def clean_home(self) -> Tenancy:
        return self.homes[self.cleaned_data["home"]]

    @property
    def private(self) -> bool:
        return self.cleaned_data.get("who") == PRIVATE


class InboxForm(GovukForm):
    team = forms.ChoiceField(label="Inbox", required=False)
    show = forms.ChoiceField(label="Show", choices=Show.choices, required=False)

    def __init__(self, *args: Any, teams: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(team, Team(team).label) for team in teams]

    def chosen(self, teams: list[str]) -> tuple[str, str]:
        """The team and which of its threads to show; anything not offered gives the first
        team's threads waiting for a reply."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["team"] or teams[0], self.cleaned_data["show"] or Show.WAITING
        return teams[0], Show.WAITING


class AssignForm(GovukForm):
    """Give a thread to a member of the team who can see it."""

    to = forms.ChoiceField(
        label="Give this thread to",
        error_messages={"required": "Select who to give it to", "invalid_choice": "Select who to give it to"},
    )

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(member.pk): member for member in members}
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose someone"), *((pk, member.username) for pk, member in self.members.items())]

    def clean_to(self) -> User:
        return self.members[self.cleaned_data["to"]]
