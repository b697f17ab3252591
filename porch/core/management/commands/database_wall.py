"""Show, print or build the database wall (porch.core.rls, ADR 0032)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from porch.core import rls


class Command(BaseCommand):
    help = (
        "List which personal-data tables PostgreSQL's row-level security walls, and why any is not yet; "
        "--sql ROLE prints the statements for the application's role, --install ROLE runs them "
        "(as the owner of the tables, after every migrate)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--sql", metavar="ROLE", help="print the statements, for review")
        what.add_argument("--install", metavar="ROLE", help="run them on this database")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sql"]:
            self.stdout.write(";\n".join(rls.install_sql(options["sql"])) + ";")
        elif options["install"]:
            if connection.vendor != "postgresql":
                raise CommandError(
                    "Row-level security needs PostgreSQL: on SQLite the application's rule is the only one."
                )
            rls.install(connection, options["install"])
            self.stdout.write(f"Walled {len(rls.plan()[0])} tables for {options['install']}.")
        else:
            self._plan()

    def _plan(self) -> None:
        walls, unwalled = rls.plan()
        for wall in walls:
            keys = ", ".join(f"{column} in {array}" for column, array in wall.keys) or "staff only"
            readers = f"; staff: {', '.join(wall.staff_readers)}" if wall.staff_readers else ""
            self.stdout.write(f"walled   {wall.model}: {keys}{readers}")
        for model in unwalled:
            self.stdout.write(f"not yet  {model.model}: {model.why}")
