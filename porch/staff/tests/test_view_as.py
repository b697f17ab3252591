from __future__ import annotations

import datetime
import time

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, Cast, sign_in
from porch.audit.models import AccessEvent
from porch.core.isolation import crawl, url_templates
from porch.housing.models import DetailsChangeRequest
from porch.staff.models import ViewAsSession


@pytest.fixture
def helper(cast: Cast) -> Client:
    """Customer services, with the view-as permission and a fresh password confirmation."""
    cast.staff["cs"].role_grants.create(role="view_as")
    client = sign_in(Client(), cast.staff["cs"])
    client.post("/account/confirm-password/", {"password": PASSWORD, "next": "/staff/"})
    return client


def start_view_as(client: Client, cast: Cast, name: str = "alice"):
    person = next(h.people[name] for h in cast.households.values() if name in h.people)
    return client.post(f"/staff/people/{person.uuid}/view-as/", {"reason": "call", "reference": "CALL-778"})


def test_staff_see_the_portal_as_the_resident_with_a_banner(cast: Cast, helper: Client) -> None:
    assert start_view_as(helper, cast)["Location"] == "/"
    page = helper.get("/").content.decode()
    assert "Hello, Alice" in page and "Viewing as a resident" in page and "cs@staff.example.org" in page
    assert cast["ashton"].documents["letter"].title in helper.get("/documents/").content.decode()


def test_starting_needs_the_password_again(cast: Cast) -> None:
    cast.staff["cs"].role_grants.create(role="view_as")
    client = sign_in(Client(), cast.staff["cs"])
    response = start_view_as(client, cast)
    assert response["Location"].startswith("/account/confirm-password/")
    assert not ViewAsSession.objects.exists()


def test_a_reason_and_reference_are_required(cast: Cast, helper: Client) -> None:
    alice = cast["ashton"].people["alice"]
    page = helper.post(f"/staff/people/{alice.uuid}/view-as/", {}).content.decode()
    assert "Select why you need to see their account" in page and "Enter the call, visit or case reference" in page


def test_every_write_is_refused_while_viewing_as(cast: Cast, helper: Client) -> None:
    start_view_as(helper, cast)
    form = {"idempotency_key": "6f1f8d1e-6d1c-4f7e-9d43-2b8f3f3a9a11", "field": "mobile", "new_value": "07700900000"}
    assert helper.post("/my-details/change/", form).status_code == 403
    assert not DetailsChangeRequest.objects.exists()
    # Ending, signing out, and reporting a privacy problem (staff may be the first to spot a leak).
    allowed = {"/staff/view-as/end/", "/sign-out/", "/report-a-privacy-problem/"}
    code = str(cast["ashton"].tenancy.uuid)
    for template, holes in url_templates():
        url = template.format(**dict.fromkeys(holes, code)) if holes else template
        if url in allowed or template.startswith("/admin/"):
            continue
        status = helper.post(url, {}).status_code
        # The housing system's API answers a signed request only: to any session, 401 (or 405).
        assert status in ((401, 405) if _signed(url) else (403, 404, 405)), (url, status)
    assert helper.post("/admin/", {}).status_code == 403


def _signed(url: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        return bool(getattr(getattr(resolve(url).func, "porch_audience", None), "signed", False))
    except Resolver404:
        return False


def test_staff_pages_stay_shut_until_view_as_ends(cast: Cast, helper: Client) -> None:
    start_view_as(helper, cast)
    assert helper.get("/staff/").status_code == 403
    helper.post("/staff/view-as/end/")
    assert helper.get("/staff/").status_code == 200
    assert ViewAsSession.objects.get().ended_at is not None


def test_view_as_ends_by_itself_after_30_minutes(cast: Cast, helper: Client) -> None:
    start_view_as(helper, cast)
    ViewAsSession.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert helper.get("/")["Location"] == "/staff/"
    assert ViewAsSession.objects.get().ended_at is not None
    assert helper.get("/staff/").status_code == 200


def test_every_page_is_audited_under_both_identities_and_shown_to_the_resident(cast: Cast, helper: Client) -> None:
    start_view_as(helper, cast)
    helper.get("/my-details/")
    event = AccessEvent.objects.filter(object_type="person").latest("id")
    assert event.actor == cast.resident("alice") and event.on_behalf_of == cast.staff["cs"]
    assert event.actor_role == "view_as:customer_services"
    helper.post("/staff/view-as/end/")
    page = sign_in(Client(), cast.resident("alice")).get("/privacy/").content.decode()
    assert "A member of our customer services team looked at your details, seeing your account as you see it" in page


def test_only_residents_the_staff_member_may_see_can_be_viewed(cast: Cast) -> None:
    south = cast.staff["south"]
    south.role_grants.create(role="view_as")
    client = sign_in(Client(), south)
    client.post("/account/confirm-password/", {"password": PASSWORD, "next": "/staff/"})
    assert start_view_as(client, cast).status_code == 404


def test_people_without_an_account_cannot_be_viewed(cast: Cast, helper: Client) -> None:
    amy = cast["ashton"].people["amy"]
    page = helper.get(f"/staff/people/{amy.uuid}/view-as/").content.decode()
    assert "has not created an account" in page


def test_a_former_tenant_cannot_be_viewed(cast: Cast, helper: Client) -> None:
    erin = cast["evans"].people["erin"]
    assert "no current home" in helper.get(f"/staff/people/{erin.uuid}/view-as/").content.decode()


def test_viewing_as_one_resident_shows_nothing_of_other_households(cast: Cast, helper: Client) -> None:
    start_view_as(helper, cast)
    others = [h for key, h in cast.households.items() if key != "ashton"]
    leaks = crawl(
        helper, foreign_markers=[h.marker for h in others], foreign_codes=[c for h in others for c in h.codes]
    )
    assert leaks == []


def test_staff_viewing_as_a_resident_can_report_a_privacy_problem_as_themselves(cast: Cast, helper: Client) -> None:
    import re

    from porch.incidents.models import PrivacyReport

    start_view_as(helper, cast)
    form = helper.get("/report-a-privacy-problem/").content.decode()
    assert "Your name" not in form  # their account says who they are
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    response = helper.post(
        "/report-a-privacy-problem/", {"idempotency_key": key, "what_seen": "Another family's letter on her list"}
    )
    assert response.status_code == 200 and "We have your report" in response.content.decode()
    report = PrivacyReport.objects.get()
    assert report.reported_by == cast.staff["cs"]  # the person who saw it, not the resident


def test_viewing_as_shows_no_link_or_form_that_would_then_be_refused(cast: Cast, helper: Client) -> None:
    start_view_as(helper, cast)
    home = helper.get("/").content.decode()
    assert 'href="/account/"' not in home
    change = helper.get("/my-details/change/").content.decode()
    assert "Only the resident can send this request" in change and "Send request" not in change


def test_resolving_the_actor_never_ends_a_session_only_the_explicit_step_does(cast: Cast, helper: Client) -> None:
    """Building the actor only reads: a session past its time is simply not applied there;
    EndStaleViewAsMiddleware ends it, on the record, as a step of its own."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    from porch.accounts.actors import actor_for_request
    from porch.audit.models import AccessEvent
    from porch.staff.middleware import EndStaleViewAsMiddleware

    start_view_as(helper, cast)
    ViewAsSession.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    request = RequestFactory().get("/")
    request.user = cast.staff["cs"]
    request.user.is_verified = lambda: True  # type: ignore[attr-defined]
    request.session = helper.session
    events = AccessEvent.objects.count()

    actor = actor_for_request(request)
    assert not actor.is_viewing_as and actor.is_staff
    assert AccessEvent.objects.count() == events and ViewAsSession.objects.get().ended_at is None

    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    EndStaleViewAsMiddleware(lambda r: None)(request)  # type: ignore[arg-type,return-value]
    assert ViewAsSession.objects.get().ended_at is not None
    ended = AccessEvent.objects.filter(action="view_as").latest("id")
    assert ended.reason == "ended: time limit reached"


def test_being_signed_out_when_idle_ends_view_as_on_the_record(cast: Cast, helper: Client) -> None:
    """The idle limit signs staff out before the actor is resolved: the session still ends."""
    start_view_as(helper, cast)
    browser_session = helper.session
    browser_session["porch_last_seen"] = time.time() - 60 * 60
    browser_session.save()
    assert helper.get("/")["Location"].startswith("/sign-in/")
    assert ViewAsSession.objects.get().ended_at is not None
    reasons = AccessEvent.objects.filter(object_type="view_as_session").values_list("reason", flat=True)
    assert "ended: signed out" in reasons


def test_signing_out_everywhere_else_ends_the_other_browsers_view_as_on_the_record(cast: Cast, helper: Client) -> None:
    start_view_as(helper, cast)
    other = sign_in(Client(), cast.staff["cs"])
    other.post("/account/confirm-password/", {"password": PASSWORD, "next": "/staff/"})
    other.post("/account/sign-out-elsewhere/")
    assert ViewAsSession.objects.get().ended_at is not None
    reasons = AccessEvent.objects.filter(object_type="view_as_session").values_list("reason", flat=True)
    assert "ended: signed out everywhere else" in reasons
