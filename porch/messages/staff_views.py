"""The teams' pages: a shared inbox per team (newest first, paged by position), a thread with
its reply form, taking a thread, and a message's file.

Reading is for the teams' roles and the DPO, each seeing the households they may see (housing
officers: their patches); replying and taking a thread is for the teams (the DPO: 403)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages as flash
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.core.actions import Action
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.messages import access, services
from porch.messages.files import attachment_response
from porch.messages.forms import InboxForm, MessageForm
from porch.messages.inbox import inbox_page
from porch.messages.models import Thread
from porch.messages.teams import READERS, WORKERS, Team, teams_of

READER = staff(*sorted(READERS), personal_data=True)
WORKER = staff(*sorted(WORKERS), personal_data=True)
PAGE_SIZE = 50


@audience(READER)
def staff_inbox(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    # The DPO works no team: they may look in any inbox.
    teams = teams_of(actor.roles) or list(Team)
    form = InboxForm(request.GET or None, teams=teams)
    team = form.chosen(teams)
    page = inbox_page(actor, team, request.GET, PAGE_SIZE)
    services.threads_seen(actor, page.items, "list", request)
    context = {"form": form, "page": page, "threads": page.items, "team": Team(team).label}
    return render(request, "messages/staff/inbox.html", context)


@audience(READER)
def staff_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    return _page(request, access.get_thread_for(request.actor, code), MessageForm())


@audience(WORKER)
@require_POST
def staff_reply(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    thread = access.get_thread_for(actor, code, action=Action.CHANGE)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, thread, form)
    services.message_send(
        actor=actor,
        thread=thread,
        text=form.cleaned_data["text"],
        key=form.cleaned_data["key"],
        attachment=form.checked,
        request=request,
    )
    flash.success(request, "Reply sent. The household has been told there is a new message.")
    return redirect("messages:staff_detail", code=thread.uuid)


@audience(WORKER)
@require_POST
def staff_take(request: PorchRequest, code: UUID) -> HttpResponse:
    thread = access.get_thread_for(request.actor, code, action=Action.CHANGE)
    if services.thread_take(actor=request.actor, thread=thread, request=request):
        flash.success(request, "The thread is yours.")
    else:
        flash.info(request, "It was already yours. Nothing has changed.")
    return redirect("messages:staff_detail", code=thread.uuid)


@audience(READER)
def staff_attachment(request: PorchRequest, code: UUID) -> FileResponse:
    message = access.get_attachment_for(request.actor, code)
    services.threads_seen(request.actor, [message.thread], "download", request)
    return attachment_response(message)


def _page(request: PorchRequest, thread: Thread, form: MessageForm) -> HttpResponse:
    actor = request.actor
    services.threads_seen(actor, [thread], "view", request)
    context = {
        "thread": thread,
        "messages_on": list(access.messages_of(thread)),
        "form": form if access.may_write(actor, thread) else None,
        "mine": thread.assigned_to_id == actor.user_id,
    }
    return render(request, "messages/staff/detail.html", context)
