"""What do several server processes behind nginx, on PostgreSQL and Redis, add over one process on SQLite?

    python -m bench.scale [--processes N] [--participants P] [--phones Q] [--questions K]
                          [--live spread|one] [--quick] [--json FILE]

One run, two set-ups, the same two loads on each:

* **single**: one ``python app.py`` (eventlet) on SQLite, as a hall laptop runs it;
* **cluster**: N processes started by ``python -m operations.cluster`` on a PostgreSQL database
  (``--postgres``, a fresh copy of the demo made through tests/databases.py) sharing a Redis
  message queue (``--redis``, a channel of this run's own), behind Debian's nginx with the shipped
  configuration (deploy/nginx/contest.conf, tests/proxied_cluster.py).

The loads are the existing benchmarks' drivers: the preliminary round of bench.preliminary (P
participants registering and answering 20 questions over HTTP keep-alive connections, ``save_p99``
and the answers ``lost``: acknowledged but not in the database), and the live buzzer contest of
bench.latency (Q lean WebSocket phones, the host opening the buzzers, ``open_p99``: command →
every phone's change). With ``--live spread`` (the default) each phone adds a route key of its
own to its URL, as a page does, so nginx spreads the phones over the processes and the contest's
owner process forwards its decisions to the others (play/cluster.py); with ``--live one`` every
phone reaches the host's process (nginx routes a client without a key by its address, and here all
share 127.0.0.1).

Each set-up runs in a process of its own (tests/databases.py reads its database at import). The
last line is machine-readable:

    scale: processes=N participants=P save_p99=X ms single_save_p99=Y ms phones=Q open_p99=Z ms lost=0

``lost`` adds up, over both set-ups, the acknowledged answers missing from the database, the phones
that never saw an opening and the presses the display never showed.
"""
import argparse
import json
import math
import os
import secrets
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.latency import MAX_CONNECTIONS, OurServer, loadavg, run, servers_cpu_seconds
from bench.preliminary import RoundServer, measure_round
from tests.live_server import ROOT
from tests.proxied_cluster import ProxiedCluster

PART_PREFIX = "part: "
DEFAULT_POSTGRES = "postgresql+psycopg://root@127.0.0.1:5432/contest_scale"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
FULL = {"participants": 2000, "phones": 1000, "questions": 4, "pace": 3.0}
QUICK = {"participants": 200, "phones": 200, "questions": 2, "pace": 1.0, "ramp": 20.0}


@dataclass
class Behind:
    """How a benchmark server runs as a cluster: its processes, the queue they share, nginx in front."""

    processes: int = 2
    redis: str = DEFAULT_REDIS

    def start_cluster(self, server) -> ProxiedCluster:
        """Start ``server``'s instance as N processes behind nginx; clients then use nginx's port."""
        env = {**server.env, "SOCKETIO_MESSAGE_QUEUE": self.redis, "TRUSTED_PROXIES": "1",
               "SOCKETIO_CHANNEL": f"bench-scale-{secrets.token_hex(4)}"}
        proxy = ProxiedCluster(env, processes=self.processes, nginx_workers=min(2, os.cpu_count() or 1),
                               nginx_connections=2 * server.max_connections).start()
        server.port = proxy.port
        return proxy


@dataclass
class OnCluster:
    """What a benchmark server becomes as several processes behind nginx (mixed in before it)."""

    behind: Behind = None
    proxy: ProxiedCluster | None = None

    def start(self):
        self.prepare_to_start()
        self.proxy = self.behind.start_cluster(self)
        return self

    @property
    def pids(self) -> list[int]:
        """The server processes: the load's CPU and memory are theirs (nginx's is reported apart)."""
        return self.proxy.server_pids

    def stop(self, *_signal) -> None:
        if self.proxy:
            self.proxy.stop()


@dataclass
class ClusterRoundServer(OnCluster, RoundServer):
    """bench.preliminary's server (its round prepared) as several processes behind nginx."""

    def prepare_to_start(self) -> None:
        if not self.demo:
            self.prepare()


@dataclass
class ClusterLiveServer(OnCluster, OurServer):
    """bench.latency's server (its buzzer rules set) as several processes behind nginx."""

    phones_per_process: dict[str, int] | None = None
    nginx_cpu_s: float = 0.0

    def prepare_to_start(self) -> None:
        self.set_buzzer_rules()

    def stop(self, *_signal) -> None:
        """Note where nginx sent the phones (their route keys in its access log) and its CPU time, then stop."""
        if self.proxy:
            served = self.proxy.processes_by_key()
            self.phones_per_process = dict(Counter(", ".join(sorted(processes)) for processes in served.values()))
            self.nginx_cpu_s = round(servers_cpu_seconds(self.proxy.nginx_pids), 1)
        super().stop()


def measure_part(args: argparse.Namespace) -> dict:
    """One set-up (``args.part``): the preliminary round, then the live contest."""
    behind = Behind(args.processes, args.redis) if args.part == "cluster" else None
    connections = max(MAX_CONNECTIONS, args.participants + 100, args.phones + 100)
    prelim_server = (ClusterRoundServer(companies=args.companies, max_connections=connections, behind=behind)
                     if behind else None)
    prelim_args = argparse.Namespace(participants=args.participants, workers=args.workers, ramp=args.ramp,
                                     pace=args.pace, companies=args.companies)
    figures = {"part": args.part, "load_before": loadavg(), "preliminary": measure_round(prelim_args, prelim_server)}
    log(f"  [{args.part}] preliminary: {json.dumps(figures['preliminary'], ensure_ascii=False)}")
    live_server = (ClusterLiveServer(name="cluster", max_connections=connections, behind=behind) if behind
                   else OurServer(name="single", max_connections=connections))
    live_server.prepare()
    result = run(live_server, live_server.demo, clients=args.phones, workers=args.phone_workers, parallel=10,
                 questions=args.questions, buzzes=8, log=log, spread=bool(behind) and args.live == "spread")
    figures["live"] = result.summary()
    if behind:
        figures["live"]["phones_per_process"] = live_server.phones_per_process
        figures["live"]["nginx_cpu_s"] = live_server.nginx_cpu_s
    figures["load_after"] = loadavg()
    return figures


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_part(part: str, args: argparse.Namespace, argv: list[str]) -> dict:
    """Run one set-up in a process of its own (its database chosen by its environment)."""
    env = {key: value for key, value in os.environ.items() if key != "TEST_DATABASE_URL"}
    if part == "cluster":
        env["TEST_DATABASE_URL"] = args.postgres
    completed = subprocess.run([sys.executable, "-m", "bench.scale", *argv, "--part", part], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, text=True, check=True)
    line = next(line for line in reversed(completed.stdout.splitlines()) if line.startswith(PART_PREFIX))
    return json.loads(line[len(PART_PREFIX):])


def lost(part: dict) -> int:
    """Answers and live messages that went missing in one set-up."""
    live = part["live"]
    return part["preliminary"]["lost"] + live["open_missing"] + live["buzz_missing"]


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=2, help="server processes behind nginx (default 2)")
    parser.add_argument("--participants", type=int, help="preliminary participants (default 2000, quick 200)")
    parser.add_argument("--phones", type=int, help="phones in the live contest (default 1000, quick 200)")
    parser.add_argument("--questions", type=int, help="buzzer questions, 8 openings each (default 4, quick 2)")
    parser.add_argument("--live", choices=("spread", "one"), default="spread",
                        help="phones over every process (default) or all on the host's process")
    parser.add_argument("--ramp", type=float, default=None, help="participants arrive over this many seconds")
    parser.add_argument("--pace", type=float, help="seconds of thought before each answer, ±50 %% (default 3, quick 1)")
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4, help="load-generator processes of the preliminary")
    parser.add_argument("--phone-workers", type=int, default=None, help="phone processes (default phones/250, 2–8)")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES),
                        help="PostgreSQL server for the cluster (its copies are made and dropped)")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--quick", action="store_true", help="200 participants over 20 s, 200 phones, 2 questions")
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--part", choices=("single", "cluster"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    defaults = QUICK if args.quick else FULL
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.ramp is None:
        args.ramp = max(30.0, args.participants / 25)
    if args.phone_workers is None:
        args.phone_workers = min(8, max(2, math.ceil(args.phones / 250)))
    return args


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = arguments(argv)
    if args.part:
        print(PART_PREFIX + json.dumps(measure_part(args), ensure_ascii=False), flush=True)
        return
    print(f"scale benchmark: {args.processes} processes vs 1, {args.participants} participants, {args.phones} phones "
          f"(live: {args.live}), {os.cpu_count()} CPUs, load {loadavg()}", flush=True)
    single, cluster = run_part("single", args, argv), run_part("cluster", args, argv)
    if args.json:
        Path(args.json).write_text(json.dumps({"single": single, "cluster": cluster}, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    for part in (single, cluster):
        prelim, live = part["preliminary"], part["live"]
        print(f"{part['part']:>8}: preliminary {prelim['answers']} answers at {prelim['rate']}/s "
              f"(peak {prelim['peak_rate_10s']}/s), save p50 {prelim['save_p50_ms']} p99 {prelim['save_p99_ms']} ms, "
              f"lost {prelim['lost']}, errors {prelim['errors']}, busy replies {prelim['busy_replies']}, server CPU {prelim['server_cpu_s']} s "
              f"({prelim['server_cpu_ms_per_answer']} ms/answer) | live {live['joined']}/{live['clients']} phones, "
              f"open p50 {live['open_p50_ms']} p99 {live['open_p99_ms']} ms ({live['open_missing']} missed), "
              f"buzz p99 {live['buzz_p99_ms']} ms ({live['buzz_missing']} missed), "
              f"server CPU {live['server_cpu_measure_s']} s ({live['server_cpu_ms_per_cycle']} ms per opening)"
              + (f", phones per process {live['phones_per_process']}, nginx CPU {live['nginx_cpu_s']} s"
                 if "phones_per_process" in live else "") + " | "
              f"load {part['load_before']}→{part['load_after']}", flush=True)
    ratio_save = cluster["preliminary"]["save_p99_ms"] / single["preliminary"]["save_p99_ms"]
    ratio_open = cluster["live"]["open_p99_ms"] / single["live"]["open_p99_ms"]
    print(f"ratio cluster/single: save_p99 {ratio_save:.2f}, open_p99 {ratio_open:.2f}", flush=True)
    print(f"scale: processes={args.processes} participants={args.participants} "
          f"save_p99={cluster['preliminary']['save_p99_ms']:.0f} ms "
          f"single_save_p99={single['preliminary']['save_p99_ms']:.0f} ms phones={args.phones} "
          f"open_p99={cluster['live']['open_p99_ms']:.0f} ms lost={lost(single) + lost(cluster)}", flush=True)


if __name__ == "__main__":
    main()
