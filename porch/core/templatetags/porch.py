"""Template helpers shared by every page."""

from __future__ import annotations

from django import template

from porch.core.actor import Actor
from porch.core.routes import may_open as route_may_open

register = template.Library()


@register.filter
def may_open(actor: Actor | None, view_name: str) -> bool:
    """{% if actor|may_open:"staff:letters" %}: show a link only to those the page admits."""
    return actor is not None and route_may_open(actor, view_name)
