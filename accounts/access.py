"""Role checks for pages: a view decorated with :func:`roles_required` is closed to everyone else."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles: str):
    """Allow a view to logged-in users holding one of ``roles`` (organizers count as hosts)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator
