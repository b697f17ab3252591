from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from porch.core.actor import Actor
from porch.core.modules import Module, modules
from porch.core.types import PorchRequest
from porch.rollout.switches import modules_off


class KillSwitchMiddleware:
    """Residents (and anyone seeing the portal as one) get a clear 'unavailable'
    page for a switched-off module or portal; staff pages stay up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: PorchRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        module: str | None = getattr(view, "porch_module", None)
        actor = request.actor
        if module is None or actor.is_staff:
            return None
        if _switched_off(module, actor.cohort_ids):
            response = render(request, "rollout/unavailable.html", status=503)
            response["Retry-After"] = "3600"
            return response
        if actor.is_resident and not actor.in_open_cohort:
            return render(request, "rollout/not_yet.html", status=403)
        if actor.is_resident and module not in actor.rollout_modules:
            return render(request, "rollout/not_yet.html", {"module_only": True}, status=403)
        return None


def module_available(actor: Actor, module: str) -> bool:
    """Whether a resident can use a module now: on for their cohort, and not switched off."""
    return module in actor.rollout_modules and not _switched_off(module, actor.cohort_ids)


def _switched_off(module: str, cohort_ids: frozenset[int]) -> bool:
    """Off for everyone, or for one of the cohorts this resident is in: the module or the whole portal."""
    off = modules_off()
    return any((name, cohort) in off for name in (module, "portal") for cohort in (None, *cohort_ids))


def modules_on_for(actor: Actor) -> list[Module]:
    """The declared modules this resident can use now (a module with no switch always)."""
    return [module for module in modules() if module.switch is None or module_available(actor, module.switch.key)]


def home_panels(request: PorchRequest) -> list[str]:
    """Each module's part of the resident's home page (Module.home_panels), rendered, while
    the module is on for them. A panel with nothing to show is left out."""
    shown: list[str] = []
    for module in modules_on_for(request.actor):
        for panel in module.home_panels:
            context = panel.context(request)
            if context is not None:
                shown.append(render_to_string(panel.template, dict(context), request=request))
    return shown
