"""Every response's headers pass through here on their way out: one pure ASGI middleware, two rewrites.

``secure`` adds the content-security policy and friends (pages also get ``Cache-Control: no-store``);
``relative_redirects`` makes each ``Location`` a path on this site (see ``review.redirects``).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from review.redirects import relative_location

Headers = list[tuple[bytes, bytes]]
Rewrite = Callable[[Scope, Headers], Headers]

SECURITY_HEADERS: Headers = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


def secure(scope: Scope, headers: Headers) -> Headers:
    """The security headers; ``no-store`` on everything but static files."""
    static = str(scope.get("path", "")).startswith("/static/")
    return headers + SECURITY_HEADERS + ([] if static else [(b"cache-control", b"no-store")])


def relative_redirects(_: Scope, headers: Headers) -> Headers:
    """Each ``Location`` made relative, so no redirect names a host taken from the request."""
    return [
        (name, relative_location(value.decode("latin-1")).encode("latin-1") if name.lower() == b"location" else value)
        for name, value in headers
    ]


class ResponseHeaders:
    """Pure ASGI middleware applying ``rewrite`` to the headers of every HTTP response start."""

    def __init__(self, app: ASGIApp, rewrite: Rewrite) -> None:
        self.app = app
        self.rewrite = rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_rewritten(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self.rewrite(scope, list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, send_rewritten)
