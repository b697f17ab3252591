"""An amount of money a person types, read into whole pennies.

Read through ``Decimal``, never a float, so 0.1 + 0.2 is 30p. A resident may type "£1,250.5"
or " 12 "; what is refused is said plainly, and nothing else is guessed: more than two numbers
after the point, a minus sign, nothing at all, or more than the most the form takes.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from porch.money.templatetags.money import pounds

# Digits with an optional point: commas only as thousands separators ("1,250", not "1,25").
_SHAPE = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d*)?$")


def pence_from_text(text: str) -> int:
    """Whole pennies for "12.50" (1250). Raises ValueError with words a resident can act on."""
    cleaned = text.strip().removeprefix("£").strip()
    if cleaned.startswith("-"):
        raise ValueError("The amount must be more than £0")
    if not _SHAPE.match(cleaned):
        raise ValueError("Enter an amount in pounds and pence, like 25.50")
    try:
        amount = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as error:  # the pattern above lets nothing through that Decimal refuses
        raise ValueError("Enter an amount in pounds and pence, like 25.50") from error
    pence = amount * 100
    if pence != pence.to_integral_value():
        raise ValueError("Enter the amount to the nearest penny, like 25.50")
    return int(pence)


class PoundsField(forms.Field):
    """A GOV.UK text input for pounds and pence; its cleaned value is whole pennies."""

    widget = forms.TextInput

    def __init__(self, *, most_pence: int, least_pence: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.most_pence = most_pence
        self.least_pence = least_pence
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false", "maxlength": "20"})

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 20:
            raise ValidationError("Enter an amount in pounds and pence, like 25.50", code="invalid")
        try:
            return pence_from_text(text)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value < max(self.least_pence, 1):
            raise ValidationError(f"The amount must be {pounds(max(self.least_pence, 1))} or more", code="too_small")
        if value > self.most_pence:
            raise ValidationError(f"The amount must be {pounds(self.most_pence)} or less", code="too_big")


def as_typed(pence: int) -> str:
    """Pennies as a person would type them into an amount box: 48.40 (no £, no commas)."""
    return f"{pence // 100}.{pence % 100:02d}"
