"""The role ladders of the contractor pages of repairs (merged by ladders.py for the route sweep).
Right: a verified operative of the firm the job is assigned to. Wrong: another firm's operative
(the job is not theirs to see: 404), or a resident or staff (not a contractor page: 403)."""

from __future__ import annotations

from typing import Any

from porch.repairs.tests.contractor_cast import job, photo
from tests.ladders import Ladder


def _job(cast: Any) -> str:
    return str(job(cast.resident("alice"), "a").uuid)


def _photo(cast: Any) -> str:
    return str(photo(job(cast.resident("alice"), "a")).uuid)


LADDERS: dict[str, Ladder] = {
    "repairs:jobs": Ladder(right="contractor:a", wrong="alice"),
    "repairs:job": Ladder(right="contractor:a", wrong="contractor:b", wrong_status=404, code=_job),
    "repairs:job_visit": Ladder(right="contractor:a", wrong="contractor:b", wrong_status=404, code=_job),
    "repairs:job_note": Ladder(right="contractor:a", wrong="staff:cs", code=_job),
    "repairs:job_complete": Ladder(right="contractor:a", wrong="alice", code=_job),
    "repairs:job_accept": Ladder(right="contractor:a", wrong="alice", code=_job, get_status=405),
    "repairs:job_photo": Ladder(right="contractor:a", wrong="contractor:b", wrong_status=404, code=_photo),
}
