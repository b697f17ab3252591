"""Phone numbers in one form, for looking people up and for tel: links."""

from __future__ import annotations

import re

_PHONE_PUNCTUATION = " -().\t\u00a0"
_PHONE = re.compile(r"\+?\d{7,15}")


def normalise_phone(typed: str) -> str:
    """A phone number in international form (+447700900123), or "" if it is not one.
    Numbers without a country code are taken as UK numbers; "+44 (0)7700..." as +447700..."""
    digits = "".join(ch for ch in typed.strip() if ch not in _PHONE_PUNCTUATION)
    if not _PHONE.fullmatch(digits):
        return ""
    if digits.startswith("+"):
        number = digits
    elif digits.startswith("00"):
        number = f"+{digits[2:]}"
    elif digits.startswith("0"):
        number = f"+44{digits[1:]}"
    elif digits.startswith("44") and len(digits) == 12:
        number = f"+{digits}"
    else:
        return ""
    if number.startswith("+440"):
        number = f"+44{number[4:]}"
    return number
