"""The staff's forms for documents: adding one to a tenancy, and who may see a type."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from porch.core.forms import GovukDateField, GovukForm
from porch.core.uploads import CheckedFile, check_upload
from porch.documents.models import DocumentType
from porch.housing.models import Membership, Person


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
        assert isinstance(type_field, forms.ModelChoiceField)  # declared so above
        type_field.queryset = DocumentType.objects.filter(id__in=[t.id for t in types])
        self.people = {str(m.person.uuid): m.person for m in members}
        choices = [("", "Everyone on the tenancy")] + [(code, p.full_name) for code, p in self.people.items()]
        addressee = self.fields["addressee"]
        assert isinstance(addressee, forms.ChoiceField)  # declared so above
        addressee.choices = choices
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
