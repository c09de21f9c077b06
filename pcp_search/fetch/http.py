"""A polite HTTP client: one request at a time per host with a delay, a User-Agent naming the tool,
timeouts, retries with backoff on 5xx/429 (Retry-After honoured), redirects kept to the site, size
caps, and downloads that land through a temporary file and resume when the server allows it."""

from __future__ import annotations

import email.utils
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import httpx

from pcp_search import __version__ as VERSION

USER_AGENT = f"pcp-search/{VERSION} (Police and Crime Panel papers downloader; one request at a time)"
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A request that failed for good; the message is the one-line reason shown to the user."""


@dataclass
class Settings:
    """How politely and how patiently to fetch (tests shrink the waits)."""

    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 30.0  # seconds without a byte before giving up on a response
    connect_timeout: float = 10.0
    retries: int = 3  # further tries after a 5xx, a 429, a timeout or a cut connection
    backoff: float = 2.0  # first wait before a retry; doubles each time
    max_retry_wait: float = 300.0  # a Retry-After longer than this fails the request instead
    max_bytes: int = 200 * 1024 * 1024  # a document larger than this is not kept
    max_page_bytes: int = 10 * 1024 * 1024  # listing pages and web service answers
    allow_hosts: frozenset[str] = frozenset()  # other hosts redirects may lead to
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


@dataclass
class Page:
    url: str  # after redirects
    content: bytes
    content_type: str


@dataclass
class Download:
    """What a download brought: 200 with a complete temporary file, or 304 (nothing new)."""

    url: str
    status: int
    headers: dict[str, str]
    sha256: str = ""
    size: int = 0


def normalise_url(url: str) -> str:
    """Spaces and other raw characters in a link's path and query percent-encoded (ModernGov links
    carry raw spaces); an encoded URL is left as it is."""
    parts = urlsplit(url.strip())
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="=&%/:+,;@!$'()*-._~?")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path or "/", query, ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def same_site(host: str, other: str) -> bool:
    """Hosts of one site: equal, or differing only by a leading `www.`."""
    return host.removeprefix("www.") == other.removeprefix("www.")


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (now if now is not None else time.time()))


class Client:
    """One client per run; safe to share between threads (requests to one host take turns)."""

    def __init__(self, settings: Settings | None = None, site: str | None = None):
        self.settings = settings or Settings()
        self.site = site  # the host the run started on: redirects stay on it
        timeout = httpx.Timeout(self.settings.timeout, connect=self.settings.connect_timeout)
        self._http = httpx.Client(timeout=timeout, follow_redirects=False,
                                  headers={"User-Agent": self.settings.user_agent, "Accept": "*/*"})
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- rules ---------------------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        """Only http(s), and only the run's site or a host the sources file allows."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        if self.site is None:
            return True
        host = parts.hostname.lower()
        return same_site(host, self.site) or host in self.settings.allow_hosts

    def _turn(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    # -- requests ------------------------------------------------------------------------------
    @contextmanager
    def open(self, url: str, headers: dict[str, str] | None = None) -> Iterator[httpx.Response]:
        """A streamed GET after redirects (within the site) and retries; yields a 2xx/304 response.
        Raises FetchError for anything else."""
        url = normalise_url(url)
        for _ in range(MAX_REDIRECTS + 1):
            if not self.allowed(url):
                raise FetchError(f"not followed: {url} is off the site or not http(s)")
            response = self._send(url, headers or {})
            if response.status_code in REDIRECTS and response.headers.get("location"):
                target = normalise_url(urljoin(url, response.headers["location"]))
                response.close()
                if not self.allowed(target):
                    raise FetchError(f"redirected off the site to {target} (allow the host in sources.toml)")
                url = target
                continue
            if response.status_code >= 400:
                response.close()
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            try:
                yield response
            finally:
                response.close()
            return
        raise FetchError("too many redirects")

    def _send(self, url: str, headers: dict[str, str]) -> httpx.Response:
        settings, host = self.settings, host_of(url)
        for attempt in range(settings.retries + 1):
            wait = settings.backoff * 2**attempt
            with self._turn(host):
                pause = self._last.get(host, 0.0) + settings.delay - time.monotonic()
                if pause > 0:
                    settings.sleep(pause)
                try:
                    response = self._http.send(self._http.build_request("GET", url, headers=headers), stream=True)
                except httpx.TimeoutException:
                    problem = f"timed out after {settings.timeout:g}s"
                except httpx.TransportError as exc:
                    problem = f"connection failed: {exc}".splitlines()[0]
                else:
                    if response.status_code != 429 and response.status_code < 500:
                        return response
                    problem = f"HTTP {response.status_code} {response.reason_phrase}".strip()
                    told = retry_after(response.headers.get("retry-after"))
                    response.close()
                    if told is not None:
                        if told > settings.max_retry_wait:
                            raise FetchError(f"{problem}: asked to wait {told:.0f}s")
                        wait = told
                finally:
                    self._last[host] = time.monotonic()
            if attempt < settings.retries:
                settings.sleep(wait)
        raise FetchError(f"{problem} (after {settings.retries + 1} tries)")

    def page(self, url: str, retry: bool = True) -> Page:
        """A listing page or web service answer, whole (capped at max_page_bytes); `retry=False` for a
        probe whose failure only means "not here" (a web service switched off answering 500)."""
        if not retry:
            return Client.page(self._once(), url)
        for attempt in range(self.settings.retries + 1):
            with self.open(url) as response:
                try:
                    content = _read_capped(response, self.settings.max_page_bytes)
                except (httpx.TimeoutException, httpx.TransportError) as exc:
                    if attempt == self.settings.retries:
                        raise FetchError(_cut(exc)) from None
                    continue
                return Page(str(response.url), content, response.headers.get("content-type", ""))
        raise FetchError("no answer")  # pragma: no cover

    def _once(self) -> Client:
        """This client, sharing its connections and turns, with retries off."""
        clone = object.__new__(Client)
        clone.__dict__.update(self.__dict__)
        clone.settings = replace(self.settings, retries=0)
        return clone

    def download(self, url: str, part: Path, validators: dict | None = None) -> Download:
        """Stream a document into `part` (a temporary file); a cut transfer is retried and, where the
        server sent validators and takes ranges, resumed. Sends If-None-Match/If-Modified-Since when
        `validators` are given: a 304 comes back as Download(status=304)."""
        conditional = _conditional(validators)
        for attempt in range(self.settings.retries + 1):
            headers = dict(conditional)
            have, resume = _resume_point(part)
            if resume:
                headers.update({"Range": f"bytes={have}-", "If-Range": resume})
            try:
                with self.open(url, headers) as response:
                    if response.status_code == 304:
                        return Download(str(response.url), 304, dict(response.headers))
                    appending = response.status_code == 206 and bool(resume)
                    _save_resume_info(part, response)
                    size = _write(response, part, appending, self.settings.max_bytes)
                    return Download(str(response.url), 200, dict(response.headers), _sha256(part), size)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt == self.settings.retries:
                    raise FetchError(_cut(exc)) from None
                self.settings.sleep(self.settings.backoff * 2**attempt)
        raise FetchError("no answer")  # pragma: no cover


def _cut(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out while reading"
    return f"transfer cut short: {exc}".splitlines()[0]


def _read_capped(response: httpx.Response, cap: int) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise FetchError(f"larger than the {cap // 1_048_576} MB cap")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > cap:
            raise FetchError(f"larger than the {cap // 1_048_576} MB cap")
        chunks.append(chunk)
    return b"".join(chunks)


def _write(response: httpx.Response, part: Path, appending: bool, cap: int) -> int:
    length = response.headers.get("content-length", "")
    start = part.stat().st_size if appending and part.exists() else 0
    if length.isdigit() and start + int(length) > cap:
        raise FetchError(f"larger than the {cap // 1_048_576} MB cap")
    size = start
    with part.open("ab" if appending else "wb") as out:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                out.close()
                part.unlink(missing_ok=True)
                raise FetchError(f"larger than the {cap // 1_048_576} MB cap")
            out.write(chunk)
    return size


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def validators_of(headers: dict[str, str]) -> dict[str, str]:
    """The ETag and Last-Modified a server sent (ModernGov sends neither)."""
    lower = {k.lower(): v for k, v in headers.items()}
    return {name: lower[name] for name in ("etag", "last-modified") if lower.get(name)}


def _conditional(validators: dict | None) -> dict[str, str]:
    headers = {}
    if validators and validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators and validators.get("last-modified"):
        headers["If-Modified-Since"] = validators["last-modified"]
    return headers


def _info(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def _save_resume_info(part: Path, response: httpx.Response) -> None:
    """Keep what a later run needs to resume this transfer safely (a strong validator)."""
    found = validators_of(dict(response.headers))
    ranges = response.headers.get("accept-ranges", "").lower() == "bytes"
    if response.status_code == 206:
        return
    if ranges and found:
        _info(part).write_text(json.dumps(found), encoding="utf-8")
    else:
        _info(part).unlink(missing_ok=True)


def _resume_point(part: Path) -> tuple[int, str | None]:
    """(bytes already held, the If-Range value) for a transfer an earlier try left unfinished."""
    if not part.exists() or not _info(part).exists():
        return 0, None
    try:
        found = json.loads(_info(part).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0, None
    value = found.get("etag") or found.get("last-modified")
    size = part.stat().st_size
    return (size, value) if value and size else (0, None)


def discard(part: Path) -> None:
    part.unlink(missing_ok=True)
    _info(part).unlink(missing_ok=True)
