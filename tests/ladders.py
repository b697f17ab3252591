"""The role ladder a page must pass in the route sweep (tests/test_route_sweep.py).

The sweep's own table covers the pages that came before module slices. A module keeps
its pages' ladders beside its tests, in porch/<app>/tests/ladders.py as LADDERS, and the
sweep picks them up from the module registry: a new module adds no line here."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from porch.core import modules


@dataclass(frozen=True)
class Ladder:
    right: str  # who may use it
    wrong: str | None  # a signed-in actor who may not
    wrong_status: int = 403
    # Which object fills <code>: a name the sweep knows, or fn(cast) -> the id to put there.
    code: str | Callable[[Any], str] | None = None
    get_status: int = 200  # what the right actor gets from a GET


def module_ladders() -> dict[str, Ladder]:
    found: dict[str, Ladder] = {}
    for module in modules.modules():
        try:
            # The package, not the label: porch.messages is labelled "messaging".
            declared = importlib.import_module(f"{apps.get_app_config(module.app).name}.tests.ladders")
        except ModuleNotFoundError:
            continue
        found.update(declared.LADDERS)
    return found
