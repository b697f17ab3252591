"""Sudo mode: a recent password confirmation before sensitive actions."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from porch.accounts import devices
from porch.core.types import PorchRequest

SUDO_UNTIL = "porch_sudo_until"


def grant_sudo(request: HttpRequest) -> None:
    request.session[SUDO_UNTIL] = time.time() + settings.SUDO_MINUTES * 60


def has_sudo(request: HttpRequest) -> bool:
    return float(request.session.get(SUDO_UNTIL, 0)) > time.time()


def sudo_redirect(request: HttpRequest) -> HttpResponse:
    # After confirming, a GET returns to the same page; a POST to the page it came from.
    back = request.get_full_path() if request.method == "GET" else reverse("accounts:account")
    return HttpResponseRedirect(f"{reverse('accounts:confirm_password')}?{urlencode({'next': back})}")


def sudo_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_sudo(request):
            return sudo_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


# What a wrong password is told (the field's error); any other refusal is about waiting.
WRONG_GUESS = "The password is not correct"


def password_refusal(request: PorchRequest, password: str) -> str:
    """Check the signed-in user's password again on a form that changes something sensitive:
    "" if it is right, else the message to show. Counted like any other password try."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied  # only pages for signed-in users ask for the password again
    tried = devices.count_attempt(request, "sudo", user=user)
    if tried.wait:
        return tried.message
    if not user.check_password(password):
        return WRONG_GUESS
    tried.succeeded()
    return ""
