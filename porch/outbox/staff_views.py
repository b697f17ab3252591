"""The staff's view of the outbox: the deliveries by state, one event's deliveries, sending a
given-up event again, and (the DPO only, audited) what an event said."""

from __future__ import annotations

import json
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.core.actions import Action
from porch.core.paging import page_of
from porch.core.routes import audience, staff
from porch.core.types import PorchRequest
from porch.outbox import access, services
from porch.outbox.models import OutboxEvent
from porch.outbox.pull import as_json

WATCHERS = staff(*sorted(access.WATCHERS))
SENDERS = staff(*sorted(access.SENDERS))
PAYLOAD_READERS = staff(*sorted(access.PAYLOAD_READERS), personal_data=True)
PAGE_SIZE = 50
STATES = {state.value: state.label for state in OutboxEvent.State}
# The states as they read when the housing system collects updates itself (no webhook).
COLLECTED_WORDS = STATES | {
    OutboxEvent.State.WAITING.value: "Waiting to be collected",
    OutboxEvent.State.DELIVERED.value: "Collected",
}


@audience(WATCHERS)
def staff_list(request: PorchRequest) -> HttpResponse:
    """No reference or payload is shown here, so nothing is audited."""
    events = access.events_for_staff(request.actor)
    state = request.GET.get("state", "")
    if state in STATES:
        events = events.filter(state=state)
    else:
        state = ""
    page = page_of(events, request.GET, size=PAGE_SIZE, by="id")
    counts = dict(
        access.events_for_staff(request.actor)
        .filter(state__in=[OutboxEvent.State.WAITING, OutboxEvent.State.DEAD])
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
    )
    collecting = _collecting()
    words = COLLECTED_WORDS if collecting else STATES
    context = {
        "page": page,
        "events": page.items,
        "state": state,
        "caption": words.get(state, "Every update"),
        "counts": counts,
        "collecting": collecting,
        # With no webhook an event is delivered when first collected, in position order
        # (services.events_collected): the waiting ones are those after this position.
        "collected_to": _collected_to(request) if collecting else None,
        "max_attempts": settings.OUTBOX_MAX_ATTEMPTS,
    }
    return render(request, "outbox/staff/list.html", context)


def _collecting() -> bool:
    """No webhook set: the housing system collects every update itself."""
    return not settings.OUTBOX_WEBHOOK_URL


def _collected_to(request: PorchRequest) -> int | None:
    """The furthest position collected (None: nothing yet); one step down the (state, id) index."""
    delivered = access.events_for_staff(request.actor).filter(state=OutboxEvent.State.DELIVERED)
    return delivered.values_list("id", flat=True).first()


@audience(WATCHERS)
def staff_event(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    event = access.get_event_for(actor, code)
    context = {
        "event": event,
        "may_send_again": access.may_send_again(actor) and event.state == OutboxEvent.State.DEAD,
        "may_read_payload": access.may_read_payloads(actor),
        "collecting": _collecting(),
    }
    return render(request, "outbox/staff/event.html", context)


@audience(SENDERS)
@require_POST
def staff_send_again(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    event = access.get_event_for(actor, code, action=Action.CHANGE)
    try:
        services.event_send_again(actor=actor, event=event, request=request)
    except services.NotGivenUp:
        messages.info(request, "This update is not one we gave up on (it may have been sent again already).")
    else:
        messages.success(request, "The update is back in line and will be sent again shortly.")
    return redirect("outbox:staff_event", code=event.uuid)


@audience(PAYLOAD_READERS)
def staff_payload(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    event = access.get_payload_for(actor, code)
    services.payload_read(actor=actor, event=event, request=request)
    return render(request, "outbox/staff/payload.html", {"event": event, "body": _pretty(event)})


def _pretty(event: OutboxEvent) -> str:
    """The body as the housing system receives it, laid out to read."""
    return json.dumps(as_json(event), indent=2, ensure_ascii=False, sort_keys=True)
