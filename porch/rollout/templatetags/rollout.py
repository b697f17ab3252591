"""Template helpers for the parts of the portal a resident can use now."""

from __future__ import annotations

from django import template

from porch.core.actor import Actor
from porch.rollout.middleware import module_available

register = template.Library()


@register.filter
def module_on(actor: Actor | None, module: str) -> bool:
    """{% if actor|module_on:"documents" %}: on for the resident's cohort and not switched off now."""
    return actor is not None and module_available(actor, module)
