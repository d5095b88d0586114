"""Pages opened without a login: a team's join link, the team's own page, the projector.

Each one is opened by a secret it carries (a signed join token, the phone's credential cookie,
the display token) and shows nothing else: a team credential opens only its own team page.
"""
from flask import Blueprint, abort, make_response, redirect, render_template, url_for

from contest_setup import joining, service
from contest_setup.models import Contest

bp = Blueprint("contest_public", __name__)

DISPLAY_REFRESH_SECONDS = 10
"""The join screen reloads itself so ticks appear until the live layer pushes them."""


@bp.route("/join/<token>")
def join(token: str):
    """Bind this phone to the team of the link, then open the team page.

    A phone already bound to this team at its current version is not counted again, so a
    reload of the link does not look like a second phone.
    """
    team = joining.team_for_join_token(token)
    if team is None:
        return render_template("team/invalid.html", reason="link"), 404
    response = make_response(redirect(url_for(".team_page")))
    current = joining.team_from_request()
    if current is None or current.id != team.id:
        joining.bind_phone(team, response)
    return response


@bp.route("/team")
def team_page():
    """The page of the team this phone is bound to; refused when unbound or revoked."""
    team = joining.team_from_request()
    if team is None:
        return render_template("team/invalid.html", reason="phone"), 403
    return render_template("team/phone.html", team=team, contest=team.contest)


@bp.route("/display/<int:contest_id>/<token>")
def display(contest_id: int, token: str):
    """The projector page: the join screen (QR code, name, seat, tick per team) until the start, then the live contest."""
    contest = service.get_contest(contest_id)
    if contest is None or not joining.display_token_matches(contest, token):
        abort(404)
    return render_template(
        "display/live.html",
        contest=contest,
        cards=_join_cards(contest),
        refresh=DISPLAY_REFRESH_SECONDS,
    )


def _join_cards(contest: Contest) -> list[dict]:
    """What the join screen shows per team, in seat order."""
    base = joining.public_base_url()
    return [
        {"team": team, "qr": joining.qr_svg(joining.join_url(team, base))}
        for team in contest.teams_by_seat
    ]
