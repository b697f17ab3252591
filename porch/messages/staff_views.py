"""The teams' pages: a shared inbox per team (newest first, paged by position, waiting for a
reply unless asked otherwise), a thread with its reply form and the household's other threads,
taking a thread or giving it to a colleague, marking it as needing no reply, and a message's file.

Reading is for the teams' roles and the DPO, each seeing the households they may see (housing
officers: their patches); replying and taking a thread is for the teams (the DPO: 403)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.accounts.models import User
from porch.core.actions import Action
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.messages import access, attachments, services
from porch.messages.about import about_shown
from porch.messages.files import attachment_response
from porch.messages.forms import AssignForm, InboxForm, MessageForm
from porch.messages.inbox import Show, inbox_page
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
    team, show = form.chosen(teams)
    page = inbox_page(actor, team, show, request.GET, PAGE_SIZE)
    services.threads_seen(actor, page.items, "list", request)
    context = {"form": form, "page": page, "threads": page.items, "team": Team(team).label, "show": Show(show)}
    return render(request, "messages/staff/inbox.html", context)


@audience(READER)
def staff_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    return _page(request, access.get_thread_for(request.actor, code))


@audience(WORKER)
@require_POST
def staff_reply(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    thread = access.get_thread_for(actor, code, action=Action.CHANGE)
    form = MessageForm(request.POST, request.FILES, kept=attachments.kept(request))
    if not form.is_valid():
        attachments.keep_for_next_time(request, form)
        return _page(request, thread, form=form)
    services.message_send(
        actor=actor,
        thread=thread,
        text=form.cleaned_data["text"],
        key=form.cleaned_data["key"],
        attachment=attachments.to_send(request, form),
        request=request,
    )
    attachments.sent(request, form)
    flash.success(request, "Reply sent. The household has been told there is a new message.")
    return redirect("messages:staff_detail", code=thread.uuid)


@audience(WORKER)
@require_POST
def staff_take(request: PorchRequest, code: UUID) -> HttpResponse:
    thread = access.get_thread_for(request.actor, code, action=Action.CHANGE)
    if not _in_team(request.actor.user_id, access.team_members(thread)):
        raise PermissionDenied  # another team's thread, or a home seen only through break glass
    if services.thread_take(actor=request.actor, thread=thread, request=request):
        flash.success(request, "The thread is yours.")
    else:
        flash.info(request, "It was already yours. Nothing has changed.")
    return redirect("messages:staff_detail", code=thread.uuid)


@audience(WORKER)
@require_POST
def staff_assign(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    thread = access.get_thread_for(actor, code, action=Action.CHANGE)
    form = AssignForm(request.POST, members=access.team_members(thread))
    if not form.is_valid():
        return _page(request, thread, assign=form)
    member = form.cleaned_data["to"]
    if services.thread_assign(actor=actor, thread=thread, to_id=member.pk, request=request):
        flash.success(request, f"The thread is now {member.username}'s.")
    else:
        flash.info(request, f"It was already {member.username}'s. Nothing has changed.")
    return redirect("messages:staff_detail", code=thread.uuid)


@audience(WORKER)
@require_POST
def staff_settle(request: PorchRequest, code: UUID) -> HttpResponse:
    thread = access.get_thread_for(request.actor, code, action=Action.CHANGE)
    if services.thread_settle(actor=request.actor, thread=thread, request=request):
        flash.success(request, "Marked as needing no reply. If the household writes again, it will wait for a reply.")
    else:
        flash.info(request, "It was not waiting for a reply. Nothing has changed.")
    return redirect("messages:staff_detail", code=thread.uuid)


@audience(READER)
def staff_attachment(request: PorchRequest, code: UUID) -> FileResponse:
    message = access.get_attachment_for(request.actor, code)
    services.threads_seen(request.actor, [message.thread], "download", request)
    return attachment_response(message)


def _page(
    request: PorchRequest, thread: Thread, *, form: MessageForm | None = None, assign: AssignForm | None = None
) -> HttpResponse:
    actor = request.actor
    writes = access.may_write(actor, thread)
    members = access.team_members(thread) if writes else []
    others = access.household_threads(actor, thread)
    services.threads_seen(actor, [thread], "view", request)
    services.threads_seen(actor, others, "list", request)
    about, about_words = about_shown(actor, thread, request)
    context = {
        "about": about,
        "about_words": about_words,
        "thread": thread,
        "messages_on": list(access.messages_of(thread)),
        "form": (form or MessageForm()) if writes else None,
        "assign": (assign or AssignForm(members=members)) if writes else None,
        "mine": thread.assigned_to_id == actor.user_id,
        "may_take": _in_team(actor.user_id, members),
        "others": others,
    }
    return render(request, "messages/staff/detail.html", context)


def _in_team(user_id: int | None, members: list[User]) -> bool:
    """Only those a thread may be given to take it: its team, and (housing) the home's patch."""
    return any(member.pk == user_id for member in members)
