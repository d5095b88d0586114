"""Several server processes behind nginx, as docs/deployment.md sets them up, for the live tests and
bench.scale: ``python -m operations.cluster`` starts the processes and writes the shipped nginx
configuration (deploy/nginx/contest.conf) for their ports; Debian's nginx runs it as an ordinary
process, wrapped in a main configuration whose pid file, logs and temporary files stay in a folder
of its own. The access log names, for each request, the route key and the process that served it.
"""
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

import redis

from tests.live.processes import TEST_REDIS_URL, cluster_settings
from tests.live_server import ROOT, LiveServer, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NOBODY, NOGROUP = 65534, 65534
ACCESS_FIELDS = ("route", "upstream", "status", "method", "uri")

_MAIN_CONFIG = """
daemon off;
worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
worker_rlimit_nofile {open_files};
events {{ worker_connections {connections}; }}
http {{
    log_format routes '$arg_route|$upstream_addr|$status|$request_method|$uri';
    access_log {folder}/access.log routes;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/contest.conf;
}}
"""


def nginx_available() -> bool:
    """Whether Debian's nginx is installed here."""
    return os.access(NGINX, os.X_OK)


def consecutive_free_ports(count: int) -> int:
    """The first of ``count`` consecutive loopback ports nothing listens on."""
    for _ in range(100):
        first = free_port()
        if all(_is_free(first + offset) for offset in range(1, count)):
            return first
    raise RuntimeError(f"no {count} consecutive free ports")


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class ProxiedCluster:
    """``processes`` server processes sharing ``env`` (its INSTANCE_PATH and DATABASE_URL), nginx in front."""

    env: dict[str, str]
    processes: int = 2
    nginx_workers: int = 1
    nginx_connections: int = 4096
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="contest-nginx-")))
    port: int = field(default_factory=free_port)
    first_port: int = 0
    cluster: subprocess.Popen | None = None
    nginx: subprocess.Popen | None = None
    demo: dict = field(default_factory=dict)  # the demo's links, when it serves a copy of the demo

    @property
    def url(self) -> str:
        """The proxy's base URL: where clients go."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def backends(self) -> list[str]:
        """The processes' ``host:port`` as the access log names them."""
        return [f"127.0.0.1:{self.first_port + number}" for number in range(self.processes)]

    def start(self, seconds: float = 90) -> "ProxiedCluster":
        """Start the processes (the real cluster command), then nginx; wait until both answer."""
        self.first_port = consecutive_free_ports(self.processes)
        log = open(self.folder / "cluster.log", "ab")
        self.cluster = subprocess.Popen(
            [sys.executable, "-m", "operations.cluster", "--processes", str(self.processes), "--first-port",
             str(self.first_port), "--nginx", str(self.folder / "contest.conf"), "--listen", f"127.0.0.1:{self.port}"],
            cwd=ROOT, env={**self.env, "HOST": "127.0.0.1"}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + seconds
        while not all(_answers(f"http://{backend}/healthz") for backend in self.backends):
            if self.cluster.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the cluster did not start: {self.log_tail('cluster.log')}")
            time.sleep(0.2)
        (self.folder / "nginx.conf").write_text(_MAIN_CONFIG.format(
            folder=self.folder, workers=self.nginx_workers, connections=self.nginx_connections,
            open_files=min(2 * self.nginx_connections + 64, resource.getrlimit(resource.RLIMIT_NOFILE)[1])), encoding="utf-8")
        self.nginx = subprocess.Popen([NGINX, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
                                       "-e", str(self.folder / "error.log")],
                                      stdout=subprocess.DEVNULL, stderr=open(self.folder / "nginx.out", "ab"),
                                      start_new_session=True, **self._unprivileged())
        while not _answers(f"{self.url}/healthz"):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {self.log_tail('nginx.out')} {self.log_tail('error.log')}")
            time.sleep(0.2)
        return self

    def _unprivileged(self) -> dict:
        """Run as root (a CI container), nginx would hand its work to ``nobody``, who cannot write the
        folder; it runs as ``nobody`` altogether instead, owning the folder, as on a developer's machine
        it runs as its user."""
        if os.geteuid() != 0:
            return {}
        for path in [self.folder, *self.folder.iterdir()]:
            os.chown(path, NOBODY, -1)
        return {"user": NOBODY, "group": NOGROUP}

    def stop(self) -> None:
        """nginx first (no new requests), then the cluster, which stops its processes."""
        for process in (self.nginx, self.cluster):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)

    @property
    def server_pids(self) -> list[int]:
        """The server processes (the cluster command's children)."""
        return children_of(self.cluster.pid)

    @property
    def nginx_pids(self) -> list[int]:
        """nginx's master and workers."""
        return [self.nginx.pid, *children_of(self.nginx.pid)]

    def requests(self) -> list[dict[str, str]]:
        """The access log so far: one dict per request (route key, process, status, method, path)."""
        path = self.folder / "access.log"
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        return [dict(zip(ACCESS_FIELDS, line.split("|"))) for line in lines]

    def processes_by_key(self) -> dict[str, set[str]]:
        """Route key → the processes that served the live requests (``/socket.io/``) carrying it."""
        served: dict[str, set[str]] = {}
        for line in self.requests():
            if line["uri"].startswith("/socket.io/") and line["route"] not in ("", "-"):
                served.setdefault(line["route"], set()).add(line["upstream"])
        return served

    def log_tail(self, name: str) -> str:
        path = self.folder / name
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def queue_if_running() -> dict[str, str]:
    """The Redis queue and a channel of the caller's own, as a real installation runs, when Redis answers;
    else none: the proxy, which the tests here are about, works the same without it."""
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        return {}
    return cluster_settings()


def demo_behind_nginx(**settings: str) -> ProxiedCluster:
    """Two processes on a fresh copy of the demo (its links in ``.demo``) behind nginx, started."""
    demo = LiveServer()
    demo.prepare()
    cluster = ProxiedCluster({**demo.env, "TRUSTED_PROXIES": "1", **queue_if_running(), **settings}, demo=demo.demo)
    return cluster.start()
