"""Browser journeys: Playwright (sync API) driving Debian's Chromium against
pytest-django's live server.

One browser for the package (see `browser`); a fresh context (cookies, storage) per test. These
tests are never skipped: without Chromium they fail, saying how to install it.

The live server needs real transactions, so the cast is built in a
transactional database. The flush after each test also wipes the rows the
data migrations seeded (the default document types), so each journey seeds
them again first, and they are put back once the journeys are done.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.core.cache import cache

from conftest import Cast

CHROMIUM = os.environ.get("PORCH_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API marks its asyncio loop as running in this thread
    between calls, so Django takes the test code for async code and refuses ORM
    calls (SynchronousOnlyOperation). The test code is synchronous: allow them,
    for this package only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(_allow_orm_beside_playwright: None) -> Iterator[Any]:
    """One Chromium for all the journeys. Package-scoped rather than session-scoped,
    so Playwright (and its loop) is gone before any test outside tests/e2e runs."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"The e2e tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium), "
            "or its path in PORCH_E2E_CHROMIUM. They are never skipped. Do not run `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        pytest.fail(f"Chromium at {CHROMIUM} would not start: {error}", pytrace=False)
    yield browser
    browser.close()
    playwright.stop()


# The data migrations that create rows (the document types every landlord starts with, and the
# type complaints' response letters are stored as).
SEEDING_MIGRATIONS = (
    "porch.documents.migrations.0002_default_types",
    "porch.complaints.migrations.0002_response_document_type",
)


def _seed() -> None:
    """Put back the rows the data migrations create."""
    from django.apps import apps

    for migration in SEEDING_MIGRATIONS:
        import_module(migration).forwards(apps, None)


@pytest.fixture(scope="package", autouse=True)
def _leave_seed_rows_behind(
    _allow_orm_beside_playwright: None, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[None]:
    """Each journey ends with a flush, which empties every table: seed the
    database again at the end, so a reused test database (--reuse-db) is as
    the migrations left it."""
    yield
    with django_db_blocker.unblock():
        _seed()


@pytest.fixture
def _seeded(transactional_db: None) -> None:
    _seed()


@pytest.fixture
def live_cast(live_server: Any, _seeded: None, cast: Cast) -> Iterator[Cast]:
    """The named cast, in a (transactional) database the live server's thread can see."""
    yield cast
    # Rate limits and used one-time codes live in the cache table, which the flush leaves alone.
    cache.clear()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if message.type == "error" and "status of 404" not in message.text else None
        ),
    )
    yield page
    context.close()
    assert errors == [], f"The browser reported errors (a CSP violation, or a script failing): {errors}"


def check_accessibility(page: Any) -> None:
    """Run axe-core on the page as it is now: WCAG 2.0/2.1/2.2 A and AA, zero violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    if violations:
        lines = [f"axe found {len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
            for node in violation["nodes"]:
                lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
                if node.get("failureSummary"):
                    lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
        pytest.fail("\n".join(lines), pytrace=False)


def assert_styled(page: Any) -> None:
    """The stylesheet loaded: GOV.UK Frontend caps the width container, which has no limit unstyled."""
    width = page.evaluate("getComputedStyle(document.querySelector('.govuk-width-container')).maxWidth")
    assert width not in ("", "none"), f"The CSS did not load (.govuk-width-container max-width: {width!r})"
