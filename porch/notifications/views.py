"""The resident's notifications and their choices of how to be told; the staff's delivery counts."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from porch.core.paging import page_of
from porch.core.routes import RESIDENT, audience, module, staff
from porch.core.types import PorchRequest
from porch.notifications import access, services
from porch.notifications.forms import ChoicesForm
from porch.notifications.kinds import Channel
from porch.notifications.models import Delivery

PAGE_SIZE = 25
WATCHERS = staff(*sorted(access.WATCHERS))
# The staff page counts deliveries made in this many days.
COUNT_DAYS = 30
FAILURES_SHOWN = 50


@audience(RESIDENT)
@module("notifications")
def notification_list(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    page = page_of(access.notifications_for_resident(actor), request.GET, size=PAGE_SIZE, by="created_at")
    notifications = list(page.items)
    unread = {item.pk for item in notifications if item.read_at is None}
    services.notifications_shown(actor=actor, notifications=notifications, request=request)
    return render(request, "notifications/list.html", {"page": page, "notifications": notifications, "unread": unread})


@audience(RESIDENT)
@module("notifications")
def choices(request: PorchRequest) -> HttpResponse:
    person = access.person_of(request.actor)
    if person is None:
        raise Http404
    options = {"has_email": bool(person.email), "has_mobile": bool(person.mobile)}
    if request.method == "POST":
        form = ChoicesForm(request.POST, **options)
        if form.is_valid():
            services.choices_change(actor=request.actor, person=person, wanted=form.cleaned_data, request=request)
            messages.success(request, "Your choices are saved.")
            return redirect("notifications:choices")
    else:
        form = ChoicesForm(initial=ChoicesForm.initial_from(services.choices_of(person)), **options)
    services.choices_shown(actor=request.actor, person=person, request=request)
    return render(request, "notifications/choices.html", {"form": form})


@audience(WATCHERS)
def staff_deliveries(request: PorchRequest) -> HttpResponse:
    """Counts by channel and status, and the latest failures: no person, no words, no address,
    so nothing here is personal data and nothing is audited."""
    since = timezone.now() - datetime.timedelta(days=COUNT_DAYS)
    deliveries = access.deliveries_for_staff(request.actor)
    counted = (
        deliveries.filter(created_at__gte=since).order_by().values_list("channel", "status").annotate(n=Count("id"))
    )
    counts = {(channel, status): n for channel, status, n in counted}
    rows = [
        (label, [counts.get((channel, status), 0) for status in Delivery.Status.values])
        for channel, label in Channel.choices
    ]
    failures = (
        deliveries.filter(status=Delivery.Status.FAILED)
        .select_related("notification")
        .only("channel", "attempts", "last_error", "created_at", "notification__kind")
        .order_by("-created_at", "-id")[:FAILURES_SHOWN]
    )
    context = {
        "statuses": Delivery.Status.labels,
        "rows": rows,
        "failures": list(failures),
        "days": COUNT_DAYS,
    }
    return render(request, "notifications/staff/deliveries.html", context)
