"""The shipped nginx configuration (deploy/nginx/contest.conf) written out for one set of processes.

The template's ``@NAME@`` places (nginx's own variables start with ``$``, so the two never mix) are
filled with the upstream servers, the address nginx listens on, the server name and the upload
limit, which must follow the app's ``MAX_UPLOAD_MB``: the live test renders the same file the
documentation ships.
"""
import re
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[1] / "deploy" / "nginx" / "contest.conf"
PLACE = re.compile(r"@[A-Z_]+@")
FORM_ALLOWANCE_MB = 1
"""Let this much more than the upload limit through, so the app answers a slightly bigger file itself."""


@dataclass(frozen=True)
class ProxySettings:
    """What differs from one installation to the next."""

    ports: tuple[int, ...]
    listen: str = "80"
    server_name: str = "_"
    upload_mb: int = 16
    backend_host: str = "127.0.0.1"


def render(settings: ProxySettings, template: Path = TEMPLATE) -> str:
    """The configuration with every place filled; a place left over is an error, not a silent gap."""
    if not settings.ports:
        raise ValueError("至少需要一个服务进程的端口")
    servers = "\n".join(f"    server {settings.backend_host}:{port} max_fails=1 fail_timeout=5s;"
                        for port in settings.ports)
    values = {"SERVERS": servers, "LISTEN": settings.listen, "SERVER_NAME": settings.server_name,
              "UPLOAD_MB": str(settings.upload_mb), "BODY_LIMIT_MB": str(settings.upload_mb + FORM_ALLOWANCE_MB)}
    text = template.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = PLACE.findall(text)
    if left:
        raise ValueError(f"nginx 模板中还有未填写的位置：{', '.join(left)}")
    return text
