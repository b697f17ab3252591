"""Record-matched sign-up.

Details typed by the person are only ever used to find a record; the code goes
to contact details already on that record, never to anything typed.

The request only finds the record and writes down that a code is owed; the task
worker makes the code and sends it (signup_code_issue). So the answer takes the
same time whatever the mail server, SMS gateway or PDF library do, and the
plaintext code never sits in the task table.
"""

from __future__ import annotations

import datetime
import functools
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from porch.accounts.actor_parts import parts
from porch.accounts.letters import activation_letter_pdf
from porch.accounts.models import ActivationLetter, SignupCode, User
from porch.core import notify
from porch.housing.models import Membership, Person, Tenancy, normalise_postcode, normalise_reference
from porch.notifications.delivery import send_secret_once
from porch.notifications.kinds import Channel

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
    """Owe a code to a match; the task worker makes and sends it. A mismatch does nothing.

    Neither kind of request hashes, sends or builds a letter, so they do the same
    work apart from a few queries, which the response floor (pad_to_floor) covers.

    Email and text codes belong to the visit that asked for them: at most
    MAX_CODES_PER_DAY a day per person, and an earlier code is never handed to
    a new visit. A letter is different: it arrives days later, so a live letter
    code is the one to use from any visit (even before the worker has printed
    it); at most one letter is sent per LETTER_LIFETIME, after which staff help
    (the "can't sign up?" route)."""
    if match is None:
        return None
    person = match.person
    if not _rollout_open_for(match.tenancy):
        transaction.on_commit(lambda: signup_not_yet_send.enqueue(person.pk))
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
        return _owe(match, channel, lifetime)


def _owe(match: Match, channel: str, lifetime: datetime.timedelta) -> SignupCode:
    signup_code = SignupCode.objects.create(
        person=match.person,
        tenancy=match.tenancy,
        channel=channel,
        # Unusable until the worker stores the real code's hash: nothing typed matches it.
        code_hash=make_password(None),
        expires_at=timezone.now() + lifetime,
    )
    # If the worker is down, the code waits here: anything typed meanwhile fails
    # as a wrong code, and the worker sends it when it is back, unless it has
    # expired by then (the visit that asked for it is over).
    transaction.on_commit(lambda: signup_code_send.enqueue(signup_code.pk))
    return signup_code


def signup_code_issue(signup_code_id: int) -> str:
    """In the task worker: make the code, keep only its hash, and send it or put the letter in the print queue.

    A code already made is never made again, so a task run twice sends one
    code. An email or text is sent after the hash is committed, so no lock is
    held while the mail server takes its time (a code typed meanwhile is
    checked at once); if the send fails, the task fails with the error in its
    result, the code is never sent, and the person asks again. Returns what
    was done, for the task result."""
    with transaction.atomic():
        signup_code = (
            SignupCode.objects.select_for_update(of=("self",))
            .filter(pk=signup_code_id)
            .select_related("person", "tenancy__property")
            .first()
        )
        if signup_code is None or not _still_owed(signup_code):
            return "not needed"
        code = new_code()
        now = timezone.now()
        signup_code.code_hash = make_password(code)
        if signup_code.channel == SignupCode.Channel.POST:
            dated = timezone.localdate(now)
            signup_code.expires_at = _end_of(dated + LETTER_LIFETIME)
            signup_code.save(update_fields=["code_hash", "expires_at"])
            _letter(signup_code, code, dated)
            return str(signup_code.channel)
        # The message says how long the code lasts, so its life starts now.
        signup_code.expires_at = now + EMAIL_OR_SMS_LIFETIME
        signup_code.save(update_fields=["code_hash", "expires_at"])
    _deliver(signup_code.channel, signup_code.person, code)
    return str(signup_code.channel)


def _still_owed(signup_code: SignupCode) -> bool:
    """Not made yet, and still of use: unspent, not worn out by guesses, not expired, no account
    yet, and the email or mobile it was for still on record (a changed one gets it; a removed one, nothing)."""
    person = signup_code.person
    on_record = {
        SignupCode.Channel.EMAIL: bool(person.email),
        SignupCode.Channel.SMS: bool(person.mobile),
        SignupCode.Channel.POST: True,
    }[SignupCode.Channel(signup_code.channel)]
    return (
        not is_password_usable(signup_code.code_hash)
        and signup_code.used_at is None
        and signup_code.failed_attempts < MAX_CODE_ATTEMPTS
        and signup_code.expires_at > timezone.now()
        and on_record
        and not User.objects.filter(person_id=signup_code.person_id).exists()
    )


def _end_of(day: datetime.date) -> datetime.datetime:
    """A letter says "use it by" a date, so its code works to the end of that day."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _letter(signup_code: SignupCode, code: str, dated: datetime.date) -> None:
    ActivationLetter.objects.create(
        signup_code=signup_code,
        person=signup_code.person,
        tenancy=signup_code.tenancy,
        pdf=activation_letter_pdf(
            person=signup_code.person,
            tenancy=signup_code.tenancy,
            code=code,
            dated=dated,
            use_by=dated + LETTER_LIFETIME,
        ),
    )


def _rollout_open_for(tenancy: Tenancy) -> bool:
    if tenancy.is_test:
        return parts.reach_of_test_homes().in_open_cohort
    block = tenancy.property.block
    home = {
        "tenancy_id": tenancy.id,
        "tenancy__property__block_id": block.id,
        "tenancy__property__block__estate_id": block.estate_id,
        "tenancy__property__block__estate__patch_id": block.estate.patch_id,
    }
    return parts.reach_of_homes([home]).in_open_cohort


def signup_not_yet_tell(person_id: int) -> str:
    """In the task worker: the sign-up page looks the same as any other answer; the
    news that the service is not open for their home goes only to the contact details on record."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return "not needed"
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
        return "email"
    if person.mobile:
        notify.text(to=person.mobile, body=body, is_test=person.is_test)
        return "sms"
    return "not needed"


@task()
def signup_code_send(signup_code_id: int) -> str:
    """The worker's step: make and send the code a sign-up request is owed."""
    return signup_code_issue(signup_code_id)


@task()
def signup_not_yet_send(person_id: int) -> str:
    """The worker's step: tell the person the service is not open for their home yet."""
    return signup_not_yet_tell(person_id)


def _channel_for(person: Person) -> tuple[str, datetime.timedelta]:
    if person.email:
        return SignupCode.Channel.EMAIL, EMAIL_OR_SMS_LIFETIME
    if person.mobile:
        return SignupCode.Channel.SMS, EMAIL_OR_SMS_LIFETIME
    return SignupCode.Channel.POST, LETTER_LIFETIME


def _deliver(channel: str, person: Person, code: str) -> None:
    """Through the notification service's channels (ADR 0029), once: the person's notifications
    keep that a code was sent and whether it went, never the code."""
    message = (
        f"Your {settings.LANDLORD_NAME} sign-up code is {code}. It expires in 10 minutes. "
        "If you did not ask for this, you can ignore it."
    )
    by = "email" if channel == SignupCode.Channel.EMAIL else "text message"
    send_secret_once(
        person=person,
        channel=Channel.EMAIL if channel == SignupCode.Channel.EMAIL else Channel.SMS,
        subject=f"Your {settings.LANDLORD_NAME} sign-up code",
        body=message,
        said=f"We sent you a code by {by} to create your account.",
    )


def signup_code_check(*, code_uuid: str | None, code: str) -> SignupCode | None:
    """The unused, unexpired code this is, or None. Every wrong guess counts.

    Exactly one password-hash check runs whatever happens, so the time taken
    does not tell whether the details given at the start matched a record."""
    signup_code = None
    if code_uuid:
        signup_code = SignupCode.objects.filter(uuid=code_uuid).select_related("person", "tenancy").first()
    usable = (
        signup_code is not None
        and is_password_usable(signup_code.code_hash)  # a code the worker has not made yet cannot be right
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
