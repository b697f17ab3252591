"""The request as Porch's middleware leaves it, for type checking views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from porch.core.actor import Actor


class PorchRequest(HttpRequest):
    actor: Actor  # set by ActorMiddleware
    request_id: str  # set by RequestContextMiddleware
    client_ip: str  # set by RequestContextMiddleware
