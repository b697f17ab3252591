"""The isolation self-test, run against this installation.

It uses synthetic test households (made here if there are fewer than
HOUSEHOLDS), signs in as each of their residents, and runs the canary crawl:
every page reachable, every URL filled with the other households' ids. Any
other household's marker in any response is a leak. The result is recorded;
a cohort cannot open without a pass in the last 24 hours."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from porch.accounts.synthetic import synthetic_household_create
from porch.core.isolation import Leak, body_of, crawl
from porch.core.modules import probe_ids
from porch.housing.models import TestHousehold
from porch.housing.synthetic import BEFORE_JOINING
from porch.rollout.models import IsolationCheckRun
from porch.rollout.switches import modules_off

HOUSEHOLDS = 3


def isolation_check_run(*, households_wanted: int = HOUSEHOLDS) -> IsolationCheckRun:
    households = _households(households_wanted)
    leaks: list[Leak] = []
    # A switched-off module answers "unavailable" and so is never really crawled: no pass.
    leaks += [Leak("-", f"{module} is switched off, so it could not be checked") for module, _ in modules_off()]
    residents = 0
    for household in households:
        others = [other for other in households if other.pk != household.pk]
        for membership in household.tenancy.memberships.select_related("person__user"):
            user = getattr(membership.person, "user", None)
            if user is None:
                continue
            residents += 1
            client = _client()
            client.force_login(user)
            if household.marker.encode() not in body_of(client.get("/", follow=True)):
                # A crawl that cannot see the resident's own home proves nothing: fail.
                leaks.append(Leak("/", f"could not see {household.marker}'s own home page"))
                continue
            # Someone who joined the household later must not see its earlier papers either.
            joined_later = membership.start_date > household.tenancy.start_date
            earlier = [f"{household.marker}{BEFORE_JOINING}"] if joined_later else []
            leaks += crawl(
                client,
                foreign_markers=[other.marker for other in others] + earlier,
                foreign_codes=[code for other in others for code in probe_ids(other.tenancy)],
                host=_host(),
            )
    return IsolationCheckRun.objects.create(
        passed=not leaks and residents > 0 and len(households) >= 2,
        households=len(households),
        residents=residents,
        leaks="\n".join(f"{leak.url}: {leak.marker}" for leak in leaks)[:10000],
    )


def _households(wanted: int) -> list[TestHousehold]:
    purpose = TestHousehold.Purpose.ISOLATION_CHECK
    existing = list(TestHousehold.objects.filter(purpose=purpose).select_related("tenancy"))
    for _ in range(wanted - len(existing)):
        created = synthetic_household_create(actor=None, purpose=purpose, with_joiner=True)
        if created is not None:
            existing.append(created.household)
    return existing


def _host() -> str:
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"]
    return hosts[0] if hosts else "testserver"


def _client() -> Client:
    """A client that talks to this installation in-process, as its real host over HTTPS."""
    client = Client(HTTP_HOST=_host(), SERVER_PORT="443")
    client.defaults["wsgi.url_scheme"] = "https"
    return client
