"""The server clock: the one clock every deadline of every contest is measured on.

Kept in one place so a test can move time for the whole service by replacing :func:`now_ms` here
(callers look it up as ``clock.now_ms()``).
"""
import time


def now_ms() -> int:
    """The server clock in milliseconds."""
    return int(time.time() * 1000)


PROCESS_STARTED_MS = now_ms()
"""When this server process started: a contest last written before it was left by a stopped process."""
