"""Write the housing system API's OpenAPI schema to docs/feed-api.openapi.json, from the code.

manage.py feed_api_schema           write it
manage.py feed_api_schema --check   fail if the committed file is not current"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from porch.integrations.api import schema

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "feed-api.openapi.json"


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the housing system API's OpenAPI schema to docs/feed-api.openapi.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if the file is not current; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = schema_text()
        if options["check"]:
            current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
            if current != text:
                raise CommandError(f"{SCHEMA_FILE.name} is not current: run manage.py feed_api_schema.")
            self.stdout.write(f"{SCHEMA_FILE.name} is current.")
            return
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {SCHEMA_FILE.name}.")
