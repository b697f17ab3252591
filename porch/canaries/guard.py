"""The response guard: no canary marker leaves the server for anyone but its own household.

Last in MIDDLEWARE, so it sees every page a view or another middleware's
process_view produced (error pages included), before the security and cache
headers are added to whatever it lets out; static files (WhiteNoise) never
reach it.

- Pages: one substring search of the body for the markers' fixed prefix
  (markers.may_hold_marker). Only when that hits are the markers read and
  checked against the canaries this process knows (known.py).
- Files: a download of a canary household's document is recognised by its
  stored file name before the first byte is sent (a dictionary lookup), and the
  file name in Content-Disposition is checked like a page. Then every chunk is
  searched as it goes out, holding back the last few bytes of each until the
  next is checked, so a marker split across chunks never leaves half-sent;
  on a hit the download stops there (the reader gets a broken download).
  Streams are not read ahead or buffered: a large file costs one substring
  search per chunk.

A foreign marker (a canary's, going to anyone but a current member of that
canary household) replaces the response with the portal's ordinary server
error page and calls services.canary_trip. The page is blocked even if
recording the trip fails."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import cast

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.http.request import RawPostDataException
from django.template import loader

from porch.canaries import known, services
from porch.canaries.known import Canary
from porch.canaries.models import CanaryTrip
from porch.core.markers import LENGTH, markers_in, may_hold_marker, redact
from porch.core.roles import StaffRole

logger = logging.getLogger(__name__)

# Bytes of each chunk held back until the next is searched: a marker split across two is seen whole.
HELD_BACK = LENGTH - 1
FILE_BLOCK_SIZE = 64 * 1024


class CanaryGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse):
            return _guard_stream(request, response)
        content: bytes = getattr(response, "content", b"")
        if not may_hold_marker(content):
            return response
        markers = markers_in(content)
        if not foreign_canaries(request, markers):
            return response
        # A marker the request itself carried is the visitor's own input shown back (an error
        # page, a search box), not a leak: blocked, but no alarm, or anyone who learnt one
        # marker could raise incidents and switch modules off at will.
        leaked = foreign_canaries(request, markers - markers_in(request_input(request)))
        if not leaked:
            logger.warning(
                "Canary guard blocked a page showing a marker from its request: %s", redact(request.path[:100])
            )
            return blocked_page()
        return _blocked(request, response, leaked, CanaryTrip.Found.BODY)


def request_input(request: HttpRequest) -> bytes:
    """Everything the visitor sent that a page might show back: the path, the query and the form."""
    sent = request.get_full_path().encode()
    try:
        return sent + request.body
    except RawPostDataException:  # a file upload, already parsed: its form fields are what may come back
        return sent + " ".join(value for _, values in request.POST.lists() for value in values).encode()


def shows_canary_markers_to_dpo[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """The DPO's investigation pages list everyone a leak reached, canary households
    included; the DPO may see every household, and without this the guard would block
    the investigation of the very trip it raised. The only exemption: keep it that way."""
    view.porch_shows_canary_markers = True  # type: ignore[attr-defined]
    return view


def _exempt(request: HttpRequest) -> bool:
    view = getattr(getattr(request, "resolver_match", None), "func", None)
    return bool(getattr(view, "porch_shows_canary_markers", False)) and services.actor_of(request).has_role(
        StaffRole.DPO
    )


def foreign_canaries(request: HttpRequest, markers: Iterable[str]) -> list[Canary]:
    """The canaries among these markers that do not belong to the actor the response is going to."""
    markers = list(markers)
    if not markers or _exempt(request):
        return []
    by_marker = known.known().by_marker
    found = {by_marker[marker] for marker in markers if marker in by_marker}
    if not found:
        return []
    return [canary for canary in found if not _belongs(request, canary)]


def _belongs(request: HttpRequest, canary: Canary) -> bool:
    """A marker belongs to the current members of its household, signed in as themselves
    (or seen by staff viewing as one of them, which the access model allows)."""
    actor = services.actor_of(request)
    return actor.is_resident and canary.belongs_to(actor.person_id)


def blocked_page() -> HttpResponse:
    """The same page as any server error: the reader cannot tell a blocked leak from a fault."""
    context = {"landlord_name": settings.LANDLORD_NAME, "landlord_phone": settings.LANDLORD_PHONE}
    response = HttpResponse(loader.get_template("canaries/blocked.html").render(context), status=500)
    response["Cache-Control"] = "private, no-store"
    return response


def _blocked(request: HttpRequest, response: HttpResponseBase, foreign: list[Canary], found: str) -> HttpResponse:
    _trip(request, foreign, found, response.status_code)
    file = getattr(response, "file_to_stream", None)
    if file is not None and hasattr(file, "close"):
        file.close()
    return blocked_page()


def _trip(request: HttpRequest, foreign: list[Canary], found: str, status_code: int) -> None:
    try:
        services.canary_trip(request=request, canaries=foreign, found=found, status_code=status_code)
    except Exception:  # the response is blocked whatever happens to the alarm
        logger.exception("Canary guard blocked a response but could not record the trip")


def _guard_stream(request: HttpRequest, response: StreamingHttpResponse) -> HttpResponseBase:
    file_name = getattr(getattr(response, "file_to_stream", None), "name", None)
    canary = known.known().by_file.get(str(file_name)) if file_name else None
    if canary is not None and not _belongs(request, canary):
        return _blocked(request, response, [canary], CanaryTrip.Found.FILE)
    disposition = str(response.get("Content-Disposition", "")).encode()
    if may_hold_marker(disposition):
        foreign = foreign_canaries(request, markers_in(disposition))
        if foreign:
            return _blocked(request, response, foreign, CanaryTrip.Found.HEADER)
    if isinstance(response, FileResponse):
        # Django reads files 4 KB at a time; larger blocks mean far fewer searches per megabyte.
        response.block_size = max(response.block_size, FILE_BLOCK_SIZE)
    content = response.streaming_content
    if response.is_async:  # only under ASGI: Porch is served by gunicorn (WSGI)
        response.streaming_content = _searched_async(request, cast(AsyncIterator[bytes], content), response.status_code)
    else:
        response.streaming_content = _searched(request, cast(Iterator[bytes], content), response.status_code)
    return response


def _searched(request: HttpRequest, chunks: Iterator[bytes], status_code: int) -> Iterator[bytes]:
    held = b""
    for chunk in chunks:
        data = held + chunk
        if may_hold_marker(data) and _tripped_in_stream(request, data, status_code):
            return  # stop before anything of this chunk is sent
        held = data[-HELD_BACK:]
        if len(data) > HELD_BACK:
            yield data[:-HELD_BACK]
    if held:
        yield held


async def _searched_async(request: HttpRequest, chunks: AsyncIterator[bytes], status_code: int) -> AsyncIterator[bytes]:
    held = b""
    async for chunk in chunks:
        data = held + chunk
        if may_hold_marker(data) and await sync_to_async(_tripped_in_stream)(request, data, status_code):
            return
        held = data[-HELD_BACK:]
        if len(data) > HELD_BACK:
            yield data[:-HELD_BACK]
    if held:
        yield held


def _tripped_in_stream(request: HttpRequest, data: bytes, status_code: int) -> bool:
    foreign = foreign_canaries(request, markers_in(data))
    if foreign:
        _trip(request, foreign, CanaryTrip.Found.STREAM, status_code)
    return bool(foreign)
