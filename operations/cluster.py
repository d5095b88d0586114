"""Several server processes on one machine, started by one command:

    python -m operations.cluster --processes N [--first-port 5001] [--nginx FILE [--listen 80]]

Each process is ``python app.py`` on its own port (``--first-port``, the next, …), all with the
environment of this command: the same ``DATABASE_URL``, ``SOCKETIO_MESSAGE_QUEUE`` and
``SECRET_KEY``. The schema is brought to the newest revision once, by ``flask db upgrade``, before
any process starts (the processes themselves never upgrade a database they share). A process that
exits on its own is started again; Ctrl-C (or SIGTERM) stops them all. ``--nginx FILE`` writes the
shipped nginx configuration (deploy/nginx/contest.conf) for these ports. docs/deployment.md,
"Several processes", says what to set.
"""
import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from operations.nginx_config import ProxySettings, render

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
START_SECONDS = 60
STOP_SECONDS = 10
RESTART_PAUSE_SECONDS = 1.0


@dataclass
class Worker:
    """One ``python app.py`` on one port."""

    port: int
    env: dict[str, str]
    process: subprocess.Popen | None = None
    restarts: int = 0

    def start(self) -> None:
        """Start it in a process group of its own, so that Ctrl-C reaches the supervisor alone, which stops it in order."""
        self.process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, start_new_session=True,
                                        env={**self.env, "PORT": str(self.port)})

    @property
    def url(self) -> str:
        host = self.env.get("HOST", "127.0.0.1")
        return f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else host}:{self.port}"

    def answers(self) -> bool:
        """Whether it answers ``/healthz``."""
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after ``STOP_SECONDS``."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_SECONDS)


@dataclass
class Cluster:
    """The processes, the environment they share (``env``, as given), and the loop that keeps them running."""

    processes: int
    first_port: int
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    workers: list[Worker] = field(default_factory=list)
    stopping: bool = False

    def __post_init__(self) -> None:
        shared = shared_environment(self.env)
        self.workers = [Worker(self.first_port + number, shared) for number in range(self.processes)]

    @property
    def ports(self) -> tuple[int, ...]:
        return tuple(worker.port for worker in self.workers)

    def upgrade_schema(self) -> None:
        """``flask db upgrade``, once, before any process serves (it also creates the instance's secret key)."""
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=ROOT, env=self.env,
                       check=True)

    def start(self) -> None:
        """Start every process and wait until each answers ``/healthz``."""
        for worker in self.workers:
            worker.start()
        deadline = time.monotonic() + START_SECONDS
        for worker in self.workers:
            while not worker.answers():
                if self.stopping:
                    return
                if worker.process.poll() is not None:
                    raise RuntimeError(f"端口 {worker.port} 的服务进程启动失败（退出码 {worker.process.returncode}）")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"端口 {worker.port} 的服务进程 {START_SECONDS} 秒内没有应答")
                time.sleep(0.2)
            print(f"服务进程 {worker.url} 已就绪（pid {worker.process.pid}）", flush=True)

    def keep_running(self) -> None:
        """Start again any process that exited, until asked to stop."""
        while not self.stopping:
            for worker in self.workers:
                if not self.stopping and worker.process.poll() is not None:
                    print(f"服务进程 {worker.url} 已退出（退出码 {worker.process.returncode}），重新启动", flush=True)
                    worker.restarts += 1
                    time.sleep(RESTART_PAUSE_SECONDS)
                    worker.start()
            time.sleep(0.5)

    def stop(self, *_signal) -> None:
        """Stop every process (the handler of SIGTERM and SIGINT too)."""
        self.stopping = True
        for worker in self.workers:
            worker.stop()


def shared_environment(env: dict[str, str]) -> dict[str, str]:
    """The environment every process gets: no process upgrades the schema by itself (the cluster did),
    and, when they listen on loopback where only a proxy on this machine reaches them, one trusted proxy."""
    shared = {**env, "DATABASE_AUTO_UPGRADE": "0", "PYTHONUNBUFFERED": "1"}
    if "TRUSTED_PROXIES" not in env and env.get("HOST", "127.0.0.1") in LOOPBACK:
        shared["TRUSTED_PROXIES"] = "1"
    return shared


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2, help="服务进程数（默认：CPU 核数）")
    parser.add_argument("--first-port", type=int, default=5001, help="第一个进程的端口，其余依次加一")
    parser.add_argument("--nginx", metavar="FILE", help="写出这些端口的 nginx 配置（deploy/nginx/contest.conf）")
    parser.add_argument("--listen", default="80", help="nginx 监听的地址与端口（随 --nginx）")
    parser.add_argument("--server-name", default="_", help="nginx 的 server_name（随 --nginx）")
    args = parser.parse_args(argv)
    if args.processes < 1:
        parser.error("--processes 至少为 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    cluster = Cluster(args.processes, args.first_port)
    if args.nginx:
        upload_mb = int(cluster.env.get("MAX_UPLOAD_MB", "16"))
        Path(args.nginx).write_text(render(ProxySettings(cluster.ports, args.listen, args.server_name, upload_mb)),
                                    encoding="utf-8")
        print(f"nginx 配置已写入 {args.nginx}", flush=True)
    if not cluster.env.get("SOCKETIO_MESSAGE_QUEUE") and args.processes > 1:
        print("注意：未设置 SOCKETIO_MESSAGE_QUEUE，各进程互相听不到实时消息（见 docs/deployment.md）", flush=True)
    signal.signal(signal.SIGTERM, cluster.stop)
    signal.signal(signal.SIGINT, cluster.stop)
    cluster.upgrade_schema()
    try:
        cluster.start()
        print(f"{args.processes} 个服务进程在运行（端口 {', '.join(map(str, cluster.ports))}）；Ctrl-C 全部停止", flush=True)
        cluster.keep_running()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
