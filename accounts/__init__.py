"""Accounts of the people who run a contest: admins, organizers and hosts (team phones use join links)."""
from flask import Flask


def register(app: Flask) -> None:
    """Register the login pages, the account list, the ``user`` command group, its home tile and the demo warning."""
    from accounts import sessions  # noqa: F401  (registers the session loader)
    from accounts.cli import user_cli
    from accounts.exposure import demo_warning
    from accounts.models import Role
    from accounts.routes import bp
    from web.dashboard import HomeLink, add_home_link

    app.register_blueprint(bp)
    app.cli.add_command(user_cli)
    app.context_processor(lambda: {"demo_warning": demo_warning})
    add_home_link(app, HomeLink("账号管理", "账号的创建、停用与删除", "accounts.users", (Role.ORGANIZER,)))
