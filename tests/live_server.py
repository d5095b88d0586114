"""A real server process for the live and browser tests: a free loopback port, a fresh instance
folder with the demo contest, and the links and credentials a hall would use.
"""
import functools
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.databases import on_postgresql, postgres, run_flask

ROOT = Path(__file__).resolve().parents[1]

_INFO_SCRIPT = """
import json
from factory import create_app
from contest_setup import joining
from contest_setup.cli import find_demo_contest
app = create_app()
with app.app_context():
    contest = find_demo_contest()
    teams = contest.teams_by_seat
    print(json.dumps({
        "contest": contest.id,
        "display_token": contest.display_token,
        "teams": [{"id": t.id, "seat": t.seat, "name": t.name, "credential": joining.new_phone_credential(t),
                   "join_path": "/join/" + joining.make_join_token(t)} for t in teams],
    }))
"""


_SET_RULE_SCRIPT = """
import json, sys
from contest_setup.cli import find_demo_contest
from extensions import db
from factory import create_app
kind, name, value = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with create_app().app_context():
    for stage in find_demo_contest().stages:
        if stage.kind == kind:
            stage.rules = {**(stage.rules or {}), name: value}
    db.session.commit()
"""


@functools.cache
def _demo_database() -> str | None:
    """On PostgreSQL, the name of a database migrated by ``flask db upgrade`` (as ``make run`` does)
    for the demo, each server's a copy of it; on SQLite None (the instance folder holds the file)."""
    if not on_postgresql():
        return None
    name = postgres().empty_database()
    run_flask(["db", "upgrade"], {"DATABASE_URL": postgres().url_of(name)})
    return name


@functools.cache
def _prepared_demo() -> str:
    """An instance folder with the demo prepared by the real command, and its links in demo.json."""
    folder = tempfile.mkdtemp(prefix="contest-demo-")
    database = {"DATABASE_URL": postgres().url_of(_demo_database())} if on_postgresql() else {}
    env = {**os.environ, "INSTANCE_PATH": folder, **database}
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "demo"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    output = subprocess.run([sys.executable, "-c", _INFO_SCRIPT], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True).stdout
    (Path(folder) / "demo.json").write_text(output.strip().splitlines()[-1], encoding="utf-8")
    return folder


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The accounts of a server started without the demo (``LiveServer(with_demo=False)``).
BARE_ACCOUNTS = {"organizer": ("organizer", "Prep-table-5821"), "host": ("host", "Stage-lamp-7314")}


def default_async_mode() -> str:
    """eventlet, or the server named by CONTEST_TEST_ASYNC_MODE (CI runs the browser tests once with gevent)."""
    return os.environ.get("CONTEST_TEST_ASYNC_MODE") or "eventlet"


@dataclass
class LiveServer:
    """``python app.py`` in its own process, with the demo contest prepared.

    ``with_demo=False`` starts from a fresh database holding only the two accounts of
    ``BARE_ACCOUNTS`` (no question bank, no contest): the organizer builds everything.
    """

    async_mode: str = field(default_factory=default_async_mode)
    port: int = field(default_factory=free_port)
    instance: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="contest-live-"))
    process: subprocess.Popen | None = None
    demo: dict = field(default_factory=dict)
    with_demo: bool = True
    settings: dict[str, str] = field(default_factory=dict)  # more environment settings of the server
    database: dict[str, str] = field(default_factory=dict)  # DATABASE_URL on PostgreSQL (tests/databases.py)
    open_files: tuple[int, int] | None = None  # the (soft, hard) limit of open files it starts with

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """The environment of the server and its commands."""
        return {**os.environ, "INSTANCE_PATH": self.instance, "PORT": str(self.port), "HOST": "127.0.0.1",
                "SOCKETIO_ASYNC_MODE": self.async_mode, "PYTHONUNBUFFERED": "1", **self.database, **self.settings}

    def prepare(self) -> None:
        """Give this server a fresh copy of the demo instance (accounts, sample bank, ready contest).

        The demo is built once per test session with ``flask demo`` and copied for each server,
        so every test starts from the same untouched contest without paying for the import again.
        Without the demo, only the accounts are created, with the real ``flask user create``.
        """
        if not self.with_demo:
            self.database = self._copy_of_database(postgres().migrated_template if on_postgresql() else None)
            for role, (name, password) in BARE_ACCOUNTS.items():
                subprocess.run([sys.executable, "-m", "flask", "--app", "app", "user", "create", name, "--role", role,
                                "--password-stdin"], input=password + "\n", text=True, cwd=ROOT, env=self.env,
                               check=True, capture_output=True)
            self.demo = {"accounts": BARE_ACCOUNTS}
            return
        template = _prepared_demo()
        self.database = self._copy_of_database(_demo_database())
        shutil.copytree(template, self.instance, dirs_exist_ok=True)
        self.demo = json.loads((Path(template) / "demo.json").read_text(encoding="utf-8"))

    @staticmethod
    def _copy_of_database(template: str | None) -> dict[str, str]:
        """On PostgreSQL a new database copied from ``template`` for this server; on SQLite nothing."""
        return {"DATABASE_URL": postgres().create(template)} if template else {}

    def set_stage_rule(self, kind: str, name: str, value) -> None:
        """Change one rule of the demo's stages of ``kind`` before the server starts."""
        if not self.demo:
            self.prepare()
        subprocess.run([sys.executable, "-c", _SET_RULE_SCRIPT, kind, name, json.dumps(value)], cwd=ROOT,
                       env=self.env, check=True, capture_output=True)

    def start(self) -> "LiveServer":
        """Start the server and wait until it answers."""
        if not self.demo:
            self.prepare()
        log = open(Path(self.instance) / "server.log", "ab")
        self.process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        preexec_fn=self.limit_open_files if self.open_files else None)
        self.wait_until_up()
        return self

    def limit_open_files(self) -> None:
        """In the server's process, before it starts: the limit of open files it is given."""
        resource.setrlimit(resource.RLIMIT_NOFILE, self.open_files)

    def wait_until_up(self, seconds: float = 20) -> None:
        """Poll the login page until the server answers."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer in {seconds}s: {self.log_tail()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server (SIGKILL to simulate a crash)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=10)

    def log_tail(self) -> str:
        """The end of the server's output, for failure messages."""
        path = Path(self.instance) / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def display_path(self) -> str:
        """The projector's link."""
        return f"/display/{self.demo['contest']}/{self.demo['display_token']}"

    def host_path(self) -> str:
        """The host console."""
        return f"/host/{self.demo['contest']}"
