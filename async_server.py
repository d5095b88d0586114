"""Choosing the green-thread server: eventlet (default), gevent (fallback) or plain threads.

This module imports only the standard library, so the entry point can use it before anything
else touches ``socket`` or ``threading``.
"""
import warnings


def silence_eventlet_notice() -> None:
    """Hide eventlet's deprecation notice (it is for us, not for the organizer); only that one."""
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")


def monkey_patch_for(async_mode: str) -> None:
    """Patch the standard library for the green-thread server that ``async_mode`` names."""
    if async_mode == "eventlet":
        silence_eventlet_notice()
        import eventlet

        eventlet.monkey_patch()
    elif async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
