from typing import Any

from django.core.management.base import BaseCommand

from porch.rollout.invitations import STALLED_AFTER, resume_stalled


class Command(BaseCommand):
    help = (
        "Start sending a cohort's invitations again where the task worker stopped mid-batch (killed or "
        f"restarted): run it every few minutes from cron. A cohort is resumed when none of its invitations "
        f"was claimed for {int(STALLED_AFTER.total_seconds() // 60)} minutes and the hourly cap has room."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        resumed = resume_stalled()
        names = ", ".join(cohort.name for cohort in resumed) or "none"
        self.stdout.write(f"Invitations resumed for {len(resumed)} cohort(s): {names}.")
