"""The canary crawl: proof that one household's data never reaches another.

Sign in as a resident, follow every link reachable from their dashboard,
download every document they can reach, then try every URL pattern their
audience admits filled with other households' ids (a pattern whose audience
refuses them is refused before its view runs, whatever the id). Any response carrying another household's canary
marker is a leak. The test suite runs this against the cast; the isolation
self-test command runs it against a live installation's test households.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver

from porch.core.actor import Actor
from porch.core.routes import admits

# Links a crawl must not follow: they end the session or change state.
NEVER_FOLLOW = ("/sign-out/",)
# The Django admin links each list to itself sorted by every order of its columns, and each
# object with those orders remembered: the same rows again, thousands of addresses for a
# system administrator's crawl. Each list and object is crawled once, as it first appears.
ADMIN_REORDERINGS = ("o=", "_changelist_filters=", "_facets=")


def _reordered_admin_list(url: str) -> bool:
    path, _, query = url.partition("?")
    return path.startswith("/admin/") and any(part.startswith(ADMIN_REORDERINGS) for part in query.split("&"))


@dataclass(frozen=True)
class Leak:
    url: str
    marker: str


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "form" and (values.get("method") or "get").lower() == "get" and values.get("action"):
            self.links.append(values["action"] or "")


def links_in(html: str, base: str, host: str = "testserver") -> list[str]:
    parser = _LinkParser()
    parser.feed(html)
    found = []
    for href in parser.links:
        absolute = urljoin(base, href)
        parts = urlsplit(absolute)
        if parts.netloc not in ("", host) or not parts.path.startswith("/"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def url_templates() -> list[tuple[str, list[str]]]:
    """Every URL pattern as (template with {name} holes, names of its holes)."""
    return [(template, holes) for template, holes, _ in _patterns()]


def _patterns() -> list[tuple[str, list[str], Any]]:
    """Every URL pattern as (template with {name} holes, names of its holes, its view)."""
    found: list[tuple[str, list[str], Any]] = []

    def walk(patterns: Iterable[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                holes = re.findall(r"<(?:\w+:)?(\w+)>", route)
                template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
                found.append(("/" + template.lstrip("^").rstrip("$"), holes, pattern.callback))

    walk(get_resolver().url_patterns, "")
    return found


def probe_templates(actor: Actor | None) -> list[str]:
    """The URL patterns with one id hole (`code`) to fill with foreign ids: those whose audience
    admits the actor. The others are refused by AudienceMiddleware before their view runs,
    whatever the id, so no id can make them show anything; the route sweep proves that refusal
    for every route and every role. (With no actor known, every pattern.)"""
    return [
        template
        for template, holes, view in _patterns()
        if holes
        and not set(holes) - {"code"}
        and (actor is None or admits(getattr(view, "porch_audience", None), actor))
    ]


def crawl(
    client: Any,
    *,
    foreign_markers: Iterable[str],
    foreign_codes: Iterable[str],
    start: str = "/",
    host: str = "testserver",
) -> list[Leak]:
    """Crawl as the client's signed-in user and report every foreign marker seen."""
    markers = [marker.encode() for marker in foreign_markers]
    leaks: list[Leak] = []
    seen: set[str] = set()
    queue: deque[str] = deque([start])

    def check(url: str, response: Any) -> bytes:
        body = body_of(response)
        leaks.extend(Leak(url, marker.decode()) for marker in markers if marker in body)
        return body

    actor: Actor | None = None
    while queue:
        url = queue.popleft()
        if url in seen or any(url.startswith(path) for path in NEVER_FOLLOW) or url.startswith("/static/"):
            continue
        if _reordered_admin_list(url):
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        actor = actor or getattr(response.wsgi_request, "actor", None)
        body = check(url, response)
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(links_in(body.decode(errors="replace"), url, host))

    codes = list(foreign_codes)
    for template in probe_templates(actor):
        for code in codes:
            url = template.format(code=code)
            check(url, client.get(url, follow=True))
    return leaks
