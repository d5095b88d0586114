"""The preliminary round (初赛): companies' employees answer online on their phones; the best
companies go on to the final, and the organisation award is decided from the data.

The pure rules live in :mod:`preliminary.settings`, :mod:`preliminary.paper`,
:mod:`preliminary.scoring`, :mod:`preliminary.standings` and :mod:`preliminary.awards`; the
tables in :mod:`preliminary.models`; what pages do in :mod:`preliminary.service`. See
docs/preliminary.md.
"""
from flask import Flask


def register(app: Flask) -> None:
    """Register the organizer pages, the phone and projector pages and the home tile."""
    from accounts.models import Role
    from contest_setup.cli import demo_ready
    from web.dashboard import HomeLink, add_home_link
    from preliminary import models  # noqa: F401  (registers the tables)
    from preliminary.demo import prepare_and_print
    from preliminary.answer_gate import AnswerGate
    from preliminary.phone_requests import PhoneRequestSessions
    from preliminary.public import bp as public_bp
    from preliminary.routes import bp

    app.session_interface = PhoneRequestSessions()
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    app.wsgi_app = AnswerGate(app, app.wsgi_app)  # the common answer save, before Flask
    demo_ready.connect(prepare_and_print)
    add_home_link(app, HomeLink("初赛", "线上初赛：单位名单、答题二维码、参与情况、晋级与优秀组织奖", "preliminary.index", (Role.ORGANIZER,)))
