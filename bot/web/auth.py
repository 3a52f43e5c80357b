"""Who is signed in: passwords, the signed session cookie, CSRF, login throttling.

The cookie holds only the user's id, a CSRF token and the user's session version,
signed (itsdangerous) with the store's secret; HttpOnly, SameSite=Lax, Secure when
the console is reached over HTTPS. A visitor who is not signed in gets a cookie with
a CSRF token only, so the login form is protected as well. Changing a password or
removing a user moves the version on: every cookie signed before stops working.

Hashing is argon2id (argon2-cffi) and runs in the endpoints' thread pool, never on
the event loop.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "nhacviec_console"
MAX_AGE = 12 * 3600  # a working day; then sign in again
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

_hasher = PasswordHasher()
# argon2 takes 64 MiB a hash: a burst of sign-ins waits its turn instead of taking the
# memory (and every thread of the pool serving the pages).
_HASHING = threading.BoundedSemaphore(2)


def hash_password(password: str) -> str:
    with _HASHING:
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    with _HASHING:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


# A hash to verify against when the login does not exist: the same work either way,
# so the answer's timing does not tell which logins exist.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def burn_time(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


@dataclass
class CookieSession:
    """What the cookie carries."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    user_id: int | None = None
    version: int = 0
    flash: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"c": self.csrf}
        if self.user_id is not None:
            data["u"], data["v"] = self.user_id, self.version
        if self.flash:
            data["f"] = self.flash[:10]
        return data

    @classmethod
    def from_data(cls, data: Any) -> CookieSession | None:
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        user = data.get("u")
        flash = data.get("f", [])
        return cls(
            csrf=data["c"],
            user_id=user if isinstance(user, int) else None,
            version=int(data.get("v", 0)),
            flash=[str(f) for f in flash] if isinstance(flash, list) else [],
        )


class Signer:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="nhacviec-console")

    def dumps(self, session: CookieSession) -> str:
        return self._serializer.dumps(session.to_data())

    def loads(self, value: str | None) -> CookieSession | None:
        if not value:
            return None
        try:
            return CookieSession.from_data(self._serializer.loads(value, max_age=MAX_AGE))
        except (BadSignature, ValueError, TypeError):
            return None


def same_token(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


class Throttle:
    """Failed sign-ins, per login and per address: after ``limit`` failures within
    ``window`` seconds, that login (or address) waits until the oldest one ages out."""

    def __init__(self, limit: int = 5, window: float = 900.0, clock: Any = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def _wait(self, keys: tuple[str, ...], now: float) -> float:
        waits = [
            found[0] + self.window - now
            for key in keys
            if len(found := self._recent(key, now)) >= self.limit
        ]
        return max(waits, default=0.0)

    def attempt(self, *keys: str) -> float:
        """Check and count a sign-in attempt as one step (as failed until ``succeeded``):
        parallel attempts cannot all pass the check before any is counted. 0 when it may
        be tried now, else how long to wait."""
        now = self.clock()
        with self._lock:
            wait = self._wait(keys, now)
            if wait <= 0:
                for key in keys:
                    self._recent(key, now).append(now)
                if len(self._failures) > 10_000:  # bounded memory whatever is thrown at it
                    self._failures = {k: v for k, v in self._failures.items() if v}
            return wait

    def succeeded(self, login_key: str, *others: str) -> None:
        """The login's failures are forgotten; this attempt no longer counts for ``others``."""
        with self._lock:
            self._failures.pop(login_key, None)
            for key in others:
                if found := self._failures.get(key):
                    found.pop()
