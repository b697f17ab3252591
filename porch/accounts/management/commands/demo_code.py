"""manage.py demo_code <username>: the current two-factor code of a demo staff user (DEBUG only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current 6-digit two-factor code of a demo staff user (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="For example housing.north@demo.porch.test")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo codes are only for development: set DEBUG=1")
        username = options["username"]
        if "@" not in username:
            username = f"{username}@demo.porch.test"
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(
                f"{username} has no two-step sign-in. Codes are for the demo staff logins "
                "(housing.north, housing.south, customer.services, asb, dpo, admin); residents need none. "
                "If those fail too, load the demo data with `make run`."
            )
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
