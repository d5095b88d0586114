"""Pages opened without a login: a team's join link, the team's own page, the projector.

Each one is opened by a secret it carries (a signed join token, the phone's credential cookie,
the display token) and shows nothing else: a team credential opens only its own team page.
"""
from flask import Blueprint, abort, make_response, redirect, render_template, url_for

from contest_setup import joining, service
from contest_setup.models import Contest, ContestStatus

bp = Blueprint("contest_public", __name__)

DISPLAY_REFRESH_SECONDS = 10
"""The join screen reloads itself so ticks appear until the live layer pushes them."""


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
    response = make_response(redirect(url_for(".team_page")))
    try:
        joining.bind_phone(team, response)
    except joining.PhoneLimitReached as full:
        return render_template("team/join.html", team=team, contest=team.contest, token=token, refusal=str(full)), 409
    _phones_changed(team.contest_id)
    return response


def _join_target(token: str):
    """The team of a join link, and the answer when there is nothing to bind: 404 for a dead link,
    the team page for a phone already bound to this team."""
    team = joining.team_for_join_token(token)
    if team is None:
        return None, (render_template("team/invalid.html", reason="link"), 404)
    current = joining.team_from_request()
    if current is not None and current.id == team.id:
        return team, redirect(url_for(".team_page"))
    return team, None


def _phones_changed(contest_id: int) -> None:
    """Let the host console see the team's phones as they are now."""
    from live.runtime import phones_changed

    phones_changed(contest_id)


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
    contest = service.get_contest(contest_id)
    if contest is None or not joining.display_token_matches(contest, token):
        abort(404)
    return render_template(
        "display/live.html",
        contest=contest,
        cards=_join_cards(contest),
        codes_shown=join_codes_visible(contest),
        refresh=DISPLAY_REFRESH_SECONDS,
    )


def join_codes_visible(contest: Contest) -> bool:
    """Whether the display shows the teams' join codes: before the start, or when the organizer shows them."""
    return contest.join_codes_shown or contest.status in (ContestStatus.DRAFT, ContestStatus.READY)


def _join_cards(contest: Contest) -> list[dict]:
    """What the join screen shows per team, in seat order (no QR code while the codes are hidden)."""
    base = joining.public_base_url()
    visible = join_codes_visible(contest)
    return [
        {"team": team, "qr": joining.qr_svg(joining.join_url(team, base)) if visible else None}
        for team in contest.teams_by_seat
    ]
