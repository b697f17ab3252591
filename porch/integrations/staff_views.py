"""Back-office pages for housing system connections: system administrators add, change,
rotate and switch off; the Data Protection Officer reads. A secret is shown once, on the
page that answers the form that made it, and never again."""

from __future__ import annotations

import uuid
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.accounts.sudo import password_refusal
from porch.core.actions import Action
from porch.core.roles import StaffRole
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.feed.access import may_run_feed
from porch.integrations import access, services
from porch.integrations.forms import ConnectionForm, RotateForm, SettingsForm, SwitchOffForm
from porch.integrations.models import Connection
from porch.integrations.scopes import scope_words

READERS = staff(StaffRole.SYSADMIN, StaffRole.DPO)
MANAGERS = staff(StaffRole.SYSADMIN)
RECENT_BATCHES = 20


@audience(READERS)
def connection_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    context = {
        "connections": access.connections_for(actor),
        "may_manage": actor.has_role(StaffRole.SYSADMIN),
        "set_up": bool(settings.FEED_API_KEY),
    }
    return render(request, "integrations/staff/list.html", context)


@audience(MANAGERS)
def connection_new(request: PorchRequest) -> HttpResponse:
    if not settings.FEED_API_KEY:
        return render(request, "integrations/staff/not_set_up.html")
    form = ConnectionForm(request.POST if request.method == "POST" else None, initial={"idempotency_key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid() and _password_confirmed(request, form):
        data = form.cleaned_data
        try:
            added = services.connection_add(
                actor=request.actor,
                name=data["name"],
                scopes=data["scopes"],
                networks=data["networks"],
                apply_when_previewed=data["apply_when_previewed"],
                idempotency_key=data["idempotency_key"],
                request=request,
            )
        except services.NameTaken:
            form.add_error("name", "A connection with this name already exists: choose another name")
        else:
            if not added.secret:
                messages.info(request, "This connection was already added. Its secret was shown once, then.")
                return redirect("integrations:detail", code=added.connection.uuid)
            return _secret_page(request, added.connection, added.secret, rotated=False)
    return render(request, "integrations/staff/new.html", {"form": form})


@audience(READERS)
def connection_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    connection = access.get_connection_for(request.actor, code)
    return _detail_page(request, connection)


@audience(MANAGERS)
def connection_change(request: PorchRequest, code: UUID) -> HttpResponse:
    connection = _to_change(request, code)
    initial = {
        "scopes": connection.scopes,
        "networks": "\n".join(connection.allowed_networks),
        "apply_when_previewed": connection.apply_when_previewed,
    }
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid() and _password_confirmed(request, form):
        data = form.cleaned_data
        try:
            services.connection_change(
                actor=request.actor,
                connection=connection,
                scopes=data["scopes"],
                networks=data["networks"],
                apply_when_previewed=data["apply_when_previewed"],
                request=request,
            )
        except services.CannotChange as cannot:
            messages.error(request, str(cannot))
        else:
            messages.success(request, "Connection changed. It applies to the next request.")
        return redirect("integrations:detail", code=connection.uuid)
    return render(request, "integrations/staff/change.html", {"connection": connection, "form": form})


@audience(MANAGERS)
@require_POST
def connection_rotate(request: PorchRequest, code: UUID) -> HttpResponse:
    connection = _to_change(request, code)
    if not settings.FEED_API_KEY:
        return render(request, "integrations/staff/not_set_up.html")
    form = RotateForm(request.POST, prefix="rotate")
    if not (form.is_valid() and _password_confirmed(request, form)):
        return _detail_page(request, connection, rotate_form=form)
    try:
        secret = services.connection_rotate(
            actor=request.actor, connection=connection, version=form.cleaned_data["version"], request=request
        )
    except services.CannotChange as cannot:
        messages.error(request, str(cannot))
        return redirect("integrations:detail", code=connection.uuid)
    if not secret:
        messages.info(request, "The secret was already changed. The new one was shown once, then.")
        return redirect("integrations:detail", code=connection.uuid)
    return _secret_page(request, connection, secret, rotated=True)


@audience(MANAGERS)
@require_POST
def connection_switch_off(request: PorchRequest, code: UUID) -> HttpResponse:
    connection = _to_change(request, code)
    form = SwitchOffForm(request.POST, prefix="off")
    if not form.is_valid():
        return _detail_page(request, connection, switch_off_form=form)
    if services.connection_switch_off(actor=request.actor, connection=connection, request=request):
        messages.success(request, "Connection switched off. Every request it sends is refused from now on.")
    else:
        messages.info(request, "This connection was already switched off.")
    return redirect("integrations:detail", code=connection.uuid)


def _to_change(request: PorchRequest, code: UUID) -> Connection:
    try:
        return access.get_connection_for(request.actor, code, action=Action.CHANGE)
    except access.NotPermitted:
        raise PermissionDenied from None


def _password_confirmed(request: PorchRequest, form: SettingsForm | RotateForm) -> bool:
    refusal = password_refusal(request, form.cleaned_data.pop("password"))
    if refusal:
        form.add_error("password", refusal)
    return not refusal


def _detail_page(
    request: PorchRequest,
    connection: Connection,
    *,
    rotate_form: RotateForm | None = None,
    switch_off_form: SwitchOffForm | None = None,
) -> HttpResponse:
    context = {
        "connection": connection,
        "scopes": scope_words(connection.scopes),
        "batches": access.recent_batches(connection, RECENT_BATCHES),
        # The feed's batch page is for guardians with current training: a link only for them.
        "may_open_batches": may_run_feed(request.actor),
        "may_manage": request.actor.has_role(StaffRole.SYSADMIN) and connection.active,
        "rotate_form": rotate_form or RotateForm(initial={"version": connection.key_version}, prefix="rotate"),
        "switch_off_form": switch_off_form or SwitchOffForm(prefix="off"),
    }
    return render(request, "integrations/staff/detail.html", context)


def _secret_page(request: PorchRequest, connection: Connection, secret: str, *, rotated: bool) -> HttpResponse:
    context = {"connection": connection, "secret": secret, "rotated": rotated, "scopes": scope_words(connection.scopes)}
    return render(request, "integrations/staff/secret.html", context)
