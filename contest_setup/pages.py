"""Loading the contest a URL names, for every page of one contest: the one place that answers 404
for a contest that does not exist and 403 for one that is not the user's.

Organizer pages (:mod:`contest_setup.routes`), the host console (:mod:`live.routes`) and the
results (:mod:`results.routes`) wrap their views with :func:`contest_page`; the projector's pages,
opened by their display token rather than a login, use :func:`displayed_contest_or_404`.
"""
from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from accounts.access import roles_required
from accounts.models import Role
from contest_setup import joining, ownership, service
from contest_setup.models import Contest


def contest_or_404(contest_id: int) -> Contest:
    """The contest of the URL, or 404."""
    contest = service.get_contest(contest_id)
    if contest is None:
        abort(404)
    return contest


def displayed_contest_or_404(contest_id: int, token: str) -> Contest:
    """The contest whose projector ``token`` opens, or 404 (a wrong token reveals nothing more)."""
    contest = service.get_contest(contest_id)
    if contest is None or not joining.display_token_matches(contest, token):
        abort(404)
    return contest


def contest_page(role: str) -> Callable:
    """A view of one contest for ``role``: loads it (or 404s), refuses (403) a contest that is not the
    user's (organizers' pages need the contest's owner, hosts' pages a contest they may host) and
    passes it to the view as its first argument."""
    allowed = ownership.may_manage if role == Role.ORGANIZER else ownership.may_host

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @roles_required(role)
        def wrapper(contest_id: int, **kwargs):
            """Load the contest of the URL and hand it to the view."""
            contest = contest_or_404(contest_id)
            ownership.require(allowed(current_user, contest))
            return view(contest, **kwargs)

        return wrapper

    return decorator
