"""The route registry: every view declares who its audience is.

A view without a declared audience refuses everybody, so a forgotten
declaration fails closed. The route sweep test walks every URL pattern and
checks each declaration against the cast.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, resolve, reverse
from django.views.decorators.csrf import csrf_exempt

from porch.core.actor import Actor
from porch.core.types import PorchRequest

V = TypeVar("V", bound=Callable[..., Any])


@dataclass(frozen=True)
class Audience:
    name: str
    check: Callable[[Actor], bool]
    # Signed-in users who still have to set up two-factor authentication may use it.
    during_mfa_setup: bool = False
    # Staff pages that show residents' personal data: they need current training.
    personal_data: bool = False
    # Pages a staff member may open while viewing as a resident (read-only)...
    during_view_as: bool = False
    # ...and the few that may be posted to then (ending view-as, signing out, reporting a problem).
    writes_during_view_as: bool = False
    # Open without signing in: only the explicit allow-list in the route sweep.
    public: bool = False
    # Answered only to a request signed with a housing system connection's secret
    # (porch.integrations): no session admits it, whoever is signed in, and no cookie is
    # read, so CSRF does not apply. The view checks the signature and refuses the rest (401).
    signed: bool = False

    def allows(self, actor: Actor) -> bool:
        return self.check(actor)


PUBLIC = Audience("public", lambda actor: True, during_mfa_setup=True, during_view_as=True, public=True)
# Reporting a privacy problem: open to anyone, and the one form staff may still send while
# viewing as a resident (they may be the first to spot a leak).
REPORTING = Audience(
    "public, and staff viewing as a resident",
    lambda actor: True,
    during_mfa_setup=True,
    during_view_as=True,
    writes_during_view_as=True,
    public=True,
)
SETTING_UP = Audience("signed in, setting up", lambda actor: actor.is_authenticated, during_mfa_setup=True)
# Signing out works from anywhere, including in the middle of viewing as a resident.
SIGNING_OUT = Audience(
    "signed in, signing out",
    lambda actor: actor.is_authenticated,
    during_mfa_setup=True,
    during_view_as=True,
    writes_during_view_as=True,
)
SIGNED_IN = Audience("signed in", lambda actor: actor.is_authenticated and not actor.needs_mfa_setup)
# Pages both residents and staff use (the home page, document downloads).
PORTAL = Audience(
    "signed in, or viewing as a resident",
    lambda actor: actor.is_authenticated and not actor.needs_mfa_setup,
    during_view_as=True,
)
RESIDENT = Audience("resident", lambda actor: actor.is_resident, during_view_as=True)
# The housing system's API (/api/feed/v1/): the signed-routes allow-list in the route sweep.
SIGNED_CONNECTION = Audience("a housing system connection, by signed request", lambda actor: False, signed=True)
# The card payment provider's callbacks (porch.money, ADR 0024): answered only to a message
# signed with the provider's webhook secret, like the housing system's API.
PAYMENT_PROVIDER = Audience("the card payment provider, by signed callback", lambda actor: False, signed=True)
VIEWING_AS = Audience(
    "viewing as a resident",
    lambda actor: actor.is_viewing_as,
    during_view_as=True,
    writes_during_view_as=True,
)


def resident_with(*membership_roles: str) -> Audience:
    wanted = frozenset(membership_roles)
    return Audience(
        f"resident ({', '.join(sorted(wanted))})",
        lambda actor: actor.is_resident and bool(actor.membership_roles & wanted),
        during_view_as=True,
    )


def staff(*roles: str, personal_data: bool = False) -> Audience:
    """Staff holding any of the roles; with no roles, any verified staff member.
    With personal_data, the staff member also needs current data-protection training."""
    name = f"staff ({', '.join(sorted(roles))})" if roles else "staff"

    def check(actor: Actor) -> bool:
        allowed = actor.has_role(*roles) if roles else actor.is_staff
        return allowed and (actor.trained or not personal_data)

    return Audience(name, check, personal_data=personal_data)


def audience(declared: Audience) -> Callable[[V], V]:
    def decorate(view: V) -> V:
        view.porch_audience = declared  # type: ignore[attr-defined]
        return _opened(view, declared)

    return decorate


def _opened[F: Callable[..., Any]](view: F, declared: Audience) -> F:
    """Public and signed views need no session; a signed one carries no cookie to forge a request with."""
    if declared.signed:
        return csrf_exempt(login_not_required(view))
    if declared.public:
        return login_not_required(view)
    return view


def module(name: str) -> Callable[[V], V]:
    """The part of the portal a resident-facing view belongs to, for the kill switches."""

    def decorate(view: V) -> V:
        view.porch_module = name  # type: ignore[attr-defined]
        return view

    return decorate


def declare_patterns(urls: Any, declared: Audience) -> Any:
    """Declare one audience for every pattern of an included URLconf (Django admin)."""
    patterns = urls[0] if isinstance(urls, tuple) else urls
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            declare_patterns(pattern.url_patterns, declared)
        else:
            pattern.callback = _declared(pattern.callback, declared)
    return urls


def _declared(view: Callable[..., Any], declared: Audience) -> Callable[..., Any]:
    if inspect.ismethod(view):  # bound methods cannot carry attributes: wrap them
        bound = view

        @functools.wraps(bound)
        def view(*args: Any, **kwargs: Any) -> Any:
            return bound(*args, **kwargs)

    view.porch_audience = declared  # type: ignore[attr-defined]
    return _opened(view, declared)


def may_open(actor: Actor, view_name: str, *args: object) -> bool:
    """Whether the actor may open this page: the same rule AudienceMiddleware applies,
    so a link is shown exactly when following it would not be refused."""
    try:
        view = resolve(reverse(view_name, args=args)).func
    except NoReverseMatch:
        return False
    return admits(getattr(view, "porch_audience", None), actor)


def admits(declared: Audience | None, actor: Actor) -> bool:
    """Whether AudienceMiddleware lets the actor's GET reach a view declaring this audience. When
    it does not, the refusal comes before the view runs, whatever the URL's ids."""
    if declared is None or (actor.needs_mfa_setup and not declared.during_mfa_setup):
        return False
    if actor.is_viewing_as and not declared.during_view_as:
        return False
    return declared.allows(actor)


class AudienceMiddleware:
    """Refuses any request whose view does not declare an audience that admits the actor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: PorchRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        declared: Audience | None = getattr(view_func, "porch_audience", None)
        if declared is None:
            raise PermissionDenied("This page has no declared audience.")
        if declared.signed:
            return None  # the session plays no part: the view answers a valid signature only
        actor = request.actor
        if actor.needs_mfa_setup and not declared.during_mfa_setup:
            return HttpResponseRedirect(reverse("accounts:mfa_setup"))
        if actor.is_viewing_as:
            refusal = _view_as_refusal(request, declared)
            if refusal is not None:
                return refusal
        if not declared.allows(actor):
            if declared.personal_data and actor.is_staff and not actor.trained:
                return render(request, "staff/training_needed.html", status=403)
            raise PermissionDenied
        return None


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _view_as_refusal(request: HttpRequest, declared: Audience) -> HttpResponse | None:
    """While viewing as a resident, only the resident's pages open, and nothing changes."""
    if not declared.during_view_as:
        return render(request, "staff/view_as_refused.html", {"writing": False}, status=403)
    if request.method not in SAFE_METHODS and not declared.writes_during_view_as:
        return render(request, "staff/view_as_refused.html", {"writing": True}, status=403)
    return None
