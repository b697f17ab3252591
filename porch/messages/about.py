"""What a thread is about, when it was started from a record's page: a repair, a complaint or a
rent account, as the module that owns it declares (porch.core.modules.SubjectKind). Each viewer
sees the record only through that module's own access rule, each time: a thread shared with a
joint tenant, or read by a team, never shows them a record they may not open."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest

from porch.core.actor import Actor
from porch.core.modules import Subject, subject_kind
from porch.messages.models import Thread


def about_from(actor: Actor, value: str, request: HttpRequest) -> Subject | None:
    """The record named by "kind:code" (as the write_about tag builds it), if the actor may see it."""
    key, _, code = value.partition(":")
    kind = subject_kind(key)
    if kind is None or not _is_uuid(code):
        return None
    return kind.find(actor, code, request)


def about_shown(actor: Actor, thread: Thread, request: HttpRequest) -> tuple[Subject | None, str]:
    """The thread's record as this viewer may see it, and the words for its kind ("a repair")
    to say it is about one they cannot open. (None, "") for a thread about no record."""
    kind = subject_kind(thread.about_kind) if thread.about_kind else None
    if kind is None:
        return None, ""
    return kind.find(actor, thread.about_code, request), kind.words


def _is_uuid(code: str) -> bool:
    try:
        UUID(code)
    except ValueError:
        return False
    return True
