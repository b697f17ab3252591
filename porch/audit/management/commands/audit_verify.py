from typing import Any

from django.core.management.base import BaseCommand, CommandError

from porch.audit.verify import first_break


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = first_break()
        if broken is not None:
            raise CommandError(f"Audit log broken at event {broken.event_id}: it {broken.problem}.")
        self.stdout.write(self.style.SUCCESS("Audit log intact."))
