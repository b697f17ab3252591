from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from porch.core.forms import GovukDateField, GovukForm
from porch.documents.files import CheckedFile, check_upload
from porch.documents.models import DocumentType
from porch.housing.models import Membership, Person
from porch.staff.models import BreakGlass, ViewAsSession


class TenancySearchForm(GovukForm):
    q = forms.CharField(
        label="Search by tenancy reference, postcode, name or address",
        min_length=2,
        max_length=100,
        error_messages={"required": "Enter something to search for", "min_length": "Enter at least 2 characters"},
    )


class DocumentUploadForm(GovukForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    document_type = forms.ModelChoiceField(
        label="Type of document",
        queryset=DocumentType.objects.none(),
        empty_label="Choose a type",
        error_messages={"required": "Select the type of document"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    dated = GovukDateField(
        label="Date on the document",
        help_text=(
            "The date printed on the letter or statement, for example 27 3 2026. Leave it empty for today. "
            "Residents who join the tenancy later do not see documents dated before they joined."
        ),
        required=False,
    )
    addressee = forms.ChoiceField(
        label="Who is it for?",
        help_text="Leave as 'Everyone on the tenancy' unless the document is for one person only.",
        required=False,
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, JPG or PNG, smaller than 10MB. Photos from a phone's normal camera setting are fine.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty", "invalid": "Select a file"},
    )

    def __init__(self, *args: Any, types: list[DocumentType], members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field = self.fields["document_type"]
        type_field.queryset = DocumentType.objects.filter(id__in=[t.id for t in types])  # type: ignore[attr-defined]
        self.people = {str(m.person.uuid): m.person for m in members}
        choices = [("", "Everyone on the tenancy")] + [(code, p.full_name) for code, p in self.people.items()]
        self.fields["addressee"].choices = choices  # type: ignore[attr-defined]
        self.checked: CheckedFile | None = None

    def clean_dated(self) -> datetime.date:
        dated: datetime.date | None = self.cleaned_data["dated"]
        if dated is None:
            return timezone.localdate()
        if dated > timezone.localdate():
            raise ValidationError("Date on the document must be today or in the past")
        return dated

    def clean_addressee(self) -> Person | None:
        code = self.cleaned_data["addressee"]
        return self.people.get(code) if code else None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            self.checked = check_upload(upload)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from error
        return upload


class DocumentTypeVisibilityForm(GovukForm):
    resident_visible = forms.TypedChoiceField(
        label="Can residents see documents of this type?",
        choices=[("yes", "Yes, residents on the tenancy can see them"), ("no", "No, staff only")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether residents can see documents of this type"},
    )


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
