"""A real housing management system webhook on 127.0.0.1, for delivery tests: it records
every request as it arrived (headers and the body's exact bytes) and answers from a script."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET = "a-shared-secret-of-the-housing-system-0123456789"


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        """The HMS's own check, as docs/outbox.md tells it to make it."""
        timestamp = self.headers["Porch-Timestamp"]
        expected = hmac.new(secret.encode(), timestamp.encode() + b"." + self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(self.headers["Porch-Signature"], f"sha256={expected}")


@dataclass
class Hms:
    """Answers with each status of `answers` in turn, then `then` for ever after. A POST
    waits `delay` seconds before answering (longer than the portal waits: a timeout)."""

    answers: list[int] = field(default_factory=list)
    then: int = 200
    delay: float = 0.0
    redirect_to: str = ""
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def next_answer(self) -> int:
        return self.answers.pop(0) if self.answers else self.then

    def posts(self) -> list[Received]:
        return [request for request in self.received if request.method == "POST"]


@contextmanager
def hms_server(hms: Hms | None = None) -> Iterator[Hms]:
    hms = hms or Hms()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            hms.received.append(Received("POST", self.path, dict(self.headers.items()), self.rfile.read(length)))
            if hms.delay:
                time.sleep(hms.delay)
            answer = hms.next_answer()
            self.send_response(answer)
            if hms.redirect_to:
                self.send_header("Location", hms.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:  # where a redirect would lead: it must never be followed
            hms.received.append(Received("GET", self.path, dict(self.headers.items()), b""))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hms.url = f"http://127.0.0.1:{server.server_address[1]}/porch/events?token=t0ken"
    try:
        yield hms
    finally:
        server.shutdown()
        server.server_close()
