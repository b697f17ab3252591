"""A contractor of firm A never sees firm B's jobs, nor anything of a household beyond the
job: the canary crawl as a firm-A operative, and every repairs URL filled with firm B's
repair ids and other households' repair photo ids."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import Cast, sign_in
from porch.accounts.actors import actor_for_user
from porch.core.isolation import crawl
from porch.repairs.tests.contractor_cast import contractor, job, photo


def repairs_routes() -> list[tuple[str, str, Any]]:
    """(name, URL template with {code}, view) for every repairs page taking an id."""
    found: list[tuple[str, str, Any]] = []

    def walk(patterns: Any, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "repairs" and "<uuid:code>" in route:
                found.append((pattern.name or "", "/" + re.sub(r"<uuid:code>", "{code}", route), pattern.callback))

    walk(get_resolver().url_patterns, "", "")
    return found


def foreign(cast: Cast) -> tuple[list[str], list[str]]:
    """Ids a firm-A operative must never reach (firm B's jobs, a job not yet assigned, their
    photos), and the markers of those households."""
    theirs = job(cast.resident("sam"), "b")
    unassigned = job(cast.resident("carol"), None)
    codes = [str(theirs.uuid), str(unassigned.uuid), str(photo(theirs).uuid), str(photo(unassigned).uuid)]
    return codes, [cast["smith"].marker, cast["cole"].marker]


def test_every_repairs_url_with_another_firms_ids_is_not_found(cast: Cast) -> None:
    codes, _ = foreign(cast)
    client = sign_in(Client(), contractor("a"))
    routes = repairs_routes()
    operative = actor_for_user(contractor("a"), verified=True)
    assert {name for name, _, _ in routes} >= {
        "job",
        "job_accept",
        "job_visit",
        "job_note",
        "job_complete",
        "job_photo",
    }
    for name, template, view in routes:
        admits_contractors = view.porch_audience.allows(operative)
        expected = {404} if admits_contractors else {403, 404}
        for code in codes:
            url = template.format(code=code)
            assert client.get(url).status_code in expected | {405}, (name, url)
            assert client.post(url, {"text": "x"}).status_code in expected, (name, url)


def test_the_canary_crawl_as_a_contractor_finds_no_other_household(cast: Cast) -> None:
    codes, markers = foreign(cast)
    own = job(cast.resident("alice"), "a")
    photo(own)
    client = sign_in(Client(), contractor("a"))
    others = [h.marker for key, h in cast.households.items() if key not in ("ashton",)]
    assert set(markers) <= set(others)
    household_codes = [code for key, h in cast.households.items() if key != "ashton" for code in h.codes]
    assert crawl(client, foreign_markers=others, foreign_codes=codes + household_codes) == []


def test_the_crawl_reaches_the_contractors_own_job(cast: Cast) -> None:
    """A crawl that saw nothing would prove nothing: it finds the firm's own job's address."""
    own = job(cast.resident("alice"), "a")
    shot = photo(own)
    client = sign_in(Client(), contractor("a"))
    seen = {leak.url for leak in crawl(client, foreign_markers=[cast["ashton"].marker], foreign_codes=[])}
    assert f"/jobs/{own.uuid}/" in seen
    assert client.get(f"/jobs/photos/{shot.uuid}/").status_code == 200
