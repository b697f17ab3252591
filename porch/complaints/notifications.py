"""The hook notifications hang on (issue 14's notification service is built separately).

`response_published` is called, after the transaction commits, whenever a response letter is
published to a household. It sends nothing yet: the notification service will register what to
send here ("We have responded to your complaint. Sign in to read it."), with no detail of the
complaint in the message itself."""

from __future__ import annotations

from collections.abc import Callable

from porch.complaints.models import Complaint, ComplaintStage

ResponseListener = Callable[[Complaint, ComplaintStage], None]
_listeners: list[ResponseListener] = []


def on_response_published(listener: ResponseListener) -> ResponseListener:
    """Register a function to call when a response is published (usable as a decorator)."""
    _listeners.append(listener)
    return listener


def response_published(complaint: Complaint, stage: ComplaintStage) -> None:
    for listener in list(_listeners):
        listener(complaint, stage)
