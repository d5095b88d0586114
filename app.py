"""Start the contest platform: ``python app.py`` serves it, ``flask --app app …`` runs commands.

The async server is chosen by ``SOCKETIO_ASYNC_MODE``: ``eventlet`` (default), ``gevent`` (the
documented fallback) or ``threading``. Monkey-patching must come before anything else imports
``socket`` or ``threading``, so it happens here, first, and only when this file is the program.
"""
import os

from async_server import monkey_patch_for, tune_garbage_collector

if __name__ == "__main__":
    monkey_patch_for(os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet"))

from accounts.exposure import exposed_demo_logins, warning_text  # noqa: E402
from async_server import guard_connections, server_options  # noqa: E402
from web.connection_guard import ConnectionGuard, GuardSettings, raise_open_files_limit  # noqa: E402
from contest_setup.joining import server_base_url  # noqa: E402
from extensions import socketio  # noqa: E402
from factory import create_app  # noqa: E402


def main() -> None:
    """Serve the platform and print where the host, the display and the organizers find it."""
    before, open_files = raise_open_files_limit()
    app = create_app()
    config = app.config
    async_mode = config["SOCKETIO_ASYNC_MODE"]
    base = server_base_url(config["HOST"], config["PORT"], config["PUBLIC_URL"])
    print(f"政策知识竞赛平台已启动（{async_mode}）", flush=True)
    print(f"  管理与主持入口: {base}/", flush=True)
    if config["HOST"] in {"127.0.0.1", "localhost"}:
        print("  仅本机可访问；让手机接入请设置 HOST=0.0.0.0（见 docs/deployment.md）", flush=True)
    warn_about_demo_logins(app)
    raised = f"（启动时由 {before} 提高）" if open_files > before else ""
    print(f"  可同时打开的文件与连接数上限: {open_files}{raised}", flush=True)
    settings = GuardSettings.from_environment(behind_proxy=bool(config["TRUSTED_PROXIES"]))
    guard = ConnectionGuard(settings, log=lambda message: app.logger.warning(message))
    guard_connections(async_mode, guard)
    app.wsgi_app = guard.wsgi(app.wsgi_app)
    socketio.start_background_task(guard.run_reaper)
    tune_garbage_collector()
    socketio.run(
        app,
        host=config["HOST"],
        port=config["PORT"],
        allow_unsafe_werkzeug=True,
        log_output=False,
        **server_options(async_mode, settings.idle_timeout),
    )


def warn_about_demo_logins(app) -> None:
    """Say loudly, at start, that demo logins with public passwords are reachable from the hall."""
    with app.app_context():
        names = exposed_demo_logins()
    if names:
        banner = "!" * 72
        print(f"{banner}\n{warning_text(names)}\n"
              f"  停用：flask --app app user disable <用户名>；改密码：flask --app app user password <用户名>\n{banner}",
              flush=True)


if __name__ == "__main__":
    main()
