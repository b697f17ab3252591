"""The form templates most pages use, written out in Python (ADR 0016).

Each function here gives, byte for byte, what its template gives: the GOV.UK form
templates in templates/porch/forms/ (form, field group, error message, date input) and
Django's own text-box and textarea widget templates. GovukFormRenderer calls them in
place of those templates, because Django's template engine spends most of an anonymous
page's time on a form's markup: every field is a new template render with several
nested includes, and every attribute of every <input> a loop step.

The templates stay, and stay the reference:

- anything not listed in ``WRITERS`` (radios, checkboxes, selects, any other widget) is
  rendered by its template as before, and so is a date input whose boxes use a widget
  template not listed here;
- porch/core/tests/test_govuk_render.py renders a wide set of forms (every kind of
  field, blank, filled in, with errors, with awkward characters, as the page heading)
  both ways and requires the same output, and requires Django's wrapper templates to be
  what ``INPUT_WRAPPERS`` assumes. Change a template and that test fails until the
  function here is changed to match.

Nothing here is cached: each call builds its markup from the form in front of it, so
one visitor's values, errors or token can never appear on another's page.

Escaping follows the template engine: ``{{ value }}`` is ``conditional_escape`` (text
marked safe is left alone), ``|stringformat:'s'`` keeps text marked safe as it is and
escapes the rest, and ``|safe`` (used for help text, as in Django) escapes nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

INPUT = "django/forms/widgets/input.html"
TEXTAREA = "django/forms/widgets/textarea.html"
# Django's widget templates that are only `{% include "django/forms/widgets/input.html" %}`
# and a newline (the test checks their source).
INPUT_WRAPPERS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)
FIELD = "porch/forms/field.html"
FORM = "porch/forms/form.html"
DATE_INPUT = "porch/forms/widgets/date_input.html"


def _e(value: Any) -> str:
    """``{{ value }}`` with autoescaping."""
    if type(value) is str:  # plain text, not marked safe: what django.utils.html.escape does
        return html.escape(value)
    return str(conditional_escape(value))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` with autoescaping."""
    if type(value) is str:
        return html.escape(value)
    text = str(value) if isinstance(value, tuple) else value
    try:
        formatted = "%s" % text  # noqa: UP031 - the filter's own operation, kept exactly
    except (ValueError, TypeError):
        formatted = ""
    return formatted if isinstance(value, SafeData) else html.escape(formatted)


def attrs_html(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html"""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {_e(name)}")
            if value is not True:
                parts.append(f'="{_formatted(value)}"')
    return "".join(parts)


def input_html(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input.html (with its closing newline)."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 - the template's own test
    return f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{shown}{attrs_html(widget["attrs"])}>\n'


def _included(widget: Mapping[str, Any]) -> str | None:
    """What `{% include widget.template_name %}` gives for a text box, or None for others."""
    name = widget["template_name"]
    if name in INPUT_WRAPPERS:
        return input_html(widget) + "\n"
    if name == INPUT:
        return input_html(widget)
    return None


def textarea_html(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/textarea.html"""
    value = widget["value"]
    text = _e(value) if value else ""
    return f'<textarea name="{_e(widget["name"])}"{attrs_html(widget["attrs"])}>\n{text}</textarea>\n'


def date_input_html(widget: Mapping[str, Any]) -> str | None:
    """templates/porch/forms/widgets/date_input.html; None when a box is not a plain text box."""
    attrs = widget["attrs"]
    parts = ['<div class="govuk-date-input"', f' id="{_e(attrs["id"])}"' if attrs.get("id") else "", ">\n  "]
    for box in widget["subwidgets"]:
        included = _included(box)
        if included is None:
            return None
        box_id = _e(box["attrs"]["id"]) if "id" in box["attrs"] else ""
        parts += [
            '<div class="govuk-date-input__item">\n    <div class="govuk-form-group">\n'
            f'      <label class="govuk-label govuk-date-input__label" for="{box_id}">{_e(box["label"])}</label>\n'
            f"      {included}\n    </div>\n  </div>\n  "
        ]
    parts.append("\n</div>\n")
    return "".join(parts)


def error_message_html(field: Any) -> str:
    """templates/porch/forms/error_message.html (with its closing newline)."""
    errors = field.errors
    if not errors:
        return "\n"
    messages = list(errors)
    lines = "<br>".join(f'<span class="govuk-visually-hidden">Error:</span> {_e(error)}' for error in messages)
    return f'<p id="{_e(field.auto_id)}_error" class="govuk-error-message">{lines}</p>\n'


def _hint(field: Any, extra_class: str = "") -> str:
    help_text = field.help_text
    if not help_text:
        return ""
    return f'<div id="{_e(field.auto_id)}_helptext" class="govuk-hint{extra_class}">{help_text}</div>'


def field_html(field: Any) -> str:
    """templates/porch/forms/field.html: one GOV.UK form group."""
    kind = field.govuk_kind
    heading = field.is_page_heading
    group_error = " govuk-form-group--error" if field.errors else ""
    if kind in ("radios", "checkboxes", "date"):
        described = field.aria_describedby
        label = _e(field.label)
        return (
            f'\n<div class="govuk-form-group{group_error}">\n'
            f'  <fieldset class="govuk-fieldset"{' role="group"' if kind == "date" else ""}'
            f"{f' aria-describedby="{_e(described)}"' if described else ''}>\n"
            f'    <legend class="govuk-fieldset__legend{" govuk-fieldset__legend--l" if heading else ""}">\n'
            f"      {f'<h1 class="govuk-fieldset__heading">{label}</h1>' if heading else label}\n"
            "    </legend>\n"
            f"    {_hint(field)}\n"
            f"    {error_message_html(field)}\n"
            f"    {_e(field)}\n"
            "  </fieldset>\n</div>\n\n"
        )
    if kind == "checkbox":
        return (
            f'\n<div class="govuk-form-group{group_error}">\n'
            f"  {error_message_html(field)}\n"
            '  <div class="govuk-checkboxes" data-module="govuk-checkboxes">\n'
            '    <div class="govuk-checkboxes__item">\n'
            f"      {_e(field)}\n"
            f'      <label class="govuk-label govuk-checkboxes__label" for="{_e(field.id_for_label)}">'
            f"{_e(field.label)}</label>\n"
            f"      {_hint(field, ' govuk-checkboxes__hint')}\n"
            "    </div>\n  </div>\n</div>\n\n"
        )
    label = (
        f'<label class="govuk-label{" govuk-label--l" if heading else ""}" for="{_e(field.id_for_label)}">'
        f"{_e(field.label)}</label>"
    )
    return (
        f'\n<div class="govuk-form-group{group_error}">\n'
        f"  {f'<h1 class="govuk-label-wrapper">{label}</h1>' if heading else label}\n"
        f"  {_hint(field)}\n"
        f"  {error_message_html(field)}\n"
        f"  {_e(field)}\n"
        "</div>\n\n"
    )


def form_html(context: Mapping[str, Any]) -> str:
    """templates/porch/forms/form.html: the form's own errors, its fields, its hidden fields."""
    parts = []
    errors = context["errors"]
    if errors:
        lines = "".join(
            f'<p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {_e(error)}</p>'
            for error in errors
        )
        parts.append(f'\n<div class="govuk-form-group govuk-form-group--error">\n  {lines}\n</div>\n')
    for field, _errors in context["fields"]:
        parts.append(f"\n{field.as_field_group()}")
    parts.append("\n")
    parts += [_e(field) for field in context["hidden_fields"]]
    parts.append("\n")
    return "".join(parts)


# Template name -> the function that writes the same markup from the template's context
# (None from the function: use the template after all).
WRITERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    FORM: form_html,
    FIELD: lambda context: field_html(context["field"]),
    DATE_INPUT: lambda context: date_input_html(context["widget"]),
    INPUT: lambda context: input_html(context["widget"]),
    TEXTAREA: lambda context: textarea_html(context["widget"]),
    **dict.fromkeys(INPUT_WRAPPERS, lambda context: input_html(context["widget"]) + "\n"),
}
