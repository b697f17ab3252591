"""The exposure report's page filter names pages in words, never by the code's route names."""

from __future__ import annotations

import html
import re

from django.test import Client

from conftest import Cast, sign_in
from porch.core.modules import page_words
from porch.exposure.reports import route_names


def test_every_page_in_the_filter_has_plain_words() -> None:
    """A new page must come with words for the DPO (its module's `pages`, porch/<app>/module.py)."""
    labels = page_words()
    assert sorted(set(route_names()) - set(labels)) == []
    assert sorted(set(labels) - set(route_names())) == []  # no words left for a page that is gone
    assert len(set(labels.values())) == len(labels)  # no two pages look the same


def test_the_page_filter_shows_plain_page_names_and_never_a_route_name(cast: Cast) -> None:
    page = sign_in(Client(), cast.staff["dpo"]).get("/staff/exposure/").content.decode()
    select = page[page.index('name="route"') : page.index("</select>", page.index('name="route"'))]
    shown = [html.unescape(text).strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", select)]
    values = re.findall(r'<option value="([^"]*)"', select)
    assert len(shown) == len(route_names()) + 1  # and "Every page"
    assert "Confirm your password (before a sensitive action)" in shown
    assert "accounts:confirm_password" in values
    assert [text for text in shown if text in route_names() or re.fullmatch(r"[\w]+:[\w]+", text)] == []
