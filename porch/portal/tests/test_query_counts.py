"""The queries each resident page runs, pinned (issue 10: at most 10, and one audit write).

Counted: every statement the page sends, except the savepoints the test's own transaction
wraps around the audit INSERT and the kill-switch read, which each process makes at most
twice a second, not once a page. Before the audit INSERT comes its bookkeeping (ADR 0013):
on PostgreSQL, locking a free chain and reading where it ends; on SQLite, reading where
the chain ends, which a server outside a test's transaction remembers instead.
bench/resident_pages.py measures the same pages' CPU with DEBUG off."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import Cast, sign_in
from porch.notices.tests.helpers import make_notice

# The session, the user, the resident's current homes and the cohorts covering them.
EVERY_PAGE = 4

PAGES = {
    # + households (one query, people and homes joined), "What's new", who those documents are
    #   about, the notices panel, the repairs panel's count of open repairs, and one INSERT of
    #   every read.
    "/": EVERY_PAGE + 6,
    # + the count for the pager, the page of documents, who they are about, one INSERT.
    "/documents/": EVERY_PAGE + 4,
    # + the document, one INSERT.
    "download": EVERY_PAGE + 2,
    # + their own record, their change requests, one INSERT.
    "/my-details/": EVERY_PAGE + 3,
    # + the count for the pager, the notices, one INSERT.
    "/notices/": EVERY_PAGE + 3,
    # + the newest page of what others did with their data (nothing written: reading one's
    #   own privacy log is not a look at personal data by anyone else).
    "/privacy/": EVERY_PAGE + 1,
}


# Around the audit log's INSERT: on PostgreSQL locking a chain and keeping its new end on the
# chain's row (ADR 0032); on SQLite reading where the chain ends.
AUDIT_BOOKKEEPING = {"postgresql": 2, "sqlite": 1}
KEPT_END = {"postgresql": 1, "sqlite": 0}  # the chain's row updated: a write


def _counted(queries: list[dict[str, str]]) -> list[str]:
    sql = [query["sql"] for query in queries]
    return [s for s in sql if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) and "rollout_moduleswitch" not in s]


@pytest.mark.parametrize("page", PAGES)
def test_each_resident_page_runs_a_fixed_handful_of_queries(cast: Cast, page: str) -> None:
    ashton = cast["ashton"]
    make_notice(ashton.tenancy.property.block, cast.staff["north"])
    client = sign_in(Client(), cast.resident("alice"))
    url = f"/documents/{ashton.documents['addressed'].uuid}/download/" if page == "download" else page
    assert client.get(url).status_code == 200  # the session's last-seen time is written here, once a minute
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    counted = _counted(captured.captured_queries)
    bookkeeping = 0 if page == "/privacy/" else AUDIT_BOOKKEEPING[connection.vendor]
    assert len(counted) == PAGES[page] + bookkeeping, "\n".join(counted)
    writes = [s for s in counted if s.split(" ", 1)[0] in ("INSERT", "UPDATE", "DELETE")]
    assert len(writes) == (0 if page == "/privacy/" else 1 + KEPT_END[connection.vendor]), writes
