"""Contest set-up: organizers build a contest, its teams, stages and questions; teams join by link.

The Flask and SQLAlchemy side of preparing a contest; the rules themselves stay pure in
:mod:`contest`. :func:`register` plugs the pages, the public join and display pages, the branding (``brand_of`` for
every branded template), the
``demo`` command and the home-page tiles into the app.
"""
from flask import Flask


def register(app: Flask) -> None:
    """Register the set-up pages, the join/team/display pages, the demo command and home tiles."""
    from accounts.models import Role
    from contest_setup import models  # noqa: F401  (registers the tables)
    from contest_setup.branding import brand_of
    from contest_setup.cli import demo_command
    from contest_setup.public import bp as public_bp
    from contest_setup.routes import bp
    from web.dashboard import HomeLink, add_home_link

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    app.cli.add_command(demo_command)
    app.add_template_global(brand_of)
    add_home_link(app, HomeLink("比赛设置", "创建比赛、编辑环节与规则、登记队伍、抽题、打印加入二维码", "contest_setup.index", (Role.ORGANIZER,)))
    add_home_link(app, HomeLink("主持比赛", "已就绪和进行中的比赛：主持台与大屏链接", "contest_setup.host_list", (Role.HOST,)))
