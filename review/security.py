"""Sessions, CSRF tokens, password hashes and login throttling for the review UI.

Sessions are server-side (an opaque random id in an HttpOnly cookie), so logging out or
disabling a reviewer takes effect at once and the id can be rotated at login (no fixation).
They live in process memory: a restart logs everyone out, which is acceptable for a back-office
tool served by one process.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

SESSION_COOKIE = "evidence_session"
SESSION_TTL_SECONDS = 8 * 3600
_HASHER = PasswordHasher()
# A real hash to verify against when the name is unknown, so timing does not reveal which names exist.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """argon2id with the library's current parameters."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant-work check: an unknown account still costs one argon2 verification."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def tokens_equal(a: str | None, b: str | None) -> bool:
    """Compare secrets without leaking their prefix through timing."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass
class Session:
    """One browser's session: anonymous (only a CSRF token, for the login form) or logged in."""

    sid: str
    csrf: str
    reviewer_id: int | None = None
    expires: float = 0.0
    flash: tuple[str, str] | None = None
    flash_at: str = ""  # the element id the message belongs beside ("" = top of the page)

    def take_flash(self) -> tuple[str, str] | None:
        """A one-shot message for the next page (kept server-side, so no text travels in URLs)."""
        message, self.flash = self.flash, None
        return message


@dataclass
class SessionStore:
    """Opaque random ids mapped to sessions; ``rotate`` gives a logged-in session a fresh id."""

    ttl: float = SESSION_TTL_SECONDS
    max_anonymous: int = 10_000
    _sessions: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def new(self) -> Session:
        session = Session(sid=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), expires=time.time() + self.ttl)
        with self._lock:
            self._purge()
            self._cap_anonymous()
            self._sessions[session.sid] = session
        return session

    def _cap_anonymous(self) -> None:
        """Pre-login sessions cost an outsider nothing to create: keep the newest ``max_anonymous``."""
        anonymous = [sid for sid, s in self._sessions.items() if s.reviewer_id is None]
        for sid in anonymous[: max(0, len(anonymous) - self.max_anonymous + 1)]:
            del self._sessions[sid]

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            session = self._sessions.get(sid)
            if session is None or session.expires < time.time():
                self._sessions.pop(sid, None)
                return None
            session.expires = time.time() + self.ttl
            return session

    def login(self, old_sid: str | None, reviewer_id: int) -> Session:
        """Drop the pre-login session and issue a new id and CSRF token for the reviewer."""
        self.drop(old_sid)
        session = self.new()
        session.reviewer_id = reviewer_id
        return session

    def drop(self, sid: str | None) -> None:
        if sid:
            with self._lock:
                self._sessions.pop(sid, None)

    def drop_reviewer(self, reviewer_id: int) -> None:
        """End every session of a reviewer (used when an admin disables the account)."""
        with self._lock:
            for sid in [s.sid for s in self._sessions.values() if s.reviewer_id == reviewer_id]:
                del self._sessions[sid]

    def _purge(self) -> None:
        now = time.time()
        for sid in [s.sid for s in self._sessions.values() if s.expires < now]:
            del self._sessions[sid]


@dataclass
class LoginThrottle:
    """Slow repeated failed logins down, never lock an account out.

    Failures are counted per account *and client address* (guessing one reviewer's password from
    one place) and per client address (spraying many names). After ``free`` failures each further
    attempt must wait ``base * 2**k`` seconds since the last failure, capped at ``cap``: a guesser
    gets a handful of tries a minute, while an outsider elsewhere cannot keep the real reviewer
    out, and nobody is ever refused for longer than ``cap``. Counts are forgotten after ``window``.
    """

    free: int = 3
    base: float = 1.0
    cap: float = 30.0
    client_free: int = 20
    window: float = 15 * 60
    clock: Callable[[], float] = time.time
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, account: str, client: str) -> float:
        """How long this attempt must still wait (0 when it may go ahead)."""
        now = self.clock()
        with self._lock:
            return max(
                self._wait(self._recent(f"account:{account}|{client}", now), self.free, now),
                self._wait(self._recent(f"client:{client}", now), self.client_free, now),
            )

    def blocked(self, account: str, client: str) -> bool:
        return self.wait_seconds(account, client) > 0

    def failed(self, account: str, client: str) -> None:
        now = self.clock()
        with self._lock:
            self._recent(f"account:{account}|{client}", now).append(now)
            self._recent(f"client:{client}", now).append(now)

    def succeeded(self, account: str, client: str = "") -> None:
        with self._lock:
            for key in [k for k in self._failures if k.startswith(f"account:{account}|")]:
                del self._failures[key]

    def _wait(self, times: deque[float], free: int, now: float) -> float:
        if len(times) < free:
            return 0.0
        delay = min(self.cap, self.base * 2 ** (len(times) - free))
        return float(max(0.0, times[-1] + delay - now))

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] < now - self.window:
            times.popleft()
        return times
