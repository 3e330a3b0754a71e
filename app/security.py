"""Security headers on every response, with a strict Content-Security-Policy (no inline script or style), and the
request guard (trusted hosts, body size)."""
import html
import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import get_settings

IMPORT_PAD = "/api/v1/beheer/import"


def content_security_policy(tile_url: str) -> str:
    tile_host = ""
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        tile_host = f" {parts.scheme}://{parts.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data:{tile_host}; connect-src 'self'; font-src 'self'; "
        # The offline service worker (/sw.js) only; no blob: or other origin may start a worker.
        "worker-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, csp: str, hsts: bool) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"geolocation=(self), camera=(), microphone=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestGuardMiddleware:
    """Refuses, before any app code runs, a Host that is not ours (no Host header is echoed into redirects or links)
    and a body larger than the limit (it is never read whole into memory). Dutch answers, JSON for the API."""

    def __init__(self, app: ASGIApp, allowed_hosts: frozenset[str], max_body: int, base_url: str,
                 ruimer: dict[str, int] | None = None) -> None:
        self.app = app
        self.base_url = base_url  # named in the 400, so the visitor knows where to go instead
        self.allowed_hosts = allowed_hosts  # empty: every host (development only)
        self.max_body = max_body
        # Paths with a larger limit of their own: only the import takes a whole file.
        self.ruimer = ruimer if ruimer is not None else {IMPORT_PAD: get_settings().max_import_bytes}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = _host_name(headers.get("host", ""))
        if self.allowed_hosts and host not in self.allowed_hosts:
            await _weiger(scope, send, 400, f"Dit adres (Host) hoort niet bij deze website. Ga naar {self.base_url}.")
            return
        length = headers.get("content-length", "")
        max_body = self.ruimer.get(scope["path"], self.max_body)
        if (length.isdigit() and int(length) > max_body) or (not length and "chunked" in headers.get("transfer-encoding", "")):
            mb = max_body / 1_000_000
            await _weiger(scope, send, 413, f"Wat u stuurt is te groot. Maak het kleiner dan {mb:g} MB en probeer het opnieuw.")
            return
        received = 0

        async def counted() -> Message:
            # A client that sends more than its Content-Length said is cut off here.
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_body:
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, counted, send)


def _host_name(host: str) -> str:
    """'example.nl:8000' -> 'example.nl', '[::1]:8000' -> '::1'."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0].lower()
    return host.split(":", 1)[0].lower()


async def _weiger(scope: Scope, send: Send, status: int, melding: str) -> None:
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": melding}, ensure_ascii=False).encode()
        content_type = b"application/json"
    else:
        body = (f'<!doctype html><html lang="nl"><meta charset="utf-8"><title>Er klopt iets niet</title>'
                f"<h1>Er klopt iets niet</h1><p>{html.escape(melding)}</p>"
                '<p>Direct hulp nodig? Bel 112. Denkt u aan zelfdoding? Bel 0800-0113. '
                "Geweld thuis? Bel Veilig Thuis: 0800-2000.</p></html>").encode()
        content_type = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
