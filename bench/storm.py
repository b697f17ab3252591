"""The launch-day storm (issue 15): a landlord of 5,000 homes emails everyone at once.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/porch_storm   # a scratch database
    DEBUG=1 .venv/bin/python bench/storm.py prepare [--homes 5000] [--accounts 600]
    .venv/bin/python bench/storm.py run [--rate 1] [--minutes 10] [--workers 4]

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
first person on call inside its minute. Every request has a 30-second timeout; the run
stops by itself at twice --minutes whatever happens.

Reported: requests by kind with p50 and p95, every error (a 5xx, a timeout, a refused
connection, a sign-in that did not sign in), reports posted against reports recorded,
invitations sent and mail received, the escalation's delay, and the load average.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PASSWORD = "storm-password-not-for-production"  # noqa: S105 - a bench's throwaway accounts
TIMEOUT = 30
PAGES_EACH = 10


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
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def took(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)

    def failed(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


class Browser:
    """One resident's browser: cookies by hand (the portal's are Secure, and the proxy this
    plays ends HTTPS), a client address of their own, no redirects followed unasked."""

    def __init__(self, base: str, address: str, results: Results) -> None:
        self.base = base
        self.address = address
        self.results = results
        self.cookies: dict[str, str] = {}

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

    def _send(self, request: urllib.request.Request, kind: str) -> tuple[int, str]:
        request.add_header("X-Forwarded-For", self.address)
        request.add_header("X-Forwarded-Proto", "https")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        started = time.perf_counter()
        try:
            with _opener().open(request, timeout=TIMEOUT) as response:
                status, body, headers = response.status, response.read().decode(errors="replace"), response.headers
        except urllib.error.HTTPError as answer:
            status, body, headers = answer.code, answer.read().decode(errors="replace"), answer.headers
        except OSError as error:
            self.results.failed(f"{kind}: {type(error).__name__} {error}")
            return 0, ""
        self.results.took(kind, time.perf_counter() - started)
        for line in headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        if status >= 500:
            self.results.failed(f"{kind}: {status} {request.full_url}")
        return status, body


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


def report_a_problem(base: str, results: Results) -> tuple[str, float]:
    """Someone who saw another household's letter reports it, not signed in."""
    browser = Browser(base, "10.255.0.1", results)
    _, form = browser.get("/report-a-privacy-problem/", "report page")
    key = str(uuid.uuid4())
    fields = {
        "csrfmiddlewaretoken": _csrf(form),
        "idempotency_key": key,
        "what_seen": f"During the storm ({key}): I can see someone else's letter on my documents page.",
        "contact_name": "",
        "contact": "",
    }
    reported_at = time.time()
    status, _ = browser.post("/report-a-privacy-problem/", fields, "report")
    if status not in (200, 302):  # whether it was taken is read from the database at the end
        results.failed(f"report: answered {status}")
    return key, reported_at


def run(options: argparse.Namespace) -> None:
    from aiosmtpd.controller import Controller

    mailbox = _Mailbox()
    smtp = Controller(mailbox, hostname=HOST, port=_free_port())
    smtp.start()
    env = _environment(options, smtp.port)
    # As a deployment does before it starts: DEBUG off serves the collected, hashed files.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True
    )
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"{HOST}:{options.port}", "-w", str(options.workers)],
        env=env,
        cwd=ROOT,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    try:
        _wait_for(f"http://{HOST}:{options.port}/sign-in/")
        os.environ.update(env)
        _django()
        invited = _invite_everyone()
        results, reported = _storm(f"http://{HOST}:{options.port}", options)
        time.sleep(5)  # the last mail and the ladder's first call
        _report(options, results, reported, invited, len(mailbox.messages))
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
        smtp.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
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


def _storm(base: str, options: argparse.Namespace) -> tuple[Results, tuple[str, float]]:
    results = Results()
    residents = round(300 * options.rate)
    window = options.minutes * 60
    started = time.monotonic()
    stop = started + 2 * window
    arrivals = [0.85 * window * math.sqrt(n / residents) for n in range(residents)]
    threads = []
    reported: tuple[str, float] = ("", 0.0)
    report_due = started + window / 2
    for number, arrival in enumerate(arrivals):
        while time.monotonic() < started + arrival:
            if reported[1] == 0.0 and time.monotonic() >= report_due:
                reported = report_a_problem(base, results)
            time.sleep(0.05)
        rng = random.Random(number)  # noqa: S311 - think times, not secrets
        thread = threading.Thread(target=resident_visit, args=(base, number, results, rng, stop), daemon=True)
        thread.start()
        threads.append(thread)
    if reported[1] == 0.0:
        reported = report_a_problem(base, results)
    for thread in threads:
        thread.join(timeout=max(stop - time.monotonic(), 0))
    return results, reported


def _report(
    options: argparse.Namespace, results: Results, reported: tuple[str, float], invited: int, mail: int
) -> None:
    from porch.incidents.escalation import first_sent_at
    from porch.incidents.models import PrivacyReport
    from porch.rollout.models import Invitation

    print(
        f"Storm at {options.rate}x for {options.minutes} min, {options.workers} gunicorn workers, load {os.getloadavg()}"
    )
    for kind in sorted(results.times):
        seconds = sorted(results.times[kind])
        p95 = seconds[max(math.ceil(0.95 * len(seconds)) - 1, 0)]
        print(f"  {kind:14} {len(seconds):5} requests  p50 {statistics.median(seconds):6.3f} s  p95 {p95:6.3f} s")
    print(f"  errors: {len(results.errors)}")
    for error in results.errors[:20]:
        print(f"    {error}")
    report = PrivacyReport.objects.filter(what_seen__contains=reported[0]).select_related("incident").first()
    print(f"  privacy report recorded: {'yes' if report else 'NO: LOST'}")
    if report is not None and report.incident is not None:
        called = first_sent_at(report.incident)
        delay = f"{called.timestamp() - reported[1]:.1f} s after the report" if called else "NOT CALLED"
        print(f"  first on-call person called: {delay}")
    sent = Invitation.objects.filter(cohort__name="Launch: everyone", status=Invitation.Status.SENT)
    emails, texts = sent.filter(channel="email").count(), sent.filter(channel="sms").count()
    print(f"  invitations queued {invited}, sent {emails} by email and {texts} by text (to the console)")
    print(f"  mail received by the SMTP server {mail} (the invitations and the on-call call)")


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
    options = parser.parse_args()
    (prepare if options.step == "prepare" else run)(options)


if __name__ == "__main__":
    main()
