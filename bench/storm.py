"""The launch-day storm (issue 15): a landlord of 5,000 homes emails everyone at once.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_storm   # a scratch database
    DEBUG=1 .venv/bin/python bench/storm.py prepare [--homes 5000] [--accounts 600]
    .venv/bin/python bench/storm.py run [--rate 1] [--minutes 10] [--workers 4] [--faults]

`prepare` migrates and seeds the demo's homes, opens a pilot cohort over every patch with
every module on (the launch), and gives --accounts lead tenants an account with the storm's
password (storm-N@example.org).

`run` plays the storm against the real stack on this machine, loopback only: gunicorn
(--workers sync workers, DEBUG off, as behind a proxy that ends HTTPS), the task worker
(`manage.py db_worker`) and an SMTP server (aiosmtpd) that takes the mail. The landlord's
invitations to everyone without an account are queued as the storm starts, and the worker
sends them while 300 x --rate residents sign in, arriving faster and faster (arrival i of n
at 0.85 x minutes x sqrt(i/n)), and each reads ten pages: home, documents, a document,
repairs, a repair, rent, an account, notifications, messages, home again, 2 to 5 seconds
apart. Halfway, someone reports a privacy problem and the escalation ladder must call the
first person on call inside its minute. Every request has a 30-second timeout; the
residents stop at twice --minutes whatever happens. As cron would in production, the run
starts `manage.py invitations_resume` every RESUME_EVERY seconds (60) while the stack runs,
with the task worker's environment (its output in invitations_resume.log in the run's
folder).

`--faults` breaks things during the storm, at fixed moments of the window (FAULTS):
  25%  one gunicorn worker is killed (SIGKILL; the master starts another);
  40%  the task worker is killed (SIGKILL) and started again 10 seconds later;
  55%  the portal's database connections are dropped (pg_terminate_backend on the
       connections whose application_name is the one the storm gives gunicorn and the
       worker through PGAPPNAME: never the bench's own, never another database's);
  70%  all three at once.
Around each fault a resident pays by card (a loopback GOV.UK Pay over HTTPS, the payment
tests' own, porch/money/tests/govuk_pay_server.py): the payment is started and paid on the
provider's page just before the fault; straight after it the resident sends the pay form
again, comes back from the provider, and the provider's callback arrives twice. A privacy
report is posted straight after each fault, beside the payment. A resident or the provider who gets an error tries again (the
same form, the same keys), as people and providers do. While the run lasts, a task worker
that stops by itself is started again 5 seconds later, as its service manager would, and
that is reported. After the storm, faulted or not, the run waits for the invitations still queued:
until none is queued, or none has been claimed for STALLED_AFTER and two cron rounds (the
resume had its chance), or WAIT_AFTER (12 minutes) has passed; so it still stops by itself.

Reported: requests by kind with p50 and p95 (and the pages' p95 in the minute after each
fault), every error (a 5xx with what the resident saw on it, a timeout, a reset or refused
connection, a sign-in that did not sign in), reports posted against reports recorded,
invitations queued, sent, in doubt and still owed against the mail and texts received per
person, each time the resume started a cohort's invitations again, the payments, the audit chain's check (`manage.py audit_verify`), the escalation's
delay, and the load average. The run exits 1 if a check fails (CHECKS in the output).
"""

from __future__ import annotations

import argparse
import email
import http.client
import math
import os
import random
import re
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PASSWORD = "storm-password-not-for-production"  # noqa: S105 - a bench's throwaway accounts
TIMEOUT = 30
PAGES_EACH = 10
# The application_name of the portal's own database connections (gunicorn and the task
# worker), and of the bench's: a fault drops the first and only the first.
PORTAL_APP = "porch-storm-portal"
BENCH_APP = "porch-storm-bench"
# (share of the window, what breaks)
FAULTS = [
    (0.25, "web"),
    (0.40, "worker"),
    (0.55, "database"),
    (0.70, "web+worker+database"),
]
WORKER_DOWN_SECONDS = 10  # the task worker killed at a fault is started again after this
SUPERVISOR_SECONDS = 5  # a task worker that stopped by itself is started again after this
RESUME_EVERY = 60  # manage.py invitations_resume runs this often, as cron would
WAIT_AFTER = 12 * 60  # the longest a run waits after the storm for the invitations
RETRIES = 5  # a report or a payment step that met an error is tried again, 3 seconds apart
# What the portal's own error pages say (templates/500.html, templates/rollout/unavailable.html).
ERROR_PAGE = ("Sorry, there is a problem with the service", "Try again later.")
UNAVAILABLE_PAGE = ("Sorry, this service is not available right now", "Please try again later.")


# --- prepare ---------------------------------------------------------------------------------


def prepare(options: argparse.Namespace) -> None:
    _django()
    from django.core.management import call_command

    from porch.demo import seed

    call_command("migrate", verbosity=0)
    if not seed.is_loaded():
        call_command("seed_demo", homes=options.homes, verbosity=0)
    _launch_to_everyone()
    made = _accounts(options.accounts)
    print(f"Ready: {options.homes} homes, {made} storm accounts, every patch in the open pilot.")


def _launch_to_everyone() -> None:
    from porch.housing.models import Patch
    from porch.rollout.cohorts import cohort_switches
    from porch.rollout.models import Cohort, CohortHomes, CohortModule

    cohort, _ = Cohort.objects.get_or_create(name="Launch: everyone", defaults={"status": Cohort.Status.OPEN})
    for patch in Patch.objects.all():
        CohortHomes.objects.get_or_create(cohort=cohort, patch=patch)
    for switch in cohort_switches():
        CohortModule.objects.update_or_create(cohort=cohort, module=switch.key, defaults={"enabled": True})


def _accounts(count: int) -> int:
    from django.contrib.auth.hashers import make_password

    from porch.accounts.models import User
    from porch.housing.models import Membership

    leads = (
        Membership.objects.current()
        .filter(role=Membership.Role.LEAD_TENANT, person__user__isnull=True, tenancy__is_test=False)
        .order_by("tenancy_id")
        .values_list("person_id", flat=True)
    )
    have = User.objects.filter(username__startswith="storm-").count()
    hashed = make_password(PASSWORD)  # one hash for all: they are the storm's, not anyone's
    made = [
        User(
            username=_name(have + n), email=_name(have + n), password=hashed, kind=User.Kind.RESIDENT, person_id=person
        )
        for n, person in enumerate(leads[: max(count - have, 0)])
    ]
    User.objects.bulk_create(made)
    return have + len(made)


def _name(number: int) -> str:
    return f"storm-{number}@example.org"


# --- run -------------------------------------------------------------------------------------


@dataclass
class Failure:
    at: float  # seconds since the storm began
    kind: str
    path: str
    status: int  # 0: no answer (the connection was reset or refused, or timed out)
    saw: str  # what the resident saw: which page, or which connection error


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    timeline: list[tuple[float, str, float]] = field(default_factory=list)  # (at, kind, seconds)
    began: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def took(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.timeline.append((time.monotonic() - self.began, kind, seconds))

    def failed(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)

    def answered_badly(self, kind: str, path: str, status: int, saw: str) -> None:
        with self.lock:
            self.failures.append(Failure(time.monotonic() - self.began, kind, path, status, saw))


class Browser:
    """One resident's browser: cookies by hand (the portal's are Secure, and the proxy this
    plays ends HTTPS), a client address of their own, no redirects followed unasked."""

    def __init__(self, base: str, address: str, results: Results) -> None:
        self.base = base
        self.address = address
        self.results = results
        self.cookies: dict[str, str] = {}
        self.location = ""  # the last answer's Location header

    def get(self, path: str, kind: str) -> tuple[int, str]:
        return self._send(urllib.request.Request(self.base + path), kind)  # noqa: S310 - loopback only

    def post(self, path: str, fields: dict[str, str], kind: str) -> tuple[int, str]:
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")  # noqa: S310
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        # The browser's view: the page came over HTTPS, which the proxy this plays ended.
        origin = self.base.replace("http://", "https://", 1)
        request.add_header("Referer", origin + path)
        request.add_header("Origin", origin)
        return self._send(request, kind)

    def post_raw(self, path: str, body: bytes, headers: dict[str, str], kind: str) -> tuple[int, str]:
        """A message that is not a form (the payment provider's callback)."""
        request = urllib.request.Request(self.base + path, data=body, method="POST", headers=headers)  # noqa: S310
        return self._send(request, kind)

    def _send(self, request: urllib.request.Request, kind: str) -> tuple[int, str]:
        request.add_header("X-Forwarded-For", self.address)
        request.add_header("X-Forwarded-Proto", "https")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        path = request.full_url.removeprefix(self.base)
        started = time.perf_counter()
        try:
            with _opener().open(request, timeout=TIMEOUT) as response:
                status, body, headers = response.status, response.read().decode(errors="replace"), response.headers
        except urllib.error.HTTPError as answer:
            try:
                status, body, headers = answer.code, answer.read().decode(errors="replace"), answer.headers
            except (OSError, http.client.HTTPException) as error:  # the answer was cut off half-way
                return self._no_answer(kind, path, error)
        except (OSError, http.client.HTTPException) as error:
            return self._no_answer(kind, path, error)
        self.results.took(kind, time.perf_counter() - started)
        self.location = headers.get("Location", "")
        for line in headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        if status >= 500:
            saw = what_they_saw(body)
            self.results.failed(f"{kind}: {status} {request.full_url} ({saw})")
            self.results.answered_badly(kind, path, status, saw)
        return status, body

    def _no_answer(self, kind: str, path: str, error: BaseException) -> tuple[int, str]:
        name = _error_name(error)
        self.results.failed(f"{kind}: {name} {error} ({path})")
        self.results.answered_badly(kind, path, 0, name)
        self.location = ""
        return 0, ""


def _error_name(error: BaseException) -> str:
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        return type(error.reason).__name__
    return type(error).__name__


def what_they_saw(body: str) -> str:
    """Which page a 5xx answer was: the portal's own plain error page is what it should be."""
    if all(words in body for words in ERROR_PAGE):
        return "the portal's error page"
    if all(words in body for words in UNAVAILABLE_PAGE):
        return "the portal's 'not available' page"
    if "Traceback" in body or "Exception Value" in body:
        return "A TRACEBACK"
    if not body.strip():
        return "AN EMPTY PAGE"
    if "<h1><p>Internal Server Error</p></h1>" in body:
        return "GUNICORN'S OWN ERROR PAGE"
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    return f"ANOTHER PAGE: {title.group(1).strip()[:60] if title else body[:60]!r}"


PLAIN_PAGES = ("the portal's error page", "the portal's 'not available' page")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirects)


def _csrf(body: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    return found.group(1) if found else ""


def _first(body: str, pattern: str) -> str | None:
    found = re.search(rf'href="({pattern})"', body)
    return found.group(1) if found else None


def resident_visit(base: str, number: int, results: Results, rng: random.Random, stop: float) -> None:
    browser = Browser(base, f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}", results)
    _, form = browser.get("/sign-in/", "sign-in page")
    fields = {"csrfmiddlewaretoken": _csrf(form), "username": _name(number), "password": PASSWORD}
    status, _ = browser.post("/sign-in/", fields, "sign-in")
    if status != 302:
        results.failed(f"sign-in: {_name(number)} answered {status}, not signed in")
        return
    # Each list, then the first thing it links to (if it lists anything).
    plan = [
        ("/", None),
        ("/documents/", r"/documents/[0-9a-f-]{36}/download/"),
        ("/repairs/", r"/repairs/[0-9a-f-]{36}/"),
        ("/rent/", r"/rent/[0-9a-f-]{36}/"),
        ("/notifications/", None),
        ("/messages/", None),
    ]
    paths: list[str] = []
    for path, follow in plan:
        body = _page(browser, path, rng, stop)
        paths.append(path)
        found = _first(body, follow) if follow else None
        if found:
            _page(browser, found, rng, stop)
            paths.append(found)
    while len(paths) < PAGES_EACH and time.monotonic() < stop:
        _page(browser, "/", rng, stop)
        paths.append("/")


def _page(browser: Browser, path: str, rng: random.Random, stop: float) -> str:
    """A page read after the resident has read the last one (2 to 5 seconds)."""
    if time.monotonic() > stop:
        return ""
    time.sleep(rng.uniform(2, 5))
    status, body = browser.get(path, "page")
    if status not in (200, 302):
        browser.results.failed(f"page: {path} answered {status}")
    return body


def _again(step: Callable[[], tuple[int, str]], good: Callable[[int], bool]) -> tuple[int, str, int]:
    """A step tried again after an error page or no answer, as a person (or a provider) does:
    (status, body, tries)."""
    for tries in range(1, RETRIES + 1):
        status, body = step()
        if good(status) or (status and status < 500) or tries == RETRIES:
            return status, body, tries
        time.sleep(3)
    raise AssertionError("unreachable")


@dataclass
class Report:
    key: str
    at: float  # time.time() when it was first sent
    address: str
    status: int  # the last answer (0: none)
    tries: int


def report_a_problem(base: str, results: Results, address: str = "10.255.0.1") -> Report:
    """Someone who saw another household's letter reports it, not signed in. After an error
    they send the same form again (the same key), as a browser's resubmit does."""
    browser = Browser(base, address, results)
    _, form, _ = _again(lambda: browser.get("/report-a-privacy-problem/", "report page"), lambda s: s == 200)
    key = str(uuid.uuid4())
    fields = {
        "csrfmiddlewaretoken": _csrf(form),
        "idempotency_key": key,
        "what_seen": f"During the storm ({key}): I can see someone else's letter on my documents page.",
        "contact_name": "",
        "contact": "",
    }
    reported_at = time.time()
    ok = (200, 302)
    status, _, tries = _again(lambda: browser.post("/report-a-privacy-problem/", fields, "report"), lambda s: s in ok)
    if status not in ok:  # whether it was taken is read from the database at the end
        results.failed(f"report: answered {status} after {tries} tries")
    return Report(key, reported_at, address, status, tries)


# --- a card payment in flight across a fault -------------------------------------------------


@dataclass
class CardPayment:
    fault: str
    payer: str
    attempt_key: str = ""
    provider_id: str = ""
    done: list[str] = field(default_factory=list)  # each step and how it was answered
    browser: Browser | None = field(default=None, repr=False)
    form: dict[str, str] = field(default_factory=dict, repr=False)


def payment_before(base: str, results: Results, number: int, fault: str, pay: Any) -> CardPayment | None:
    """A resident starts a card payment and pays on the provider's page; the portal has not
    heard yet that it went through. None if this resident has no account to pay into."""
    browser = Browser(base, f"10.254.{number // 256 % 256}.{number % 256}", results)
    payment = CardPayment(fault, _name(number), browser=browser)
    _, form, _ = _again(lambda: browser.get("/sign-in/", "payment"), lambda s: s == 200)
    fields = {"csrfmiddlewaretoken": _csrf(form), "username": _name(number), "password": PASSWORD}
    status, _, _ = _again(lambda: browser.post("/sign-in/", fields, "payment"), lambda s: s == 302)
    if status != 302:
        return None
    _, rent, _ = _again(lambda: browser.get("/rent/", "payment"), lambda s: s == 200)
    account = _first(rent, r"/rent/[0-9a-f-]{36}/")
    if account is None:
        return None
    _, page, _ = _again(lambda: browser.get(f"{account}pay/", "payment"), lambda s: s == 200)
    key = re.search(r'name="attempt_key" value="([^"]+)"', page)
    if key is None:
        return None
    payment.attempt_key = key.group(1)
    payment.form = {"csrfmiddlewaretoken": _csrf(page), "attempt_key": payment.attempt_key, "amount": "12.34"}
    payment.form["path"] = f"{account}pay/"
    status, _, tries = _again(lambda: _pay_form(payment), lambda s: s == 303)
    payment.done.append(f"started: {status} in {tries}")
    if status != 303 or "/secure/" not in browser.location:
        return payment
    payment.provider_id = browser.location.rsplit("/", 1)[-1]
    pay.finish(payment.provider_id, "success")  # the resident pays on the provider's page
    payment.done.append("paid on the provider's page")
    return payment


def _pay_form(payment: CardPayment) -> tuple[int, str]:
    assert payment.browser is not None
    fields = {name: value for name, value in payment.form.items() if name != "path"}
    return payment.browser.post(payment.form["path"], fields, "payment")


def payment_after(payment: CardPayment, pay: Any) -> None:
    """After the fault: the resident sends the pay form again (the same key), comes back from
    the provider's page, and the provider's callback arrives twice."""
    browser = payment.browser
    if browser is None or not payment.provider_id:
        return
    status, _, tries = _again(lambda: _pay_form(payment), lambda s: s in (302, 303))
    same = "the same payment page" if browser.location.endswith(payment.provider_id) else browser.location or "none"
    payment.done.append(f"form sent again: {status} in {tries}, to {same}")
    back = urllib.parse.urlsplit(pay.payments[payment.provider_id]["return_url"]).path
    status, _, tries = _again(lambda: browser.get(back, "payment"), lambda s: s == 200)
    payment.done.append(f"back from the provider: {status} in {tries}")
    provider = Browser(browser.base, "10.253.0.1", browser.results)
    for n in (1, 2):
        body, signature = pay.webhook(payment.provider_id)
        headers = {"Content-Type": "application/json", "Pay-Signature": signature}

        def callback(body: bytes = body, headers: dict[str, str] = headers) -> tuple[int, str]:
            return provider.post_raw("/payments/callback/", body, headers, "payment")

        status, _, tries = _again(callback, lambda s: s == 200)
        payment.done.append(f"callback {n}: {status} in {tries}")


@contextmanager
def card_provider(folder: Path) -> Iterator[tuple[Any, Path]]:
    """GOV.UK Pay's API as the payment tests play it (porch/money/tests/govuk_pay_server.py),
    served over HTTPS with a certificate made for this run: with DEBUG off the portal talks to
    its provider over HTTPS only. The portal trusts the certificate through SSL_CERT_FILE."""
    from http.server import ThreadingHTTPServer

    from porch.money.tests import govuk_pay_server as fake

    cert, key = folder / "provider.pem", folder / "provider-key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}"]
    command += ["-addext", f"subjectAltName=IP:{HOST}", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - our own arguments
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    class OverTLS(ThreadingHTTPServer):
        def finish_request(self, request: Any, client_address: Any) -> None:
            try:
                secured = context.wrap_socket(request, server_side=True)
            except (OSError, ssl.SSLError):
                return
            try:
                super().finish_request(secured, client_address)
            finally:
                secured.close()

    plain = fake.ThreadingHTTPServer
    fake.ThreadingHTTPServer = OverTLS  # type: ignore[misc]
    try:
        with fake.govuk_pay_server() as pay:
            pay.url = pay.url.replace("http://", "https://", 1)
            yield pay, cert
    finally:
        fake.ThreadingHTTPServer = plain  # type: ignore[misc]


# --- the stack, and breaking it --------------------------------------------------------------


class Stack:
    """gunicorn and the task worker, with what the bench did to them and what they did."""

    def __init__(self, env: dict[str, str], folder: Path, options: argparse.Namespace) -> None:
        self.env = {**env, "PGAPPNAME": PORTAL_APP}
        self.folder = folder
        self.options = options
        self.lock = threading.Lock()
        self.tag = str(int(time.time()))
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.worker_id = ""
        self.worker_due: float | None = None  # when a stopped worker is started again
        self.starts = 0
        self.exits: list[str] = []  # each time the task worker stopped, and why
        self.logs: list[Any] = []
        self.began = time.monotonic()

    def start(self) -> None:
        log = open(self.folder / "gunicorn.log", "ab")  # noqa: SIM115 - open while gunicorn runs
        self.logs.append(log)
        port, workers = str(self.options.port), str(self.options.workers)
        self.server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"{HOST}:{port}", "-w", workers],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.start_worker()

    def start_worker(self) -> None:
        self.starts += 1
        self.worker_id = f"storm-{self.tag}-{self.starts}"
        log = open(self.folder / f"worker-{self.starts}.log", "ab")  # noqa: SIM115
        self.logs.append(log)
        # The texts go to the console backend's log: INFO, so that each can be counted.
        self.worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--worker-id", self.worker_id],
            env={**self.env, "LOG_LEVEL": "INFO"},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def since(self) -> float:
        return time.monotonic() - self.began

    def watch(self) -> None:
        """A worker that stopped by itself is started again SUPERVISOR_SECONDS later, as a
        service manager would; a worker the bench stopped, when its fault says."""
        with self.lock:
            if self.worker is not None and self.worker.poll() is not None:
                why = _last_error(self.folder / f"worker-{self.starts}.log")
                self.exits.append(
                    f"{self.since():.0f} s: {self.worker_id} stopped by itself (exit {self.worker.returncode}): {why}"
                )
                self.worker = None
                self.worker_due = time.monotonic() + SUPERVISOR_SECONDS
            if self.worker is None and self.worker_due is not None and time.monotonic() >= self.worker_due:
                self.worker_due = None
                self.start_worker()
                self.exits.append(f"{self.since():.0f} s: {self.worker_id} started")

    def kill_worker(self) -> str:
        with self.lock:
            if self.worker is None:
                return "the task worker was already down"
            pid = self.worker.pid
            os.kill(pid, signal.SIGKILL)
            self.worker.wait()
            self.exits.append(f"{self.since():.0f} s: {self.worker_id} killed by the bench (SIGKILL)")
            self.worker = None
            self.worker_due = time.monotonic() + WORKER_DOWN_SECONDS
            return f"task worker {pid} killed, to start again in {WORKER_DOWN_SECONDS} s"

    def kill_web_worker(self, rng: random.Random) -> str:
        assert self.server is not None
        workers = _children(self.server.pid)
        if not workers:
            return "no gunicorn worker found"
        pid = rng.choice(sorted(workers))
        os.kill(pid, signal.SIGKILL)
        return f"gunicorn worker {pid} killed (of {len(workers)})"

    def web_workers(self) -> int:
        assert self.server is not None
        return len(_children(self.server.pid))

    def stop(self) -> None:
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for log in self.logs:
            log.close()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _last_error(log: Path) -> str:
    """The exception a process ended with, from the end of its log."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return "no log"
    for line in reversed(lines):
        if re.match(r"^[\w.]+(Error|Exception|Interrupt)\b", line):
            return line[:160]
    return "no exception in its log"


def drop_connections() -> str:
    """pg_terminate_backend on the portal's own connections to this database: those whose
    application_name is PORTAL_APP (gunicorn's and the task worker's), never the bench's."""
    from django.db import connection

    with connection.cursor() as cursor:  # noqa: TID251 - a bench, not the portal
        cursor.execute(
            "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = %s",
            [PORTAL_APP],
        )
        dropped = [pid for pid, done in cursor.fetchall() if done]
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name <> %s",
            [PORTAL_APP],
        )
        (left,) = cursor.fetchone()
    return f"{len(dropped)} portal connections dropped ({left} others to this database left alone)"


@dataclass
class FaultDone:
    what: str
    at: float  # seconds since the storm began
    details: list[str]


class Faults(threading.Thread):
    """Breaks the stack at FAULTS' moments, with a payment in flight and a report after each."""

    def __init__(self, stack: Stack, base: str, results: Results, window: float, pay: Any, payers: list[int]) -> None:
        super().__init__(daemon=True)
        self.stack, self.base, self.results, self.window, self.pay = stack, base, results, window, pay
        self.payers = payers
        self.rng = random.Random(15)  # noqa: S311 - which worker to kill, not a secret
        self.done: list[FaultDone] = []
        self.reports: list[Report] = []
        self.payments: list[CardPayment] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        from django.db import connection

        try:
            for number, (share, what) in enumerate(FAULTS):
                due = self.results.began + share * self.window
                if not self._wait_until(due - 8):
                    return
                payment = self._payment(what)
                if not self._wait_until(due):
                    return
                self.done.append(FaultDone(what, time.monotonic() - self.results.began, self._break(what)))
                # At once, side by side, so that they are among the first requests the broken
                # stack answers: the report, and the rest of the payment.
                reporter = threading.Thread(target=self._report, args=(f"10.255.1.{number + 1}",))
                reporter.start()
                if payment is not None:
                    payment_after(payment, self.pay)
                reporter.join()
        finally:
            connection.close()

    def _report(self, address: str) -> None:
        self.reports.append(report_a_problem(self.base, self.results, address))

    def _payment(self, what: str) -> CardPayment | None:
        while self.payers:
            payment = payment_before(self.base, self.results, self.payers.pop(), what, self.pay)
            if payment is not None:
                self.payments.append(payment)
                return payment
        return None

    def _break(self, what: str) -> list[str]:
        details = [_invitations_now()]
        if "web" in what:
            details.append(self.stack.kill_web_worker(self.rng))
        if "worker" in what:
            details.append(self.stack.kill_worker())
        if "database" in what:
            details.append(drop_connections())
        return details

    def _wait_until(self, when: float) -> bool:
        while time.monotonic() < when:
            if self.stopping.wait(0.2):
                return False
        return True


class Supervisor(threading.Thread):
    def __init__(self, stack: Stack) -> None:
        super().__init__(daemon=True)
        self.stack = stack
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.5):
            self.stack.watch()


@dataclass
class CronRun:
    at: float  # seconds since the storm began
    wall: float  # time.time() when it started
    status: int  # its exit status (-1: it did not end within its minute)
    said: str  # its last line


class Cron(threading.Thread):
    """`manage.py invitations_resume` every RESUME_EVERY seconds, as cron runs it in
    production, with the task worker's environment (DATABASE_URL, PGAPPNAME and the rest);
    what each run said goes to invitations_resume.log in the run's folder."""

    def __init__(self, stack: Stack) -> None:
        super().__init__(daemon=True)
        self.stack = stack
        self.stopping = threading.Event()
        self.runs: list[CronRun] = []

    def run(self) -> None:
        due = self.stack.began + RESUME_EVERY
        while not self.stopping.wait(max(due - time.monotonic(), 0)):
            self.runs.append(self._once())
            due += RESUME_EVERY
            while due <= time.monotonic():  # a run that took longer than a round skips the next
                due += RESUME_EVERY

    def _once(self) -> CronRun:
        at, wall = self.stack.since(), time.time()
        try:
            done = subprocess.run(
                [sys.executable, "manage.py", "invitations_resume"],
                env=self.stack.env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=RESUME_EVERY - 5,
            )
            status, output = done.returncode, done.stdout + done.stderr
        except subprocess.TimeoutExpired as late:
            status = -1
            output = f"{late.stdout or ''}{late.stderr or ''}\ndid not end within {RESUME_EVERY - 5} s"
        lines = [line for line in output.splitlines() if line.strip()]
        said = (lines[-1] if status == 0 else _last_error_in(lines)) if lines else f"exit {status}, nothing said"
        with open(self.stack.folder / "invitations_resume.log", "a") as log:
            log.write(f"--- {at:.0f} s since the storm began, exit {status}\n{output}")
        return CronRun(at, wall, status, said[:160])

    def resumed(self) -> list[CronRun]:
        """The runs that started a cohort's invitations again."""
        return [r for r in self.runs if r.status == 0 and not r.said.startswith("Invitations resumed for 0 ")]


def _last_error_in(lines: list[str]) -> str:
    for line in reversed(lines):
        if re.match(r"^[\w.]+(Error|Exception)\b", line):
            return line
    return lines[-1]


def _invitations_now() -> str:
    from porch.rollout.models import Invitation

    counts = Counter(Invitation.objects.filter(cohort__name="Launch: everyone").values_list("status", flat=True))
    return "invitations then: " + ", ".join(f"{status} {counts[status]}" for status in Invitation.Status.values)


# --- the run ---------------------------------------------------------------------------------


def run(options: argparse.Namespace) -> None:
    from aiosmtpd.controller import Controller

    mailbox = _Mailbox()
    smtp = Controller(mailbox, hostname=HOST, port=_free_port())
    smtp.start()
    folder = Path(tempfile.mkdtemp(prefix="storm-"))
    env = _environment(options, smtp.port)
    with card_provider(folder) if options.faults else _nothing() as provided:
        pay = None
        if provided is not None:
            pay, cert = provided
            env.update(_payments_environment(pay.url, cert))
        # As a deployment does before it starts: DEBUG off serves the collected, hashed files.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True
        )
        stack = Stack(env, folder, options)
        stack.start()
        supervisor = Supervisor(stack)
        cron = Cron(stack)
        faults = None
        try:
            base = f"http://{HOST}:{options.port}"
            _wait_for(f"{base}/sign-in/")
            os.environ.update({**env, "PGAPPNAME": BENCH_APP})  # the bench's own connections
            _django()
            from django.utils import timezone

            began = timezone.now()
            invited = _invite_everyone()
            results = Results()
            stack.began = results.began
            cron.start()
            if options.faults:
                supervisor.start()
                faults = Faults(stack, base, results, options.minutes * 60, pay, _payers(options))
                faults.start()
            reports = [_storm(base, options, results)]
            if faults is not None:
                faults.join(timeout=180)
                reports += faults.reports
            time.sleep(5)  # the last mail and the ladder's first call
            waited = _wait_for_invitations()
            cron.stopping.set()
            if cron.is_alive():
                cron.join()
            problems = _report(options, results, reports, invited, mailbox, stack, faults, pay, began, waited, cron)
        finally:
            if faults is not None:
                faults.stopping.set()
            cron.stopping.set()
            if cron.is_alive():
                cron.join()
            supervisor.stopping.set()
            if supervisor.is_alive():
                supervisor.join()
            stack.stop()
            smtp.stop()
    if problems:
        sys.exit(1)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []  # (to, subject)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        subject = email.message_from_bytes(envelope.content).get("Subject", "")
        self.messages.append((list(envelope.rcpt_tos), str(subject)))
        return "250 Message accepted for delivery"


def _environment(options: argparse.Namespace, smtp_port: int) -> dict[str, str]:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database `prepare` made.")
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "storm-secret-key-for-a-bench-never-for-production-0123456789",
        "AUDIT_KEY": "storm-audit-key-for-a-bench-never-for-production-0123456789",
        "ALLOWED_HOSTS": HOST,
        "TRUSTED_PROXY_COUNT": "1",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(smtp_port),
        "INVITATIONS_PER_HOUR": "100000",
        "INVITATION_BATCH_SIZE": "100",
        "LOG_LEVEL": "WARNING",
        "PORTAL_URL": f"http://{HOST}:{options.port}",
    }


def _payments_environment(url: str, cert: Path) -> dict[str, str]:
    from porch.money.tests.govuk_pay_server import API_KEY, WEBHOOK_SECRET

    return {
        "PAYMENTS_PROVIDER": "govuk_pay",
        "GOVUK_PAY_API_URL": url,
        "GOVUK_PAY_API_KEY": API_KEY,
        "GOVUK_PAY_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "PAYMENTS_PAGE_ORIGINS": url,
        "SSL_CERT_FILE": str(cert),  # the portal trusts the loopback provider's certificate
    }


def _wait_for(url: str) -> None:
    for _ in range(120):
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer within a minute")


def _invite_everyone() -> int:
    from porch.accounts.actors import actor_for_user
    from porch.accounts.models import User
    from porch.rollout.invitations import invitations_queue
    from porch.rollout.models import Cohort

    dpo = actor_for_user(User.objects.get(username="dpo@demo.porch.test"), verified=True)
    cohort = Cohort.objects.get(name="Launch: everyone")
    cohort.invitations.all().delete()  # each run sends the whole launch again
    return invitations_queue(actor=dpo, cohort=cohort)


def _payers(options: argparse.Namespace) -> list[int]:
    """Storm accounts the residents do not use, to pay with (the last one first)."""
    from porch.accounts.models import User

    have = User.objects.filter(username__startswith="storm-").count()
    return list(range(max(round(300 * options.rate), have - 3 * len(FAULTS)), have))


def _storm(base: str, options: argparse.Namespace, results: Results) -> Report:
    residents = round(300 * options.rate)
    window = options.minutes * 60
    started = results.began
    stop = started + 2 * window
    arrivals = [0.85 * window * math.sqrt(n / residents) for n in range(residents)]
    threads = []
    reported: Report | None = None
    report_due = started + window / 2
    for number, arrival in enumerate(arrivals):
        while time.monotonic() < started + arrival:
            if reported is None and time.monotonic() >= report_due:
                reported = report_a_problem(base, results)
            time.sleep(0.05)
        rng = random.Random(number)  # noqa: S311 - think times, not secrets
        thread = threading.Thread(target=resident_visit, args=(base, number, results, rng, stop), daemon=True)
        thread.start()
        threads.append(thread)
    if reported is None:
        reported = report_a_problem(base, results)
    for thread in threads:
        thread.join(timeout=max(stop - time.monotonic(), 0))
    return reported


def _wait_for_invitations() -> float:
    """After the storm, the invitations still queued are given time to go (judged while the
    worker is still sending, the one in its hands would count as in doubt). A chain of
    batches a killed worker stopped is started again only by the cron's resume, once none has
    been claimed for STALLED_AFTER, so the wait lasts until none is queued, or none has been
    claimed for STALLED_AFTER and two cron rounds (the resume had its chance and nothing
    sent), or WAIT_AFTER has passed."""
    from django.db.models import Max
    from django.utils import timezone

    from porch.rollout.invitations import STALLED_AFTER
    from porch.rollout.models import Invitation

    ours = Invitation.objects.filter(cohort__name="Launch: everyone")
    quiet = STALLED_AFTER.total_seconds() + 2 * RESUME_EVERY
    began = time.monotonic()
    while time.monotonic() - began < WAIT_AFTER:
        if not ours.filter(status=Invitation.Status.QUEUED).exists():
            break
        last = ours.aggregate(last=Max("claimed_at"))["last"]
        if last is None or (timezone.now() - last).total_seconds() > quiet:
            break
        time.sleep(5)
    return time.monotonic() - began


# --- what happened ---------------------------------------------------------------------------


def _p95(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)] if ordered else 0.0


def _report(
    options: argparse.Namespace,
    results: Results,
    reports: list[Report],
    invited: int,
    mailbox: _Mailbox,
    stack: Stack,
    faults: Faults | None,
    pay: Any,
    began: Any,
    waited: float,
    cron: Cron,
) -> list[str]:
    """Prints what happened; returns the checks that failed."""
    checks: list[tuple[str, bool, str]] = []
    print(
        f"Storm at {options.rate}x for {options.minutes} min, {options.workers} gunicorn workers"
        f"{', with faults' if faults else ''}, load {os.getloadavg()}"
    )
    print(f"  logs (gunicorn, each task worker): {stack.folder}")
    for kind in sorted(results.times):
        seconds = sorted(results.times[kind])
        print(
            f"  {kind:14} {len(seconds):5} requests  p50 {statistics.median(seconds):6.3f} s  p95 {_p95(seconds):6.3f} s"
        )
    if faults is not None:
        _faults_report(results, stack, faults)
    checks += _errors_report(results, faults)
    checks += _reports_report(reports)
    checks += _invitations_report(invited, mailbox, stack, began, waited, cron)
    if faults is not None:
        checks += _payments_report(faults.payments, pay)
    checks += _audit_report()
    _gunicorn_log_report(stack.folder / "gunicorn.log")
    print("  CHECKS")
    for name, ok, detail in checks:
        print(f"    {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    return [name for name, ok, _ in checks if not ok]


def _faults_report(results: Results, stack: Stack, faults: Faults) -> None:
    print("  faults (seconds since the storm began):")
    for done in faults.done:
        print(f"    {done.at:5.0f} s  {done.what}: {'; '.join(done.details)}")
        after = [s for at, kind, s in results.timeline if kind == "page" and done.at <= at < done.at + 60]
        if after:
            print(
                f"             pages in the minute after: {len(after)}, p95 {_p95(after):.3f} s, worst {max(after):.3f} s"
            )
    print("  the task worker:")
    for line in stack.exits:
        print(f"    {line}")
    print(f"  gunicorn workers at the end: {stack.web_workers()} (of {stack.options.workers})")


def _after(at: float, faults: Faults | None) -> str:
    last = None
    for done in faults.done if faults else []:
        if done.at <= at:
            last = done
    return f"after '{last.what}' at {last.at:.0f} s" if last else "before any fault"


def _errors_report(results: Results, faults: Faults | None) -> list[tuple[str, bool, str]]:
    pages = [f for f in results.failures if f.status]
    cut = [f for f in results.failures if not f.status]
    not_in = sum(1 for error in results.errors if "not signed in" in error)
    print(
        f"  errors: {len(results.errors)} lines: {len(pages)} error pages (5xx), {len(cut)} requests with no answer,"
        f" {not_in} residents not signed in"
    )
    kinds = Counter((f.status or "no answer", f.saw, f.kind, _after(f.at, faults)) for f in results.failures)
    for (status, saw, kind, when), count in sorted(kinds.items(), key=lambda item: str(item[0])):
        print(f"    {count:3} x {status} on {kind}, {when}: {saw}")
    for error in results.errors[:30]:
        print(f"      {error}")
    plain = sum(1 for f in pages if f.saw in PLAIN_PAGES)
    return [("every 5xx a resident saw was the portal's plain page", plain == len(pages), f"{plain} of {len(pages)}")]


def _reports_report(reports: list[Report]) -> list[tuple[str, bool, str]]:
    from porch.audit.models import AccessEvent
    from porch.incidents.escalation import first_sent_at
    from porch.incidents.models import PrivacyReport

    recorded = doubled = audited = called = 0
    for report in reports:
        rows = list(PrivacyReport.objects.filter(what_seen__contains=report.key).select_related("incident"))
        found = rows[0] if rows else None
        recorded += bool(rows)
        doubled += len(rows) > 1
        audit = (
            AccessEvent.objects.filter(object_type="privacy_report", object_id=str(found.uuid), action="create").count()
            if found
            else 0
        )
        audited += audit == 1
        first = first_sent_at(found.incident) if found is not None and found.incident is not None else None
        called += first is not None
        delay = f"{first.timestamp() - report.at:.1f} s after" if first else "NOBODY CALLED"
        told = "confirmed" if report.status in (200, 302) else f"ERROR ({report.status or 'no answer'})"
        print(
            f"  privacy report from {report.address}: {told} after {report.tries} tries; recorded {len(rows)} times,"
            f" audited {audit} times; first on-call person called {delay}"
        )
    posted = len(reports)
    return [
        (
            "every privacy report posted was recorded, once",
            recorded == posted and not doubled,
            f"posted {posted}, recorded {recorded}, recorded twice {doubled}",
        ),
        ("every report has its one audit row", audited == posted, f"{audited} of {posted}"),
        ("every report's incident called someone", called == posted, f"{called} of {posted}"),
    ]


def _invitations_report(
    invited: int, mailbox: _Mailbox, stack: Stack, began: Any, waited: float, cron: Cron
) -> list[tuple[str, bool, str]]:
    from django.db.models import Max, Min
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from porch.rollout.models import Invitation

    Status = Invitation.Status
    ours = Invitation.objects.filter(cohort__name="Launch: everyone")
    counts = Counter(ours.values_list("status", flat=True))
    mailed = Counter(
        address.lower() for to, subject in mailbox.messages if subject.endswith("online account") for address in to
    )
    texted = _texts(stack.folder)
    emails = ours.filter(channel="email")
    owed_mail = Counter(
        e.lower()
        for e in emails.filter(status__in=[Status.SENT, Status.SENDING]).values_list("person__email", flat=True)
    )
    owed_text = Counter(
        ours.filter(channel="sms", status__in=[Status.SENT, Status.SENDING]).values_list("person__mobile", flat=True)
    )
    twice_mail = {a: n for a, n in mailed.items() if n > owed_mail.get(a, 0)}
    twice_text = {m: n for m, n in texted.items() if n > owed_text.get(m, 0)}
    sent_mail = Counter(e.lower() for e in emails.filter(status=Status.SENT).values_list("person__email", flat=True))
    unheard = sum(max(n - mailed.get(a, 0), 0) for a, n in sent_mail.items())
    in_doubt = list(ours.filter(status=Status.SENDING).values_list("channel", "person__email", "person__mobile"))
    doubt_arrived = sum(
        1
        for channel, address, mobile in in_doubt
        if (mailed[address.lower()] if channel == "email" else texted[mobile])
    )
    sending = DBTaskResult.objects.filter(task_path__endswith="send_invitations", enqueued_at__gte=began)
    waiting = sending.filter(status=TaskResultStatus.READY).count()
    live = stack.worker_id if stack.worker is not None and stack.worker.poll() is None else None
    running = sending.filter(status=TaskResultStatus.RUNNING)
    running_live = running.filter(worker_ids__contains=[live]).count() if live else 0
    orphans = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, enqueued_at__gte=began)
    if live:
        orphans = orphans.exclude(worker_ids__contains=[live])
    orphaned = Counter(path.rsplit(".", 1)[-1] for path in orphans.values_list("task_path", flat=True))
    stranded = counts[Status.QUEUED] if counts[Status.QUEUED] and not waiting and not running_live else 0
    print(
        f"  invitations queued {invited}: sent {counts[Status.SENT]}, still queued {counts[Status.QUEUED]}, in doubt"
        f" (claimed, not marked sent) {counts[Status.SENDING]}, failed {counts[Status.FAILED]}, cancelled"
        f" {counts[Status.CANCELLED]}" + (f" (after waiting {waited:.0f} s past the storm)" if waited else "")
    )
    print(
        f"    by email {ours.filter(channel='email', status=Status.SENT).count()}, by text"
        f" {ours.filter(channel='sms', status=Status.SENT).count()}; mail received {sum(mailed.values())} invitations"
        f" to {len(mailed)} addresses ({len(mailbox.messages)} messages in all, with the on-call calls);"
        f" texts logged {sum(texted.values())} to {len(texted)} numbers"
    )
    print(
        f"    received twice: {len(twice_mail)} addresses, {len(twice_text)} numbers; marked sent but never received:"
        f" {unheard}; in doubt but received: {doubt_arrived} of {len(in_doubt)}"
    )
    print(
        f"    send_invitations tasks: {waiting} waiting, {running_live} running on the live worker; tasks left"
        f" running by a worker that is gone: {dict(orphaned) or 'none'}"
    )
    if stranded:
        print(f"    {stranded} QUEUED INVITATIONS HAVE NO TASK TO SEND THEM at the end of the run")
    # Seconds since the storm began, for the database's times.
    zero = time.time() - stack.since()
    failed_runs = [r for r in cron.runs if r.status != 0]
    print(
        f"    manage.py invitations_resume (cron, every {RESUME_EVERY} s): {len(cron.runs)} runs,"
        f" {len(failed_runs)} failed" + "".join(f"; at {r.at:.0f} s exit {r.status}: {r.said}" for r in failed_runs)
    )
    for resumed in cron.resumed():
        after = ours.filter(claimed_at__gte=datetime.fromtimestamp(resumed.wall, UTC))
        first = after.aggregate(first=Min("claimed_at"))["first"]
        sent_after = after.filter(status=Status.SENT).count()
        print(
            f"    resumed at {resumed.at:.0f} s ({resumed.said}); first claim after it at"
            f" {f'{first.timestamp() - zero:.0f} s' if first else 'NONE'}, {sent_after} sent after it"
        )
    last_claim = ours.aggregate(last=Max("claimed_at"))["last"]
    last_sent = ours.aggregate(last=Max("sent_at"))["last"]
    print(
        f"    the last claimed at {f'{last_claim.timestamp() - zero:.0f} s' if last_claim else 'never'},"
        f" the last sent at {f'{last_sent.timestamp() - zero:.0f} s' if last_sent else 'never'} since the storm began"
    )
    deaths = sum(1 for line in stack.exits if "killed" in line or "stopped" in line)
    all_sent = counts[Status.QUEUED] == 0 and counts[Status.SENT] + len(in_doubt) == invited and unheard == 0
    return [
        (
            "nobody invited twice",
            not twice_mail and not twice_text,
            f"{len(twice_mail)} addresses and {len(twice_text)} numbers received more than they were owed",
        ),
        (
            "every queued invitation sent (and received), but those in doubt",
            all_sent,
            f"{counts[Status.SENT]} sent and {len(in_doubt)} in doubt of {invited} queued; still queued"
            f" {counts[Status.QUEUED]} ({stranded} with no task to send them), failed {counts[Status.FAILED]},"
            f" cancelled {counts[Status.CANCELLED]}; {unheard} marked sent but not received",
        ),
        (
            "at most one invitation in doubt per task worker that died (each for a person to check)",
            len(in_doubt) <= deaths,
            f"{len(in_doubt)} in doubt ({len(in_doubt) - doubt_arrived} never arrived) after {deaths} deaths",
        ),
    ]


def _texts(folder: Path) -> Counter[str]:
    """Invitations by text, from the console backend's lines in the workers' logs."""
    found: Counter[str] = Counter()
    for log in sorted(folder.glob("worker-*.log")):
        text = log.read_text(errors="replace")
        found.update(re.findall(r"^Text message to (.+?): Hello .*? you can now use", text, re.M))
    return found


def _payments_report(payments: list[CardPayment], pay: Any) -> list[tuple[str, bool, str]]:
    from porch.audit.models import AccessEvent
    from porch.money.models import Payment
    from porch.outbox.models import OutboxEvent

    whole = 0
    for payment in payments:
        rows = list(Payment.objects.filter(attempt_key=payment.attempt_key)) if payment.attempt_key else []
        found = rows[0] if rows else None
        events = OutboxEvent.objects.filter(topic="payment.received", about=found.reference).count() if found else 0
        at_provider = sum(1 for p in pay.payments.values() if found and p["reference"] == found.reference)
        asked = sum(
            1
            for method, path, headers, _ in pay.requests
            if found
            and method == "POST"
            and path == "/v1/payments"
            and {k.lower(): v for k, v in headers.items()}.get("idempotency-key") == str(found.uuid)
        )
        audit = (
            AccessEvent.objects.filter(object_type="card_payment", object_id=str(found.uuid), action="create").count()
            if found
            else 0
        )
        status = found.status if found else "NOT RECORDED"
        ok = len(rows) == 1 and status == Payment.Status.PAID and events == 1 and at_provider == 1 and audit >= 1
        whole += ok
        print(
            f"  card payment around '{payment.fault}' by {payment.payer}: {len(rows)} rows, {status},"
            f" {events} payment.received events for the housing system, {at_provider} payments at the provider"
            f" ({asked} asks), {audit} audit rows of its start; {'; '.join(payment.done)}"
        )
    return [
        (
            "every payment in flight ended recorded once, paid, sent to the housing system once",
            whole == len(payments) and len(payments) == len(FAULTS),
            f"{whole} of {len(payments)} ({len(FAULTS)} planned)",
        ),
    ]


def _audit_report() -> list[tuple[str, bool, str]]:
    started = time.monotonic()
    verify = subprocess.run(
        [sys.executable, "manage.py", "audit_verify"], env=os.environ.copy(), cwd=ROOT, capture_output=True, text=True
    )
    said = (verify.stdout + verify.stderr).strip().splitlines()
    words = said[-1] if said else f"exit {verify.returncode}"
    print(f"  audit chain (manage.py audit_verify, {time.monotonic() - started:.0f} s): {words}")
    return [("the audit chain verifies", verify.returncode == 0, words)]


def _gunicorn_log_report(log: Path) -> None:
    """Each failed request's last exception (the one that made it fail) from gunicorn's log."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return
    failed = re.split(r"^Internal Server Error: ", text, flags=re.M)[1:]
    ended: Counter[str] = Counter()
    for block in failed:
        raised = re.findall(r"^([\w.]+(?:Error|Exception)): (.*)$", block, re.M)
        ended[f"{raised[-1][0]}: {raised[-1][1][:90]}" if raised else "no exception logged"] += 1
    print(f"  gunicorn's log: {len(failed)} requests failed with")
    for line, count in ended.most_common(8):
        print(f"    {count:3} x {line}")
    for line in re.findall(r"^.*(?:WORKER TIMEOUT|was sent SIGKILL).*$", text, re.M)[:10]:
        print(f"    {line.strip()[:160]}")


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    ready = steps.add_parser("prepare")
    ready.add_argument("--homes", type=int, default=5000)
    ready.add_argument("--accounts", type=int, default=600)
    storm = steps.add_parser("run")
    storm.add_argument("--rate", type=float, default=1.0)
    storm.add_argument("--minutes", type=float, default=10)
    storm.add_argument("--workers", type=int, default=4)
    storm.add_argument("--port", type=int, default=8765)
    storm.add_argument("--faults", action="store_true", help="break the stack during the storm (see FAULTS)")
    options = parser.parse_args()
    (prepare if options.step == "prepare" else run)(options)


if __name__ == "__main__":
    main()
