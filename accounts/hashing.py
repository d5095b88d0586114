"""Password hashing that neither reveals which user names exist nor stalls the live contest.

* Every login attempt costs one hash: an unknown name is checked against a dummy hash of the same
  method, so the answer takes as long as for a real name with a wrong password.
* A hash costs tens of milliseconds of CPU (scrypt by design). Under eventlet or gevent, computed
  in the request's green thread it would stop every other connection meanwhile, so the phones'
  clocks and buzzes would wait for each login. It runs in a real thread of the green library's
  pool instead (hashlib releases the GIL while it hashes); with plain threads it runs in place.
"""
import sys
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash


def off_the_event_loop(function, *args):
    """Run ``function(*args)`` in an OS thread when a green event loop serves the app, else in place."""
    if _patched("eventlet"):
        from eventlet import tpool

        return tpool.execute(function, *args)
    if _patched("gevent"):
        import gevent

        return gevent.get_hub().threadpool.apply(function, args)
    return function(*args)


def _patched(library: str) -> bool:
    """Whether ``library`` monkey-patched this process (``app.py`` does it before anything else)."""
    if library not in sys.modules:
        return False
    if library == "eventlet":
        from eventlet import patcher

        return patcher.is_monkey_patched("socket")
    from gevent import monkey

    return monkey.is_module_patched("socket")


def hash_password(password: str, method: str) -> str:
    """A salted hash of ``password`` with ``method``, computed off the event loop."""
    return off_the_event_loop(generate_password_hash, password, method)


def password_matches(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``, checked off the event loop."""
    return off_the_event_loop(check_password_hash, stored_hash, password)


@lru_cache(maxsize=4)
def dummy_hash(method: str) -> str:
    """A hash of a random password with ``method``, for names that do not exist."""
    import secrets

    return hash_password(secrets.token_urlsafe(16), method)


def waste_a_check(password: str, method: str) -> bool:
    """Check ``password`` against the dummy hash (always False) so an unknown name costs a real check."""
    password_matches(dummy_hash(method), password)
    return False
