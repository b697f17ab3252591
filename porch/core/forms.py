"""GOV.UK Design System forms for Django.

Pages render a form as ``{{ form }}`` (templates/porch/forms/form.html) and put
the error summary at the top of the page::

    {% block title %}{% if form.errors %}Error: {% endif %}Your date of birth{% endblock %}
    ...
    {% include "porch/forms/error_summary.html" with form=form %}
    <form method="post" novalidate>
      {% csrf_token %}
      {{ form }}
      <button type="submit" class="govuk-button" data-module="govuk-button"
              data-prevent-double-click="true">Continue</button>
    </form>

- ``GovukForm`` / ``GovukModelForm`` give every widget its GOV.UK class, turn
  off the browser's own validation (GOV.UK error messages come from the
  server), and take ``autocomplete`` values from the class attribute
  ``autocomplete = {"field_name": "email", ...}``.
- ``govuk_page_heading = "field_name"`` makes that field's label (or legend)
  the page's ``<h1>``, for one-thing-per-page questions.
- Error classes (``govuk-input--error`` and friends) and ``aria-describedby``
  are added when the field is rendered, not in ``__init__``: a form's errors
  are only known once it has been validated, and validating in ``__init__``
  would run ``clean()`` before subclasses finish setting up. The hint's id is
  ``<id>_helptext`` and the error message's id is ``<id>_error``, which are the
  ids Django itself puts in ``aria-describedby``.
- ``GovukDateField`` follows the GOV.UK date input pattern and its wording.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorList
from django.forms.widgets import Input
from django.http import HttpRequest
from django.utils import timezone

from porch.core.govuk_render import WRITERS
from porch.core.markers import MARKER_TEXT, redact

DATE_PARTS = ("day", "month", "year")

# The kind of GOV.UK component each widget becomes, decided once per widget.
INPUT, TEXTAREA, SELECT, FILE, CHECKBOX, CHECKBOXES, RADIOS, DATE, HIDDEN, OTHER = (
    "input",
    "textarea",
    "select",
    "file",
    "checkbox",
    "checkboxes",
    "radios",
    "date",
    "hidden",
    "other",
)
FIELDSET_KINDS = frozenset({CHECKBOXES, RADIOS, DATE})

WIDGET_CLASSES = {
    INPUT: "govuk-input",
    TEXTAREA: "govuk-textarea",
    SELECT: "govuk-select",
    FILE: "govuk-file-upload",
    CHECKBOX: "govuk-checkboxes__input",
    CHECKBOXES: "govuk-checkboxes__input",
    RADIOS: "govuk-radios__input",
}
ERROR_CLASSES = {
    INPUT: "govuk-input--error",
    TEXTAREA: "govuk-textarea--error",
    SELECT: "govuk-select--error",
    FILE: "govuk-file-upload--error",
}


def govuk_kind(widget: forms.Widget) -> str:
    """Which GOV.UK component a Django widget is rendered as."""
    if widget.is_hidden:
        return HIDDEN
    if isinstance(widget, GovukDateInput):
        return DATE
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: test it first
        return CHECKBOXES
    if isinstance(widget, forms.RadioSelect):
        return RADIOS
    if isinstance(widget, forms.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, forms.Select):  # includes SelectMultiple
        return SELECT
    if isinstance(widget, forms.Textarea):
        return TEXTAREA
    if isinstance(widget, forms.FileInput):
        return FILE
    if isinstance(widget, Input):
        return INPUT
    return OTHER


def _add_classes(existing: str | None, *classes: str) -> str:
    names = (existing or "").split()
    names.extend(name for name in classes if name not in names)
    return " ".join(names)


def govuk_style_widget(widget: forms.Widget, *, autocomplete: str | None = None) -> None:
    """Give a widget its GOV.UK class, templates and autocomplete value (in place)."""
    kind = govuk_kind(widget)
    if kind in WIDGET_CLASSES:
        widget.attrs["class"] = _add_classes(widget.attrs.get("class"), WIDGET_CLASSES[kind])
    # The isinstance tests repeat what govuk_kind found, so mypy knows the widget's type.
    if kind == RADIOS and isinstance(widget, forms.RadioSelect):
        widget.template_name = "porch/forms/widgets/radios.html"
        widget.option_template_name = "porch/forms/widgets/choice_option.html"
    elif kind == CHECKBOXES and isinstance(widget, forms.CheckboxSelectMultiple):
        widget.template_name = "porch/forms/widgets/checkboxes.html"
        widget.option_template_name = "porch/forms/widgets/choice_option.html"
    elif kind == FILE and isinstance(widget, forms.ClearableFileInput):
        # GOV.UK has no "clear" checkbox; a file upload is just the input.
        widget.template_name = "django/forms/widgets/input.html"
    if autocomplete:
        if isinstance(widget, GovukDateInput):
            widget.autocomplete = autocomplete
        else:
            widget.attrs["autocomplete"] = autocomplete


class GovukBoundField(BoundField):
    """A BoundField that knows which GOV.UK component it is rendered as."""

    @property
    def govuk_kind(self) -> str:
        return govuk_kind(self.field.widget)

    @property
    def uses_fieldset(self) -> bool:
        return self.govuk_kind in FIELDSET_KINDS

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}_helptext"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}_error"

    @property
    def is_page_heading(self) -> bool:
        return bool(self.name) and getattr(self.form, "govuk_page_heading", None) == self.name

    @property
    def date_error_parts(self) -> tuple[str, ...]:
        """Which of day, month and year to highlight (all three when the date as a whole is wrong)."""
        if self.govuk_kind != DATE or not self.errors:
            return ()
        for error in self.form.errors.get(self.name, ErrorList()).as_data():
            parts = (error.params or {}).get("parts")
            if parts:
                return tuple(part for part in DATE_PARTS if part in parts)
        return DATE_PARTS

    @property
    def error_anchor(self) -> str:
        """The id the error summary links to: the (first wrong) input of this field."""
        kind = self.govuk_kind
        if kind == DATE:
            parts = self.date_error_parts or DATE_PARTS
            return f"{self.auto_id}_{parts[0]}"
        if kind in (RADIOS, CHECKBOXES):
            return f"{self.auto_id}_0"
        return self.auto_id

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        built: dict[str, Any] = super().build_widget_attrs(attrs, widget)
        kind = govuk_kind(widget)
        if self.errors and kind in ERROR_CLASSES:
            current = built.get("class") or widget.attrs.get("class")
            built["class"] = _add_classes(current, WIDGET_CLASSES[kind], ERROR_CLASSES[kind])
        if kind == DATE:
            built[GovukDateInput.ERROR_PARTS_ATTR] = self.date_error_parts
        return built


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with the GOV.UK templates in templates/porch/forms/.

    The commonest of those templates, and Django's text-box widget templates, are written
    out in Python to the same bytes (porch.core.govuk_render, ADR 0016): change one of
    them and change its function too (porch/core/tests/test_govuk_render.py compares them).

    TemplatesSetting uses the project's TEMPLATES, so ``django.forms`` must be
    in INSTALLED_APPS for Django's own widget templates to be found.
    """

    form_template_name = "porch/forms/form.html"
    field_template_name = "porch/forms/field.html"
    bound_field_class = GovukBoundField

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        """The form, its field groups and its text boxes are written in Python, to the same
        bytes as their templates (porch.core.govuk_render, ADR 0016); anything else, and any
        render with a request, goes through its template."""
        write = WRITERS.get(template_name) if request is None else None
        html = write(context) if write is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return html.strip()  # as BaseRenderer.render strips what the template gave


class GovukFormMixin:
    """The GOV.UK behaviour shared by GovukForm and GovukModelForm."""

    # Server-side GOV.UK error messages, not the browser's own bubbles.
    use_required_attribute = False
    bound_field_class: type[BoundField] | None = GovukBoundField
    # Field name -> autocomplete token, e.g. {"email": "email", "date_of_birth": "bday"}.
    autocomplete: ClassVar[Mapping[str, str]] = {}
    # The name of the field whose label is the page's <h1>, if any.
    govuk_page_heading: ClassVar[str | None] = None

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            govuk_style_widget(field.widget, autocomplete=self.autocomplete.get(name))
        form = cast(forms.BaseForm, self)
        if form.is_bound:
            form.data = _without_canary_markers(form.data)


def _without_canary_markers(data: Any) -> Any:
    """Nobody may type a canary marker into the portal: a form shown again with its input, or
    a page showing what was saved, would trip the canary guard for a leak that never happened,
    and anyone who learnt one marker could switch the portal off at will. Markers in input
    are replaced before anything is checked, saved or shown again."""
    if not hasattr(data, "lists") or not any(
        MARKER_TEXT.search(value) for _, values in data.lists() for value in values if isinstance(value, str)
    ):
        return data
    cleaned = data.copy()
    for key, values in data.lists():
        cleaned.setlist(key, [redact(value) if isinstance(value, str) else value for value in values])
    return cleaned


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input component.

    The inputs are named ``<name>_day``, ``<name>_month`` and ``<name>_year``
    and have the ids ``<id>_day``, ``<id>_month`` and ``<id>_year``.
    """

    template_name = "porch/forms/widgets/date_input.html"
    use_fieldset = True
    ERROR_PARTS_ATTR = "govuk_error_parts"

    def __init__(self, attrs: dict[str, Any] | None = None, *, autocomplete: str | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {part: forms.TextInput() for part in DATE_PARTS}
        super().__init__(widgets, attrs)
        self.autocomplete = autocomplete

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        error_parts = attrs.pop(self.ERROR_PARTS_ATTR, ()) or ()
        attrs.pop("class", None)  # each box gets its own classes below
        context: dict[str, Any] = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("aria-invalid", None)
        id_ = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            sub_attrs = subwidget["attrs"]
            if id_:
                sub_attrs["id"] = f"{id_}_{part}"
            classes = ["govuk-input", "govuk-date-input__input", f"govuk-input--width-{4 if part == 'year' else 2}"]
            if part in error_parts:
                classes.append("govuk-input--error")
                sub_attrs["aria-invalid"] = "true"
            else:
                sub_attrs.pop("aria-invalid", None)
            sub_attrs["class"] = " ".join(classes)
            sub_attrs["inputmode"] = "numeric"
            if self.autocomplete:
                sub_attrs["autocomplete"] = f"{self.autocomplete}-{part}"
            subwidget["part"] = part
            subwidget["label"] = part.capitalize()
        return context


_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_NAMES["sept"] = 9


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, with GOV.UK error messages.

    Messages name the thing being asked for: ``error_name`` (default: the
    label, without a trailing question mark). With ``label="Date of birth"``:

    - nothing entered: "Enter date of birth" (pass
      ``error_messages={"required": "Enter your date of birth"}`` to reword)
    - a part missing: "Date of birth must include a month"
    - not a real date: "Date of birth must be a real date"
    - a 2-digit year: "Year must include 4 numbers"
    - ``must_be_past=True``: "Date of birth must be in the past"
    - ``must_be_future=True``: "Date of birth must be in the future"

    Custom messages may use ``{name}`` (mid-sentence) and ``{Name}`` (sentence
    start); "incomplete" may also use ``{missing}``. Months may be typed as
    numbers or names ("3", "Mar", "March"). ``autocomplete="bday"`` sets
    bday-day, bday-month and bday-year on the boxes.
    """

    widget = GovukDateInput
    default_error_messages = {
        "required": "Enter {name}",
        "incomplete": "{Name} must include a {missing}",
        "invalid": "{Name} must be a real date",
        "year_length": "Year must include 4 numbers",
        "past": "{Name} must be in the past",
        "future": "{Name} must be in the future",
    }

    def __init__(
        self,
        *,
        error_name: str | None = None,
        must_be_past: bool = False,
        must_be_future: bool = False,
        autocomplete: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.error_name = error_name
        self.must_be_past = must_be_past
        self.must_be_future = must_be_future
        parts = tuple(forms.CharField(required=False) for _ in DATE_PARTS)
        super().__init__(parts, require_all_fields=False, **kwargs)
        if autocomplete:
            self.widget.autocomplete = autocomplete

    def _names(self) -> dict[str, str]:
        name = str(self.error_name or self.label or "date").strip().rstrip("?").strip()
        starts_acronym = len(name) > 1 and name[1].isupper()
        return {
            "name": name if starts_acronym else name[:1].lower() + name[1:],
            "Name": name[:1].upper() + name[1:],
        }

    def _error(self, code: str, parts: Sequence[str], **extra: str) -> ValidationError:
        message = str(self.error_messages[code]).format(**self._names(), **extra)
        # params carries the parts to highlight; escape % so Django's "message % params" leaves the text alone.
        return ValidationError(message.replace("%", "%%"), code=code, params={"parts": tuple(parts)})

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        if not data_list:
            return None
        day, month, year = data_list
        return datetime.date(int(year), int(month), int(day))

    def clean(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):  # a disabled field's initial value
            return value
        raw = list(value) if isinstance(value, (list, tuple)) else []
        raw += [""] * (3 - len(raw))
        entered = dict(
            zip(DATE_PARTS, (str(part if part is not None else "").strip() for part in raw[:3]), strict=True)
        )

        if not any(entered.values()):
            if self.required:
                raise self._error("required", DATE_PARTS)
            return None

        missing = [part for part in DATE_PARTS if not entered[part]]
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))

        day = _whole_number(entered["day"])
        month = _whole_number(entered["month"]) or _MONTH_NAMES.get(entered["month"].lower().rstrip("."))
        year = _whole_number(entered["year"])
        wrong = [
            part
            for part, number, highest in (("day", day, 31), ("month", month, 12), ("year", year, 9999))
            if number is None or not 1 <= number <= highest
        ]
        if wrong:
            raise self._error("invalid", wrong)
        if len(entered["year"]) != 4:
            raise self._error("year_length", ["year"])
        assert day is not None and month is not None and year is not None
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            raise self._error("invalid", DATE_PARTS) from None

        today = timezone.localdate()
        if self.must_be_past and date >= today:
            raise self._error("past", DATE_PARTS)
        if self.must_be_future and date <= today:
            raise self._error("future", DATE_PARTS)
        self.validate(date)
        self.run_validators(date)
        return date

    def validate(self, value: Any) -> None:
        # Required-ness is handled in clean(); MultiValueField.validate expects a list.
        pass


def _whole_number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


class OfferedHome(Protocol):
    """A home as offered on a form (a Tenancy: core does not import the housing record)."""

    @property
    def uuid(self) -> Any: ...

    @property
    def property(self) -> Any: ...


def offer_homes[H: OfferedHome](form: forms.Form, homes: Sequence[H]) -> dict[str, H]:
    """Fill a form's `home` choice with the resident's homes (each by its uuid, named by its
    first address line), hidden when there is only one; the homes by code, for `clean_home`.
    The ChoiceField refuses any home not offered, so a forged one never gets further."""
    by_code = {str(home.uuid): home for home in homes}
    field = form.fields["home"]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [(code, home.property.address_line_1) for code, home in by_code.items()]
    if len(by_code) == 1:
        field.widget = forms.HiddenInput()
        form.initial["home"] = next(iter(by_code))
    return by_code
