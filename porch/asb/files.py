"""An evidence file, sent so no browser runs it: always as an attachment (never played or shown
inline), its own type (a photo re-encoded, a recording checked by its structure), no sniffing,
and a policy that forbids everything if it were ever opened as a page. Found through access.py
and audited by the caller."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.http import FileResponse

from porch.asb.models import AsbEvidence
from porch.core.files import sealed_file_response


def evidence_response(evidence: AsbEvidence) -> FileResponse:
    # The stored name's extension is the one the content check chose (evidence_name).
    extension = PurePosixPath(evidence.file.name or "").suffix or ".bin"
    return sealed_file_response(
        evidence.file,
        filename=f"asb-{evidence.case.reference}-{evidence.kind_label.replace(' ', '-')}{extension}",
        content_type=evidence.content_type,
        attachment=True,
    )
