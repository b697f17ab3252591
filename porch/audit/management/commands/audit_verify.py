from typing import Any

from django.core.management.base import BaseCommand, CommandError

from porch.audit.verify import first_break


class Command(BaseCommand):
    help = "Check the audit log's hash chains and anchors, and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = first_break()
        if broken is not None:
            raise CommandError(str(broken))
        self.stdout.write(self.style.SUCCESS("Audit log intact."))
