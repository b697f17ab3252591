from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from porch.rollout.isolation_check import HOUSEHOLDS, isolation_check_run


class Command(BaseCommand):
    help = "Run the canary crawl with synthetic test households against this installation and record the result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--households", type=int, default=HOUSEHOLDS, help="how many test households to crawl (at least 2)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["households"] < 2:
            raise CommandError("The check needs at least 2 test households.")
        run = isolation_check_run(households_wanted=options["households"])
        summary = f"{run.households} test households, {run.residents} residents crawled"
        if not run.passed:
            self.stderr.write(run.leaks)
            raise CommandError(f"Isolation check FAILED: another household's data reached a resident ({summary}).")
        self.stdout.write(self.style.SUCCESS(f"Isolation check passed: {summary}."))
