"""Template helpers for the parts of the portal a resident can use now."""

from __future__ import annotations

from django import template

from porch.core.actor import Actor
from porch.core.modules import Link
from porch.rollout.middleware import modules_on_for

register = template.Library()


@register.simple_tag
def resident_links(actor: Actor | None) -> list[Link]:
    """{% resident_links actor as links %}: each module's pages for residents, while it is on for them."""
    if actor is None:
        return []
    return [link for module in modules_on_for(actor) for link in module.resident_links]
