"""What the pages anyone can open without signing in cost the server (issue 10, goal 6).

    DEBUG=1 .venv/bin/python bench/anonymous_pages.py [--homes 50] [--requests 300] [--rounds 3]
    DEBUG=1 .venv/bin/python bench/anonymous_pages.py --profile "Sign in"    # cProfile one page

Target: each anonymous page within 1.5 times of a bare Django form page rendered by
the same server.

The baseline, "Bare form page", is a plain Django view behind the same middleware (it is
mounted beside the portal's routes for this run only): a plain ``django.forms.Form`` of
the sign-in form's two fields, rendered by Django's own form renderer as ``{{ form }}``
with ``{% csrf_token %}`` in a small template, through an engine with the context
processors a new Django project starts with. Each form page is compared with the bare page
of its own form's fields (a plain ``Form`` with the same fields; the GOV.UK date input
becomes three plain text boxes), and every page with the bare sign-in page. The start
page, a redirect for anyone signed out, shows what the middleware and the test client
cost on their own.

For each page it reports, through the whole stack (Django test client: every
middleware, the session, the database):

- CPU per request: the median of the process CPU time of each request, in ms, over
  ``--requests`` requests, taken in ``--rounds`` rounds that visit every page in turn
  (so load from other work on the machine falls on all pages alike), then the median of
  all samples;
- the ratio to the bare form page measured in the same run;
- template: the median CPU time spent inside the outermost template render of the
  request (the page and everything it includes, forms and fields too), and its share;
- queries of one request.

Every request is a new visitor: the client's cookies are cleared first, as for someone
arriving from a search engine or a letter. Forms sent with errors are sent empty, so no
password is hashed and no rate limit counts them.

DEBUG is on only while the demo is seeded, then off: pages run as in production.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import functools
import pstats
import statistics
import sys
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import cpu_ms_samples, production_like, scratch_portal  # noqa: E402 - after the root is on the path

BARE = "/bench-bare/"
SIGN_IN_FORM = "porch.accounts.forms.SignInForm"


@dataclass(frozen=True)
class Page:
    path: str
    method: str = "GET"
    # The form on the page (dotted path): its bare counterpart has the same fields.
    form: str = SIGN_IN_FORM
    # Forms with errors are sent empty.
    data: dict[str, str] | None = None


PAGES: dict[str, Page] = {
    "Sign in": Page("/sign-in/"),
    "Sign in, errors": Page("/sign-in/", "POST", data={}),
    "Forgotten password": Page("/password-reset/", form="porch.accounts.forms.GovukPasswordResetForm"),
    "Forgotten password, errors": Page(
        "/password-reset/", "POST", form="porch.accounts.forms.GovukPasswordResetForm", data={}
    ),
    "Forgotten password, sent": Page("/password-reset/sent/"),
    "Password reset link (expired)": Page("/password-reset/MQ/expired-link/"),
    "Password reset, done": Page("/password-reset/done/"),
    "Sign up": Page("/sign-up/", form="porch.accounts.forms.SignupStartForm"),
    "Sign up, errors": Page("/sign-up/", "POST", form="porch.accounts.forms.SignupStartForm", data={}),
    "Sign-up help": Page("/sign-up/help/", form="porch.accounts.forms.HelpRequestForm"),
    "Sign-up help, errors": Page("/sign-up/help/", "POST", form="porch.accounts.forms.HelpRequestForm", data={}),
    "Report a privacy problem": Page(
        "/report-a-privacy-problem/?from=/sign-in/", form="porch.incidents.forms.PrivacyReportForm"
    ),
    "Report a privacy problem, errors": Page(
        "/report-a-privacy-problem/?from=/sign-in/", "POST", form="porch.incidents.forms.PrivacyReportForm", data={}
    ),
    "Accessibility": Page("/accessibility/"),
    "How we use your information": Page("/privacy-notice/"),
    "Page not found": Page("/no-such-page/"),
    "Start page (redirect to sign in)": Page("/"),
}
BARE_TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<main>
<h1>Sign in</h1>
<form method="post" novalidate>
{% csrf_token %}
{{ form }}
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--homes", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300, help="requests a page, over all rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", metavar="PAGE", help="cProfile this page instead (sorted by own time)")
    options = parser.parse_args()

    scratch_portal(homes=options.homes, prefix="porch-bench-anon-")
    production_like()
    _mount_bare_form_pages()
    from django.db import connection
    from django.test import Client

    pages = {**PAGES, **{_bare_name(form): _bare_page(form) for form in dict.fromkeys(p.form for p in PAGES.values())}}
    pages.update({_bare_name(form) + ", errors": _bare_page(form, errors=True) for form in _forms_with_errors()})
    client = Client()
    for name, page in pages.items():  # warm: templates compiled, caches filled
        response = _send(client, page)
        assert response.status_code in (200, 302, 404), (name, response.status_code)

    if options.profile:
        _profile(client, pages[options.profile], options.requests)
        return

    rounds = max(1, options.rounds)
    per_round = max(1, options.requests // rounds)
    samples: dict[str, list[float]] = {name: [] for name in pages}
    template_samples: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(rounds):
        for name, page in pages.items():
            samples[name] += cpu_ms_samples(functools.partial(_send, client, page), per_round)
            with _template_clock() as clock:
                for _ in range(per_round):
                    clock.start_request()
                    _send(client, page)
                    clock.end_request()
            template_samples[name] += clock.per_request
    queries = {name: _queries(connection, client, page) for name, page in pages.items()}
    cpu = {name: statistics.median(runs) for name, runs in samples.items()}
    rendering = {name: statistics.median(runs) for name, runs in template_samples.items()}

    bare_sign_in = cpu[_bare_name(SIGN_IN_FORM)]
    print(f"{connection.vendor}, {per_round * rounds} requests a page in {rounds} rounds, DEBUG off")
    print(f"Bare sign-in form page (every middleware): {bare_sign_in:.2f} ms CPU\n")
    print(
        "| Page | CPU per request (ms) | Times its bare form page | Times the bare sign-in page "
        "| Template (ms) | Template share | Queries |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, page in PAGES.items():
        bare = cpu[_bare_name(page.form) + (", errors" if page.data is not None else "")]
        print(
            f"| {name} | {cpu[name]:.2f} | {cpu[name] / bare:.2f} | {cpu[name] / bare_sign_in:.2f} "
            f"| {rendering[name]:.2f} | {rendering[name] / cpu[name]:.0%} | {queries[name]} |"
        )
    print("\nThe bare form pages (a plain Django form of the same fields, Django's own renderer):\n")
    print("| Bare page | CPU per request (ms) | Template (ms) | Queries |")
    print("|---|---|---|---|")
    for name in (name for name in pages if name not in PAGES):
        print(f"| {name} | {cpu[name]:.2f} | {rendering[name]:.2f} | {queries[name]} |")


def _slug(form: str) -> str:
    return form.rsplit(".", 1)[1].lower()


def _bare_name(form: str) -> str:
    return f"Bare {form.rsplit('.', 1)[1]}"


def _bare_page(form: str, *, errors: bool = False) -> Page:
    return Page(BARE + _slug(form) + "/", "POST" if errors else "GET", form=form, data={} if errors else None)


def _forms_with_errors() -> list[str]:
    return list(dict.fromkeys(page.form for page in PAGES.values() if page.data is not None))


def _plain_form(dotted: str) -> type[Any]:
    """A plain Django form with the fields of a portal form, rendered by Django's own
    renderer and widgets (the GOV.UK date input becomes three plain text boxes)."""
    from django import forms
    from django.forms.renderers import DjangoTemplates
    from django.utils.module_loading import import_string

    from porch.core.forms import GovukDateInput

    class PlainDateInput(forms.MultiWidget):
        def __init__(self) -> None:
            super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()])

        def decompress(self, value: Any) -> list[Any]:
            return [None, None, None]

    fields: dict[str, Any] = {}
    for name, field in import_string(dotted).base_fields.items():
        plain = copy.deepcopy(field)
        if isinstance(plain.widget, GovukDateInput):
            plain.widget = PlainDateInput()
        fields[name] = plain
    return type(f"Bare{dotted.rsplit('.', 1)[1]}", (forms.Form,), {"default_renderer": DjangoTemplates(), **fields})


def _mount_bare_form_pages() -> None:
    """The baselines: plain Django form pages, served beside the portal's routes."""
    from django.conf import settings
    from django.http import Http404, HttpResponse
    from django.template import Engine, RequestContext
    from django.urls import clear_url_caches, path

    from porch.core.routes import PUBLIC, audience

    engine = Engine(
        # What `django-admin startproject` gives a new project.
        context_processors=[
            "django.template.context_processors.request",
            "django.contrib.auth.context_processors.auth",
            "django.contrib.messages.context_processors.messages",
        ],
    )
    template = engine.from_string(BARE_TEMPLATE)
    plain_forms = {_slug(page.form): _plain_form(page.form) for page in PAGES.values()}

    @audience(PUBLIC)
    def bare_form_page(request: Any, slug: str) -> HttpResponse:
        if slug not in plain_forms:
            raise Http404
        form = plain_forms[slug](request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            pass  # never in this benchmark: the form is sent empty
        return HttpResponse(template.render(RequestContext(request, {"form": form})))

    urls = types.ModuleType("bench_anonymous_urls")
    portal = __import__(settings.ROOT_URLCONF, fromlist=["urlpatterns"])
    bare = path(BARE.strip("/") + "/<slug:slug>/", bare_form_page)
    urls.urlpatterns = [bare, *portal.urlpatterns]  # type: ignore[attr-defined]
    for handler in ("handler400", "handler403", "handler404", "handler500"):
        setattr(urls, handler, getattr(portal, handler))
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    clear_url_caches()


def _send(client: Any, page: Page) -> Any:
    client.cookies.clear()  # a new visitor each time
    if page.method == "POST":
        return client.post(page.path, page.data or {})
    return client.get(page.path)


class _TemplateClock:
    """CPU time inside the outermost template render of each request."""

    def __init__(self) -> None:
        self.depth = 0
        self.spent = 0.0
        self.per_request: list[float] = []

    def start_request(self) -> None:
        self.spent = 0.0

    def end_request(self) -> None:
        self.per_request.append(self.spent * 1000)


@contextmanager
def _template_clock() -> Iterator[_TemplateClock]:
    from django.template.base import Template

    clock = _TemplateClock()
    original = Template.render

    def timed(self: Any, context: Any) -> Any:
        clock.depth += 1
        started = time.process_time() if clock.depth == 1 else 0.0
        try:
            return original(self, context)
        finally:
            if clock.depth == 1:
                clock.spent += time.process_time() - started
            clock.depth -= 1

    Template.render = timed  # type: ignore[method-assign]
    try:
        yield clock
    finally:
        Template.render = original  # type: ignore[method-assign]


def _queries(connection: Any, client: Any, page: Page) -> int:
    count = 0

    def counter(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        _send(client, page)
    return count


def _profile(client: Any, page: Page, times: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(times):
        _send(client, page)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    main()
