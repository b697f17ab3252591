"""A rent or service-charge account as the subject of a conversation
(porch.core.modules.SubjectKind): found through money's own access rule for whoever is looking
(residents: the accounts they hold; staff: the income team and the DPO), the look audited."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import reverse

from porch.core.actor import Actor
from porch.core.modules import Subject, SubjectKind
from porch.money import access
from porch.money.services import accounts_shown


def find_account(actor: Actor, code: str, request: HttpRequest) -> Subject | None:
    try:
        if actor.is_resident:
            account = access.get_account_for(actor, code)
        else:
            account = access.get_account_for_staff(actor, code)
    except Http404:
        return None
    accounts_shown(actor=actor, accounts=[account], request=request, what="reference, as a message's subject")
    page = "money:account" if actor.is_resident else "money:staff_account"
    url = reverse(page, args=[account.uuid])
    words = "Rent account" if account.kind == account.Kind.RENT else "Service-charge account"
    return Subject("rent_account", str(account.uuid), account.tenancy_id, f"{words} {account.hms_reference}", url)


ACCOUNT_SUBJECT = SubjectKind("rent_account", "a rent or service-charge account", "rent", find=find_account)
