"""After the final: results with prizes and tiebreaks, the score-progression chart, the audit
trail, exports (.xlsx, .csv, a printable A4 report), the event log's export and import, and the
judges' corrections once the contest is finished.

The numbers come from pure modules that read the event log folded once (:mod:`results.history`):
:mod:`~results.standings`, :mod:`~results.progression`, :mod:`~results.breakdown`,
:mod:`~results.questions`, :mod:`~results.audit`, :mod:`~results.buzz_audit`; :mod:`results.service`
and :mod:`results.routes` are the Flask side.
:func:`register` plugs its pages and its home tile into the app.
"""
from flask import Flask


def register(app: Flask) -> None:
    """Register the results pages, the display's progression feed and the home tile."""
    from accounts.models import Role
    from web.dashboard import HomeLink, add_home_link
    from results.routes import bp, public_bp

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    add_home_link(app, HomeLink("成绩与审计", "最终成绩与奖项、得分走势、审计记录、导出与打印报告、导入事件记录",
                                "results.index", (Role.HOST,)))
