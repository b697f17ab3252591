"""Template helpers for the DPO's reports."""

from __future__ import annotations

from django import template

from porch.exposure.reports import route_label

register = template.Library()


@register.filter(name="route_label")
def route_label_filter(name: str) -> str:
    """{{ event.route|route_label }}: the page in words, never the code's name for it."""
    return route_label(name) if name else "—"
