"""The annual self-assessment figures (the Housing Ombudsman's code asks landlords to publish
them each year; SPSO asks for the same kind of numbers): for each stage, how many complaints
came in, how many were responded to, how many on time, and how many upheld, partly upheld or not
upheld, for a year from 1 April. Counts only, one query, never a test household's complaint."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from porch.complaints.access import complaints_for_staff
from porch.complaints.models import Complaint, ComplaintStage
from porch.core.actor import Actor
from porch.core.spreadsheets import safe_cell

COLUMNS = (
    ("received", "Received"),
    ("responded", "Responded to"),
    ("on_time", "Responded to on time"),
    ("late", "Responded to late"),
    ("upheld", "Upheld"),
    ("partly", "Partly upheld"),
    ("not_upheld", "Not upheld"),
)


@dataclass(frozen=True)
class Figures:
    year: int
    start: datetime.date
    end: datetime.date
    rows: dict[int, dict[str, int]]  # stage number: column: count

    @property
    def label(self) -> str:
        return f"1 April {self.year} to 31 March {self.year + 1}"


def year_of(day: datetime.date) -> int:
    """The year (from 1 April) a day falls in."""
    return day.year if day.month >= 4 else day.year - 1


def figures_for(actor: Actor, year: int) -> Figures:
    """Stages that came in during the year (received), and what became of them."""
    start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    deadline = Coalesce("extended_to", "respond_by")
    responded = Q(responded_on__isnull=False)
    counted = (
        ComplaintStage.objects.filter(complaint__in=_visible(actor), received_on__gte=start, received_on__lte=end)
        .values("number")
        .annotate(
            received=Count("pk"),
            responded=Count("pk", filter=responded),
            on_time=Count("pk", filter=responded & Q(responded_on__lte=deadline)),
            late=Count("pk", filter=responded & Q(responded_on__gt=deadline)),
            upheld=Count("pk", filter=Q(outcome=ComplaintStage.Outcome.UPHELD)),
            partly=Count("pk", filter=Q(outcome=ComplaintStage.Outcome.PARTLY)),
            not_upheld=Count("pk", filter=Q(outcome=ComplaintStage.Outcome.NOT_UPHELD)),
        )
        .order_by("number")
    )
    rows = {number: {key: 0 for key, _ in COLUMNS} for number in (1, 2)}
    for row in counted:
        found: dict[str, int] = dict(row)  # type: ignore[arg-type]
        rows[found["number"]] = {key: found[key] for key, _ in COLUMNS}
    return Figures(year, start, end, rows)


def _visible(actor: Actor) -> QuerySet[Complaint, Any]:
    return complaints_for_staff(actor).values("pk")


def as_csv(figures: Figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Year", "Stage", *(label for _, label in COLUMNS)])
    for number, row in figures.rows.items():
        writer.writerow([safe_cell(figures.label), f"Stage {number}", *(row[key] for key, _ in COLUMNS)])
    return out.getvalue()
