"""The pages of the live contest: the host console and its buzzer station (a login), a bound phone's
team page (its credential cookie), the projector (its display token), and the protocol names for
their scripts."""
from flask import Blueprint, Response, render_template

from accounts.models import Role
from contest_setup import joining
from contest_setup.models import Contest
from contest_setup.pages import contest_page, displayed_contest_or_404
from live.protocol import as_javascript
from web import words

bp = Blueprint("live", __name__)

DISPLAY_REFRESH_SECONDS = 10
"""The join screen reloads itself so ticks appear until the live layer pushes them."""


@bp.route("/host/<int:contest_id>")
@contest_page(Role.HOST)
def host_console(contest: Contest):
    """The host console of a contest (its organizer, its assigned hosts, the site admin)."""
    return render_template("host/console.html", contest=contest)


@bp.route("/host/<int:contest_id>/station")
@contest_page(Role.HOST)
def buzzer_station(contest: Contest):
    """The buzzer station of a contest: reads a hardware buzzer box's keys (live.station)."""
    return render_template("host/station.html", contest=contest)


@bp.route("/team")
def team_page():
    """The page of the team this phone is bound to; refused when unbound or revoked."""
    team = joining.team_from_request()
    if team is None:
        return render_template("team/invalid.html", reason="phone"), 403
    return render_template("team/phone.html", team=team, contest=team.contest)


@bp.route("/display/<int:contest_id>/<token>")
def display(contest_id: int, token: str):
    """The projector page: the join screen (QR code, name, seat, tick per team) until the start, then the live contest.

    Once the contest has started the page carries no join codes, unless the organizer shows them
    again: whoever holds the display link must not collect every team's join link.
    """
    contest = displayed_contest_or_404(contest_id, token)
    return render_template(
        "display/live.html",
        contest=contest,
        cards=joining.join_cards(contest),
        codes_shown=joining.join_codes_visible(contest),
        refresh=DISPLAY_REFRESH_SECONDS,
    )


@bp.route("/live/protocol.js")
def protocol_module():
    """The event names of docs/protocol.md as an ES module, generated from live/protocol.py."""
    return Response(as_javascript(), mimetype="text/javascript", headers={"Cache-Control": "no-cache"})


@bp.route("/live/words.js")
def words_module():
    """The verdict words of web/words.py as an ES module: the pages say what the reports say."""
    return Response(words.as_javascript(), mimetype="text/javascript", headers={"Cache-Control": "no-cache"})
