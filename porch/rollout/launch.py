"""Pilot cohorts and their launch checklist.

A cohort opens, or takes more homes once open, only when every item on its
checklist is green. Closing needs nobody's approval."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porch.audit.services import record
from porch.core.actor import Actor
from porch.core.approvals import Target
from porch.core.modules import ApprovalKind, switch_name
from porch.core.roles import StaffRole
from porch.core.uploads import CheckedFile
from porch.housing.models import Tenancy, normalise_reference
from porch.rollout.approvals import ApprovalRefused, change_propose, proposals_withdraw
from porch.rollout.models import AcceptanceScript, Cohort, CohortHomes, CohortModule, IsolationCheckRun
from porch.rollout.switches import forget

ISOLATION_CHECK_FRESH_FOR = datetime.timedelta(hours=24)
DEFAULT_SCRIPTS = (
    "Sign up with a one-time code, as a new resident would",
    "Sign in, see the dashboard and your own household only",
    "Open your documents; try another household's document by its address and get 'Page not found'",
    "Report a privacy problem and see it reach the on-call person",
)


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    detail: str


def checklist(cohort: Cohort) -> list[ChecklistItem]:
    scripts = list(cohort.scripts.select_related("signed_off_by"))
    unsigned = [script.title for script in scripts if script.signed_off_at is None]
    latest = IsolationCheckRun.objects.first()
    fresh = latest is not None and latest.passed and latest.ran_at > timezone.now() - ISOLATION_CHECK_FRESH_FOR
    return [
        ChecklistItem("DPIA attached", bool(cohort.dpia), "Attached" if cohort.dpia else "Attach the DPIA as a PDF"),
        ChecklistItem(
            "Acceptance scripts signed off",
            bool(scripts) and not unsigned,
            f"{len(scripts) - len(unsigned)} of {len(scripts)} signed off",
        ),
        ChecklistItem("Isolation self-test passed in the last 24 hours", fresh, _isolation_detail(latest, fresh)),
        ChecklistItem(
            "Data Protection Officer sign-off",
            cohort.dpo_signed_off_at is not None,
            f"Signed off by {cohort.dpo_signed_off_by}" if cohort.dpo_signed_off_by else "Waiting for the DPO",
        ),
    ]


def _isolation_detail(latest: IsolationCheckRun | None, fresh: bool) -> str:
    """In the DPO's words: the command that runs the self-test is the administrator's business."""
    if latest is None:
        return "The isolation self-test has never run on this installation. Ask your system administrator to run it."
    when = f"{timezone.localtime(latest.ran_at):%-d %B %Y at %H:%M}"
    if not latest.passed:
        return f"The isolation self-test failed on {when}. Ask your system administrator to look into it."
    if not fresh:
        return f"The isolation self-test last passed on {when}. Ask your system administrator to run it again."
    return f"Passed on {when}."


def all_green(cohort: Cohort) -> bool:
    return all(item.done for item in checklist(cohort))


def cohort_create(*, actor: Actor, name: str, request: HttpRequest | None = None) -> Cohort:
    with transaction.atomic():
        cohort = Cohort.objects.create(name=name, created_by_id=actor.user_id)
        AcceptanceScript.objects.bulk_create(AcceptanceScript(cohort=cohort, title=title) for title in DEFAULT_SCRIPTS)
        _audit(actor, cohort, "created", request)
    return cohort


def cohort_add_homes(
    *, actor: Actor, cohort: Cohort, places: list[dict[str, Any]], request: HttpRequest | None = None
) -> int:
    """Add places (a patch, estate, block or tenancy each). Into an open cohort they wait for approval."""
    waits = cohort.status == Cohort.Status.OPEN
    with transaction.atomic():
        for place in places:
            homes = CohortHomes.objects.create(cohort=cohort, active=not waits, added_by_id=actor.user_id, **place)
            if waits:
                change_propose(
                    actor=actor,
                    kind=COHORT_ADD_HOMES,
                    target=homes.uuid,
                    before=f"{cohort.name}: without {homes}",
                    after=f"{cohort.name}: with {homes}",
                    reason="Widening an open cohort",
                    request=request,
                )
        if not waits and cohort.dpo_signed_off_at:
            _clear_sign_off(cohort)  # the sign-off was for the homes as they were
            cohort.save(update_fields=["dpo_signed_off_by", "dpo_signed_off_at"])
        _audit(actor, cohort, f"homes added: {', '.join(str(p) for p in places)}"[:400], request)
    return len(places)


def tenancies_from_references(text: str) -> tuple[list[Tenancy], list[str]]:
    """An uploaded or pasted list of tenancy references: the ones found, and the ones not."""
    references = {normalise_reference(line) for line in text.replace(",", "\n").splitlines() if line.strip()}
    found = list(Tenancy.objects.filter(reference__in=references, is_test=False))
    missing = sorted(references - {tenancy.reference for tenancy in found})
    return found, missing


def cohort_module_set(
    *, actor: Actor, cohort: Cohort, module: str, enabled: bool, request: HttpRequest | None = None
) -> None:
    """Switching a module off for a cohort is immediate; switching it on waits for a second person."""
    if enabled:
        change_propose(
            actor=actor,
            kind=COHORT_MODULE_ON,
            target=CohortModuleTarget(cohort.uuid, module),
            before=f"{cohort.name}: {switch_name(module)} off",
            after=f"{cohort.name}: {switch_name(module)} on",
            reason="Switching a module on for a cohort",
            request=request,
        )
        return
    with transaction.atomic():
        CohortModule.objects.update_or_create(cohort=cohort, module=module, defaults={"enabled": False})
        # A proposal to switch it on, made before this, no longer stands.
        proposals_withdraw(kind=COHORT_MODULE_ON, target=CohortModuleTarget(cohort.uuid, module))
        _audit(actor, cohort, f"{module} switched off for the cohort", request)
    forget()


def cohort_dpia_attach(
    *, actor: Actor, cohort: Cohort, checked: CheckedFile, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        cohort.dpia = checked.content
        cohort.dpia_added_by_id = actor.user_id
        cohort.save(update_fields=["dpia", "dpia_added_by"])
        _audit(actor, cohort, "DPIA attached", request)


def script_sign_off(*, actor: Actor, script: AcceptanceScript, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        script.signed_off_by_id = actor.user_id
        script.signed_off_at = timezone.now()
        script.save(update_fields=["signed_off_by", "signed_off_at"])
        _audit(actor, script.cohort, f"script signed off: {script.title}"[:400], request)


def cohort_dpo_sign_off(*, actor: Actor, cohort: Cohort, request: HttpRequest | None = None) -> None:
    if not actor.has_role(StaffRole.DPO):
        raise ApprovalRefused("Only the Data Protection Officer can sign this off.")
    with transaction.atomic():
        cohort.dpo_signed_off_by_id = actor.user_id
        cohort.dpo_signed_off_at = timezone.now()
        cohort.save(update_fields=["dpo_signed_off_by", "dpo_signed_off_at"])
        _audit(actor, cohort, "DPO signed off", request)


def cohort_open(*, actor: Actor, cohort: Cohort, request: HttpRequest | None = None) -> None:
    """Opening widens who sees data: the checklist must be green, and the person who
    opens must not be the DPO who signed it off, so two people agree."""
    if not all_green(cohort):
        raise ApprovalRefused("Every item on the launch checklist must be done before the cohort opens.")
    if cohort.dpo_signed_off_by_id == actor.user_id:
        raise ApprovalRefused("You signed this cohort off, so someone else must open it.")
    with transaction.atomic():
        cohort.status = Cohort.Status.OPEN
        cohort.opened_at = timezone.now()
        cohort.save(update_fields=["status", "opened_at"])
        _audit(actor, cohort, "opened", request)
    forget()


def cohort_close(*, actor: Actor, cohort: Cohort, request: HttpRequest | None = None) -> None:
    """Closing takes the portal away from the cohort's residents at once; no second person needed."""
    with transaction.atomic():
        cohort.status = Cohort.Status.CLOSED
        _clear_sign_off(cohort)  # reopening needs a fresh sign-off for whatever the cohort then holds
        cohort.save(update_fields=["status", "dpo_signed_off_by", "dpo_signed_off_at"])
        _audit(actor, cohort, "closed", request)
    forget()


def _clear_sign_off(cohort: Cohort) -> None:
    cohort.dpo_signed_off_by = None
    cohort.dpo_signed_off_at = None


def _audit(actor: Actor, cohort: Cohort, what: str, request: HttpRequest | None) -> None:
    record(actor=actor, action="update", object_type="cohort", object_id=cohort.uuid, reason=what, request=request)


# --- Approved widenings of a cohort -----------------------------------------------


@dataclass(frozen=True)
class CohortModuleTarget(Target):
    """A module for one cohort."""

    cohort: uuid.UUID
    module: str


def cohort_homes_apply(target: str, approver: Actor) -> None:
    """Approved: homes waiting to join an open cohort join it (target: the CohortHomes uuid)."""
    homes = CohortHomes.objects.select_related("cohort").get(uuid=uuid.UUID(target))
    if not all_green(homes.cohort):
        raise ApprovalRefused("The cohort's launch checklist must be all green before it takes more homes.")
    homes.active = True
    homes.save(update_fields=["active"])


def cohort_module_on_apply(target: str, approver: Actor) -> None:
    wanted = CohortModuleTarget.parse(target)
    cohort = Cohort.objects.get(uuid=wanted.cohort)
    CohortModule.objects.update_or_create(cohort=cohort, module=wanted.module, defaults={"enabled": True})


COHORT_ADD_HOMES = ApprovalKind("cohort_add_homes", "Add homes to an open cohort", apply=cohort_homes_apply)
COHORT_MODULE_ON = ApprovalKind("cohort_module_on", "Switch a module on for a cohort", apply=cohort_module_on_apply)
