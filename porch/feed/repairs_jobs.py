"""Repairs jobs raised in the housing system: the repairs file.

Matched by the job's reference in the housing system (Repair.external_ref). A new job becomes a
repair here, with its clocks running from when it was raised there; a job the file marks
completed or cancelled is completed or cancelled here, through the repairs module's own
services, so its clocks stop and Scotland's compensation is worked out as for any repair.
A job never moves home, block or category here: the file's later rows change its status only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from porch.feed import columns as c
from porch.feed.loading import CHANGED, CREATED, UNCHANGED, Outcome, Parsed, Plan, Run, refuse
from porch.feed.tenancies import NO_TENANCY
from porch.housing.models import Block, Tenancy, normalise_reference
from porch.repairs import services
from porch.repairs.categories import BY_CODE, category
from porch.repairs.models import Repair

OPEN, COMPLETED, CANCELLED = "open", "completed", "cancelled"


class RepairsJobs:
    layout: ClassVar[c.Layout] = c.Layout(
        entity="repairs",
        title="Repairs jobs raised in the housing system",
        about="Jobs raised in the housing system (by phone, by an officer) that residents should see "
        "beside the repairs they report here. A job belongs to a tenancy (a home) or to a block "
        "(its shared areas): give one of the two. Later rows for the same job change its status.",
        key="job_ref",
        columns=(
            c.Column("job_ref", "The housing system's reference for the job.", c.reference, example="JOB-77120"),
            c.Column("tenancy_ref", "The home's tenancy, for a job in a home.", c.reference, required=False),
            c.Column("block_ref", "The block, for a job in its shared areas.", c.reference, required=False),
            c.Column(
                "category",
                "The repair's category code (porch/repairs/categories.py).",
                c.choice(sorted(BY_CODE)),
                example="kitchen_tap",
            ),
            c.Column(
                "description", "What is wrong, as residents may read it.", c.text(2000), example="Kitchen tap drips"
            ),
            c.Column(
                "raised_at", "When it was raised, with its UTC offset.", c.moment, example="2026-04-01T09:30:00+01:00"
            ),
            c.Column("status", "open, completed or cancelled.", c.choice([OPEN, COMPLETED, CANCELLED]), example="open"),
        ),
        load_after=("tenancies", "properties"),
    )

    def plan(self, run: Run, rows: Sequence[Parsed]) -> list[Plan | Outcome]:
        here = {r.external_ref: r for r in Repair.objects.filter(external_ref__in=[row.key for row in rows])}
        tenancies = {
            t.reference: t
            for t in Tenancy.objects.filter(
                reference__in={normalise_reference(r.values.get("tenancy_ref") or "") for r in rows}
            )
        }
        blocks = {
            b.hms_reference: b
            for b in Block.objects.filter(hms_reference__in={r.values.get("block_ref") for r in rows})
        }
        planned: list[Plan | Outcome] = []
        for row in rows:
            repair = here.get(row.key)
            status = row.values["status"]
            if repair is not None:
                planned.append(_plan_status(row, repair, status))
                continue
            place = _place(row, tenancies, blocks)
            if isinstance(place, Outcome):
                planned.append(place)
            else:
                planned.append(
                    Plan(row, Outcome(row.line, CREATED, note=f"{row.key}: a new repair"), extra={"place": place})
                )
        return planned

    def write(self, run: Run, plans: Sequence[Plan]) -> None:
        for plan in plans:
            repair = plan.record or _create(run, plan)
            status = plan.parsed.values["status"]
            if status == COMPLETED:
                services.complete(actor=run.actor, repair=repair, note="Completed in the housing system.")
            elif status == CANCELLED:
                services.cancel(actor=run.actor, repair=repair, reason="Cancelled in the housing system.")


def _place(row: Parsed, tenancies: dict[str, Tenancy], blocks: dict[str | None, Block]) -> Tenancy | Block | Outcome:
    tenancy_ref, block_ref = row.values.get("tenancy_ref"), row.values.get("block_ref")
    if bool(tenancy_ref) == bool(block_ref):
        return refuse(
            row, "tenancy_ref", "Give a tenancy_ref for a job in a home or a block_ref for shared areas, not both."
        )
    if tenancy_ref:
        tenancy = tenancies.get(normalise_reference(tenancy_ref))
        return tenancy or refuse(row, "tenancy_ref", NO_TENANCY)
    block = blocks.get(block_ref)
    return block or refuse(row, "block_ref", "No block here has this reference: send the properties file first.")


def _plan_status(row: Parsed, repair: Repair, status: str) -> Plan | Outcome:
    now_open = repair.is_open
    if (status == OPEN) == now_open and (status == OPEN or repair.status == status):
        return Plan(row, Outcome(row.line, UNCHANGED), record=repair)
    if not now_open:
        return refuse(
            row,
            "status",
            f"This job is already {repair.get_status_display().lower()} here; it cannot be opened or closed again.",
        )
    return Plan(row, Outcome(row.line, CHANGED, note=f"{row.key}: {status}"), record=repair)


def _create(run: Run, plan: Plan) -> Repair:
    place = plan.extra["place"]
    report = services.Report(
        category=category(plan.parsed.values["category"]),
        description=plan.parsed.values["description"],
        tenancy=place if isinstance(place, Tenancy) else None,
        block=place if isinstance(place, Block) else None,
    )
    return services.repair_from_housing_system(
        actor=run.actor, report=report, external_ref=plan.parsed.key, reported_at=plan.parsed.values["raised_at"]
    )
