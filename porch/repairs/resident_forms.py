"""The questions of the "report a repair" journey, one a page, and the resident's forms for a
repair they reported (changing its appointment, cancelling it). Error messages in GOV.UK's
words: what to do, not what went wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from porch.core.forms import GovukForm
from porch.core.uploads import IMAGES, WRONG_TYPE_IMAGE, CheckedFile, check_upload
from porch.repairs import categories
from porch.repairs.journey import MAX_PHOTOS, NO_EMERGENCY, NO_SLOT
from porch.repairs.models import Repair, Slot

DESCRIPTION_MAX = 2000


class EmergencyForm(GovukForm):
    emergency = forms.ChoiceField(
        label="Is it one of these emergencies?",
        help_text="If it is, we will tell you what to do now and who to phone.",
        choices=[(emergency.code, emergency.label) for emergency in categories.EMERGENCIES]
        + [(NO_EMERGENCY, "No, none of these")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select an emergency, or select no, none of these",
            "invalid_choice": "Select an emergency, or select no, none of these",
        },
    )
    govuk_page_heading = "emergency"


class HomeForm(GovukForm):
    home = forms.TypedChoiceField(
        label="Which home is the repair for?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which home", "invalid_choice": "Select which home"},
    )
    govuk_page_heading = "home"

    def __init__(self, *args: Any, homes: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "home", [(str(tenancy_id), label) for tenancy_id, label in homes.items()])


class WhereForm(GovukForm):
    where = forms.ChoiceField(
        label="Where is the problem?",
        help_text="Repairs to shared areas can be seen by everyone who lives there, without your name.",
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the problem is", "invalid_choice": "Select where the problem is"},
    )
    govuk_page_heading = "where"

    def __init__(self, *args: Any, places: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "where", list(places.items()))


class AreaForm(GovukForm):
    area = forms.ChoiceField(
        label="Which part of your home is it in?",
        # The shared areas are reported from the previous question, never as part of a home.
        choices=[(area.code, area.label) for area in categories.AREAS if not area.communal],
        widget=forms.RadioSelect,
        error_messages={"required": "Select where in your home", "invalid_choice": "Select where in your home"},
    )
    govuk_page_heading = "area"


class CategoryForm(GovukForm):
    category = forms.ChoiceField(
        label="What is the problem?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the problem is", "invalid_choice": "Select what the problem is"},
    )
    govuk_page_heading = "category"

    def __init__(self, *args: Any, area: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category", [(c.code, c.label) for c in categories.in_area(area)])


class DescriptionForm(GovukForm):
    description = forms.CharField(
        label="Describe the problem",
        help_text="Say what is wrong, where it is and how long it has been happening.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX,
        error_messages={
            "required": "Enter a description of the problem",
            "max_length": f"Description must be {DESCRIPTION_MAX} characters or fewer",
        },
    )
    govuk_page_heading = "description"


class PhotoForm(GovukForm):
    photo = forms.FileField(
        label="Upload a photo",
        help_text=(
            "A JPG or PNG photo, smaller than 10MB. iPhones save HEIC photos, which we cannot read: "
            "in Settings, then Camera, then Formats, choose Most Compatible, or send a screenshot of the photo."
        ),
        error_messages={
            "required": "Select a photo",
            "empty": "The selected file is empty",
            "invalid": "Select a photo",
        },
    )

    def __init__(self, *args: Any, already: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.already = already
        self.checked: CheckedFile | None = None

    def clean_photo(self) -> Any:
        if self.already >= MAX_PHOTOS:
            raise ValidationError(f"You can add up to {MAX_PHOTOS} photos")
        upload = self.cleaned_data["photo"]
        try:
            self.checked = check_upload(upload, IMAGES, WRONG_TYPE_IMAGE)
        except ValidationError as error:
            message = error.messages[0]
            # check_upload names PDFs too when it cannot read an image: a photo form asks for photos.
            raise ValidationError(WRONG_TYPE_IMAGE if "PDF" in message else message) from error
        return upload


class AccessForm(GovukForm):
    availability = forms.CharField(
        label="When can someone let us in?",
        help_text="For example, weekday mornings, or any time after 3pm.",
        max_length=500,
        error_messages={
            "required": "Enter when someone can let us in",
            "max_length": "When someone can let us in must be 500 characters or fewer",
        },
    )
    access_notes = forms.CharField(
        label="Anything we need to know to get in (optional)",
        help_text="For example, a door code, a dog, or where to park. Do not write any passwords.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
        error_messages={"max_length": "Anything we need to know must be 500 characters or fewer"},
    )
    needs_extra_help = forms.BooleanField(
        label="Someone in the home needs extra help",
        help_text="For example, because of a disability, illness or age. We will plan the visit with this in mind.",
        required=False,
    )


class ContactForm(GovukForm):
    contact_name = forms.CharField(
        label="Name",
        max_length=100,
        error_messages={
            "required": "Enter the name of who we should contact",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
    contact_phone = forms.RegexField(
        label="Phone number",
        help_text="For example, 07700 900 982. The contractor may phone this number to arrange the visit.",
        regex=r"^\+?[0-9 ()-]{10,20}$",
        max_length=20,
        error_messages={
            "required": "Enter a phone number",
            "invalid": "Enter a phone number, like 07700 900 982",
            "max_length": "Enter a phone number, like 07700 900 982",
        },
    )
    notify_by = forms.ChoiceField(
        label="How should we tell you about updates?",
        choices=[
            (Repair.NotifyBy.EMAIL, "By email"),
            (Repair.NotifyBy.SMS, "By text message"),
            (Repair.NotifyBy.NONE, "Do not send me updates: I will check here"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how we should tell you about updates",
            "invalid_choice": "Select how we should tell you about updates",
        },
    )
    autocomplete = {"contact_name": "name", "contact_phone": "tel"}


class SlotForm(GovukForm):
    slot = forms.ChoiceField(
        label="When would you like us to come?",
        help_text="Someone aged 18 or over needs to be in for the whole time.",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a time, or select none of these suit me",
            "invalid_choice": "That time is no longer free: select another",
        },
    )
    govuk_page_heading = "slot"

    def __init__(self, *args: Any, slots: list[Slot], allow_none: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = {str(slot.uuid): slot for slot in slots}
        choices = [(code, str(slot)) for code, slot in self.slots.items()]
        if allow_none:
            choices.append((NO_SLOT, "None of these suit me: contact me to arrange a time"))
        _choices(self, "slot", choices)


class CheckForm(GovukForm):
    """The check-your-answers page's one field: the journey's key, so the submit is once only."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)


CANCEL_REASONS = {
    "fixed": "It has been fixed or the problem has gone",
    "mistake": "I reported it by mistake",
    "duplicate": "I reported it twice",
    "other": "Another reason",
}


class CancelForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why do you want to cancel this repair?",
        choices=list(CANCEL_REASONS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you want to cancel", "invalid_choice": "Select why you want to cancel"},
    )
    govuk_page_heading = "reason"

    def reason_words(self) -> str:
        return CANCEL_REASONS[self.cleaned_data["reason"]]


def emergency_phone() -> str:
    phone: str = settings.REPAIRS_EMERGENCY_PHONE
    return phone


def _field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    _field(form, name).choices = choices
