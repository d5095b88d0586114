"""``flask --app app demo``: a ready demo contest, its accounts, and every link printed.

Idempotent: run it at every start (``make run`` does). Whatever exists is kept as it is; only
what is missing is created. The demo accounts have fixed, documented passwords, printed each
time, because a stored hash cannot be shown again; they are for trying the platform, not for
an event (create real accounts with ``flask --app app user create``).

Because those passwords are public, nothing is created when the server is set to listen beyond
loopback (``HOST=0.0.0.0``, the event-day start) unless asked for explicitly with ``--force`` or
``DEMO=1``: anyone on the venue's Wi-Fi could otherwise log in as organizer.
"""
import random
from dataclasses import dataclass

import click
import sqlalchemy as sa
from blinker import Signal
from flask import current_app
from flask.cli import with_appcontext

from accounts.exposure import listens_beyond_loopback
from accounts.models import Role
from accounts.service import create_user, find_user
from contest_setup import bank, joining, service
from contest_setup.joining import server_base_url
from contest_setup.models import Contest, ContestStatus
from contest_setup.templates import FINAL
from extensions import db

demo_ready = Signal()
"""Sent (sender: the demo final, ``base``: the address phones reach) once the demo final is ready
and its links are printed: the preliminary round adds its own demo (it depends on this package,
not the other way round)."""

DEMO_CONTEST_NAME = "高新区惠企政策知识竞赛决赛（演示）"
DEMO_SEED = 20240601
"""The demo draws with a fixed seed, so every fresh demo has the same questions."""


@dataclass(frozen=True)
class DemoAccount:
    """A demo login with its fixed password."""

    username: str
    password: str
    role: Role
    label: str


DEMO_ACCOUNTS = (
    DemoAccount("organizer", "demo-organizer", Role.ORGANIZER, "组织者"),
    DemoAccount("host", "demo-host", Role.HOST, "主持人"),
)

DEMO_TEAMS = """\
1,云帆数据队,云帆数据科技有限公司,李明,王芳,张伟,赵敏
2,青禾生物队,青禾生物医药有限公司,陈静,刘洋,杨帆
3,博远智造队,博远智能装备制造有限公司,黄磊,周婷,吴昊
4,晨曦新能源队,晨曦新能源材料有限公司,徐丽,孙强,马超
5,锐思软件队,锐思软件信息技术有限公司,朱琳,胡斌,郭瑞
6,澄光光电队,澄光光电子有限公司,林涛,何雪,高峰
7,恒安检测队,恒安检验检测技术有限公司,罗娜,梁晨,宋杰
8,知行人才队,知行人力资源服务有限公司,谢颖,韩冰,唐宁"""
"""Eight fictional companies of a high-tech zone, in the pasted-list format organizers use."""


def ensure_account(account: DemoAccount) -> str:
    """Create the demo account if missing; say how to log in with it."""
    user = find_user(account.username)
    if user is None:
        create_user(account.username, account.password, account.role, demo=True)
        return f"{account.username} / {account.password}"
    if user.demo:
        return f"{account.username} / {account.password}"
    return f"{account.username}（密码已修改，不再显示）"


def find_demo_contest() -> Contest | None:
    """The demo contest, if an earlier run created it."""
    return db.session.scalar(sa.select(Contest).where(Contest.name == DEMO_CONTEST_NAME))


def create_demo_contest() -> Contest:
    """The demo contest from the final's template: 8 teams, sample bank, questions drawn, ready."""
    organizer = find_user(DEMO_ACCOUNTS[0].username)
    contest = service.create_contest(DEMO_CONTEST_NAME, FINAL.key, organizer.id if organizer else None)
    service.import_teams(contest, DEMO_TEAMS)
    service.set_banks(contest, [bank.sample_bank_id()])
    service.draw_questions(contest, random.Random(DEMO_SEED))
    service.mark_ready(contest)
    return contest


def assign_demo_host(contest: Contest) -> None:
    """Let the demo host run the demo contest (hosts reach only the contests they are assigned)."""
    host = find_user(DEMO_ACCOUNTS[1].username)
    if host is not None and host.role == Role.HOST and host not in contest.hosts:
        contest.hosts.append(host)
        db.session.commit()


@click.command("demo")
@click.option("--force", is_flag=True, envvar="DEMO",
              help="服务器对局域网开放（HOST 不是本机地址）时也创建演示账号与演示比赛（也可设置 DEMO=1）")
@with_appcontext
def demo_command(force: bool) -> None:
    """Create the demo accounts, the sample bank and a ready demo contest; print every link.

    Skipped, with the reason, when the server listens beyond loopback, unless ``--force``.
    """
    config = current_app.config
    if listens_beyond_loopback(config["HOST"]) and not force:
        click.echo(f"未创建演示账号与演示比赛：服务器将对局域网开放（HOST={config['HOST']}），"
                   "演示账号的密码是公开的。正式比赛请用 flask --app app user create 创建账号；"
                   "确需演示时用 DEMO=1 或 flask --app app demo --force。")
        return
    logins = [(account, ensure_account(account)) for account in DEMO_ACCOUNTS]
    bank.sample_bank_id()
    contest = find_demo_contest()
    created = contest is None
    if created:
        try:
            contest = create_demo_contest()
        except service.SetupError as error:
            raise click.ClickException(f"演示比赛无法就绪：{error}") from error
    assign_demo_host(contest)
    base = server_base_url(config["HOST"], config["PORT"], config["PUBLIC_URL"])
    with current_app.test_request_context("/", base_url=base):
        print_links(contest, base, logins, created)
        demo_ready.send(contest, base=base)


def print_links(contest: Contest, base: str, logins: list[tuple[DemoAccount, str]], created: bool) -> None:
    """Print where the organizer, the host, the display and each team go."""
    echo = click.echo
    echo(f"演示比赛「{contest.name}」{'已创建' if created else '已存在'}，状态：{contest.status_label}")
    if contest.status != ContestStatus.READY:
        echo("  （演示比赛不在就绪状态；可在比赛设置中处理，或删除后重新运行本命令）")
    echo(f"登录页面: {base}/login")
    for account, login in logins:
        echo(f"  {account.label}: {login}")
    echo("  以上为演示账号，密码公开，请勿用于正式比赛；正式账号请用 flask --app app user create 创建，"
         "演示账号可用 flask --app app user disable 停用。")
    echo(f"主持台: {base}{joining.host_console_path(contest)}")
    echo(f"大屏: {joining.display_url(contest, base)}")
    echo("队伍加入链接:")
    for team in contest.teams_by_seat:
        echo(f"  {team.seat}号 {team.name}: {joining.join_url(team, base)}")
    if not joining.phones_can_reach(base):
        echo("注意：以上地址仅本机可用；让手机接入请用 HOST=0.0.0.0 启动并重新运行本命令（见 docs/deployment.md）。")
