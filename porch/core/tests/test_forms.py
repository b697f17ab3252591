"""GOV.UK form rendering: porch.core.forms and templates/porch/forms/."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import timezone

from porch.core.forms import GovukDateField, GovukForm, GovukFormRenderer

RENDERER = "porch.core.forms.GovukFormRenderer"


class DateOfBirthForm(GovukForm):
    autocomplete = {"full_name": "name", "date_of_birth": "bday"}

    full_name = forms.CharField(
        label="Full name",
        help_text="As it appears on your tenancy agreement",
        error_messages={"required": "Enter your full name"},
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        help_text="For example, 27 3 1985",
        must_be_past=True,
        error_messages={"required": "Enter your date of birth"},
    )


def submit(**data: str) -> DateOfBirthForm:
    values = {
        "full_name": "Alice Example",
        "date_of_birth_day": "",
        "date_of_birth_month": "",
        "date_of_birth_year": "",
    }
    values.update(data)
    form = DateOfBirthForm(data=values, renderer=GovukFormRenderer())
    form.is_valid()
    return form


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def inputs(html: str) -> dict[str, dict[str, str | None]]:
    """Every <input> in the HTML, by id, with its attributes."""
    found: dict[str, dict[str, str | None]] = {}

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "input":
                attributes = dict(attrs)
                found[str(attributes.get("id"))] = attributes

    Parser().feed(html)
    return found


def date_errors(day: str, month: str, year: str) -> list[str]:
    form = submit(date_of_birth_day=day, date_of_birth_month=month, date_of_birth_year=year)
    return [str(error) for error in form.errors.get("date_of_birth") or []]


def test_a_blank_form_renders_gov_uk_labels_hints_and_inputs() -> None:
    html = squash(str(DateOfBirthForm(renderer=GovukFormRenderer())))

    assert '<label class="govuk-label" for="id_full_name">Full name</label>' in html
    assert '<div id="id_full_name_helptext" class="govuk-hint">As it appears on your tenancy agreement</div>' in html
    assert 'class="govuk-input"' in html
    assert 'autocomplete="name"' in html
    assert 'aria-describedby="id_full_name_helptext"' in html
    assert "required" not in html  # GOV.UK errors come from the server, not the browser
    assert "govuk-form-group--error" not in html


def test_the_date_field_is_a_gov_uk_date_input_in_a_fieldset() -> None:
    html = squash(str(DateOfBirthForm(renderer=GovukFormRenderer())))

    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_date_of_birth_helptext">' in html
    assert '<legend class="govuk-fieldset__legend"> Date of birth </legend>' in html
    assert '<div class="govuk-date-input" id="id_date_of_birth">' in html
    boxes = inputs(html)
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        label = f'<label class="govuk-label govuk-date-input__label" for="id_date_of_birth_{part}">'
        assert f"{label}{part.capitalize()}</label>" in html
        assert boxes[f"id_date_of_birth_{part}"] == {
            "type": "text",
            "name": f"date_of_birth_{part}",
            "id": f"id_date_of_birth_{part}",
            "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
            "inputmode": "numeric",
            "autocomplete": f"bday-{part}",
        }


def test_the_form_renders_through_the_configured_renderer() -> None:
    with override_settings(FORM_RENDERER=RENDERER):
        html = str(DateOfBirthForm())
    assert "govuk-date-input" in html


def test_an_empty_submission_shows_gov_uk_errors_on_each_field() -> None:
    form = submit(full_name="")
    html = squash(str(form))

    assert form.errors == {"full_name": ["Enter your full name"], "date_of_birth": ["Enter your date of birth"]}
    assert html.count("govuk-form-group govuk-form-group--error") == 2
    assert (
        '<p id="id_full_name_error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Enter your full name</p>'
    ) in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_full_name_helptext id_full_name_error"' in html
    assert 'aria-describedby="id_date_of_birth_helptext id_date_of_birth_error"' in html
    assert html.count("govuk-input--width-2 govuk-input--error") == 2
    assert html.count("govuk-input--width-4 govuk-input--error") == 1


def test_the_error_summary_links_each_error_to_its_field() -> None:
    form = submit(full_name="")
    html = squash(render_to_string("porch/forms/error_summary.html", {"form": form}))

    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert '<li><a href="#id_full_name">Enter your full name</a></li>' in html
    assert '<li><a href="#id_date_of_birth_day">Enter your date of birth</a></li>' in html


def test_the_error_summary_links_to_the_first_wrong_part_of_a_date() -> None:
    form = submit(date_of_birth_day="12", date_of_birth_year="1980")
    html = squash(render_to_string("porch/forms/error_summary.html", {"form": form}))

    assert '<a href="#id_date_of_birth_month">Date of birth must include a month</a>' in html
    boxes = inputs(str(form["date_of_birth"].as_field_group()))
    assert (
        boxes["id_date_of_birth_month"]["class"]
        == "govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error"
    )
    assert boxes["id_date_of_birth_month"]["aria-invalid"] == "true"
    assert boxes["id_date_of_birth_day"]["class"] == "govuk-input govuk-date-input__input govuk-input--width-2"
    assert "aria-invalid" not in boxes["id_date_of_birth_day"]


def test_errors_for_the_whole_form_are_in_the_summary() -> None:
    form = submit()
    form.add_error(None, "Your details do not match our records")
    html = squash(render_to_string("porch/forms/error_summary.html", {"form": form}))

    assert '<li><a href="#id_full_name">Your details do not match our records</a></li>' in html


def test_the_error_summary_is_empty_for_a_valid_form() -> None:
    form = submit(date_of_birth_day="1", date_of_birth_month="2", date_of_birth_year="1980")
    assert render_to_string("porch/forms/error_summary.html", {"form": form}).strip() == ""


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "3", "1980", "Date of birth must include a day"),
        ("", "", "1980", "Date of birth must include a day and month"),
        ("12", "", "", "Date of birth must include a month and year"),
        ("31", "2", "1980", "Date of birth must be a real date"),
        ("32", "1", "1980", "Date of birth must be a real date"),
        ("1", "13", "1980", "Date of birth must be a real date"),
        ("x", "1", "1980", "Date of birth must be a real date"),
        ("1", "1", "80", "Year must include 4 numbers"),
        ("1", "1", "2999", "Date of birth must be in the past"),
    ],
)
def test_a_wrong_date_gets_the_gov_uk_message(day: str, month: str, year: str, message: str) -> None:
    assert date_errors(day, month, year) == [message]


def test_a_real_date_cleans_to_a_date() -> None:
    form = submit(date_of_birth_day=" 27 ", date_of_birth_month="3", date_of_birth_year="1985")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(1985, 3, 27)


def test_a_month_may_be_typed_as_a_name() -> None:
    form = submit(date_of_birth_day="1", date_of_birth_month="Sept", date_of_birth_year="1990")

    assert form.cleaned_data["date_of_birth"] == datetime.date(1990, 9, 1)


def test_an_optional_date_left_blank_cleans_to_none() -> None:
    class OptionalDateForm(GovukForm):
        moved_in = GovukDateField(label="Date you moved in", required=False)

    form = OptionalDateForm(data={}, renderer=GovukFormRenderer())

    assert form.is_valid()
    assert form.cleaned_data["moved_in"] is None


def test_messages_are_worded_from_the_error_name() -> None:
    class TenancyForm(GovukForm):
        start = GovukDateField(
            label="When did your tenancy start?", error_name="Tenancy start date", must_be_future=False
        )

    form = TenancyForm(data={"start_day": "", "start_month": "", "start_year": ""}, renderer=GovukFormRenderer())
    assert form.errors["start"] == ["Enter tenancy start date"]

    form = TenancyForm(data={"start_day": "30", "start_month": "2", "start_year": "2020"}, renderer=GovukFormRenderer())
    assert form.errors["start"] == ["Tenancy start date must be a real date"]


def test_a_future_only_date_refuses_today() -> None:
    class AppointmentForm(GovukForm):
        visit = GovukDateField(label="Appointment date", must_be_future=True)

    today = timezone.localdate()
    data = {"visit_day": str(today.day), "visit_month": str(today.month), "visit_year": str(today.year)}
    form = AppointmentForm(data=data, renderer=GovukFormRenderer())

    assert form.errors["visit"] == ["Appointment date must be in the future"]


def test_a_bound_form_shows_what_was_typed() -> None:
    html = str(submit(date_of_birth_day="31", date_of_birth_month="2", date_of_birth_year="1980"))

    assert 'name="date_of_birth_day" value="31"' in html
    assert 'name="full_name" value="Alice Example"' in html


def test_radios_and_checkboxes_are_gov_uk_fieldsets() -> None:
    class ContactForm(GovukForm):
        method = forms.ChoiceField(
            label="How should we contact you?",
            choices=[("email", "Email"), ("phone", "Phone")],
            widget=forms.RadioSelect,
        )
        topics = forms.MultipleChoiceField(
            label="Topics", choices=[("rent", "Rent")], widget=forms.CheckboxSelectMultiple, required=False
        )
        agree = forms.BooleanField(label="I agree")

    form = ContactForm(data={}, renderer=GovukFormRenderer())
    html = squash(str(form))
    summary = squash(render_to_string("porch/forms/error_summary.html", {"form": form}))

    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert inputs(html)["id_method_0"] == {
        "type": "radio",
        "name": "method",
        "value": "email",
        "class": "govuk-radios__input",
        "aria-invalid": "true",
        "id": "id_method_0",
    }
    assert '<label class="govuk-label govuk-radios__label" for="id_method_0">Email</label>' in html
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_agree">I agree</label>' in html
    assert '<legend class="govuk-fieldset__legend"> How should we contact you? </legend>' in html
    assert '<a href="#id_method_0">' in summary
    assert '<a href="#id_agree">' in summary


def test_the_page_heading_field_has_its_label_in_an_h1() -> None:
    class EmailForm(GovukForm):
        govuk_page_heading = "email"
        email = forms.EmailField(label="What is your email address?")

    html = squash(str(EmailForm(renderer=GovukFormRenderer())))

    label = '<label class="govuk-label govuk-label--l" for="id_email">What is your email address?</label>'
    assert f'<h1 class="govuk-label-wrapper">{label}</h1>' in html
    assert 'type="email"' in html
