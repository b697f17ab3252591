"""The contractor pages of repairs: included by urls.py under the one "repairs" namespace."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

# Every route in the words a DPO uses (the exposure report's page filter).
PAGES: dict[str, str] = {}
