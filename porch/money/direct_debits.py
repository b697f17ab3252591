"""Direct Debits (ADR 0024): a resident sets one up on an account they hold, changes its day
or amount, or stops it. The bank details go to the Direct Debit provider and nowhere else;
the housing system, which collects the rent, hears of each mandate and change through the
outbox, with the last two digits of the bank account and never more.

One mandate per form, like a card payment: the form's one-time key is the provider's
idempotency key and unique here, so a double submit is one mandate. A new mandate that becomes
active ends the account's older live ones: an account is collected from one bank account.
"""

from __future__ import annotations

import functools
import logging
from uuid import UUID

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from porch.audit.services import record
from porch.core.actor import Actor
from porch.housing.models import Person
from porch.money.kinds import DIRECT_DEBIT
from porch.money.models import DirectDebitMandate, RentAccount
from porch.money.providers import BankDetails, DirectDebitProvider, MandateNews, ProviderUnavailable
from porch.money.services import holder_ids, records_shown
from porch.outbox.services import About, emit

logger = logging.getLogger(__name__)


def mandates_shown(*, actor: Actor, mandates: list[DirectDebitMandate], request: HttpRequest, what: str) -> None:
    """One audit row per Direct Debit shown and account holder."""
    records_shown(actor=actor, kind=DIRECT_DEBIT, records=mandates, request=request, what=what)


def live_mandates(actor: Actor, account: RentAccount) -> list[DirectDebitMandate]:
    found = DirectDebitMandate.objects.visible_to(actor).filter(account=account, status__in=DirectDebitMandate.LIVE)
    return list(found.order_by("-created_at"))


@sensitive_variables()  # bank details pass through here: never in an error report
def mandate_start(
    *,
    actor: Actor,
    account: RentAccount,
    bank: BankDetails,
    collection_day: int,
    amount_pence: int,
    attempt_key: UUID,
    provider: DirectDebitProvider,
    request: HttpRequest | None = None,
) -> DirectDebitMandate:
    """The mandate of this form, set up with the provider once. Raises ProviderUnavailable, or
    the provider's own refusal of the details, with nothing kept."""
    with transaction.atomic():
        made = _mandate_of_attempt(account, attempt_key)
        if made is not None:
            return made
        if actor.person_id is None:
            raise Http404  # only a resident with a record of their own sets one up
        person = Person.objects.get(pk=actor.person_id)
        started = provider.mandate_start(
            key=str(attempt_key), bank=bank, reference=account.hms_reference, email=person.email
        )
        try:
            with transaction.atomic():
                mandate = DirectDebitMandate.objects.create(
                    attempt_key=attempt_key,
                    account=account,
                    tenancy_id=account.tenancy_id,
                    requested_by=person,
                    provider=provider.name,
                    provider_id=started.provider_id,
                    account_ending=started.account_ending,
                    collection_day=collection_day,
                    amount_pence=amount_pence,
                    is_test=account.tenancy.is_test,
                )
        except IntegrityError:  # the other submit of the same form made it first
            found = _mandate_of_attempt(account, attempt_key)
            if found is None:
                raise
            return found
        _audit(actor, mandate, "create", "Direct Debit set up", request)
        _tell_housing_system("direct_debit.requested", mandate)
    return mandate


def _mandate_of_attempt(account: RentAccount, attempt_key: UUID) -> DirectDebitMandate | None:
    found = DirectDebitMandate.objects.select_for_update().filter(attempt_key=attempt_key).first()
    if found is not None and found.account_id != account.pk:
        raise Http404  # a key from another account's form
    return found


def mandate_change(
    *, actor: Actor, mandate: DirectDebitMandate, collection_day: int, amount_pence: int, request: HttpRequest
) -> None:
    """A new day or amount on the same bank account: the mandate stands; the housing system,
    which collects, is told (and gives the advance notice Direct Debit rules ask for)."""
    with transaction.atomic():
        changed = DirectDebitMandate.objects.filter(pk=mandate.pk, status__in=DirectDebitMandate.LIVE).update(
            collection_day=collection_day, amount_pence=amount_pence
        )
        if not changed:
            raise Http404  # it ended meanwhile
        mandate.collection_day, mandate.amount_pence = collection_day, amount_pence
        _audit(actor, mandate, "update", f"Direct Debit changed: day {collection_day}, {amount_pence}p", request)
        _tell_housing_system("direct_debit.changed", mandate)


def mandate_stop(
    *, actor: Actor, mandate: DirectDebitMandate, provider: DirectDebitProvider, request: HttpRequest
) -> None:
    """The resident asked to stop it: cancelled with the provider first, so it is never shown
    as stopped while the provider could still collect. Raises ProviderUnavailable."""
    provider.mandate_end(mandate.provider_id)
    with transaction.atomic():
        _end(mandate, "stopped by the resident")
        _audit(actor, mandate, "update", "Direct Debit stopped", request)
        _tell_housing_system("direct_debit.ended", mandate)


def mandate_news(news: MandateNews, provider: DirectDebitProvider) -> DirectDebitMandate | None:
    """The provider says a mandate is active, or ended or failed. Once active, it replaces the
    account's older live mandates (a newer one being set up will replace it in turn). None for
    a mandate Porch never set up."""
    with transaction.atomic():
        mandate = (
            DirectDebitMandate.objects.select_for_update()
            .filter(provider=provider.name, provider_id=news.provider_id)
            .select_related("account")
            .first()
        )
        if mandate is None or mandate.status not in DirectDebitMandate.LIVE:
            return mandate
        if not news.active:
            _end(mandate, news.words, failed=mandate.status == DirectDebitMandate.Status.SETTING_UP)
            _tell_housing_system("direct_debit.ended", mandate)
            return mandate
        if mandate.status == DirectDebitMandate.Status.ACTIVE:
            return mandate
        mandate.status = DirectDebitMandate.Status.ACTIVE
        mandate.save(update_fields=["status"])
        replaced = list(
            DirectDebitMandate.objects.select_for_update().filter(
                account_id=mandate.account_id, status__in=DirectDebitMandate.LIVE, pk__lt=mandate.pk
            )
        )
        for old in replaced:
            _end(old, f"replaced by the Direct Debit from the account ending {mandate.account_ending}")
            transaction.on_commit(functools.partial(_cancel_quietly, provider, old))
        _tell_housing_system("direct_debit.active", mandate, replaces=[str(old.uuid) for old in replaced])
    return mandate


def _cancel_quietly(provider: DirectDebitProvider, mandate: DirectDebitMandate) -> None:
    """Cancel a replaced mandate with the provider; if it cannot be reached now, the housing
    system (told it ended) collects from the new one only, and the log says which to cancel."""
    try:
        provider.mandate_end(mandate.provider_id)
    except ProviderUnavailable:
        logger.error("direct debit: could not cancel replaced mandate %s with %s", mandate.uuid, provider.name)


def _end(mandate: DirectDebitMandate, words: str, *, failed: bool = False) -> None:
    mandate.status = DirectDebitMandate.Status.FAILED if failed else DirectDebitMandate.Status.ENDED
    mandate.ended_at = timezone.now()
    mandate.outcome = words[:200]
    mandate.save(update_fields=["status", "ended_at", "outcome"])


def _tell_housing_system(topic: str, mandate: DirectDebitMandate, *, replaces: list[str] | None = None) -> None:
    """Last in its transaction (emit's rule). Never a bank detail beyond the last two digits.
    An active mandate names the ones it replaces, which end with it."""
    holders = holder_ids([mandate.tenancy_id])[mandate.tenancy_id]
    emit(
        topic,
        about=About(mandate.account.hms_reference, holders, mandate.is_test),
        payload={
            "mandate": str(mandate.uuid),
            "account_ref": mandate.account.hms_reference,
            "status": mandate.status,
            "provider": mandate.provider,
            "provider_mandate_id": mandate.provider_id,
            "bank_account_ending": mandate.account_ending,
            "collection_day": mandate.collection_day,
            "amount_pence": mandate.amount_pence,
            **({"replaces": replaces} if replaces is not None else {}),
        },
    )


def _audit(actor: Actor, mandate: DirectDebitMandate, action: str, what: str, request: HttpRequest | None) -> None:
    record(
        actor=actor,
        action=action,
        object_type=DIRECT_DEBIT,
        object_id=mandate.uuid,
        subject_ids=holder_ids([mandate.tenancy_id])[mandate.tenancy_id],
        tenancy_id=mandate.tenancy_id,
        reason=what,
        request=request,
    )
