"""Who is signed in: passwords, the signed session cookie, CSRF, login throttling.

The cookie holds only the user's id, a CSRF token and the user's session version,
signed (itsdangerous) with the store's secret; HttpOnly, SameSite=Lax, Secure when
the console is reached over HTTPS. A visitor who is not signed in gets a cookie with
a CSRF token only, so the login form is protected as well. Changing a password or
removing a user moves the version on: every cookie signed before stops working.

Hashing is argon2id (argon2-cffi). The console's sign-in runs it on its own worker
with a budget (``HASHING``), never on the event loop nor in the pages' thread pool.
Failed sign-ins are delayed per account at an address, per account and per address
(``Throttle``); signing out moves the user's session version on, so a copied cookie
stops working on the server's side.
"""

from __future__ import annotations

import asyncio
import hmac
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "nhacviec_console"
MAX_AGE = 12 * 3600  # a working day; then sign in again
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
T = TypeVar("T")

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


@dataclass(frozen=True)
class Rule:
    """After ``limit`` failures within ``window`` seconds, each try waits: ``first``
    seconds after the last failure, twice as long for each failure more, at most ``most``.
    A delay, never a lock: the wait ends, and refused tries are not counted."""

    limit: int
    window: float
    first: float
    most: float

    def wait(self, failures: deque[float], now: float) -> float:
        if len(failures) < self.limit:
            return 0.0
        delay: float = min(self.most, self.first * 2 ** (len(failures) - self.limit))
        return max(0.0, failures[-1] + delay - now)


# One account from one address: the clerk who forgot the password (or a guesser).
ACCOUNT_AT_ADDRESS = Rule(limit=5, window=900.0, first=30.0, most=900.0)
# One account from anywhere: guesses spread over many addresses. Short delays only, so
# an attacker elsewhere can never keep the owner out for more than a minute.
ACCOUNT = Rule(limit=20, window=900.0, first=2.0, most=60.0)
# One address, any account: an office sits behind one NAT, so much higher.
ADDRESS = Rule(limit=100, window=900.0, first=30.0, most=900.0)


class Throttle:
    """Failed sign-ins counted per account at an address, per account, per address
    (``ACCOUNT_AT_ADDRESS``, ``ACCOUNT``, ``ADDRESS``): one clerk's mistakes or one
    attacker never lock another account behind the same address, nor the account
    from every address."""

    def __init__(
        self,
        clock: Any = time.monotonic,
        rules: tuple[Rule, Rule, Rule] = (ACCOUNT_AT_ADDRESS, ACCOUNT, ADDRESS),
    ) -> None:
        self.clock = clock
        self.rules = rules
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(login: str, address: str) -> tuple[str, str, str]:
        return f"pair:{login}\n{address}", f"login:{login}", f"ip:{address}"

    def _recent(self, key: str, window: float, now: float) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and found[0] <= now - window:
            found.popleft()
        return found

    def attempt(self, login: str, address: str) -> float:
        """Check and count a sign-in attempt as one step (as failed until ``succeeded``):
        parallel attempts cannot all pass the check before any is counted. 0 when it may
        be tried now, else how many seconds to wait."""
        now = self.clock()
        keys = self._keys(login, address)
        with self._lock:
            found = [
                self._recent(key, rule.window, now)
                for key, rule in zip(keys, self.rules, strict=True)
            ]
            wait = max(rule.wait(f, now) for rule, f in zip(self.rules, found, strict=True))
            if wait <= 0:
                for failures in found:
                    failures.append(now)
                if len(self._failures) > 10_000:  # bounded memory whatever is thrown at it
                    self._failures = {k: v for k, v in self._failures.items() if v}
            return wait

    def forget(self, login: str, address: str) -> None:
        """This attempt was not a failure (it succeeded, or was never tried)."""
        with self._lock:
            for key in self._keys(login, address):
                if found := self._failures.get(key):
                    found.pop()

    def succeeded(self, login: str, address: str) -> None:
        """The account's failures at this address are forgotten; this one was no failure."""
        self.forget(login, address)
        with self._lock:
            self._failures.pop(self._keys(login, address)[0], None)


def wait_text(seconds: float) -> str:
    """How long to wait, in words: "30 giây", "khoảng 2 phút"."""
    if seconds < 60:
        return f"{max(1, math.ceil(seconds))} giây"
    return f"khoảng {max(1, round(seconds / 60))} phút"


class HashBudget:
    """argon2 off the pages' path: its own worker threads, and at most ``waiting`` more
    hashes queued; past that a sign-in is told the server is busy, at once, hashing
    nothing. The pages' thread pool never holds a thread for a hash, so a flood of
    sign-ins never makes a signed-in page wait (argon2 uses the cores it gets: one
    worker on a small server)."""

    def __init__(self, workers: int = 1, waiting: int = 8) -> None:
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="argon2")
        self._slots = threading.BoundedSemaphore(workers + waiting)

    async def run(self, work: Callable[..., T], *args: Any) -> T | None:
        """``work(*args)`` on the hashing worker; None when the budget is spent."""
        if not self._slots.acquire(blocking=False):
            return None
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, work, *args)
        finally:
            self._slots.release()


HASHING = HashBudget()  # the process's cores: one budget for every console it serves
