from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from porch.accounts.services import staff_role_grant
from porch.core.roles import StaffRole


class Command(BaseCommand):
    help = "Grant a staff member a role (and optionally patches). Recorded in the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[role.value for role in StaffRole])
        parser.add_argument("--patch", action="append", default=[], help="a patch name; repeat for several")
        parser.add_argument("--reason", required=True, help="why, for the audit log")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            staff_role_grant(
                username=options["username"],
                role=options["role"],
                patch_names=options["patch"],
                reason=options["reason"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Granted {options['role']} to {options['username']}."))
