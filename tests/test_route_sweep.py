"""The route sweep: every URL pattern declares its audience, and the role ladder
(anonymous, another household, the wrong staff role, the right actor) gets
exactly what the declaration promises. A new route fails here until it has a
ladder: in ROUTES, or for a module's pages in porch/<app>/tests/ladders.py."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import Cast, sign_in
from porch.feed.models import FeedBatch
from tests.ladders import Ladder, module_ladders

# The explicit allow-list of pages anyone may open without signing in.
PUBLIC_ROUTES = {
    "brand_css",
    "accessibility",
    "privacy_notice",
    "accounts:login",
    "accounts:sign_in_code",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:signup_start",
    "accounts:signup_code",
    "accounts:signup_password",
    "accounts:signup_help",
    "incidents:report",
    "incidents:acknowledge",
    "contractors:invitation",
}

# The explicit allow-list of routes that answer a housing system connection's signed requests
# (porch.integrations, /api/feed/v1/), each with the method it takes. No session admits them:
# nobody signed out and no signed-in role gets anything but 401 and the reason.
SIGNED_ROUTES = {
    "feed_api:batch_submit": "POST",
    "feed_api:batch": "GET",
    "feed_api:batch_problems": "GET",
    "feed_api:outbox_events": "GET",
    "feed_api:openapi": "GET",
}
# The card payment provider's callbacks (porch.money, ADR 0024): signed with the provider's
# webhook secret; no session admits them either.
PROVIDER_CALLBACKS = {"money:payment_callback", "money:direct_debit_callback"}
# Every kind of browser session the cast has: signed out, residents (current, former, a
# homeowner, another patch), every staff role, staff viewing as a resident, a contractor.
EVERY_SESSION = [
    None,
    "alice",
    "carol",
    "dan",
    "erin",
    "sam",
    "staff:north",
    "staff:south",
    "staff:cs",
    "staff:asb",
    "staff:dpo",
    "staff:admin",
    "viewing",
    "contractor:a",
]


ROUTES: dict[str, Ladder] = {
    "home": Ladder(right="alice", wrong=None),
    "portal:my_details": Ladder(right="alice", wrong="staff:cs"),
    "portal:change_request": Ladder(right="alice", wrong="staff:cs"),
    "changes:queue": Ladder(right="staff:cs", wrong="staff:admin"),
    "changes:detail": Ladder(right="staff:north", wrong="staff:south", wrong_status=404, code="change_request"),
    "changes:approve": Ladder(right="staff:cs", wrong="alice", code="change_request", get_status=405),
    "changes:decline": Ladder(right="staff:north", wrong="staff:admin", code="change_request", get_status=405),
    "documents:list": Ladder(right="alice", wrong="staff:cs"),
    "documents:download": Ladder(right="alice", wrong="carol", wrong_status=404, code="document"),
    "portal:privacy": Ladder(right="alice", wrong="staff:dpo"),
    "accounts:account": Ladder(right="alice", wrong=None),
    "accounts:confirm_password": Ladder(right="alice", wrong=None),
    "accounts:mfa_setup": Ladder(right="alice", wrong=None),
    "accounts:mfa_recovery_codes": Ladder(right="alice", wrong=None, get_status=302),
    "accounts:password_change": Ladder(right="alice", wrong=None),
    "accounts:sign_out_elsewhere": Ladder(right="alice", wrong=None, get_status=405),
    "accounts:logout": Ladder(right="alice", wrong=None, get_status=405),
    "staff:home": Ladder(right="staff:north", wrong="alice"),
    "staff:tenancy_search": Ladder(right="staff:north", wrong="staff:admin"),
    "staff:tenancy_detail": Ladder(right="staff:north", wrong="staff:south", wrong_status=404, code="tenancy"),
    "staff:person_audit": Ladder(right="staff:dpo", wrong="staff:north", code="person"),
    "staff:letters": Ladder(right="staff:cs", wrong="staff:north"),
    "staff:letter_pdf": Ladder(right="staff:cs", wrong="staff:north", code="letter"),
    "staff:letter_printed": Ladder(right="staff:cs", wrong="staff:north", code="letter", get_status=405),
    "staff:help_requests": Ladder(right="staff:cs", wrong="staff:north"),
    "staff:break_glass": Ladder(right="staff:north", wrong="staff:cs"),
    "staff:break_glass_reviews": Ladder(right="staff:dpo", wrong="staff:north"),
    "staff:break_glass_reviewed": Ladder(right="staff:dpo", wrong="staff:north", code="break_glass", get_status=405),
    "staff:view_as_start": Ladder(right="staff:viewer", wrong="staff:north", code="person", get_status=302),
    "staff:view_as_end": Ladder(right="viewing", wrong="alice", get_status=405),
    "rollout:switches": Ladder(right="staff:dpo", wrong="staff:cs"),
    "rollout:switch_off": Ladder(right="staff:dpo", wrong="staff:cs", code="module", get_status=405),
    "rollout:switch_on": Ladder(right="staff:dpo", wrong="staff:cs", code="module", get_status=405),
    "rollout:approvals": Ladder(right="staff:admin", wrong="staff:north"),
    "rollout:decide": Ladder(right="staff:admin", wrong="staff:north", code="proposal", get_status=405),
    "staff:test_residents": Ladder(right="staff:tester", wrong="staff:north"),
    "staff:test_outbox": Ladder(right="staff:tester", wrong="staff:north"),
    "rollout:cohorts": Ladder(right="staff:dpo", wrong="staff:cs"),
    "rollout:cohort": Ladder(right="staff:dpo", wrong="staff:cs", code="cohort"),
    "rollout:cohort_homes": Ladder(right="staff:dpo", wrong="staff:cs", code="cohort", get_status=405),
    "rollout:cohort_module": Ladder(right="staff:dpo", wrong="staff:cs", code="cohort", get_status=405),
    "rollout:cohort_dpia": Ladder(right="staff:dpo", wrong="staff:cs", code="cohort", get_status=405),
    "rollout:cohort_sign_off": Ladder(right="staff:dpo", wrong="staff:admin", code="cohort", get_status=405),
    "rollout:cohort_status": Ladder(right="staff:dpo", wrong="staff:cs", code="cohort", get_status=405),
    "rollout:cohort_invitations": Ladder(right="staff:dpo", wrong="staff:cs", code="cohort"),
    "rollout:staff_accounts": Ladder(right="staff:admin", wrong="staff:cs"),
    "rollout:staff_account": Ladder(right="staff:admin", wrong="staff:cs", code="staff_account"),
    "rollout:script_sign_off": Ladder(right="staff:dpo", wrong="staff:cs", code="script", get_status=405),
    "incidents:log_call": Ladder(right="staff:cs", wrong="alice"),
    "incidents:list": Ladder(right="staff:dpo", wrong="staff:cs"),
    # Staff called about an incident may open and act on it; other staff get 404 (not visible).
    "incidents:incident": Ladder(right="staff:dpo", wrong="staff:cs", wrong_status=404, code="incident"),
    "incidents:incident_status": Ladder(right="staff:dpo", wrong="alice", code="incident", get_status=405),
    "incidents:incident_contain": Ladder(right="staff:dpo", wrong="alice", code="incident", get_status=405),
    "incidents:incident_details": Ladder(right="staff:dpo", wrong="alice", code="incident", get_status=405),
    "incidents:incident_owner": Ladder(right="staff:dpo", wrong="alice", code="incident", get_status=405),
    # Deciding, joining and reclassifying are the DPO's alone.
    "incidents:incident_ico": Ladder(right="staff:dpo", wrong="staff:cs", code="incident", get_status=405),
    "incidents:incident_ico_told": Ladder(right="staff:dpo", wrong="staff:cs", code="incident", get_status=405),
    "incidents:incident_affected": Ladder(right="staff:dpo", wrong="staff:cs", code="incident", get_status=405),
    "incidents:incident_review": Ladder(right="staff:dpo", wrong="staff:cs", code="incident", get_status=405),
    "incidents:incident_join": Ladder(right="staff:dpo", wrong="staff:cs", code="incident", get_status=405),
    "incidents:incident_near_miss": Ladder(right="staff:dpo", wrong="staff:cs", code="incident", get_status=405),
    "incidents:near_miss_new": Ladder(right="staff:dpo", wrong="staff:cs"),
    "incidents:drills": Ladder(right="staff:dpo", wrong="staff:cs"),
    "incidents:drill_start": Ladder(right="staff:dpo", wrong="staff:cs"),
    "incidents:incident_acknowledge": Ladder(right="staff:dpo", wrong="alice", code="incident", get_status=405),
    "incidents:rota": Ladder(right="staff:dpo", wrong="alice"),
    "incidents:rota_remove": Ladder(right="staff:dpo", wrong="staff:cs", code="shift", get_status=405),
    "exposure:report": Ladder(right="staff:dpo", wrong="staff:cs"),
    "exposure:people_csv": Ladder(right="staff:dpo", wrong="staff:cs", get_status=302),  # sudo first
    "exposure:recipients_csv": Ladder(right="staff:dpo", wrong="staff:cs", get_status=302),
    "exposure:who_saw": Ladder(right="staff:dpo", wrong="staff:north"),
    "exposure:who_saw_csv": Ladder(right="staff:dpo", wrong="staff:north", get_status=302),
    "exposure:session": Ladder(right="staff:dpo", wrong="staff:admin"),
    "exposure:session_csv": Ladder(right="staff:dpo", wrong="staff:admin", get_status=302),
    "exposure:ico_report": Ladder(right="staff:dpo", wrong="staff:cs", code="incident"),
    # Each module's own pages, declared beside its tests (porch/<app>/tests/ladders.py).
    **module_ladders(),
}
ADMIN = Ladder(right="staff:admin", wrong="staff:dpo")


def all_routes() -> list[tuple[str, str, Any]]:
    """(name, route, view) for every URL pattern, named or not."""
    found: list[tuple[str, str, Any]] = []

    def walk(patterns: Any, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"
                found.append((name, prefix + str(pattern.pattern), pattern.callback))

    walk(get_resolver().url_patterns, "", "")
    return found


ROUTE_LIST = all_routes()


def test_every_route_declares_an_audience() -> None:
    undeclared = [name for name, _, view in ROUTE_LIST if getattr(view, "porch_audience", None) is None]
    assert undeclared == []


def test_public_routes_are_exactly_the_allow_list() -> None:
    public = {name for name, _, view in ROUTE_LIST if getattr(getattr(view, "porch_audience", None), "public", False)}
    assert public == PUBLIC_ROUTES


def test_signed_routes_are_exactly_the_allow_list() -> None:
    signed = {name for name, _, view in ROUTE_LIST if getattr(getattr(view, "porch_audience", None), "signed", False)}
    assert signed == set(SIGNED_ROUTES) | PROVIDER_CALLBACKS


def test_every_route_has_a_role_ladder() -> None:
    missing = [
        name
        for name, _, _ in ROUTE_LIST
        if name not in ROUTES
        and name not in PUBLIC_ROUTES
        and name not in SIGNED_ROUTES
        and name not in PROVIDER_CALLBACKS
        and not name.startswith("admin:")
    ]
    assert missing == []


def test_an_undeclared_view_refuses_everybody(cast: Cast, rf: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from porch.core.routes import AudienceMiddleware

    def undeclared_view(request: Any) -> None:
        raise AssertionError("must never run")

    request = rf.get("/")
    from porch.accounts.actors import actor_for_user

    request.actor = actor_for_user(cast.staff["admin"], verified=True)
    with pytest.raises(PermissionDenied):
        AudienceMiddleware(lambda r: None).process_view(request, undeclared_view, (), {})  # type: ignore[arg-type,return-value]


def sample_url(route: str, ladder: Ladder, cast: Cast) -> str:
    from porch.accounts.models import ActivationLetter, SignupCode

    ashton = cast["ashton"]
    codes = {
        "document": str(ashton.documents["letter"].uuid),
        "tenancy": str(ashton.tenancy.uuid),
        "person": str(ashton.people["alice"].uuid),
        "type": str(cast.types["letter"].uuid),
    }
    if ladder.code == "break_glass":
        from porch.staff.models import BreakGlass

        opened = BreakGlass.objects.create(
            staff=cast.staff["south"],
            tenancy=ashton.tenancy,
            reason="call",
            details="x",
            expires_at="2100-01-01T00:00:00Z",
        )
        codes["break_glass"] = str(opened.uuid)
    if ladder.code in ("cohort", "script"):
        from porch.rollout.models import Cohort

        pilot = Cohort.objects.get(name="Pilot")
        script = pilot.scripts.create(title="A script")
        codes["cohort"], codes["script"] = str(pilot.uuid), str(script.uuid)
    if ladder.code == "incident":
        from django.utils import timezone

        from porch.incidents.models import Incident

        codes["incident"] = str(Incident.objects.create(aware_at=timezone.now()).uuid)
    if ladder.code == "shift":
        from django.utils import timezone

        from porch.incidents.models import OnCallShift

        shift = OnCallShift.objects.create(
            user=cast.staff["dpo"], rung=1, starts_at=timezone.now(), ends_at="2100-01-01T00:00:00Z"
        )
        codes["shift"] = str(shift.uuid)
    if "<str:token>" in route:
        codes["token"] = acknowledge_token()
    if ladder.code == "change_request":
        import datetime

        from porch.housing.models import DetailsChangeRequest

        change = DetailsChangeRequest.objects.create(
            person=ashton.people["alice"],
            tenancy=ashton.tenancy,
            field="mobile",
            new_value="07700 900982",
            due_on=datetime.date.today() + datetime.timedelta(days=14),
        )
        codes["change_request"] = str(change.uuid)
    if ladder.code == "staff_account":
        codes["staff_account"] = str(cast.staff["north"].uuid)
    if ladder.code == "proposal":
        from porch.rollout.models import ChangeProposal

        proposal = ChangeProposal.objects.create(
            kind="switch_on", target="documents", before="off", after="on", reason="x", proposed_by=cast.staff["dpo"]
        )
        codes["proposal"] = str(proposal.uuid)
    if ladder.code == "letter":
        person = ashton.people["amy"]
        code = SignupCode.objects.create(
            person=person, tenancy=ashton.tenancy, channel="post", code_hash="x", expires_at="2100-01-01T00:00:00Z"
        )
        codes["letter"] = str(
            ActivationLetter.objects.create(
                signup_code=code, person=person, tenancy=ashton.tenancy, pdf=b"%PDF-1.4"
            ).uuid
        )
    if callable(ladder.code):
        codes["declared"] = ladder.code(cast)
    path = "/" + route
    code_name = "declared" if callable(ladder.code) else ladder.code or ""
    for hole, value in {
        "<uuid:code>": codes.get(code_name, ""),
        "<slug:module>": "documents",
        "<uidb64>": "MQ",
        "<token>": "set-password",
        "<path:object_id>": "1",
        "<path:content_type_id>": "1",
        "<int:content_type_id>": "1",
        "<app_label>": "housing",
        "<url>": "x",
        "<str:token>": codes.get("token", ""),
    }.items():
        path = path.replace(hole, value)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    return path


def acknowledge_token() -> str:
    """A genuine, unused acknowledgement link's token, as a call would carry."""
    from django.utils import timezone

    from porch.incidents.escalation import acknowledge_path
    from porch.incidents.models import Incident, Notification

    incident = Incident.objects.create(aware_at=timezone.now())
    call = Notification.objects.create(
        incident=incident, rung=1, channel="email", address="dpo@example.org", due_at=timezone.now(), ack_nonce="n1"
    )
    return acknowledge_path(call).split("/")[-2]


def client_for(who: str | None, cast: Cast) -> Client:
    if who is None:
        return Client()
    if who in ("staff:viewer", "viewing"):
        return viewer(cast, viewing=who == "viewing")
    if who == "staff:tester":
        cast.staff["cs"].role_grants.get_or_create(role="test_residents")
        return sign_in(Client(), cast.staff["cs"])
    if who.startswith("staff:"):
        return sign_in(Client(), cast.staff[who.removeprefix("staff:")])
    if who.startswith("contractor:"):  # a verified operative of firm a or b, made when first asked for
        from porch.repairs.tests.contractor_cast import contractor

        return sign_in(Client(), contractor(who.removeprefix("contractor:")))
    return sign_in(Client(), cast.resident(who))


def viewer(cast: Cast, *, viewing: bool) -> Client:
    """Customer services with the view-as permission; optionally already viewing as Alice."""
    import datetime

    from django.utils import timezone

    from porch.staff.models import VIEW_AS_SESSION_KEY, ViewAsSession

    staff = cast.staff["cs"]
    staff.role_grants.get_or_create(role="view_as")
    client = sign_in(Client(), staff)
    if viewing:
        session = ViewAsSession.objects.create(
            staff=staff,
            person=cast["ashton"].people["alice"],
            resident=cast.resident("alice"),
            reason="call",
            reference="sweep",
            expires_at=timezone.now() + datetime.timedelta(minutes=5),
        )
        browser_session = client.session
        browser_session[VIEW_AS_SESSION_KEY] = str(session.uuid)
        browser_session.save()
    return client


PROTECTED = [
    (name, route)
    for name, route, view in ROUTE_LIST
    if name not in PUBLIC_ROUTES | SIGNED_ROUTES.keys() | PROVIDER_CALLBACKS
]


@pytest.mark.parametrize(("name", "route"), PROTECTED, ids=[name for name, _ in PROTECTED])
def test_role_ladder(name: str, route: str, cast: Cast) -> None:
    ladder = ROUTES.get(name, ADMIN)
    url = sample_url(route, ladder, cast)

    anonymous = Client().get(url)
    sign_in_pages = ("/sign-in/", "/admin/login/") if name.startswith("admin:") else ("/sign-in/",)
    refused = anonymous.status_code == 403 or (
        anonymous.status_code == 302 and anonymous["Location"].startswith(sign_in_pages)
    )
    assert refused, url

    if ladder.wrong is not None:
        wrong = client_for(ladder.wrong, cast).get(url)
        assert wrong.status_code == ladder.wrong_status, (url, ladder.wrong)

    right = client_for(ladder.right, cast).get(url)
    if name.startswith("admin:"):
        assert right.status_code < 500, url  # some admin actions are switched off on purpose
    else:
        assert right.status_code == ladder.get_status, url
    assert right["Cache-Control"] == "private, no-store", url
    assert "Cookie" in right.get("Vary", ""), url


@pytest.mark.parametrize("name", sorted(SIGNED_ROUTES))
def test_signed_routes_refuse_every_session(name: str, cast: Cast) -> None:
    """A browser's session is no connection, whoever is signed in: 401, the reason and no data,
    sent with or without a CSRF token, to a real batch of a real connection."""
    from porch.integrations.tests.helpers import PEOPLE, Hms, connection

    hms = Hms(*connection(cast, scopes=("people", "outbox")))
    sent = hms.batch("people", PEOPLE).json()
    route = next(route for n, route, _ in ROUTE_LIST if n == name)
    url = "/" + re.sub(r"<(\w+:)?code>", sent["id"], route.replace("<entity>", "people"))
    assert (
        hms.send(SIGNED_ROUTES[name], url, b'{"batch_key": "sweep", "rows": [{"person_ref": "P-1"}]}').status_code < 300
    )
    body = json.dumps({"batch_key": "from-a-browser", "rows": PEOPLE})
    for who in EVERY_SESSION:
        client = client_for(who, cast)
        response = client.generic(
            SIGNED_ROUTES[name], url, body, content_type="application/json", REMOTE_ADDR=hms.address
        )
        assert response.status_code == 401, (url, who)
        assert list(response.json()) == ["error"], (url, who)
        assert sent["id"] not in response.content.decode(), (url, who)
        assert "no-store" in response["Cache-Control"], (url, who)
    assert FeedBatch.objects.filter(source=FeedBatch.Source.API).count() == 1 + (name == "feed_api:batch_submit")


@pytest.mark.parametrize("name", sorted(PROVIDER_CALLBACKS))
def test_provider_callbacks_refuse_every_session(name: str, cast: Cast, settings: Any) -> None:
    """A browser's session is no provider, whoever is signed in: a message that a real payment
    went through, or a real mandate is active, unsigned or signed with another secret, is
    refused (401) and changes nothing."""
    from porch.money.tests.govuk_pay_server import sign

    settings.PAYMENTS_PROVIDER, settings.GOVUK_PAY_API_KEY = "govuk_pay", "key"
    settings.GOVUK_PAY_WEBHOOK_SECRET = "the-providers-webhook-secret"
    settings.DIRECT_DEBIT_PROVIDER, settings.GOCARDLESS_ACCESS_TOKEN = "gocardless", "token"
    settings.GOCARDLESS_WEBHOOK_SECRET = "the-providers-webhook-secret"
    header, body, unchanged = _a_providers_message(name, cast)
    url = reverse(name)
    for who in EVERY_SESSION:
        for signature in ("", sign(body, "a-guessed-secret")):
            response = client_for(who, cast).post(
                url, body, content_type="application/json", headers={header: signature}
            )
            assert response.status_code == 401, (url, who)
            assert "no-store" in response["Cache-Control"], (url, who)
    assert unchanged()


def _a_providers_message(name: str, cast: Cast) -> tuple[str, bytes, Callable[[], bool]]:
    """The signature header, a message the provider would send about a real record of the
    cast's, and whether that record is still as it was."""
    from porch.money.models import DirectDebitMandate, Payment
    from porch.money.tests.helpers import ashton_mandate, ashton_payment

    if name == "money:payment_callback":
        payment = Payment.objects.get(uuid=ashton_payment(cast))
        Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.IN_PROGRESS, finished_at=None)
        state = {"payment_id": payment.provider_id, "state": {"status": "success", "finished": True}}
        body = json.dumps({"resource_type": "payment", "resource": state}).encode()
        return "Pay-Signature", body, lambda: Payment.objects.get(pk=payment.pk).status == Payment.Status.IN_PROGRESS
    mandate = DirectDebitMandate.objects.get(uuid=ashton_mandate(cast))
    event = {"resource_type": "mandates", "action": "cancelled", "links": {"mandate": mandate.provider_id}}
    body = json.dumps({"events": [event]}).encode()
    return "Webhook-Signature", body, lambda: DirectDebitMandate.objects.get(pk=mandate.pk).status == mandate.status


@pytest.mark.parametrize("name", sorted(PUBLIC_ROUTES))
def test_public_routes_answer_anonymous_visitors(name: str, cast: Cast) -> None:
    route = next(route for n, route, _ in ROUTE_LIST if n == name)
    response = Client().get(sample_url(route, Ladder(right="", wrong=None), cast))
    assert response.status_code in (200, 302)


def test_a_system_administrator_can_use_the_admin_site(cast: Cast) -> None:
    client = client_for("staff:admin", cast)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/housing/patch/").status_code == 200


def test_the_admin_site_never_lists_residents(cast: Cast) -> None:
    page = client_for("staff:admin", cast).get("/admin/accounts/user/").content.decode()
    assert "alice@example.org" not in page
    assert "north@staff.example.org" in page


def test_every_admin_request_is_audited(cast: Cast) -> None:
    from porch.audit.models import AccessEvent

    client_for("staff:admin", cast).get("/admin/housing/patch/")
    event = AccessEvent.objects.filter(action="admin").latest("id")
    assert event.actor == cast.staff["admin"]
    assert event.reason == "GET /admin/housing/patch/"


def test_estates_cannot_be_moved_to_another_patch_in_the_admin(cast: Cast) -> None:
    from porch.housing.models import Estate

    oak = Estate.objects.get(name="Oak Estate")
    client = client_for("staff:admin", cast)
    client.post(f"/admin/housing/estate/{oak.pk}/change/", {"name": "Oak Estate", "patch": cast.patches["north"].pk})
    oak.refresh_from_db()
    assert oak.patch == cast.patches["south"]
