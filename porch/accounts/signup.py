"""Record-matched sign-up.

Details typed by the person are only ever used to find a record; the code goes
to contact details already on that record, never to anything typed.
"""

from __future__ import annotations

import datetime
import functools
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from porch.accounts.models import ActivationLetter, SignupCode, User
from porch.core import notify
from porch.housing.models import Membership, Person, Tenancy, normalise_postcode, normalise_reference

EMAIL_OR_SMS_LIFETIME = datetime.timedelta(minutes=10)
LETTER_LIFETIME = datetime.timedelta(days=14)
MAX_CODE_ATTEMPTS = 5
MAX_CODES_PER_DAY = 3


@dataclass(frozen=True)
class Match:
    person: Person
    tenancy: Tenancy


def find_match(*, reference: str, date_of_birth: datetime.date, postcode: str) -> Match | None:
    """A current lead-tenant, joint-tenant or homeowner membership matching all three details."""
    membership = (
        Membership.objects.current()
        .account_holders()
        .filter(
            tenancy__reference=normalise_reference(reference),
            tenancy__property__postcode_normalised=normalise_postcode(postcode),
            person__date_of_birth=date_of_birth,
            person__user__isnull=True,
        )
        .select_related("person", "tenancy__property__block__estate")
        .first()
    )
    if membership is None:
        return None
    return Match(person=membership.person, tenancy=membership.tenancy)


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def signup_start(match: Match | None) -> SignupCode | None:
    """Send a code for a match. A mismatch does the same hashing work and sends nothing.

    Email and text codes belong to the visit that asked for them: at most
    MAX_CODES_PER_DAY a day per person, and an earlier code is never handed to
    a new visit. A letter is different: it arrives days later, so a live letter
    code is the one to use from any visit; at most one letter is sent per
    LETTER_LIFETIME, after which staff help (the "can't sign up?" route)."""
    code = new_code()
    code_hash = make_password(code)
    if match is None:
        return None
    person = match.person
    if not _rollout_open_for(match.tenancy):
        transaction.on_commit(lambda: _tell_not_yet(person))
        return None
    channel, lifetime = _channel_for(person)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()  # one start per person at a time
        now = timezone.now()
        if channel == SignupCode.Channel.POST:
            letters = SignupCode.objects.filter(person=person, channel=channel, created_at__gt=now - LETTER_LIFETIME)
            letter_code = letters.filter(
                used_at__isnull=True, expires_at__gt=now, failed_attempts__lt=MAX_CODE_ATTEMPTS
            ).first()
            if letter_code is not None or letters.exists():
                return letter_code
        elif (
            SignupCode.objects.filter(person=person, created_at__gt=now - datetime.timedelta(days=1)).count()
            >= MAX_CODES_PER_DAY
        ):
            return None
        return _issue(match, channel, lifetime, code, code_hash)


def _issue(match: Match, channel: str, lifetime: datetime.timedelta, code: str, code_hash: str) -> SignupCode:
    person = match.person
    with transaction.atomic():
        signup_code = SignupCode.objects.create(
            person=person,
            tenancy=match.tenancy,
            channel=channel,
            code_hash=code_hash,
            expires_at=timezone.now() + lifetime,
        )
        if channel == SignupCode.Channel.POST:
            from porch.accounts.letters import activation_letter_pdf

            ActivationLetter.objects.create(
                signup_code=signup_code,
                person=person,
                tenancy=match.tenancy,
                pdf=activation_letter_pdf(person=person, tenancy=match.tenancy, code=code),
            )
        else:
            transaction.on_commit(lambda: _deliver(channel, person, code))
    return signup_code


def _rollout_open_for(tenancy: Tenancy) -> bool:
    from porch.rollout.cohorts import reach_of_tenancy

    block = tenancy.property.block
    return reach_of_tenancy(
        tenancy.id, tenancy.is_test, block.id, block.estate_id, block.estate.patch_id
    ).in_open_cohort


def _tell_not_yet(person: Person) -> None:
    """The same page as any other answer; the news goes only to the contact details on record."""
    body = (
        f"You asked to create an account for {settings.LANDLORD_NAME}'s online service. It is not open for "
        f"your home yet. We will write to you when it is. Call us on {settings.LANDLORD_PHONE} if you need us."
    )
    if person.email:
        notify.email(
            to=person.email,
            subject="Our online service is not open for your home yet",
            body=body,
            is_test=person.is_test,
        )
    elif person.mobile:
        notify.text(to=person.mobile, body=body, is_test=person.is_test)


def _channel_for(person: Person) -> tuple[str, datetime.timedelta]:
    if person.email:
        return SignupCode.Channel.EMAIL, EMAIL_OR_SMS_LIFETIME
    if person.mobile:
        return SignupCode.Channel.SMS, EMAIL_OR_SMS_LIFETIME
    return SignupCode.Channel.POST, LETTER_LIFETIME


def _deliver(channel: str, person: Person, code: str) -> None:
    message = (
        f"Your {settings.LANDLORD_NAME} sign-up code is {code}. It expires in 10 minutes. "
        "If you did not ask for this, you can ignore it."
    )
    if channel == SignupCode.Channel.EMAIL:
        notify.email(
            to=person.email, subject=f"Your {settings.LANDLORD_NAME} sign-up code", body=message, is_test=person.is_test
        )
    else:
        notify.text(to=person.mobile, body=message, is_test=person.is_test)


def signup_code_check(*, code_uuid: str | None, code: str) -> SignupCode | None:
    """The unused, unexpired code this is, or None. Every wrong guess counts.

    Exactly one password-hash check runs whatever happens, so the time taken
    does not tell whether the details given at the start matched a record."""
    signup_code = None
    if code_uuid:
        signup_code = SignupCode.objects.filter(uuid=code_uuid).select_related("person", "tenancy").first()
    usable = (
        signup_code is not None
        and signup_code.used_at is None
        and signup_code.expires_at > timezone.now()
        and signup_code.failed_attempts < MAX_CODE_ATTEMPTS
    )
    correct = check_password(code.strip(), signup_code.code_hash if usable and signup_code else _decoy_hash())
    if usable and correct:
        return signup_code
    if signup_code is not None:
        SignupCode.objects.filter(pk=signup_code.pk).update(failed_attempts=F("failed_attempts") + 1)
    return None


@functools.cache
def _decoy_hash() -> str:
    return make_password(secrets.token_hex(16))


def verified_code(code_uuid: object) -> SignupCode | None:
    """The code this browser proved it holds, while it is still unspent."""
    if not isinstance(code_uuid, str):
        return None
    return SignupCode.objects.filter(uuid=code_uuid, used_at__isnull=True).select_related("person").first()


def sign_in_name_for(person: Person) -> str:
    """The email or mobile on record, unless another account already uses it
    (joint tenants may share one): then the person's customer reference."""
    for name in (person.email, person.mobile):
        if name and not User.objects.filter(username=name.lower()).exists():
            return name
    return person.housing_reference


def signup_finish(*, signup_code: SignupCode, password: str) -> User:
    """Create the resident's account and spend the code, exactly once."""
    person = signup_code.person
    with transaction.atomic():
        spent = SignupCode.objects.filter(pk=signup_code.pk, used_at__isnull=True).update(used_at=timezone.now())
        if not spent or User.objects.filter(person=person).exists():
            raise ValueError("This code has already been used.")
        for username in dict.fromkeys([sign_in_name_for(person), person.housing_reference]):
            try:
                with transaction.atomic():
                    return User.objects.create_user(
                        username=username.lower(),
                        email=person.email,
                        password=password,
                        kind=User.Kind.RESIDENT,
                        person=person,
                        first_name=person.first_name,
                        last_name=person.last_name,
                    )
            except IntegrityError:
                continue  # someone took that name a moment ago
        raise ValueError("No free sign-in name.")


def pad_to_floor(started: float) -> None:
    """Sleep until the sign-up response floor so matches and mismatches take the same time."""
    remaining = settings.SIGNUP_RESPONSE_FLOOR_MS / 1000 - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
