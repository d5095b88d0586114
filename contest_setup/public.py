"""A team's join link, opened without a login: binding a phone to its team; and the branding's
stylesheet and pictures, which every branded page (some opened without a login) links.

The link carries a signed join token and shows nothing else. The pages a bound phone and the
projector then open (``/team``, ``/display``) belong to the live contest (:mod:`live.routes`).
"""
from flask import Blueprint, Response, abort, make_response, redirect, render_template, url_for

from contest_setup import branding, joining, signals

bp = Blueprint("contest_public", __name__)


@bp.route("/join/<token>")
def join(token: str):
    """The join page: the team's name and a button that binds this phone (nothing is bound on opening).

    A chat app that previews the link, or a scanner app that opens it to show its title, only
    GETs it; a phone already bound to this team goes straight to its page.
    """
    team, answer = _join_target(token)
    return answer or render_template("team/join.html", team=team, contest=team.contest, token=token)


@bp.route("/join/<token>", methods=["POST"])
def bind(token: str):
    """Bind this phone to the team of the link (the join page's button), then open the team page.

    Refused, with the reason, when the team already holds as many phones as the contest allows.
    """
    team, answer = _join_target(token)
    if answer:
        return answer
    response = make_response(redirect(url_for("live.team_page")))
    try:
        joining.bind_phone(team, response)
    except joining.PhoneLimitReached as full:
        return render_template("team/join.html", team=team, contest=team.contest, token=token, refusal=str(full)), 409
    signals.phones_changed.send(team.contest_id)
    return response


def _join_target(token: str):
    """The team of a join link, and the answer when there is nothing to bind: 404 for a dead link,
    the team page for a phone already bound to this team."""
    team = joining.team_for_join_token(token)
    if team is None:
        return None, (render_template("team/invalid.html", reason="link"), 404)
    current = joining.team_from_request()
    if current is not None and current.id == team.id:
        return team, redirect(url_for("live.team_page"))
    return team, None


@bp.route("/brand/<key>/theme.css")
def brand_css(key: str):
    """A contest's branding stylesheet (colours and background), by its current asset key."""
    row = branding.row_by_key(key)
    if row is None:
        abort(404)
    return Response(branding.theme_css(row), mimetype="text/css")


@bp.route("/brand/<key>/<any(logo, background):name>")
def brand_picture(key: str, name: str):
    """A contest's logo or background, as stored after re-encoding; 404 for an old or guessed key."""
    row = branding.row_by_key(key)
    picture = branding.picture_of(row, name) if row is not None else None
    if picture is None:
        abort(404)
    data, mimetype = picture
    return Response(data, mimetype=mimetype)
