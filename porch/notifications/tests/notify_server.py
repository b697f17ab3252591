"""GOV.UK Notify's API on 127.0.0.1, as its documentation describes it: POST
/v2/notifications/sms and /v2/notifications/email with a JSON body, a bearer JWT (HS256,
signed with the API key's secret, `iss` the service id, `iat` within 30 seconds of now),
201 with the new notification on success, and `{"status_code", "errors": [{"error",
"message"}]}` otherwise."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"porch_loopback-{SERVICE_ID}-{SECRET}"
SMS_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
EMAIL_TEMPLATE = "a3a2d5a7-7a4b-4b5c-9f7e-2f9a3a2e1a10"
FIELDS = {"/v2/notifications/sms": "phone_number", "/v2/notifications/email": "email_address"}
TEMPLATES = {"/v2/notifications/sms": SMS_TEMPLATE, "/v2/notifications/email": EMAIL_TEMPLATE}


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def token_error(header: str) -> str:
    """Why Notify would refuse this Authorization header, or "" if it would not."""
    if not header.startswith("Bearer "):
        return "Unauthorized: authentication token must be provided"
    try:
        head, claims, signature = header.removeprefix("Bearer ").split(".")
        expected = hmac.new(SECRET.encode(), f"{head}.{claims}".encode(), hashlib.sha256).digest()
        if json.loads(_unb64(head)).get("alg") != "HS256" or not hmac.compare_digest(_unb64(signature), expected):
            return "Invalid token: signature, api token not found"
        payload = json.loads(_unb64(claims))
    except ValueError:
        return "Invalid token: signature, api token not found"
    if payload.get("iss") != SERVICE_ID:
        return "Invalid token: service not found"
    if abs(time.time() - int(payload.get("iat", 0))) > 30:
        return "Error: Your system clock must be accurate to within 30 seconds"
    return ""


@dataclass
class NotifyServer:
    url: str = ""
    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    # While set, every request is answered with this status (Notify having a bad day).
    failing_with: int | None = None

    def texts(self) -> list[dict[str, Any]]:
        return [body for path, body in self.sent if path.endswith("/sms")]

    def emails(self) -> list[dict[str, Any]]:
        return [body for path, body in self.sent if path.endswith("/email")]


@contextmanager
def notify_server() -> Iterator[NotifyServer]:
    state = NotifyServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            if self.path not in FIELDS:
                return self._answer(404, error("ResourceNotFound", "Not found", 404))
            why = token_error(self.headers.get("Authorization", ""))
            if why:
                state.refused.append(why)
                return self._answer(403, error("AuthError", why, 403))
            if state.failing_with is not None:
                return self._answer(state.failing_with, error("Exception", "Internal server error", state.failing_with))
            if not body.get(FIELDS[self.path]) or body.get("template_id") != TEMPLATES[self.path]:
                return self._answer(400, error("BadRequestError", f"{FIELDS[self.path]} is a required property", 400))
            state.sent.append((self.path, body))
            return self._answer(201, {"id": str(uuid.uuid4()), "reference": body.get("reference")})

        def _answer(self, status: int, answer: dict[str, Any]) -> None:
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def error(kind: str, message: str, status: int) -> dict[str, Any]:
    return {"status_code": status, "errors": [{"error": kind, "message": message}]}
