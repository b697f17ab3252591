"""The one way in to contractor accounts. A firm's administrator sees their own firm's
operatives only; the system administrator and the repairs team see the firms."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from porch.accounts.models import ContractorFirm, User
from porch.contractors.models import FirmAdministrator
from porch.core.actor import Actor
from porch.core.roles import StaffRole

# Staff who add firms and their administrators.
FIRM_MAKERS = (StaffRole.SYSADMIN, StaffRole.REPAIRS_COORDINATOR)


def is_firm_administrator(actor: Actor) -> bool:
    if not actor.is_contractor or actor.user_id is None or actor.firm_id is None:
        return False
    return FirmAdministrator.objects.filter(user_id=actor.user_id, firm_id=actor.firm_id).exists()


def operatives_for(actor: Actor) -> QuerySet[User]:
    if not is_firm_administrator(actor):
        return User.objects.none()
    return User.objects.filter(kind=User.Kind.CONTRACTOR, firm_id=actor.firm_id).order_by("-is_active", "email")


def get_operative_for(actor: Actor, code: UUID | str) -> User:
    """One of the administrator's own firm's operatives (anyone else's: 404)."""
    found = operatives_for(actor).filter(uuid=code).first()
    if found is None:
        raise Http404
    return found


def firms_for_staff(actor: Actor) -> QuerySet[ContractorFirm]:
    if not actor.has_role(*FIRM_MAKERS):
        return ContractorFirm.objects.none()
    return ContractorFirm.objects.order_by("name")


def email_in_use(email: str) -> bool:
    """Whether any account signs in with this address already (a new contractor's must be new)."""
    return User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


def firm_name_in_use(name: str) -> bool:
    return ContractorFirm.objects.filter(name__iexact=name).exists()
