"""Redirects never name a host: a ``Location`` is made relative before it leaves the app.

Starlette builds its trailing-slash redirects (``/login/`` → ``/login``, ``/static`` → ``/static/``)
from the request's ``Host`` header, so anyone who can set that header could send a reviewer's
browser to a host of their choosing. The review UI only ever redirects within itself, so the
response-header middleware (``review.response_headers``) keeps the path, query and fragment and
drops scheme and host.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def relative_location(location: str) -> str:
    """``location`` as a path on this site: ``//host`` or ``/\\host`` collapse to one leading slash."""
    parts = urlsplit(location)
    path = "/" + parts.path.lstrip("/\\")
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return path + query + fragment
