"""The home page: after login, the links that the user's role opens."""
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, render_template, url_for
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


@bp.app_context_processor
def navigation() -> dict:
    """Every page's top menu shows the same links as the home page."""
    return {"nav_links": links_for_user}


@bp.route("/")
@login_required
def home():
    """List the entry pages that the logged-in user's role may open."""
    return render_template("home.html", links=links_for_user())
