"""Sign in with what the sign-in page asks for.

The page asks for an email address, mobile number or customer reference, so
any of them finds the account, written any common way: the sign-in name given
at sign-up, the email address in any case, the mobile number with any spacing
or as +44, and the customer reference with any spacing or case. Staff sign in
with their username as before.

Joint tenants may share an email address or mobile number. A name that fits
more than one account finds none (we never guess which person is signing in)
unless it is exactly one account's sign-in name; each of them can always use
their own customer reference.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import HttpRequest

from porch.accounts.models import User
from porch.core.phones import normalise_phone
from porch.housing.models import Person, normalise_reference


def canonical_name(typed: str) -> str:
    """One spelling for every way of typing a name, to count attempts at it."""
    return normalise_phone(typed) or re.sub(r"\s+", "", typed).lower()


def account_for(typed: str) -> User | None:
    """The one account the name typed belongs to, or None if it fits none or several."""
    name = typed.strip()
    if not name:
        return None
    # Sign-in names are stored in lower case (sign-up and the staff commands lower them).
    exact = User.objects.filter(username=name.lower()).first()
    if exact is not None:
        return exact
    found = _residents_known_as(name)
    if "@" in name:
        found += _others_with_email(name)
    return found[0] if len(found) == 1 else None


def _residents_known_as(name: str) -> list[User]:
    """Residents whose customer reference, email address or mobile number this is, found by
    their housing record (where their details are kept up to date): indexed look-ups on
    the people table, then the account of each person found."""
    people = Q(housing_reference=normalise_reference(name))  # kept in capitals, without spaces
    if "@" in name:
        people |= Q(email_lower=name.lower())
    phone = normalise_phone(name)
    if phone:
        people |= Q(mobile_normalised=phone)
    known = Person.objects.annotate(email_lower=Lower("email")).filter(people).values("id")
    return list(User.objects.filter(kind=User.Kind.RESIDENT, person_id__in=known)[:2])


def accounts_with_email(email: str) -> list[User]:
    """Active accounts whose email address this is, as the sign-in name lookups read it:
    residents by their housing record (where an approved change lands), everyone else by
    their account. At most three: enough to tell one from several."""
    residents = Person.objects.annotate(email_lower=Lower("email")).filter(email_lower=email.strip().lower())
    found = list(User.objects.filter(kind=User.Kind.RESIDENT, is_active=True, person__in=residents)[:3])
    others = [user for user in _others_with_email(email.strip()) if user.is_active]
    return (found + others)[:3]


def _others_with_email(name: str) -> list[User]:
    """Staff and contractors, by the email address on their account."""
    return list(
        User.objects.exclude(kind=User.Kind.RESIDENT)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=name.lower())[:2]
    )


class SignInNameBackend(ModelBackend):
    """Django's ModelBackend, finding the account with account_for()."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        user = account_for(username)
        if user is None:
            # Hash once anyway, as ModelBackend does, so an unknown or shared name
            # takes as long to refuse as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
