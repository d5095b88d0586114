"""Login rate limiting, in memory: password guessing is slowed down per client address.

Two limits, both over a sliding window of :data:`WINDOW_SECONDS`:

* per **address and user name**: after :data:`MAX_FAILURES` wrong passwords, that name is refused
  from that address for :data:`LOCK_SECONDS` (a success before then clears the count);
* per **address** alone: after :data:`MAX_FAILURES_PER_ADDRESS` wrong passwords for any names, the
  address is refused for :data:`LOCK_SECONDS` (so trying many names does not get round the first).

A refused attempt does not check the password at all (the answer is HTTP 429 with
``Retry-After``), so guessing cannot go on while locked. The counts live in this server process
(an attacker gains nothing by restarting it, and a restart also frees a locked-out host); with
several processes each keeps its own. The address is ``request.remote_addr``, which is the real
client only when ``TRUSTED_PROXIES`` matches the proxies in front of the server.
"""
import math
import threading
import time
from collections import deque
from collections.abc import Callable

from flask import Flask, current_app

MAX_FAILURES = 5
MAX_FAILURES_PER_ADDRESS = 20
WINDOW_SECONDS = 300
LOCK_SECONDS = 300
MAX_TRACKED_KEYS = 10_000
"""Beyond this many remembered keys, expired ones are dropped (the memory stays bounded)."""


class LoginThrottle:
    """Failure counts and locks per (address, name) and per address."""

    def __init__(self, max_failures: int = MAX_FAILURES, max_failures_per_address: int = MAX_FAILURES_PER_ADDRESS,
                 window: float = WINDOW_SECONDS, lock: float = LOCK_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.max_failures = max_failures
        self.max_failures_per_address = max_failures_per_address
        self.window = window
        self.lock_seconds = lock
        self.clock = clock
        self._failures: dict[tuple, deque[float]] = {}
        self._locked_until: dict[tuple, float] = {}
        self._mutex = threading.Lock()

    @staticmethod
    def _keys(address: str, username: str) -> tuple[tuple, tuple]:
        """The per-name key and the per-address key of an attempt."""
        return ("name", address, (username or "").strip().casefold()), ("address", address)

    def retry_after(self, address: str, username: str) -> int:
        """Seconds until this name may try again from this address; 0 when it may try now."""
        now = self.clock()
        with self._mutex:
            waits = [self._locked_until.get(key, 0) - now for key in self._keys(address, username)]
        wait = max(waits)
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, address: str, username: str) -> None:
        """Count a wrong password; lock the name (or the address) when its limit is reached."""
        now = self.clock()
        limits = (self.max_failures, self.max_failures_per_address)
        with self._mutex:
            if len(self._failures) > MAX_TRACKED_KEYS:
                self._forget_expired(now)
            for key, limit in zip(self._keys(address, username), limits):
                recent = self._failures.setdefault(key, deque())
                recent.append(now)
                while recent and recent[0] <= now - self.window:
                    recent.popleft()
                if len(recent) >= limit:
                    self._locked_until[key] = now + self.lock_seconds
                    recent.clear()

    def succeeded(self, address: str, username: str) -> None:
        """A right password clears the name's count (the address's count runs out by itself)."""
        name_key, _address_key = self._keys(address, username)
        with self._mutex:
            self._failures.pop(name_key, None)
            self._locked_until.pop(name_key, None)

    def _forget_expired(self, now: float) -> None:
        """Drop counts whose failures are all older than the window, and locks that have ended."""
        for key in [k for k, times in self._failures.items() if not times or times[-1] <= now - self.window]:
            del self._failures[key]
        for key in [k for k, until in self._locked_until.items() if until <= now]:
            del self._locked_until[key]


def login_throttle(app: Flask | None = None) -> LoginThrottle:
    """This app's throttle (each app, and so each test, has its own), configured from its settings.

    ``LOGIN_MAX_FAILURES``, ``LOGIN_MAX_FAILURES_PER_ADDRESS``, ``LOGIN_WINDOW_SECONDS`` and
    ``LOGIN_LOCK_SECONDS`` override the defaults above.
    """
    app = app or current_app._get_current_object()
    throttle = app.extensions.get("login_throttle")
    if throttle is None:
        config = app.config
        throttle = LoginThrottle(
            max_failures=int(config.get("LOGIN_MAX_FAILURES", MAX_FAILURES)),
            max_failures_per_address=int(config.get("LOGIN_MAX_FAILURES_PER_ADDRESS", MAX_FAILURES_PER_ADDRESS)),
            window=float(config.get("LOGIN_WINDOW_SECONDS", WINDOW_SECONDS)),
            lock=float(config.get("LOGIN_LOCK_SECONDS", LOCK_SECONDS)),
        )
        throttle = app.extensions.setdefault("login_throttle", throttle)
    return throttle


def locked_message(seconds: int) -> str:
    """What the login page says to a locked-out visitor, in whole minutes."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"登录失败次数过多，已暂时锁定。请 {minutes} 分钟后再试；如忘记密码，请联系组织者。"
