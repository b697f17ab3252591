"""Template helpers for the parts of the portal a resident can use now."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

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


@register.simple_tag
def write_about(actor: Actor | None, kind: str, code: object) -> str:
    """{% write_about actor "repair" repair.uuid as href %}: the page that starts a conversation
    with us about this record, while a module offering one is on for the resident; "" otherwise
    (and during view-as, which writes nothing)."""
    if actor is None or not actor.is_resident or actor.is_viewing_as:
        return ""
    for module in modules_on_for(actor):
        if module.write_about:
            return f"{reverse(module.write_about)}?{urlencode({'about': f'{kind}:{code}'})}"
    return ""
