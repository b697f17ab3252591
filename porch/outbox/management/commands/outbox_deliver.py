from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from porch.outbox.delivery import DELIVERED, GAVE_UP, RETRYING, SKIPPED, deliver_due


class Command(BaseCommand):
    help = (
        "Send every update to the housing management system that is due now (run it every few minutes "
        "from cron: it catches anything the task worker missed while it was down)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=200, help="The most updates to try in one run (200).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OUTBOX_WEBHOOK_URL:
            self.stdout.write(
                "No webhook is set (OUTBOX_WEBHOOK_URL): updates wait for the housing system to collect them."
            )
            return
        outcome = deliver_due(limit=max(options["limit"], 1))
        self.stdout.write(
            f"Delivered {outcome[DELIVERED]}, failed and will try again {outcome[RETRYING]}, "
            f"gave up on {outcome[GAVE_UP]}, taken by another worker {outcome[SKIPPED]}."
        )
