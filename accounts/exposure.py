"""Saying loudly when the demo logins, whose passwords the README prints, are reachable from the hall.

A server listening beyond loopback (``HOST=0.0.0.0``) with an enabled demo login lets anyone on
the venue's Wi-Fi log in as organizer. The start-up output and every logged-in page (the host
console included) say so until the demo logins are disabled, deleted or given new passwords.
"""
from flask import current_app
from flask_login import current_user

from accounts.service import demo_logins_enabled
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def listens_beyond_loopback(host: str) -> bool:
    """Whether a server bound to ``host`` can be reached from other machines."""
    return host not in LOOPBACK_HOSTS and not host.startswith("127.")


def exposed_demo_logins() -> list[str]:
    """The enabled demo logins, when this server listens beyond loopback; else none."""
    if not listens_beyond_loopback(current_app.config["HOST"]):
        return []
    return demo_logins_enabled()


def warning_text(names: list[str]) -> str:
    """The warning about ``names``, in Chinese."""
    return (f"安全警告：服务器对局域网开放，但演示账号 {'、'.join(names)} 仍可用，其密码印在说明文档里，"
            "会场里任何人都能登录。请在「账号管理」中停用或删除它们，或修改其密码。")


def demo_warning() -> str:
    """The warning for the logged-in user's pages, or an empty string."""
    if not current_user.is_authenticated:
        return ""
    names = exposed_demo_logins()
    return warning_text(names) if names else ""
