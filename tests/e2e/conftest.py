"""Browser journeys: Playwright (sync API) driving Debian's Chromium against
pytest-django's live server.

One browser per session; a fresh context (cookies, storage) per test. These
tests are never skipped: without Chromium they fail, saying how to install it.

The live server needs real transactions, so the cast is built in a
transactional database. Flushing after each test would also wipe the rows the
data migrations seeded (the default document types), so the journeys use
serialized rollback, and the seed rows are put back when the session ends for
anyone reusing the test database (--reuse-db).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connections

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


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop in this thread, which makes
    Django refuse ORM calls from the test (SynchronousOnlyOperation). The test
    code itself is synchronous, so allow it for the e2e session only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_allow_orm_beside_playwright: None) -> Iterator[Any]:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        pytest.fail(
            f"The e2e tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium; "
            "or set PORCH_E2E_CHROMIUM). Do not run `playwright install`.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - the dev requirements include it
        pytest.fail(f"The e2e tests need the playwright package: {error}", pytrace=False)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        pytest.fail(f"Chromium at {CHROMIUM} would not start: {error}", pytrace=False)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session", autouse=True)
def _put_seed_rows_back(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Transactional tests end with a flush; restore what the migrations
    seeded so a reused test database still has it next time."""
    yield
    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def live_cast(request: Any, live_server: Any, django_db_serialized_rollback: None, cast: Cast) -> Iterator[Cast]:
    """The named cast, in a database the live server's thread can see."""
    from django.db import connection; print("DBG", id(connection), hasattr(connection, "_test_serialized_contents"))
    yield cast
    # Rate limits and used one-time codes live in the cache table, which a flush leaves alone.
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
        lambda message: errors.append(message.text)
        if message.type == "error" and "status of 404" not in message.text
        else None,
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
