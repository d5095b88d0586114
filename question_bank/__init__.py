"""The question bank: import organizers' spreadsheets, keep the questions, export them again.

``formats``, ``validation``, ``export`` and ``schema`` are pure (no Flask, no database);
``models``, ``service``, ``cli`` and ``routes`` put them to work in the app.
"""
from flask import Flask


def register(app: Flask) -> None:
    """Register the pages, the ``bank`` command group and the home-page tile."""
    from web.dashboard import HomeLink, add_home_link
    from question_bank import models  # noqa: F401  (registers the tables)
    from question_bank.cli import bank_cli
    from question_bank.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(bank_cli)
    add_home_link(app, HomeLink("题库管理", "导入、浏览与导出题目", "question_bank.index", ("organizer",)))
