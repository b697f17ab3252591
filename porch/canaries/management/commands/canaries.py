from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from porch.canaries.known import REFRESH_SECONDS
from porch.canaries.services import canaries_install, canaries_listing

DEFAULT_COUNT = 3


class Command(BaseCommand):
    help = (
        "Canary households for the response guard. `install [--count N]` makes them until there are N; "
        "`list` shows them, with their markers (for the operator only: no page shows them)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        install = actions.add_parser("install", help="make canary households until there are --count")
        install.add_argument("--count", type=int, default=DEFAULT_COUNT)
        actions.add_parser("list", help="the canary households, their markers and their trips")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "install":
            self._install(options["count"])
        else:
            self._list()

    def _install(self, count: int) -> None:
        if count < 1:
            raise CommandError("--count must be at least 1.")
        made = canaries_install(count=count)
        self.stdout.write(f"Made {len(made)} canary household(s); there are now at least {count}.")
        self.stdout.write(f"Running servers guard new canaries within {REFRESH_SECONDS:.0f} seconds.")

    def _list(self) -> None:
        rows = canaries_listing()
        if not rows:
            self.stdout.write("No canary households. Run `manage.py canaries install`.")
            return
        self.stdout.write(
            f"{'Tenancy':<14}{'Marker':<34}{'Created':<18}{'People':>7}{'Documents':>10}{'Trips':>7}  Last trip"
        )
        for row in rows:
            last = f"{row.last_trip_at:%Y-%m-%d %H:%M}" if row.last_trip_at else "never"
            self.stdout.write(
                f"{row.reference:<14}{row.marker:<34}{row.created_at:%Y-%m-%d %H:%M}  "
                f"{row.people:>7}{row.documents:>10}{row.trips:>7}  {last}"
            )
