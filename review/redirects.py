"""Redirects never name a host: a ``Location`` is made relative before it leaves the app.

Starlette builds its trailing-slash redirects (``/login/`` → ``/login``, ``/static`` → ``/static/``)
from the request's ``Host`` header, so anyone who can set that header could send a reviewer's
browser to a host of their choosing. The review UI only ever redirects within itself, so the
middleware keeps the path, query and fragment and drops scheme and host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def relative_location(location: str) -> str:
    """``location`` as a path on this site: ``//host`` or ``/\\host`` collapse to one leading slash."""
    parts = urlsplit(location)
    path = "/" + parts.path.lstrip("/\\")
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return path + query + fragment


class RelativeRedirects:
    """Pure ASGI middleware rewriting every response's ``Location`` header with ``relative_location``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_relative(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    (name, relative_location(value.decode("latin-1")).encode("latin-1"))
                    if name.lower() == b"location"
                    else (name, value)
                    for name, value in message.get("headers", [])
                ]
            await send(message)

        await self.app(scope, receive, send_relative)
