"""Accounts of the people who run a contest: organizers and hosts (team phones use join links)."""
from flask import Flask


def register(app: Flask) -> None:
    """Register the login pages, the account list, the ``user`` command group and its home tile."""
    from accounts.cli import user_cli
    from accounts.models import Role
    from accounts.routes import bp
    from dashboard import HomeLink, add_home_link

    app.register_blueprint(bp)
    app.cli.add_command(user_cli)
    add_home_link(app, HomeLink("账号管理", "组织者与主持人的账号", "accounts.users", (Role.ORGANIZER,)))
