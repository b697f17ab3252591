"""Two-factor authentication with django-otp: TOTP apps and recovery codes."""

from __future__ import annotations

import base64
import secrets
import uuid

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from porch.accounts.models import User

RECOVERY_CODE_COUNT = 10
PENDING_DEVICE = "porch_pending_totp_device"


def pending_totp_device(user: User, session: SessionBase) -> TOTPDevice:
    """The unconfirmed device being set up in this session: a fresh secret per
    session, so nobody who saw another session's secret can use it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=session.get(PENDING_DEVICE)).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        session[PENDING_DEVICE] = device.pk
    return device


def secret_for_display(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_device(user: User, device: TOTPDevice) -> list[str]:
    """Make the device the user's only one, issue new recovery codes, end other sessions."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
        for code in codes:
            static.token_set.create(token=code)
        user.session_stamp = uuid.uuid4()
        user.save(update_fields=["session_stamp"])
    return codes


def verify_code(user: User, code: str) -> Device | None:
    """The device that accepts this code (replays are refused by django-otp)."""
    return match_token(user, code.strip().lower().replace(" ", ""))
