"""Paging by position ("older than this one") rather than by page number.

A page number needs a count of everything before it, which grows with the table; a
position is one indexed range scan, as quick on the ten-thousandth page as on the first.
For lists ordered by (<moment>, id), the moment field named by `by` ("at" for the audit
log, "reported_at" for repairs), newest first unless `ascending` (a queue of the longest
overdue first, by "due_at"). "Older" is the way the list runs, "newer" the way back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import QueryDict


@dataclass(frozen=True)
class Page:
    items: list[Any]
    newer: int | None  # show the rows newer than this one (a link back), or None on the newest page
    older: int | None  # show the rows older than this one (a link on), or None on the last page


def page_of(rows: QuerySet[Any], query: QueryDict, *, size: int, by: str = "at", ascending: bool = False) -> Page:
    """The page the query string asks for (?older=ID or ?newer=ID, ID one of these rows).
    Anything else, including an id that is not among these rows, gives the newest page.
    The rows come ordered by (-by, -id), or (by, id) when ascending."""
    on, back = (_after, _before) if ascending else (_before, _after)
    backwards = (f"-{by}", "-id") if ascending else (by, "id")
    older, newer = _position(rows, query.get("older"), by), _position(rows, query.get("newer"), by)
    if older is not None:
        items = list(rows.filter(on(older, by))[: size + 1])
        if items:
            return Page(items[:size], newer=items[0].pk, older=_last_if_more(items, size))
    if newer is not None:
        items = list(rows.filter(back(newer, by)).order_by(*backwards)[: size + 1])[::-1]
        if items:
            more_newer = len(items) > size
            items = items[-size:]
            return Page(items, newer=items[0].pk if more_newer else None, older=items[-1].pk)
    # The newest page; also past either end, rather than an empty page that reads as "nothing".
    items = list(rows[: size + 1])
    return Page(items[:size], newer=None, older=_last_if_more(items, size))


def _last_if_more(items: list[Model], size: int) -> int | None:
    return items[size - 1].pk if len(items) > size else None


def _position(rows: QuerySet[Any], value: str | None, by: str) -> dict[str, Any] | None:
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    found: dict[str, Any] | None = rows.filter(id=int(value)).values(by, "id").first()
    return found


def _before(position: dict[str, Any], by: str) -> Q:
    return Q(**{f"{by}__lt": position[by]}) | Q(**{by: position[by], "id__lt": position["id"]})


def _after(position: dict[str, Any], by: str) -> Q:
    return Q(**{f"{by}__gt": position[by]}) | Q(**{by: position[by], "id__gt": position["id"]})
