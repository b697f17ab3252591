"""A stored file a resident or a member of staff uploaded, sent so no browser runs it: its own
type (checked by content when it came in), no sniffing, and a policy that forbids everything if
it were ever opened as a page. The caller finds it through its app's access.py and audits it."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse


def sealed_file_response(file: FieldFile, *, filename: str, content_type: str, attachment: bool) -> FileResponse:
    response = FileResponse(file.open("rb"), as_attachment=attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
