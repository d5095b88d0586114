"""Choosing the green-thread server: eventlet (default), gevent (fallback) or plain threads.

This module imports only the standard library, so the entry point can use it before anything
else touches ``socket`` or ``threading``.
"""
import gc
import os
import warnings

LISTEN_BACKLOG = 1024
"""Connections the listening socket holds until the server accepts them. eventlet's default is 50
and gevent's 128: when hundreds of phones reconnect at the same moment after a restart, the kernel
drops the attempts beyond the backlog (netstat's ListenOverflows) and TCP retries them only 1, 3 or
7 seconds later (docs/reliability.md)."""


def silence_eventlet_notice() -> None:
    """Hide eventlet's deprecation notice (it is for us, not for the organizer); only that one."""
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")


def monkey_patch_for(async_mode: str) -> None:
    """Patch the standard library for the green-thread server that ``async_mode`` names."""
    if async_mode == "eventlet":
        silence_eventlet_notice()
        wait_for_postgresql_through_select()
        import eventlet

        eventlet.monkey_patch()
    elif async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    raise_listen_backlog(async_mode)


PSYCOPG_GREEN_WAIT = "wait_select"
"""The psycopg wait function that goes through ``select.select``, which eventlet replaces with its own."""


def wait_for_postgresql_through_select() -> None:
    """Make psycopg wait for PostgreSQL through the green ``select`` under eventlet.

    psycopg's C speed-ups (``psycopg-binary``) wait for the server's answer in C (``wait_c``), which
    no monkey-patching reaches: under eventlet every green thread stood still for the whole of a
    query (0 ticks of a 50 ms ticker during ``SELECT pg_sleep(1)``; docs/deployment.md). psycopg
    detects gevent's patching itself and avoids ``wait_c`` there, but not eventlet's. It reads this
    setting once, when first imported, so it is set before anything imports it.
    """
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", PSYCOPG_GREEN_WAIT)


def raise_listen_backlog(async_mode: str, backlog: int = LISTEN_BACKLOG) -> None:
    """Give the server's listening socket a backlog of ``backlog`` (Linux caps it at net.core.somaxconn)."""
    if async_mode == "eventlet":
        import functools

        import eventlet

        eventlet.listen = functools.partial(eventlet.listen, backlog=backlog)  # Flask-SocketIO's run() calls it
    elif async_mode == "gevent":
        from gevent.server import StreamServer

        StreamServer.backlog = backlog


GC_THRESHOLDS = (50_000, 20, 100)
"""Young collections every 50,000 allocations instead of 700, and older ones rarer still."""


def tune_garbage_collector() -> None:
    """Keep the garbage collector's pauses off the hall's screens.

    With a thousand phones connected, a full collection walked every object and paused the server
    for 175–380 ms, long enough to be the slowest "open" of a question. What start-up loaded
    (Flask, SQLAlchemy, templates) is frozen out of every scan, and collections run less often:
    the server's garbage is mostly short-lived messages freed by reference counting, not cycles
    (the open fan-out p99 at 1,000 phones went from 221–267 ms to 104–122 ms; docs/performance.md).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def server_options(async_mode: str, idle_timeout: float) -> dict:
    """What ``socketio.run`` passes to the server that ``async_mode`` names.

    eventlet's server accepts at most 1,024 connections at a time: raise it (MAX_CONNECTIONS,
    default 5000). It also sets each connection's timeout itself, after accept: it gets the
    connection guard's ``idle_timeout``.
    """
    if async_mode != "eventlet":
        return {}
    return {"max_size": int(os.environ.get("MAX_CONNECTIONS", "5000")), "socket_timeout": idle_timeout}


def guard_connections(async_mode: str, guard) -> None:
    """Put ``guard`` (a connection_guard.ConnectionGuard) on the accept of the server that ``async_mode`` names.

    eventlet's server ends on an accept error it does not expect (EMFILE among them), so its
    listening socket is wrapped; gevent's pauses accepting by itself after any accept error, so
    only its accepted connections go through the guard.
    """
    if async_mode == "eventlet":
        import eventlet

        from web.connection_guard import GuardedListener

        listen = eventlet.listen
        eventlet.listen = lambda *args, **kwargs: GuardedListener(listen(*args, **kwargs), guard)
    elif async_mode == "gevent":
        from gevent.server import StreamServer

        read = StreamServer.do_read

        def guarded_read(server):
            try:
                accepted = read(server)
            except OSError as error:
                guard.accept_failed(error)
                raise
            return accepted if accepted is None or guard.admit(*accepted) else None

        StreamServer.do_read = guarded_read
