"""The home page: after login, the links that the user's role opens."""
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from flask_login import current_user, login_required

bp = Blueprint("dashboard", __name__)


@dataclass(frozen=True)
class HomeLink:
    """One tile on the home page, shown to the roles that may use it."""

    title: str
    description: str
    endpoint: str
    roles: tuple[str, ...]


def add_home_link(app: Flask, link: HomeLink) -> None:
    """Let a part of the platform put its entry page on ``app``'s home page."""
    app.extensions.setdefault("home_links", []).append(link)


def links_for_user() -> list[dict[str, str]]:
    """The entry pages the logged-in user's role may open, as title, description and URL."""
    if not current_user.is_authenticated:
        return []
    return [
        {"title": link.title, "description": link.description, "url": url_for(link.endpoint),
         "endpoint": link.endpoint}
        for link in current_app.extensions.get("home_links", [])
        if current_user.has_role(*link.roles)
    ]


def active_link(links: list[dict[str, str]]) -> dict[str, str] | None:
    """The menu link of the section the current page belongs to.

    A page belongs to its blueprint's link (the results pages live under /contests/<id>/ but are
    成绩与审计, not 比赛设置); where a blueprint has several links, to the one whose URL starts the
    page's path, the longest such.
    """
    def starts_path(link):
        return link["url"] != "/" and request.path.startswith(link["url"])

    own = [link for link in links if link["endpoint"].split(".")[0] == request.blueprint]
    candidates = own if len(own) == 1 else [link for link in own or links if starts_path(link)]
    return max(candidates, key=lambda link: len(link["url"]), default=None)


@bp.app_context_processor
def navigation() -> dict:
    """Every page's top menu shows the same links as the home page, the current section marked."""
    return {"nav_links": links_for_user, "active_link": active_link}


@bp.route("/")
@login_required
def home():
    """List the entry pages that the logged-in user's role may open."""
    return render_template("home.html", links=links_for_user())
