"""The one way in to switches and proposals: DPOs and system administrators only."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from porch.accounts.models import User
from porch.accounts.module import SIGNUP
from porch.core.actor import Actor
from porch.core.modules import switch_keys, switches
from porch.core.roles import GUARDIANS
from porch.rollout.models import AcceptanceScript, ChangeProposal, Cohort, ModuleSwitch


@dataclass(frozen=True)
class SwitchRow:
    module: str
    label: str
    cohort: Cohort | None
    switch: ModuleSwitch | None

    @property
    def key(self) -> str:
        return f"{self.module}-{self.cohort.uuid if self.cohort else 'everyone'}"

    @property
    def is_off(self) -> bool:
        return bool(self.switch and self.switch.is_off)


def switches_for(actor: Actor) -> list[SwitchRow]:
    """Every module, for everyone and for each open cohort, with its switch (None: never switched, so on)."""
    if not actor.has_role(*GUARDIANS):
        return []
    rows = {(s.module, s.cohort_id): s for s in ModuleSwitch.objects.select_related("changed_by")}
    scopes: list[Cohort | None] = [None, *Cohort.objects.filter(status=Cohort.Status.OPEN)]
    return [
        SwitchRow(switch.key, switch.name, cohort, rows.get((switch.key, cohort.pk if cohort else None)))
        for cohort in scopes
        for switch in switches()
        # Sign-up happens before anyone is known to be in a cohort: it is switched for everyone only.
        if cohort is None or switch != SIGNUP
    ]


def cohort_or_everyone(actor: Actor, code: str) -> Cohort | None:
    return get_cohort_for(actor, code) if code else None


def get_module_for(actor: Actor, module: str) -> str:
    """A module the actor may switch (a 404 for anything else)."""
    if not actor.has_role(*GUARDIANS) or module not in switch_keys():
        raise Http404
    return module


def pending_proposals(actor: Actor) -> QuerySet[ChangeProposal]:
    if not actor.has_role(*GUARDIANS):
        return ChangeProposal.objects.none()
    return ChangeProposal.objects.filter(status=ChangeProposal.Status.PENDING).select_related("proposed_by")


def get_proposal_for(actor: Actor, code: UUID | str) -> ChangeProposal:
    proposal = pending_proposals(actor).filter(uuid=code).first()
    if proposal is None:
        raise Http404
    return proposal


def cohorts_for(actor: Actor) -> list[Cohort]:
    if not actor.has_role(*GUARDIANS):
        return []
    return list(Cohort.objects.all())


def cohort_name_taken(name: str) -> bool:
    """Cohort names are unique: a form asks before a second one is made (the database refuses it too)."""
    return Cohort.objects.filter(name=name).exists()


def get_cohort_for(actor: Actor, code: UUID | str) -> Cohort:
    if not actor.has_role(*GUARDIANS):
        raise Http404
    cohort = Cohort.objects.filter(uuid=code).select_related("dpo_signed_off_by").first()
    if cohort is None:
        raise Http404
    return cohort


def get_script_for(actor: Actor, code: UUID | str) -> AcceptanceScript:
    if not actor.has_role(*GUARDIANS):
        raise Http404
    script = AcceptanceScript.objects.filter(uuid=code).select_related("cohort").first()
    if script is None:
        raise Http404
    return script


def staff_accounts_for(actor: Actor) -> list[User]:
    if not actor.has_role(*GUARDIANS):
        return []
    return list(
        User.objects.filter(kind=User.Kind.STAFF).prefetch_related("role_grants", "patches").order_by("username")
    )


def get_staff_account_for(actor: Actor, code: UUID | str) -> User:
    if not actor.has_role(*GUARDIANS):
        raise Http404
    user = User.objects.filter(uuid=code, kind=User.Kind.STAFF).prefetch_related("role_grants").first()
    if user is None:
        raise Http404
    return user
