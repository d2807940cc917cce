"""What every response carries and every request must pass: the Host allow-list and the
security headers (a Content-Security-Policy without scripts, no framing, no type sniffing)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No page runs a script, loads anything from elsewhere or may be framed; the inline
# ``style="width: …"`` of the new-share bars and the timeline axis is the one exception.
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
_ANY_ADDRESS = {"0.0.0.0", "::", ""}  # binding every address names no host


def allowed_hosts(names: Iterable[str], bound: str) -> frozenset[str]:
    """The host names requests may use: the configured ones and the address bound, when it is a
    specific one (``--host 192.168.1.5`` is reached as ``192.168.1.5``)."""
    hosts = {n.strip().lower().strip("[]") for n in names}
    if bound.lower().strip("[]") not in _ANY_ADDRESS:
        hosts.add(bound.lower().strip("[]"))
    return frozenset(hosts)


def host_name(header: str) -> str:
    """``example.org:8000`` → ``example.org``; ``[::1]:8000`` → ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    if header.count(":") == 1:
        return header.split(":", 1)[0]
    return header


class Guard:
    """ASGI middleware: a request whose ``Host`` is not allowed gets 400 before any route runs,
    and every response gets the security headers."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        if "*" not in self.hosts and host_name(host) not in self.hosts:
            body = json.dumps({"status": 400, "error": "Bad Request",
                               "detail": "this host name is not served here (settings: web.allowed_hosts, "
                                         "storyline serve --allowed-host)"}).encode()
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode()), *HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
