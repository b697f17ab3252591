"""Back-office pages for staff. Every look at a resident's data is audited."""

from __future__ import annotations

import uuid
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from porch.accounts import access as account_access
from porch.accounts.services import letter_mark_printed
from porch.accounts.sudo import sudo_required
from porch.accounts.synthetic import synthetic_household_create
from porch.audit.access import events_about
from porch.audit.services import Seen, record, record_many
from porch.core import access as core_access
from porch.core import modules
from porch.core.roles import FRONT_DESK, ORGANISATION_WIDE, PATCH_SCOPED, StaffRole
from porch.core.routes import VIEWING_AS, audience, staff
from porch.core.types import PorchRequest
from porch.documents import access as document_access
from porch.housing import access as housing_access
from porch.housing.models import Tenancy, TestHousehold
from porch.money import access as money_access
from porch.staff import access as staff_access
from porch.staff.forms import (
    BreakGlassForm,
    BreakGlassReviewForm,
    TenancySearchForm,
    TestHouseholdForm,
    ViewAsForm,
)
from porch.staff.models import BreakGlass
from porch.staff.services import (
    BreakGlassRefused,
    break_glass_open,
    break_glass_review,
    view_as_end_current,
)
from porch.staff.services import view_as_start as view_as_start_session

# Roles that work with residents' personal data.
CASEWORK = staff(*sorted(ORGANISATION_WIDE | PATCH_SCOPED), personal_data=True)
PATCH_STAFF = staff(*sorted(PATCH_SCOPED), personal_data=True)
SIGN_UP_DESK = staff(*sorted(FRONT_DESK), personal_data=True)
DPO = staff(StaffRole.DPO, personal_data=True)
VIEW_AS = staff(StaffRole.VIEW_AS, personal_data=True)
TEST_RESIDENTS = staff(StaffRole.TEST_RESIDENTS)
SYSADMIN = staff(StaffRole.SYSADMIN)

# Results a page of staff search shows (and audits): the first page is what the search showed
# before it had pages.
SEARCH_PAGE_SIZE = 50


@audience(staff())
def home(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    context = {
        "counts": account_access.queue_counts(actor),
        "reviews": staff_access.break_glass_waiting_review(actor).count(),
        "change_requests": housing_access.change_requests_waiting(actor).count(),
        "staff_links": modules.staff_links(),  # each module's own pages (porch/<app>/module.py)
    }
    return render(request, "staff/home.html", context)


@audience(CASEWORK)
def tenancy_search(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    form = TenancySearchForm(request.GET or None)
    page, term = None, ""
    if form.is_valid():
        term = form.cleaned_data["q"].strip()
        page = Paginator(housing_access.search_tenancies(actor, term), SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        results: list[Tenancy] = list(page.object_list)
        members = housing_access.member_ids_by_tenancy(results)
        seen = [Seen(t.uuid, members.get(t.id) or {None}, t.id, f"search: {term}") for t in results]
        record_many(
            actor=actor,
            action="search",
            object_type="tenancy",
            seen=seen or [Seen(reason=f"search: {term}")],
            request=request,
        )
    return render(request, "staff/tenancy_search.html", {"form": form, "page": page, "term": term})


@audience(CASEWORK)
def tenancy_detail(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    tenancy = housing_access.get_tenancy_for(actor, code)
    members = list(tenancy.memberships.select_related("person").order_by("-start_date", "role"))
    documents = list(document_access.documents_of_tenancy(actor, tenancy)[:50])
    record(
        actor=actor,
        action="view",
        object_type="tenancy",
        object_id=tenancy.uuid,
        subject_ids={m.person_id for m in members} or {None},
        tenancy_id=tenancy.id,
        request=request,
    )
    return render(
        request,
        "staff/tenancy_detail.html",
        {
            "tenancy": tenancy,
            "members": members,
            "documents": documents,
            # Links only, no balance: reading an account is its own page, audited there.
            "accounts": money_access.accounts_of_tenancy_for_staff(actor, tenancy),
            "is_dpo": actor.has_role(StaffRole.DPO),
            "can_view_as": actor.has_role(StaffRole.VIEW_AS),
            "break_glass": staff_access.open_break_glass_on(actor, tenancy.id),
        },
    )


@audience(DPO)
def person_audit(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    person = housing_access.get_person_for(actor, code)
    record(
        actor=actor,
        action="view",
        object_type="audit_trail",
        object_id=person.uuid,
        subject_ids=[person.id],
        request=request,
    )
    page = Paginator(events_about(actor, person.id), 50).get_page(request.GET.get("page"))
    return render(request, "staff/person_audit.html", {"person": person, "page": page})


@audience(SIGN_UP_DESK)
def letters(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    waiting = list(account_access.letters_waiting(actor))
    seen = [Seen(letter.uuid, [letter.person_id], letter.tenancy_id) for letter in waiting]
    record_many(actor=actor, action="list", object_type="activation_letter", seen=seen or [Seen()], request=request)
    return render(request, "staff/letters.html", {"letters": waiting})


@audience(SIGN_UP_DESK)
def letter_pdf(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    letter = account_access.get_letter_for(actor, code)
    record(
        actor=actor,
        action="download",
        object_type="activation_letter",
        object_id=letter.uuid,
        subject_ids=[letter.person_id],
        tenancy_id=letter.tenancy_id,
        request=request,
    )
    response = HttpResponse(bytes(letter.pdf or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="activation-letter-{letter.uuid}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@audience(SIGN_UP_DESK)
@require_POST
def letter_printed(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    letter = account_access.get_letter_for(actor, code)
    letter_mark_printed(actor=actor, letter=letter, request=request)
    messages.success(request, "Marked as printed. The letter has been removed from the queue.")
    return redirect("staff:letters")


@audience(SIGN_UP_DESK)
def help_requests(request: PorchRequest) -> HttpResponse:
    actor = request.actor
    waiting = list(account_access.help_requests_waiting(actor))
    record(actor=actor, action="list", object_type="signup_help_request", request=request)
    return render(request, "staff/help_requests.html", {"help_requests": waiting})


@audience(PATCH_STAFF)
def break_glass(request: PorchRequest) -> HttpResponse:
    """Open a record outside one's patch: a reason is required, and it is reviewed."""
    actor = request.actor
    form = BreakGlassForm(
        request.POST if request.method == "POST" else None, initial={"reference": request.GET.get("reference", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            opened = break_glass_open(actor=actor, request=request, **form.cleaned_data)
        except BreakGlassRefused as refusal:
            form.add_error("reference", str(refusal))
        else:
            return redirect("staff:tenancy_detail", code=opened.tenancy.uuid)
    return render(request, "staff/break_glass.html", {"form": form})


@audience(DPO)
def break_glass_reviews(request: PorchRequest) -> HttpResponse:
    return _reviews_page(request)


def _reviews_page(request: PorchRequest, *, failed: BreakGlass | None = None) -> HttpResponse:
    """The review list; after a review sent without a note, that row's note box is marked."""
    waiting = list(staff_access.break_glass_waiting_review(request.actor))
    context = {"waiting": waiting, "failed": failed}
    return render(request, "staff/break_glass_reviews.html", context, status=400 if failed else 200)


@audience(DPO)
@require_POST
def break_glass_reviewed(request: PorchRequest, code: UUID) -> HttpResponse:
    actor = request.actor
    opened = staff_access.get_break_glass_for(actor, code)
    form = BreakGlassReviewForm(request.POST)
    if not form.is_valid():
        return _reviews_page(request, failed=opened)
    break_glass_review(actor=actor, opened=opened, note=form.cleaned_data["note"], request=request)
    messages.success(request, "Marked as reviewed.")
    return redirect("staff:break_glass_reviews")


@audience(VIEW_AS)
@sudo_required
def view_as_start(request: PorchRequest, code: UUID) -> HttpResponse:
    """See the portal exactly as one resident sees it, read-only, for a short time."""
    actor = request.actor
    try:
        person, resident = staff_access.resident_to_view_as(actor, code)
    except staff_access.ViewAsRefused as refusal:
        return render(request, "staff/view_as_unavailable.html", {"message": str(refusal)}, status=403)
    form = ViewAsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        view_as_start_session(actor=actor, person=person, resident=resident, request=request, **form.cleaned_data)
        return redirect("home")
    return render(request, "staff/view_as_start.html", {"form": form, "person": person})


@audience(VIEWING_AS)
@require_POST
def view_as_stop(request: PorchRequest) -> HttpResponse:
    view_as_end_current(request=request)
    messages.success(request, "You are no longer viewing as a resident.")
    return redirect("staff:home")


@audience(TEST_RESIDENTS)
def test_residents(request: PorchRequest) -> HttpResponse:
    """Synthetic households for rehearsals. New logins are shown once, here."""
    actor = request.actor
    created = None
    form = TestHouseholdForm(
        request.POST if request.method == "POST" else None, initial={"idempotency_key": uuid.uuid4()}
    )
    if request.method == "POST" and form.is_valid():
        created = synthetic_household_create(
            actor=actor,
            purpose=TestHousehold.Purpose.REHEARSAL,
            idempotency_key=form.cleaned_data["idempotency_key"],
            request=request,
        )
        if created is None:
            messages.info(request, "That test household was already created. Its passwords were shown once.")
        form = TestHouseholdForm(initial={"idempotency_key": uuid.uuid4()})
    households = housing_access.test_households_for(actor)
    return render(request, "staff/test_residents.html", {"households": households, "created": created, "form": form})


@audience(TEST_RESIDENTS)
def test_outbox(request: PorchRequest) -> HttpResponse:
    page = Paginator(core_access.test_outbox_for(request.actor), 50).get_page(request.GET.get("page"))
    return render(request, "staff/test_outbox.html", {"page": page})
