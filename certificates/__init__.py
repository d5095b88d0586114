"""获奖证书: printable certificates for a finished final's prize winners and for the 优秀组织奖 of
the preliminary round that fed it, each with a verification code that a public page checks.

Who is entitled comes from the reports that already decide it (the final's standings with prizes,
:func:`results.standings.final_results`; the round's award table, :mod:`preliminary.awards`);
issuing stores one :class:`certificates.models.Certificate` per winner with a random code, once.
The pages print one A4 landscape page per certificate from the browser, with the contest's
branding (:mod:`contest_setup.branding`). See docs/event-day.md (颁奖与证书).
"""
from flask import Flask


def register(app: Flask) -> None:
    """Register the organizer's certificate pages, the public verification page and the table."""
    from certificates import models  # noqa: F401  (registers the tables)
    from certificates.routes import bp, public_bp

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
