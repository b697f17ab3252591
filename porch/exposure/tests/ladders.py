"""The role ladders of the exposure report's run pages, for the route sweep
(tests/test_route_sweep.py). The older exposure pages keep theirs in the sweep's own table;
the spreadsheets moved under a run, so their ladders here replace the ones there."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from porch.exposure.models import ExposureRun
from tests.ladders import Ladder


def a_run(cast: Any) -> str:
    """A week's report the DPO asked for, still waiting for the worker."""
    now = timezone.now()
    run = ExposureRun.objects.create(
        requested_by=cast.staff["dpo"],
        idempotency_key=uuid.uuid4(),
        start=now - datetime.timedelta(days=7),
        end=now,
    )
    return str(run.uuid)


LADDERS = {
    "exposure:run": Ladder(right="staff:dpo", wrong="staff:cs", code=a_run),
    # A recent password first (302), for the right actor; others are refused before that.
    "exposure:people_csv": Ladder(right="staff:dpo", wrong="staff:cs", code=a_run, get_status=302),
    "exposure:recipients_csv": Ladder(right="staff:dpo", wrong="staff:admin", code=a_run, get_status=302),
    "exposure:run_retry": Ladder(right="staff:dpo", wrong="staff:north", code=a_run, get_status=405),
}
