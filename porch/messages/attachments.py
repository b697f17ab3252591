"""A message's file when its form comes back for another answer ("Enter your message"): kept,
not attached again (porch.core.kept_files), for the resident's forms and the team's alike."""

from __future__ import annotations

from django.http import HttpRequest

from porch.core import kept_files
from porch.core.kept_files import KeptFile
from porch.core.uploads import CheckedFile
from porch.messages.forms import MessageForm


def kept(request: HttpRequest) -> list[KeptFile]:
    return kept_files.kept_for(request, request.POST.get("key")) if request.method == "POST" else []


def to_send(request: HttpRequest, form: MessageForm) -> CheckedFile | None:
    """The file to send with the message: the one kept from before, or the one attached now."""
    drop = bool(form.cleaned_data.get("drop_kept"))
    files = kept_files.files_to_send(request, form.cleaned_data["key"], drop=drop, now=form.files_checked)
    return files[0] if files else None


def sent(request: HttpRequest, form: MessageForm) -> None:
    kept_files.forget(request, form.cleaned_data["key"])


def keep_for_next_time(request: HttpRequest, form: MessageForm) -> None:
    checked = {"attachment": form.files_checked} if "attachment" not in form.errors else {}
    drop = bool(form.cleaned_data.get("drop_kept"))
    form.show_kept(kept_files.keep_for_next_time(request, request.POST.get("key"), drop=drop, checked=checked))
