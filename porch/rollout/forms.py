from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from porch.core.forms import GovukDateField, GovukForm
from porch.core.roles import StaffRole
from porch.core.uploads import check_upload
from porch.housing.models import Block, Estate, Patch
from porch.housing.synthetic import TEST_PATCH
from porch.rollout import access
from porch.rollout.launch import tenancies_from_references


class SwitchReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why?",
        help_text="For example the incident number. Everyone who manages switches can see this.",
        max_length=500,
        error_messages={"required": "Enter why"},
    )


class CohortForm(GovukForm):
    name = forms.CharField(
        label="Name of the cohort", max_length=100, error_messages={"required": "Enter a name for the cohort"}
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if access.cohort_name_taken(name):
            raise ValidationError("A cohort already has that name")
        return name


class CohortHomesForm(GovukForm):
    """Add a whole patch, estate or block, or a list of tenancy references."""

    patch = forms.ModelChoiceField(
        label="A whole patch", queryset=Patch.objects.exclude(name=TEST_PATCH), required=False, empty_label="None"
    )
    estate = forms.ModelChoiceField(
        label="A whole estate", queryset=Estate.objects.all(), required=False, empty_label="None"
    )
    block = forms.ModelChoiceField(
        label="A whole block", queryset=Block.objects.all(), required=False, empty_label="None"
    )
    references = forms.CharField(
        label="Or a list of tenancy references",
        help_text="One on each line, or separated by commas.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    references_file = forms.FileField(
        label="Or upload a list of tenancy references",
        help_text="A CSV or text file with one reference on each line, smaller than 1MB.",
        required=False,
    )

    def clean_references_file(self) -> str:
        upload = self.cleaned_data.get("references_file")
        if not upload:
            return ""
        if upload.size > 1024 * 1024 or not (upload.name or "").lower().endswith((".csv", ".txt")):
            raise ValidationError("The selected file must be a CSV or text file smaller than 1MB")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ValidationError("The selected file must be a CSV or text file smaller than 1MB") from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        places: list[dict[str, Any]] = [
            {name: cleaned[name]} for name in ("patch", "estate", "block") if cleaned.get(name)
        ]
        references = "\n".join(filter(None, [cleaned.get("references"), cleaned.get("references_file")]))
        if references:
            found, missing = tenancies_from_references(references)
            if missing:
                self.add_error("references", f"These references do not match a tenancy: {', '.join(missing[:10])}")
            places += [{"tenancy": tenancy} for tenancy in found]
        if not places and not self.errors:
            raise forms.ValidationError("Choose a patch, estate or block, or enter tenancy references")
        cleaned["places"] = places
        return cleaned


class DpiaForm(GovukForm):
    dpia = forms.FileField(
        label="Upload the DPIA",
        help_text="A PDF, smaller than 10MB.",
        error_messages={"required": "Select the DPIA file"},
    )

    def clean_dpia(self) -> Any:
        upload = self.cleaned_data["dpia"]
        try:
            self.checked = check_upload(upload)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from error
        if self.checked.content_type != "application/pdf":
            raise ValidationError("The DPIA must be a PDF")
        return upload


class RoleGrantForm(GovukForm):
    role = forms.ChoiceField(
        label="Role or permission to give", choices=StaffRole.choices, error_messages={"required": "Select a role"}
    )


class TrainingForm(GovukForm):
    completed_on = GovukDateField(
        label="Date the training was completed",
        must_be_past=True,
        error_messages={"required": "Enter the date the training was completed"},
    )

    def clean_completed_on(self) -> Any:
        completed: datetime.date = self.cleaned_data["completed_on"]
        if completed < datetime.date.today() - datetime.timedelta(days=3 * 365):
            raise ValidationError("The date must be within the last 3 years")
        return completed


class TrainingWindowForm(GovukForm):
    days = forms.IntegerField(
        label="How many days data protection training lasts",
        min_value=30,
        max_value=730,
        error_messages={
            "required": "Enter a number of days",
            "min_value": "Enter at least 30 days",
            "max_value": "Enter at most 730 days",
        },
    )
