"""Who may reach which contest, for installations that serve several contests.

* an **organizer** owns the contests they create (``Contest.created_by``) and may prepare,
  run and read them; another organizer's contest is closed to them;
* a **host** may run, and read the results of, the contests an owner assigned them to;
* the **site admin** may do everything with every contest (and keeps contests whose owner left).

Everyone else gets 403. The role checks (:mod:`accounts.access`) come first; these say which
contests, and every page or connection that names a contest asks them.
"""
from collections.abc import Iterable

import sqlalchemy as sa
from flask import abort

from accounts.models import Role
from contest_setup.models import Contest, contest_host
from extensions import db


def may_manage(user, contest: Contest) -> bool:
    """Whether ``user`` may prepare ``contest`` and take its raw log: its owner, or the site admin."""
    return user.is_admin or (user.has_role(Role.ORGANIZER) and contest.created_by == user.id)


def may_host(user, contest: Contest) -> bool:
    """Whether ``user`` may run ``contest`` and read its results: those who manage it, and its assigned hosts."""
    if may_manage(user, contest):
        return True
    return db.session.scalar(sa.select(sa.func.count()).select_from(contest_host).where(
        contest_host.c.contest_id == contest.id, contest_host.c.user_id == user.id)) > 0


def require(allowed: bool) -> None:
    """403 unless ``allowed``."""
    if not allowed:
        abort(403)


def _reachable(user, hosting: bool):
    """The SQL condition on Contest for the contests ``user`` manages (or, with ``hosting``, may host)."""
    if user.is_admin:
        return sa.true()
    owned = Contest.created_by == user.id if user.has_role(Role.ORGANIZER) else sa.false()
    if not hosting:
        return owned
    assigned = Contest.id.in_(sa.select(contest_host.c.contest_id).where(contest_host.c.user_id == user.id))
    return sa.or_(owned, assigned)


def contests_for(user, statuses: Iterable[str] | None = None, hosting: bool = False) -> list[Contest]:
    """The contests ``user`` manages (or may host), newest first, optionally only those in ``statuses``."""
    query = sa.select(Contest).where(_reachable(user, hosting)).order_by(Contest.created_at.desc(), Contest.id.desc())
    if statuses is not None:
        query = query.where(Contest.status.in_(list(statuses)))
    return list(db.session.scalars(query))
