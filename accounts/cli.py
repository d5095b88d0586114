"""``flask --app app user …``: manage accounts from the command line.

A password is never an argument (it would stay in the shell history and be visible to every user
of the machine in the process list): it is asked for twice without echo, or read from the first
line of standard input with ``--password-stdin`` (for scripts).
"""
import sys

import click
from flask.cli import AppGroup

from accounts.models import ROLE_LABELS, Role
from accounts.service import (AccountError, change_password, create_user, delete_user, find_user, list_users,
                              set_disabled)

user_cli = AppGroup("user", help="管理站点管理员、组织者与主持人账号。")

password_stdin = click.option("--password-stdin", is_flag=True,
                              help="从标准输入的第一行读取密码（供脚本使用；密码不要写在命令行上）")


def _read_password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


def _user(name: str):
    """The account ``name``, or a clear error."""
    user = find_user(name)
    if user is None:
        raise click.ClickException(f"用户「{name}」不存在")
    return user


def _attempt(action) -> None:
    """Run an account change; turn its refusal into a command-line error."""
    try:
        action()
    except AccountError as error:
        raise click.ClickException(str(error)) from error


@user_cli.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="角色")
@password_stdin
def create_command(name: str, role: str, password_stdin: bool) -> None:
    """Create a user NAME with a role; the password is asked for (or read from stdin)."""
    password = _read_password(password_stdin)
    created = []
    _attempt(lambda: created.append(create_user(name, password, role)))
    click.echo(f"已创建用户 {created[0].username}（{ROLE_LABELS[Role(role)]}）")


@user_cli.command("password")
@click.argument("name")
@password_stdin
def password_command(name: str, password_stdin: bool) -> None:
    """Give user NAME a new password; their sessions end."""
    user = _user(name)
    password = _read_password(password_stdin)
    _attempt(lambda: change_password(user, password))
    click.echo(f"已修改 {user.username} 的密码，其所有登录已退出")


def _state_command(name: str, disabled: bool, done: str, help_text: str) -> None:
    """Register ``flask user disable`` or ``enable``: set the account's state, ending its sessions."""

    @user_cli.command(name, help=help_text)
    @click.argument("username")
    def command(username: str) -> None:
        user = _user(username)
        _attempt(lambda: set_disabled(user, disabled))
        click.echo(f"{done} {user.username}")


_state_command("disable", True, "已停用", "Disable user USERNAME: no login, and every session ends at once.")
_state_command("enable", False, "已启用", "Enable user USERNAME again.")


@user_cli.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="不再确认")
def delete_command(name: str, yes: bool) -> None:
    """Delete user NAME (their contests are kept)."""
    user = _user(name)
    if not yes:
        click.confirm(f"确定删除用户 {user.username}？", abort=True)
    label = user.username
    _attempt(lambda: delete_user(user))
    click.echo(f"已删除 {label}")


@user_cli.command("list")
def list_command() -> None:
    """List every account with its role and state."""
    for user in list_users():
        state = "已停用" if user.disabled else "演示账号" if user.demo else "正常"
        click.echo(f"{user.username}\t{ROLE_LABELS[Role(user.role)]}\t{state}")
