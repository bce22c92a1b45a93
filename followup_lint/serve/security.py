"""What keeps `followup-lint serve` a private page on the user's own machine.

* Bound to loopback (127.0.0.1 and ::1) unless the user asks otherwise (see command.py).
* A random per-run token, in the URL the command prints and opens, on every /api/ call
  (header `X-Followup-Token`), compared in constant time.
* The Host header must name this server (a DNS-rebinding page has its own host name).
* The Origin header must be this server's on every state-changing request (and on any
  request that sends one), so another site's page cannot post to it.
* Request bodies are capped (Content-Length and the bytes actually received).
* Files: the page's own assets are a fixed list read from the package's static folder at
  start-up (nothing else under /static/ exists); drafts only by a relative path that stays
  inside the served folder after symbolic links are resolved (`folder_file`).
* Every response carries a Content-Security-Policy that allows nothing but this server:
  no CDN, fonts, frames or analytics could load even if a page tried.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import secrets
from pathlib import Path

TOKEN_HEADER = "x-followup-token"
MAX_BODY = 2_000_000  # a draft is at most 1 MB by default; JSON escaping may double it
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # the token is in the page's URL
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
SAFE_METHODS = {"GET", "HEAD"}
STATIC_DIR = Path(__file__).parent / "static"
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


def new_token() -> str:
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(hosts, port: int) -> set[str]:
    """Host header values naming this server: its addresses (and `localhost`) with the port."""
    names = set()
    for host in list(hosts) + (["localhost", "127.0.0.1", "::1"] if all(is_loopback(h) for h in hosts) else []):
        host = host.lower().strip("[]")
        shown = f"[{host}]" if ":" in host else host
        names.add(f"{shown}:{port}")
        if port == 80:
            names.add(shown)
    return names


def load_static() -> dict[str, tuple[bytes, str]]:
    """The page's assets: regular files directly in the package's static folder (no links,
    no sub-folders), read once. Requests can only ever name one of these."""
    assets = {}
    for entry in os.scandir(STATIC_DIR):
        suffix = os.path.splitext(entry.name)[1].lower()
        if entry.is_file(follow_symlinks=False) and suffix in STATIC_TYPES and not entry.name.startswith("."):
            with open(entry.path, "rb") as fh:
                assets[entry.name] = (fh.read(), STATIC_TYPES[suffix])
    return assets


class Refused(Exception):
    """A path the server will not touch; str() says why (safe to show)."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


def folder_file(folder: Path, rel, suffixes=(".txt", ".md", ".eml")) -> Path:
    """The real path of draft `rel` inside `folder`, or Refused.

    `rel` is a relative, '/'-separated path as the page got it from the folder listing;
    refused: absolute paths, '..', backslashes, NUL, hidden parts, other suffixes, and
    anything whose real path (symbolic links resolved) lies outside the folder's."""
    if not isinstance(rel, str) or not rel or len(rel) > 4096:
        raise Refused("no draft path given", 400)
    if "\0" in rel or "\\" in rel or rel.startswith(("/", "~")) or (len(rel) > 1 and rel[1] == ":"):
        raise Refused("only paths inside the served folder can be opened")
    parts = rel.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        raise Refused("only paths inside the served folder can be opened")
    if os.path.splitext(parts[-1])[1].lower() not in suffixes:
        raise Refused("only drafts (.txt, .md, .eml) can be opened")
    root = os.path.realpath(folder)
    real = os.path.realpath(os.path.join(root, *parts))
    if os.path.commonpath([root, real]) != root or real == root:
        raise Refused("that path leads outside the served folder")
    if not os.path.isfile(real):
        raise Refused("no such draft in the served folder", 404)
    return Path(real)


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


class Guard:
    """ASGI middleware: the checks above, before any route runs, and the headers on every
    response."""

    def __init__(self, app, token: str, hosts: set[str], max_body: int = MAX_BODY):
        self.app = app
        self.token = token
        self.hosts = {h.lower() for h in hosts}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self.app(scope, receive, send)
        if scope["type"] != "http":
            return  # no websockets: close without accepting

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = dict(
                    message,
                    headers=list(message.get("headers", [])) + [(k, v) for k, v in SECURITY_HEADERS if k not in names],
                )
            await send(message)

        problem = self.check(scope)
        if problem:
            return await self.refuse(send_with_headers, *problem)
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await self.refuse(send_with_headers, 413, f"request too large (limit {self.max_body} bytes)")
        if scope["method"] in SAFE_METHODS:
            return await self.app(scope, receive, send_with_headers)
        # Read the body here, counting, so a chunked upload cannot outgrow the cap either.
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return await self.refuse(send_with_headers, 413, f"request too large (limit {self.max_body} bytes)")
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send_with_headers)

    def check(self, scope) -> tuple[int, str] | None:
        host = (_header(scope, b"host") or "").lower()
        if host not in self.hosts:
            return 403, "unexpected Host header (this server only answers to its own address)"
        origin = _header(scope, b"origin")
        method = scope["method"]
        if method not in SAFE_METHODS and method != "POST":
            return 405, "method not allowed"
        if (method not in SAFE_METHODS or origin is not None) and (origin or "").lower() not in self.origins:
            return 403, "cross-origin request refused"
        if _header(scope, b"sec-fetch-site") == "cross-site":
            return 403, "cross-site request refused"
        if scope["path"].startswith("/api/"):
            given = _header(scope, TOKEN_HEADER.encode()) or ""
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return 401, "missing or wrong token: open the URL `followup-lint serve` printed"
        return None

    @staticmethod
    async def refuse(send, status: int, message: str):
        body = json.dumps({"error": message}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
