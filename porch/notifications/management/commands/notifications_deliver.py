from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from porch.notifications.delivery import FAILED, NO_ADDRESS, RETRYING, SENT, SKIPPED, deliver_due


class Command(BaseCommand):
    help = (
        "Send every notification whose try is due now (run it every few minutes from cron: it catches "
        "anything the task worker lost when it stopped part-way)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="The most notifications to try in one run (500).")

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = deliver_due(limit=max(options["limit"], 1))
        self.stdout.write(
            f"Sent {outcome[SENT]}, failed and will try again {outcome[RETRYING]}, gave up on {outcome[FAILED]}, "
            f"no address {outcome[NO_ADDRESS]}, taken by the worker meanwhile {outcome[SKIPPED]}."
        )
