"""A ModernGov-shaped site on 127.0.0.1, served from the recorded samples in shared/moderngov and
generated PDFs; nothing here touches the internet."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "moderngov"
SAMPLES = SHARED / "samples"


def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"ModernGov samples not found at {SAMPLES}")
    return SAMPLES


def make_pdf(text: str) -> bytes:
    """A small real PDF holding `text`."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in text.splitlines():
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


class Site:
    """Routes of a fake site: `path?query` -> (status, headers, body) or a callable(handler)."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.hits: Counter[str] = Counter()
        self.log: list[tuple[str, dict]] = []
        self.base = ""

    def add(self, path: str, body: bytes | str = b"", status: int = 200, headers: dict | None = None,
            content_type: str = "text/html; charset=utf-8") -> None:
        body = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[_key(path)] = (status, {"Content-Type": content_type, **(headers or {})}, body)

    def pdf(self, path: str, text: str, headers: dict | None = None) -> bytes:
        body = make_pdf(text)
        self.add(path, body, headers=headers, content_type="application/pdf")
        return body

    def handle(self, path: str, handler) -> None:
        self.routes[_key(path)] = handler

    def url(self, path: str) -> str:
        return self.base + path


def _key(path: str) -> str:
    """Routes match whatever way a client encodes spaces and the like."""
    return quote(unquote(path), safe="/?=&:*")


class _Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self):  # noqa: N802
        key = _key(self.path)
        self.site.hits[key] += 1
        self.site.log.append((key, dict(self.headers)))
        route = self.site.routes.get(key) or self.site.routes.get(key.split("?")[0] + "?*")
        if callable(route):
            return route(self)
        status, headers, body = route or (404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    handler = type("Handler", (_Handler,), {"site": Site()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    handler.site.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield handler.site
    server.shutdown()
    server.server_close()


@pytest.fixture
def settings():
    """Politeness shrunk for tests: no delay, quick retries, waits recorded instead of slept."""
    from pcp_search.fetch import Settings

    waits: list[float] = []
    made = Settings(delay=0.0, timeout=2.0, connect_timeout=2.0, retries=2, backoff=0.01, sleep=waits.append)
    made.waits = waits  # type: ignore[attr-defined]
    return made


def slow(seconds: float, body: bytes = b"%PDF-1.4 late"):
    def respond(handler):
        time.sleep(seconds)
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/pdf")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass
    return respond
