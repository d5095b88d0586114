"""Pages of the live contest that need a login, and the protocol names for the pages' scripts."""
from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from accounts.access import roles_required
from accounts.models import Role
from live.protocol import as_javascript

bp = Blueprint("live", __name__)


@bp.route("/host/<int:contest_id>")
@roles_required(Role.HOST)
def host_console(contest_id: int):
    """The host console of a contest (its organizer, its assigned hosts, the site admin)."""
    from contest_setup import ownership, service

    contest = service.get_contest(contest_id)
    if contest is None:
        abort(404)
    ownership.require(ownership.may_host(current_user, contest))
    return render_template("host/console.html", contest=contest)


@bp.route("/live/protocol.js")
def protocol_module():
    """The event names of docs/protocol.md as an ES module, generated from live/protocol.py."""
    return Response(as_javascript(), mimetype="text/javascript", headers={"Cache-Control": "no-cache"})
