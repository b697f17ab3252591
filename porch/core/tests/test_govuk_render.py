"""The form markup written in Python (porch.core.govuk_render, ADR 0016) is, byte for byte,
what the templates give; it is what GovukFormRenderer uses; and it keeps visitors apart."""

from __future__ import annotations

import importlib
import inspect
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.template import engines
from django.template.loader import get_template
from django.test import Client
from django.utils.safestring import mark_safe

from porch.core import govuk_render
from porch.core.forms import GovukDateField, GovukForm, GovukFormMixin, GovukFormRenderer


class TemplatesOnly(GovukFormRenderer):
    """The same renderer with every form, field and widget rendered by its template."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        return TemplatesSetting.render(self, template_name, context, request)


CHOICES = [("a", "Apples & pears"), ("b", '"Bananas"'), ("c", "<Cherries>")]


class EveryKindForm(GovukForm):
    autocomplete = {"name": "name", "born": "bday", "email": "email"}

    token = forms.UUIDField(widget=forms.HiddenInput)
    name = forms.CharField(label="Your name", help_text="As on your <em>tenancy</em> & letters", max_length=50)
    email = forms.EmailField(label="Email address", required=False)
    secret = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    shown_secret = forms.CharField(label="Shown", required=False, widget=forms.PasswordInput(render_value=True))
    count = forms.IntegerField(label="How many?", min_value=0, required=False)
    amount = forms.DecimalField(label="Amount", required=False)
    site = forms.URLField(label="Web site", required=False)
    when = forms.DateField(label="A date in one box", required=False)
    at = forms.TimeField(label="A time", required=False)
    story = forms.CharField(label="What happened?", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    born = GovukDateField(label="Date of birth", help_text="For example, 27 3 1985", must_be_past=True)
    agree = forms.BooleanField(label="I agree", help_text="You must agree", required=False)
    fruit = forms.ChoiceField(label="Fruit", choices=CHOICES, widget=forms.RadioSelect, required=False)
    fruits = forms.MultipleChoiceField(
        label="Fruits", choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    pick = forms.ChoiceField(label="Pick one", choices=CHOICES, required=False)
    upload = forms.FileField(label="A file", required=False)
    flags = forms.CharField(
        label=mark_safe("Flags <abbr>(safe)</abbr>"),
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": False, "autofocus": True, "data-n": 3, "inputmode": "text"}),
    )
    fixed = forms.CharField(label="Fixed", required=False, disabled=True, initial="can't change <this>")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("name") == "refuse me":
            raise forms.ValidationError("Something is wrong with the form as a whole & <everything>")
        return cleaned


class TextHeadingForm(GovukForm):
    govuk_page_heading = "reference"
    reference = forms.CharField(label="What is your reference?", help_text="It starts with T")


class DateHeadingForm(GovukForm):
    govuk_page_heading = "born"
    born = GovukDateField(label="What is your date of birth?")


class RadiosHeadingForm(GovukForm):
    govuk_page_heading = "fruit"
    fruit = forms.ChoiceField(label="Which fruit?", choices=CHOICES, widget=forms.RadioSelect)


HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
FILLED = {
    "token": str(uuid.UUID(int=7)),
    "name": HOSTILE,
    "email": "not an email <b>",
    "secret": "s3cret<",
    "shown_secret": 'shown"',
    "count": "-4",
    "amount": "1.50",
    "site": "javascript:alert(1)",
    "when": "2024-02-30",
    "at": "25:00",
    "story": "</textarea><b>bold</b>\nsecond line",
    "born_day": '"><x',
    "born_month": "Feb",
    "born_year": "85",
    "agree": "on",
    "fruit": "b",
    "fruits": ["a", "c"],
    "pick": "c",
    "flags": "x",
}


def forms_to_compare() -> Iterator[tuple[str, type[forms.BaseForm], dict[str, Any]]]:
    yield "blank", EveryKindForm, {}
    yield "blank, no ids", EveryKindForm, {"auto_id": False}
    yield "blank, other ids, prefix", EveryKindForm, {"auto_id": "field-%s", "prefix": "p"}
    yield "initial values", EveryKindForm, {"initial": {"name": "Ann <O'Neil>", "born": "", "fruit": "a"}}
    yield "sent empty", EveryKindForm, {"data": {}}
    yield "sent hostile", EveryKindForm, {"data": FILLED}
    yield "sent, form-wide error", EveryKindForm, {"data": {**FILLED, "name": "refuse me", "token": "x"}}
    for form_class in (TextHeadingForm, DateHeadingForm, RadiosHeadingForm):
        yield "heading", form_class, {}
        yield "heading, sent empty", form_class, {"data": {}}


def rendered_both_ways(form_class: type[forms.BaseForm], kwargs: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(Python, templates) for the whole form and for each field's group and widget."""
    quick = form_class(renderer=GovukFormRenderer(), **kwargs)
    slow = form_class(renderer=TemplatesOnly(), **kwargs)
    if quick.is_bound:
        quick.is_valid()
        slow.is_valid()
    yield str(quick), str(slow)
    for name in quick.fields:
        yield quick[name].as_field_group(), slow[name].as_field_group()
        yield str(quick[name]), str(slow[name])


@pytest.mark.parametrize(
    ("case", "form_class", "kwargs"),
    list(forms_to_compare()),
    ids=[f"{c[1].__name__}: {c[0]}" for c in forms_to_compare()],
)
def test_python_markup_is_the_templates_markup(
    case: str, form_class: type[forms.BaseForm], kwargs: dict[str, Any]
) -> None:
    for quick, slow in rendered_both_ways(form_class, kwargs):
        assert quick == slow


def portal_forms() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module_name in (
        "porch.accounts.forms",
        "porch.documents.forms",
        "porch.exposure.forms",
        "porch.housing.forms",
        "porch.incidents.forms",
        "porch.incidents.oncall_forms",
        "porch.notices.forms",
        "porch.rollout.forms",
        "porch.staff.forms",
    ):
        module = importlib.import_module(module_name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, GovukFormMixin)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module_name
            ):
                found[f"{module_name}.{value.__name__}"] = value
    return list(found.values())


@pytest.mark.django_db
def test_every_portal_form_renders_the_same_both_ways_blank_and_sent_empty() -> None:
    compared = []
    for form_class in portal_forms():
        try:
            form_class(renderer=GovukFormRenderer())
        except TypeError:
            continue  # needs arguments of its own (a user, an incident...): covered by its page's tests
        sent_empty: dict[str, Any] = {"data": {}}
        for kwargs in ({}, sent_empty):
            for quick, slow in rendered_both_ways(form_class, kwargs):
                assert quick == slow, form_class
        compared.append(form_class.__name__)
    # The anonymous pages' forms are among them, and most of the portal's.
    assert {"SignInForm", "SignupStartForm", "HelpRequestForm", "PrivacyReportForm"} <= set(compared)
    assert len(compared) >= 15, compared


def test_django_wrapper_widget_templates_are_only_the_input_template() -> None:
    """govuk_render writes these as input.html plus a newline: true only while Django's
    templates are exactly that (a project override would show here too)."""
    for name in govuk_render.INPUT_WRAPPERS:
        source = get_template(name).template.source  # type: ignore[attr-defined]
        assert source.strip() == '{% include "django/forms/widgets/input.html" %}', name
        assert source.endswith("%}\n"), name


def test_the_renderer_writes_text_boxes_dates_and_groups_without_their_templates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded: list[str] = []
    original = TemplatesSetting.get_template

    def recording(self: TemplatesSetting, template_name: str) -> Any:
        loaded.append(template_name)
        return original(self, template_name)

    monkeypatch.setattr(TemplatesSetting, "get_template", recording)
    form = EveryKindForm(data=FILLED, renderer=GovukFormRenderer())
    form.is_valid()
    str(form)

    assert not set(loaded) & set(govuk_render.WRITERS), loaded
    # Radios, checkboxes and selects still come from their templates.
    assert "porch/forms/widgets/radios.html" in loaded
    assert "porch/forms/widgets/checkboxes.html" in loaded
    assert "django/forms/widgets/select.html" in loaded


def test_the_template_loader_is_cached() -> None:
    """Django caches compiled templates by default; an explicit "loaders" option would turn
    that off, and every page would parse its templates again."""
    engine = engines["django"].engine  # type: ignore[attr-defined]
    assert [loader.__class__.__name__ for loader in engine.template_loaders] == ["Loader"]
    assert engine.template_loaders[0].__class__.__module__ == "django.template.loaders.cached"


def _token_secret(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page carries a CSRF token"
    return str(_unmask_cipher_token(match.group(1)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "mine", "theirs"),
    [
        ("/sign-in/", {"username": "ann-7Q2X@example.org"}, {"username": "ben-9K4Z@example.org"}),
        (
            "/sign-up/",
            {"reference": "TANN7Q2X", "date_of_birth_day": "31", "date_of_birth_month": "2", "postcode": "AN1 7QX"},
            {"reference": "TBEN9K4Z", "date_of_birth_day": "", "date_of_birth_year": "1999", "postcode": "BN9 4KZ"},
        ),
        (
            "/report-a-privacy-problem/",
            {"contact_name": "Ann 7Q2X", "contact": "ann-7Q2X@example.org"},
            {"contact_name": "Ben 9K4Z", "what_seen": "Ben saw 9K4Z"},
        ),
    ],
)
def test_two_visitors_each_see_only_their_own_values_errors_and_token(
    url: str, mine: dict[str, str], theirs: dict[str, str]
) -> None:
    ann, ben = Client(), Client()
    ann.get(url)
    ben.get(url)  # each has a CSRF cookie of their own now
    ann_page = ann.post(url, mine).content.decode()
    ben_page = ben.post(url, theirs).content.decode()
    again = ann.post(url, mine).content.decode()  # Ann once more, after Ben

    for page in (ann_page, ben_page, again):
        assert "There is a problem" in page  # each form was sent back with errors
    for value in mine.values():
        if len(value) > 2:
            assert value in ann_page and value in again
            assert value not in ben_page
    for value in theirs.values():
        if len(value) > 2:
            assert value in ben_page
            assert value not in ann_page and value not in again
    assert ann_page != ben_page
    ann_secret, ben_secret = ann.cookies["csrftoken"].value, ben.cookies["csrftoken"].value
    assert ann_secret != ben_secret
    assert _token_secret(ann_page) == _token_secret(again) == ann_secret
    assert _token_secret(ben_page) == ben_secret


ANONYMOUS_FORM_PAGES = ["/sign-in/", "/password-reset/", "/sign-up/", "/sign-up/help/", "/report-a-privacy-problem/"]


def _without_per_render_values(html: str) -> str:
    """The CSRF token is masked afresh on every render, and some forms carry a new key."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)
    return re.sub(r'name="idempotency_key" value="[^"]+"', 'name="idempotency_key" value=""', html)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ANONYMOUS_FORM_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_pages_are_the_same_pages_as_with_the_templates(url: str, method: str, settings: Any) -> None:
    visitor = Client()
    visitor.get(url)

    def page() -> str:
        response = getattr(visitor, method)(url, {"username": "<ann> & 'co'", "reference": "T1", "contact": "x"})
        assert response.status_code == 200
        return _without_per_render_values(response.content.decode())

    written = page()
    settings.FORM_RENDERER = f"{__name__}.TemplatesOnly"
    templated = page()

    assert written == templated
    assert ('class="govuk-input' in written) and ("csrfmiddlewaretoken" in written)
