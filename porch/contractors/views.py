"""Contractor accounts: staff add a firm and its administrator; the firm's administrator
invites and deactivates their own operatives; an invited operative chooses a password from
a one-time link, then sets up two-step codes as staff do."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.contractors import access, services
from porch.contractors.forms import ChoosePasswordForm, FirmForm, InviteForm
from porch.core import rls
from porch.core.routes import PUBLIC, Audience, audience, staff
from porch.core.types import PorchRequest

FIRM_MAKERS = staff(*access.FIRM_MAKERS)
FIRM_ADMINISTRATOR = Audience("contractor firm administrator", access.is_firm_administrator)


@audience(FIRM_MAKERS)
def firms(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    form = FirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.firm_create(actor=actor, name=data["name"], admin_email=data["admin_email"], request=request)
        messages.success(
            request, f"{data['name']} added. We have emailed its administrator a link to choose a password."
        )
        return redirect("contractors:firms")
    return render(request, "contractors/firms.html", {"firms": list(access.firms_for_staff(actor)), "form": form})


@audience(FIRM_ADMINISTRATOR)
def team(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        services.operative_invite(actor=actor, email=email, request=request)
        messages.success(request, f"We have emailed {email} a link to choose a password.")
        return redirect("contractors:team")
    operatives = list(access.operatives_for(actor))
    return render(request, "contractors/team.html", {"operatives": operatives, "form": form, "me": actor.user_id})


@audience(FIRM_ADMINISTRATOR)
@require_POST
def deactivate(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    operative = access.get_operative_for(actor, code)
    if operative.pk == actor.user_id:
        messages.info(request, "You cannot deactivate your own account. Ask the repairs team.")
    elif services.operative_deactivate(actor=actor, operative=operative, request=request):
        messages.success(request, f"{operative.email} can no longer sign in.")
    else:
        messages.info(request, f"{operative.email} had already been deactivated. Nothing has changed.")
    return redirect("contractors:team")


@audience(PUBLIC)
@rls.answered_by_system
def invitation(request: PorchRequest, token: str) -> HttpResponse:
    invited = services.invitation_for(token)
    if invited is None:
        return render(request, "contractors/invitation_expired.html")
    form = ChoosePasswordForm(request.POST if request.method == "POST" else None, user=invited.user)
    if request.method == "POST" and form.is_valid():
        if services.invitation_accept(token=token, password=form.cleaned_data["password"], request=request) is None:
            return render(request, "contractors/invitation_expired.html")
        messages.success(request, "Password saved. Sign in, then set up two-step codes on your phone.")
        return redirect("accounts:login")
    return render(request, "contractors/invitation.html", {"form": form, "email": invited.user.email})
