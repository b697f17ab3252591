"""manage.py seed_demo --homes N [--seed S] [--if-empty]: synthetic demo data (DEBUG only)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from porch.demo import seed as demo


class Command(BaseCommand):
    help = "Load synthetic demo data: homes, households, documents and the named demo logins (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--homes", type=int, default=1_000, help="How many homes to make (default 1,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed makes the same data.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if demo data is already loaded.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is only for development: set DEBUG=1")
        self.verbosity = options["verbosity"]
        if options["if_empty"] and demo.is_loaded():
            self.stdout.write("Demo data is already loaded: nothing to do.")
            return
        started = time.monotonic()
        try:
            summary = demo.seed(options["homes"], options["seed"], say=self._progress)
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} seconds."))
        self.stdout.write(", ".join(f"{count:,} {name}" for name, count in summary.counts.items()))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        self._table(
            ["Username", "Role", "Demonstrates"],
            [[login.username, login.role, login.demonstrates] for login in summary.logins],
        )
        self.stdout.write(
            "Staff and contractors sign in with two-factor: get the current code with `make demo-code WHO=dpo` (or another username)."
        )
        self.stdout.write("")
        self.stdout.write("Sign-up test identities (not signed up yet):")
        self._table(
            ["Name", "Tenancy reference", "Date of birth", "Postcode", "Contact"],
            [[s.name, s.reference, s.date_of_birth.isoformat(), s.postcode, s.contact] for s in summary.signups],
        )

    def _progress(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(message)

    def _table(self, headings: list[str], rows: list[list[str]]) -> None:
        widths = [max(len(str(cell)) for cell in column) for column in zip(headings, *rows, strict=False)]
        for i, row in enumerate([headings, *rows]):
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
            if i == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
