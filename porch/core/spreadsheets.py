"""CSV a spreadsheet opens safely: a cell that would start a formula is written as text."""

from __future__ import annotations

import unicodedata

# A spreadsheet runs a cell that starts with one of these as a formula: text written by a
# resident or in the housing system could otherwise run on the reader's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet will show as text: one that would start a formula, even after the
    spaces a spreadsheet trims or in full-width letters (a full-width equals sign), gets a leading
    apostrophe."""
    looks_like = unicodedata.normalize("NFKC", text).lstrip(" \u00a0\n")
    return "'" + text if looks_like.startswith(FORMULA_STARTS) or text.startswith(("\n", "\r", "\t")) else text
