"""HTTP conventions of an open data service: HEAD wherever GET, CORS on the public API, ETag and Cache-Control.

One pure ASGI middleware (no per-request objects), so the cheap endpoints stay cheap.
"""
import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages and data anyone may see: browsers and proxies may keep them a minute, then ask again with If-None-Match.
# A minute, because "open now" on a page changes per minute.
PUBLIC_PREFIXES = ("/api/v1/", "/zoeken", "/locaties/", "/wijken", "/over", "/favicon")
PUBLIC_CACHE = b"public, max-age=60"
# Staff pages show answers about a resident: never kept in any cache, and never readable by other sites.
STAFF_PREFIXES = ("/medewerkers", "/api/v1/statistiek", "/api/v1/beheer")


def is_staff(path: str) -> bool:
    return path.startswith(STAFF_PREFIXES)


def is_public(path: str) -> bool:
    return path == "/" or (path.startswith(PUBLIC_PREFIXES) and not is_staff(path))


def etag_of(body: bytes) -> str:
    """Weak: the same answer may be made again with other bytes (a gzip level), meaning the same."""
    return f'W/"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'


def matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" and "x" are the same."""
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


class OpenDataMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        head = scope["method"] == "HEAD"
        if head:  # answered exactly as GET, then without a body
            scope = dict(scope, method="GET")
        staff = is_staff(path)
        extra = []
        if staff:
            extra.append((b"cache-control", b"no-store"))
        elif path.startswith("/api/"):  # GET and HEAD only: the vraagwijzer's POST is not open data
            extra.append((b"access-control-allow-origin", b"*"))
        if not staff and is_public(path):
            await self.app(scope, receive, _Revalidating(send, head, extra, _header(scope, b"if-none-match")))
            return

        async def send_plain(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if staff:  # whatever the route said
                    headers = [(k, v) for k, v in headers if k != b"cache-control"]
                message["headers"] = _merge(headers, extra)
            elif head and message["type"] == "http.response.body":
                message = _without_body(message)
            if message:
                await send(message)

        await self.app(scope, receive, send_plain)


class _Revalidating:
    """Holds a 200 answer until its body is complete, adds ETag and Cache-Control, and answers 304 on a match."""

    def __init__(self, send: Send, head: bool, extra: list, if_none_match: str | None) -> None:
        self.send, self.head, self.extra, self.if_none_match = send, head, extra, if_none_match
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = _merge(message.get("headers", []), self.extra)
            if message["status"] != 200 or any(k == b"set-cookie" for k, _ in headers):
                await self.send(message | {"headers": headers})  # errors and personal answers: as they are
                return
            self.start = message | {"headers": headers}
            return
        if self.start is None or message["type"] != "http.response.body":
            if self.head and message["type"] == "http.response.body":
                message = _without_body(message)
            if message:
                await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(self.chunks)
        headers = self.start["headers"]
        names = {k for k, _ in headers}
        etag = next((v.decode() for k, v in headers if k == b"etag"), None)
        if etag is None:
            etag = etag_of(body)
            headers.append((b"etag", etag.encode()))
        if b"cache-control" not in names:
            headers.append((b"cache-control", PUBLIC_CACHE))
        if self.if_none_match and matches(self.if_none_match, etag):
            kept = [(k, v) for k, v in headers if k not in (b"content-length", b"content-type", b"content-encoding")]
            await self.send({"type": "http.response.start", "status": 304, "headers": kept})
            await self.send({"type": "http.response.body", "body": b""})
            return
        await self.send(self.start)
        await self.send({"type": "http.response.body", "body": b"" if self.head else body})


def _without_body(message: Message) -> Message | None:
    """A HEAD answer: the GET's headers (its length too), then one empty body instead of the chunks."""
    return None if message.get("more_body") else {"type": "http.response.body", "body": b""}


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k == name), None)


def _merge(headers, extra: list) -> list:
    """The route's own headers win: a route that says how it may be cached knows best."""
    headers = list(headers)
    names = {k for k, _ in headers}
    return headers + [(k, v) for k, v in extra if k not in names]
