"""Accounts of the people who run a contest: organizers and hosts (team phones use join links)."""
from flask import Flask


def register(app: Flask) -> None:
    """Register the login pages and the ``user`` command group."""
    from accounts.cli import user_cli
    from accounts.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(user_cli)
