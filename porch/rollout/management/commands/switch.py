from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from porch.core.actor import ANONYMOUS_ACTOR
from porch.core.modules import switch_keys
from porch.rollout.switches import module_switch_off


class Command(BaseCommand):
    help = "Switch a module (or the whole portal) off for residents now. Switching on needs approval in the portal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("module", choices=sorted(switch_keys()))
        parser.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["reason"].strip():
            raise CommandError("Give a reason.")
        module_switch_off(actor=ANONYMOUS_ACTOR, module=options["module"], reason=f"command line: {options['reason']}")
        self.stdout.write(f"{options['module']} off at {timezone.now().timestamp():.3f}")
