"""``flask --app app user …``: manage organizer and host accounts from the command line."""
import click
from flask.cli import AppGroup

from accounts.models import Role
from accounts.service import AccountError, create_user

user_cli = AppGroup("user", help="管理组织者与主持人账号。")


@user_cli.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="角色")
@click.password_option("--password", help="密码（不给出时交互输入）")
def create_command(name: str, role: str, password: str) -> None:
    """Create a user NAME with a role."""
    try:
        create_user(name, password, role)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"已创建用户 {name}（{role}）")
