from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from porch.accounts.models import User
from porch.core.forms import GovukDateField, GovukForm
from porch.core.module import PORTAL
from porch.core.modules import switch_choices, switch_name
from porch.incidents import access
from porch.incidents.models import Incident
from porch.incidents.services import display_name, join_refusal


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

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            # We know who they are and how to reach them: their account says.
            del self.fields["contact_name"], self.fields["contact"]


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


# --- The incident record ----------------------------------------------------------

SEVERITIES = [(value, label) for value, label in Incident.Severity.choices if value]
DECISIONS = [(Incident.Decision.YES.value, "Yes"), (Incident.Decision.NO.value, "No")]


class DetailsForm(GovukForm):
    severity = forms.ChoiceField(
        label="How severe is it?",
        choices=SEVERITIES,
        widget=forms.RadioSelect,
        help_text="Critical: data is leaking now, or special category data (health, ASB) reached someone.",
        error_messages={"required": "Choose how severe it is"},
    )
    summary = forms.CharField(
        label="Summary (one line)",
        max_length=200,
        error_messages={
            "required": "Enter a one-line summary",
            "max_length": "Summary must be 200 characters or fewer",
        },
    )


if TYPE_CHECKING:
    # Django's form fields take no type arguments when the code runs: only mypy sees the model.
    UserChoiceField = forms.ModelChoiceField[User]
else:
    UserChoiceField = forms.ModelChoiceField


class StaffChoiceField(UserChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return display_name(obj)


class OwnerForm(GovukForm):
    owner = StaffChoiceField(
        label="Owner",
        queryset=None,  # set per incident: the staff who can see it
        to_field_name="uuid",
        empty_label="Choose someone",
        help_text="The Data Protection Officer or someone called about this incident.",
        error_messages={"required": "Choose who owns this incident", "invalid_choice": "Choose who owns this incident"},
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, StaffChoiceField)
        owner.queryset = people


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(label="Why?", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class IcoDecisionForm(DecisionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].label = "Tell the ICO?"
        self.fields[
            "decision"
        ].help_text = "Yes if the breach is likely to result in a risk to people's rights and freedoms."
        self.fields["decision"].error_messages["required"] = "Choose whether to tell the ICO"
        self.fields["reason"].error_messages["required"] = "Enter why you decided to tell the ICO or not"


class AffectedDecisionForm(DecisionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].label = "Tell the people affected?"
        self.fields["decision"].help_text = "Yes if the breach is likely to result in a high risk to them."
        self.fields["decision"].error_messages["required"] = "Choose whether to tell the people affected"
        self.fields["reason"].error_messages["required"] = "Enter why you decided to tell them or not"


class IcoToldForm(GovukForm):
    told_on = GovukDateField(
        label="Date you told the ICO", error_messages={"required": "Enter the date you told the ICO"}
    )
    told_time = forms.CharField(
        label="Time you told the ICO",
        help_text="Use the 24-hour clock, for example 14:30.",
        max_length=5,
        error_messages={"required": "Enter the time you told the ICO"},
    )
    reference = forms.CharField(
        label="The ICO's reference (optional)", max_length=50, required=False, help_text="For example, IC-123456-A1B2."
    )

    def clean_told_time(self) -> datetime.time:
        text = self.cleaned_data["told_time"].strip().replace(".", ":")
        try:
            return datetime.datetime.strptime(text, "%H:%M").time()
        except ValueError:
            raise forms.ValidationError("Enter the time as hours and minutes, for example 14:30") from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, time = cleaned.get("told_on"), cleaned.get("told_time")
        if day and time:
            told_at = timezone.make_aware(datetime.datetime.combine(day, time))
            if told_at > timezone.now():
                self.add_error("told_on", "The date and time you told the ICO must be in the past")
            cleaned["told_at"] = told_at
        return cleaned


class ReviewForm(GovukForm):
    what_happened = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, required=False
    )
    cause = forms.CharField(
        label="Why it happened (the cause)", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000, required=False
    )
    lessons = forms.CharField(
        label="What we learned", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000, required=False
    )
    actions = forms.CharField(
        label="Actions",
        help_text="Who will do what, by when.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        required=False,
    )


class JoinForm(GovukForm):
    reference = forms.CharField(
        label="It is the same problem as incident",
        help_text="The other incident's reference or one of its reports' references, for example PI-3F2A1C. "
        "This incident's reports move there and this one closes.",
        max_length=12,
        error_messages={"required": "Enter the reference of the incident it is the same as"},
    )

    def __init__(self, *args: Any, incident: Incident, visible: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.visible = visible

    def clean_reference(self) -> Incident:
        into = access.incident_by_reference(self.visible, self.cleaned_data["reference"])
        if into is None:
            raise forms.ValidationError("There is no incident with that reference")
        refusal = join_refusal(self.incident, into)
        if refusal:
            raise forms.ValidationError(refusal)
        return into


class FindForm(GovukForm):
    reference = forms.CharField(
        label="Find a privacy problem by its reference",
        help_text="The reference a reporter or caller was given, or the incident's, for example PI-3F2A1C.",
        max_length=20,
        error_messages={"required": "Enter a reference"},
    )


NO_WHOLE_PORTAL = "Confirm you want to switch off the whole portal for every resident"


class ContainForm(GovukForm):
    """Stop it now. Nothing is chosen for the responder, and the whole portal needs its own
    confirmation: one careless click would otherwise take the portal from every resident."""

    module = forms.ChoiceField(
        label="What do you want to switch off for everyone?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to switch off", "invalid_choice": "Select what to switch off"},
    )
    whole_portal = forms.BooleanField(
        label="Yes, switch off the whole portal for every resident",
        help_text="Only if you chose the whole portal. Switching it back on needs a second person.",
        required=False,
    )

    def __init__(
        self, *args: Any, already_off: frozenset[str], reported: str = "", drill: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        module = self.fields["module"]
        assert isinstance(module, forms.ChoiceField)
        module.choices = [
            (value, f"{label} (already switched off for everyone)" if value in already_off else label)
            for value, label in switch_choices()
        ]
        self.already_off_labels = [label for value, label in switch_choices() if value in already_off]
        if drill:
            module.label = "Drill: what would you switch off for everyone? Nothing real is switched off."
        if reported:
            module.help_text = f"The first report came from a page in {switch_name(reported)}."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("module") == PORTAL.key and not cleaned.get("whole_portal"):
            self.add_error("whole_portal", NO_WHOLE_PORTAL)
        return cleaned


class NearMissReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why is the ICO not being told?",
        help_text="For example: the letter was stopped before it was posted, so nobody's data reached anyone.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Enter why the ICO is not being told"},
    )


class NearMissForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label="What nearly happened, in one line",
        max_length=200,
        error_messages={
            "required": "Enter a one-line summary",
            "max_length": "Summary must be 200 characters or fewer",
        },
    )
    what_happened = forms.CharField(
        label="What happened",
        help_text="What was caught, how, and by whom.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": "Enter what happened"},
    )
    happened_on = GovukDateField(
        label="When did it happen?",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date it happened"},
    )
    reason = forms.CharField(
        label="Why was the ICO not told?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Enter why the ICO was not told"},
    )

    def clean_happened_on(self) -> datetime.date:
        happened_on: datetime.date = self.cleaned_data["happened_on"]
        if happened_on > timezone.localdate():
            raise forms.ValidationError("The date it happened must be today or in the past")
        return happened_on


class DrillStartForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
