"""Password-reset emails, sent by the task worker (`manage.py db_worker`); sign-up's tasks
sit beside the code they run, in porch/accounts/signup.py.

Requests only queue these, after their transaction commits, so a response never
waits on the mail server or SMS gateway and its timing cannot show whether the
details given belong to someone. Tasks carry ids, never codes, addresses or links:
the worker reads the contact details on record when it sends."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from porch.accounts.models import User
from porch.core import notify

RESET_EMAIL_SUBJECT_TEMPLATE = "accounts/email/password_reset_subject.txt"
RESET_EMAIL_BODY_TEMPLATE = "accounts/email/password_reset.txt"


@task()
def password_reset_send(
    user_id: int,
    subject_template_name: str = RESET_EMAIL_SUBJECT_TEMPLATE,
    email_template_name: str = RESET_EMAIL_BODY_TEMPLATE,
) -> bool:
    """Email a reset link to the account's address on record, if it may still reset its password.

    The link is made here, so it lasts PASSWORD_RESET_TIMEOUT from when it is sent."""
    user = User.objects.filter(pk=user_id, is_active=True).select_related("person").first()
    address = reset_address(user) if user is not None else ""
    if user is None or not address or not user.has_usable_password():
        return False
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "landlord_name": settings.LANDLORD_NAME,
        "landlord_phone": settings.LANDLORD_PHONE,
        "reset_url": notify.portal_link(path),
        "hours": max(settings.PASSWORD_RESET_TIMEOUT // 3600, 1),
    }
    subject = "".join(render_to_string(subject_template_name, context).splitlines())
    body = render_to_string(email_template_name, context)
    notify.email(to=address, subject=subject, body=body, is_test=user.is_test)
    return True


@task()
def password_reset_shared_send(user_ids: list[int]) -> bool:
    """The notice for an address that more than one account uses: no link, call us instead."""
    users = list(User.objects.filter(pk__in=user_ids, is_active=True).select_related("person"))
    address = next((reset_address(user) for user in users if reset_address(user)), "")
    if not address:
        return False
    body = (
        f"Someone asked to reset the password of an account with {settings.LANDLORD_NAME} that uses this "
        "email address.\n\nMore than one account uses this email address, so we cannot send a link to reset "
        f"a password to it. Call us on {settings.LANDLORD_PHONE} and we will help you. You can also sign in "
        "with your customer reference if you know your password.\n\n"
        "If you did not ask for this, you can ignore this email."
    )
    subject = f"Resetting your {settings.LANDLORD_NAME} password"
    notify.email(to=address, subject=subject, body=body, is_test=any(user.is_test for user in users))
    return True


def reset_address(user: User) -> str:
    """Where a reset link goes: a resident's email on their housing record, anyone else's on their account."""
    if user.kind == User.Kind.RESIDENT and user.person is not None:
        return user.person.email
    return user.email
