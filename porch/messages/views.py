"""The resident's messages: their threads, starting one, one thread's page with its reply form,
and a file attached to a message."""

from __future__ import annotations

from uuid import UUID

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from porch.core.actions import Action
from porch.core.modules import Subject
from porch.core.paging import page_of
from porch.core.routes import RESIDENT, audience, module
from porch.core.types import PorchRequest
from porch.messages import access, attachments, services
from porch.messages.about import about_from, about_shown
from porch.messages.files import attachment_response
from porch.messages.forms import MessageForm, ThreadForm
from porch.messages.models import Thread

PAGE_SIZE = 25


@audience(RESIDENT)
@module("messages")
def thread_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    page = page_of(
        access.threads_for_resident(actor).order_by("-last_at", "-id"), request.GET, size=PAGE_SIZE, by="last_at"
    )
    threads = list(page.items)
    services.threads_seen(actor, threads, "list", request)
    may_start = bool(access.homes_to_write_from(actor)) and not actor.is_viewing_as
    return render(request, "messages/list.html", {"threads": threads, "page": page, "may_start": may_start})


@audience(RESIDENT)
@module("messages")
@require_http_methods(["GET", "POST"])
def thread_new(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    homes = access.homes_to_write_from(actor)
    if not homes or actor.is_viewing_as:
        return render(request, "messages/no_home.html", status=403)
    joint = any(access.has_other_account_holders(actor, home) for home in homes)
    about = _about(request)
    form = ThreadForm(
        request.POST or None,
        request.FILES or None,
        homes=homes,
        joint=joint,
        about=about,
        kept=attachments.kept(request),
    )
    if request.method == "POST" and form.is_valid():
        new = services.NewThread(
            tenancy=form.cleaned_data["home"],
            subject=form.cleaned_data["subject"],
            topic=form.cleaned_data["topic"],
            text=form.cleaned_data["text"],
            about_reference=form.cleaned_data.get("about_reference", ""),
            private=form.private,
            attachment=attachments.to_send(request, form),
            about=about,
        )
        thread = services.thread_start(actor=actor, new=new, key=form.cleaned_data["key"], request=request)
        attachments.sent(request, form)
        return redirect("messages:detail", code=thread.uuid)
    if request.method == "POST":
        attachments.keep_for_next_time(request, form)
    return render(request, "messages/new.html", {"form": form, "about": about})


def _about(request: PorchRequest) -> Subject | None:
    """The record a new thread is about (?about=kind:code, then the form's hidden field). One the
    resident may not see, or that does not exist: 404, like any id they were not given."""
    value = request.POST.get("about", "") if request.method == "POST" else request.GET.get("about", "")
    if not value:
        return None
    about = about_from(request.actor, value, request)
    if about is None:
        raise Http404
    return about


@audience(RESIDENT)
@module("messages")
def thread_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    thread = access.get_thread_for(request.actor, code)
    return _page(request, thread, MessageForm())


@audience(RESIDENT)
@module("messages")
@require_POST
def thread_reply(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    thread = access.get_thread_for(actor, code, action=Action.CHANGE)
    form = MessageForm(request.POST, request.FILES, kept=attachments.kept(request))
    if not form.is_valid():
        attachments.keep_for_next_time(request, form)
        return _page(request, thread, form)
    services.message_send(
        actor=actor,
        thread=thread,
        text=form.cleaned_data["text"],
        key=form.cleaned_data["key"],
        attachment=attachments.to_send(request, form),
        request=request,
    )
    attachments.sent(request, form)
    return redirect("messages:detail", code=thread.uuid)


@audience(RESIDENT)
@module("messages")
def attachment(request: PorchRequest, code: UUID) -> FileResponse:
    message = access.get_attachment_for(request.actor, code)
    services.threads_seen(request.actor, [message.thread], "download", request)
    return attachment_response(message)


def _page(request: PorchRequest, thread: Thread, form: MessageForm) -> HttpResponse:
    actor = request.actor
    services.threads_seen(actor, [thread], "view", request)
    about, about_words = about_shown(actor, thread, request)
    context = {
        "thread": thread,
        "messages_on": list(access.messages_of(thread)),
        "form": form if access.may_write(actor, thread) else None,
        "me": actor.person_id,
        "about": about,
        "about_words": about_words,
    }
    return render(request, "messages/detail.html", context)
