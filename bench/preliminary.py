"""How many answers a second can the preliminary round store, and how fast, against the hardware's own ceiling?

    python -m bench.preliminary --participants N [--workers K] [--ramp S] [--pace S] [--companies C]
                                [--ceiling-connections 64] [--ceiling-seconds S] [--quick] [--json FILE]

A real server process (``python app.py``, eventlet, the default SQLite under a fresh instance
folder) with a round of C companies and a 20-question paper. N participants (lightweight HTTP/1.1
keep-alive clients, one connection each like a phone, spread over K load-generator processes,
bench.preliminary_http) arrive evenly over ``--ramp`` seconds; each opens its company's invite
link, registers, opens the answering page, starts, and answers its 20 questions one at a time,
thinking ``--pace`` seconds (±50 %) before each. Measured:

* answers saved per second (acknowledged saves; ``rate`` is the sustained rate between the 10th and
  the 90th percentile of acknowledgement times, ``peak`` the busiest 10 s);
* answer-save latency p50/p99 (request sent → acknowledgement read, at the client);
* the server's CPU (``/proc/<pid>/stat``) and peak memory (``VmHWM``);
* afterwards, every answer a client saw acknowledged is looked up in the database: ``lost`` counts
  the missing ones (must be 0).

Then the ceiling: the same kind of clients, ``--ceiling-connections`` of them posting as fast as
they can for ``--ceiling-seconds`` to bench.preliminary_bare, a bare Flask endpoint on the same
eventlet server that only inserts one row per request into SQLite. The last line is
machine-readable:

    preliminary: participants=N answers=M save_p99=X ms lost=0 rate=R/s ceiling=C/s
"""
import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from bench.latency import cpu_seconds, loadavg, percentile, servers_cpu_seconds, servers_memory_mb
from bench.preliminary_http import run_worker
from tests.live_server import ROOT, LiveServer, free_port

QUESTIONS = 20
PAPER = "单选 任意 任意 12\n多选 任意 任意 3\n判断 任意 任意 5"
MAX_CONNECTIONS = 5000

_SETUP_SCRIPT = """
import json, sys
from datetime import timedelta
from factory import create_app
from preliminary import identity, service
from preliminary.models import utcnow
from preliminary.settings import window_text
from contest_setup import bank
companies, paper = int(sys.argv[1]), sys.argv[2]
app = create_app()
with app.app_context():
    prelim = service.create_round("性能测试初赛")
    start = utcnow() - timedelta(hours=1)
    form = {"name": "性能测试初赛", "window_start": window_text(start), "window_end": window_text(start + timedelta(days=1)),
            "strata": paper}
    service.update_round(prelim, form, {"attempts_total": 1, "attempts_per_day": 1, "paper_seconds": 3600},
                         [bank.sample_bank_id()])
    for number in range(companies):
        service.add_company(prelim, {"name": f"测试单位{number + 1:03d}", "headcount": "200"})
    with app.test_request_context():
        print(json.dumps({"round": prelim.id, "invites": ["/p/" + identity.invite_token(c) for c in prelim.companies]}))
"""


@dataclass
class RoundServer(LiveServer):
    """``python app.py`` (eventlet) on a fresh instance with the demo and a benchmark round."""

    async_mode: str = "eventlet"
    companies: int = 100
    max_connections: int = MAX_CONNECTIONS

    @property
    def env(self) -> dict[str, str]:
        """The server's environment with its connection caps. The benchmark's participants stand for
        that many phones, each with its own address, but share 127.0.0.1 here: that address gets
        the allowance of all of them (otherwise the 601st phone's connection was closed at once)."""
        return {**super().env, "MAX_CONNECTIONS": str(self.max_connections),
                "MAX_CONNECTIONS_PER_ADDRESS": str(self.max_connections)}

    def prepare(self) -> None:
        super().prepare()
        output = subprocess.run([sys.executable, "-c", _SETUP_SCRIPT, str(self.companies), PAPER], cwd=ROOT,
                                env=self.env, check=True, capture_output=True, text=True).stdout
        self.demo["bench"] = json.loads(output.strip().splitlines()[-1])

    @property
    def database_url(self) -> str:
        """The database the answers are stored in (a copy on PostgreSQL, else the instance's SQLite file)."""
        return self.database.get("DATABASE_URL") or f"sqlite:///{Path(self.instance) / 'contest.db'}"

    @property
    def pids(self) -> list[int]:
        """The process serving the load."""
        return [self.process.pid]


def run_workers(jobs: list[dict]) -> list[dict]:
    """Run the jobs in as many processes, each with its own event loop."""
    with ProcessPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run_worker, jobs))


def merged(outcomes: list[dict]) -> dict:
    """The workers' measurements together."""
    total = {"saves_ms": [], "saves_ended": [], "save_times": [], "acked": [], "refused": {}, "error_kinds": {}, "errors": 0, "finished": 0,
             "busy_replies": 0}
    for outcome in outcomes:
        for key in ("saves_ms", "saves_ended", "save_times", "acked"):
            total[key] += outcome[key]
        for kind in ("refused", "error_kinds"):
            for reason, count in outcome[kind].items():
                total[kind][reason] = total[kind].get(reason, 0) + count
        for count in ("errors", "finished", "busy_replies"):
            total[count] += outcome[count]
    return total


def sustained_rate(times: list[float]) -> float:
    """Acknowledgements per second between the 10th and the 90th percentile of their times."""
    if len(times) < 10:
        return math.nan
    ordered = sorted(times)
    low, high = ordered[len(ordered) // 10], ordered[len(ordered) * 9 // 10]
    return (len(ordered) * 8 // 10) / (high - low) if high > low else math.nan


def peak_rate(times: list[float], window: float = 10.0) -> float:
    """Acknowledgements per second in the busiest ``window`` seconds."""
    ordered, best, first = sorted(times), 0, 0
    for last, moment in enumerate(ordered):
        while moment - ordered[first] > window:
            first += 1
        best = max(best, last - first + 1)
    return best / window


def p99_by_minute(saves_ms: list[float], ended: list[float], start: float) -> list[list]:
    """``[minute, saves, p99 ms]`` for each minute of the run from ``start``: whether slow saves were
    spread over the run (the server short of CPU throughout) or bunched in a few moments (a stall)."""
    minutes: dict[int, list[float]] = {}
    for ms, at in zip(saves_ms, ended):
        minutes.setdefault(int((at - start) // 60), []).append(ms)
    return [[minute, len(values), round(percentile(values, 99), 1)] for minute, values in sorted(minutes.items())]


def lost_answers(database_url: str, acked: list[list]) -> int:
    """How many acknowledged answers are not in the database."""
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        stored = set(map(tuple, connection.execute(
            sa.text("SELECT attempt_id, position, question_id, choice FROM prelim_answer"))))
    engine.dispose()
    return sum(1 for item in acked if tuple(item) not in stored)


def measure_round(args: argparse.Namespace, server: RoundServer | None = None) -> dict:
    """The participants' run against the real server (or ``server``: bench.scale's processes behind nginx)."""
    server = server or RoundServer(companies=args.companies, max_connections=max(MAX_CONNECTIONS, args.participants + 100))
    server.start()
    try:
        bench = server.demo["bench"]
        t0 = time.time() + 2
        spacing = args.ramp / max(1, args.participants)
        people = [(number, number * spacing) for number in range(args.participants)]
        jobs = [{"kind": "round", "port": server.port, "round": bench["round"], "invites": bench["invites"],
                 "t0": t0, "pace": args.pace, "seed": worker, "people": people[worker::args.workers]}
                for worker in range(args.workers)]
        cpu_before, started = servers_cpu_seconds(server.pids), time.time()
        total = merged(run_workers(jobs))
        seconds = time.time() - started
        cpu = servers_cpu_seconds(server.pids) - cpu_before
        memory = servers_memory_mb(server.pids)
        total["lost"] = lost_answers(server.database_url, total["acked"])
    finally:
        server.stop()
    return {
        "participants": args.participants, "finished": total["finished"], "errors": total["errors"],
        "error_kinds": total["error_kinds"], "busy_replies": total["busy_replies"], "answers": len(total["acked"]),
        "refused": total["refused"], "lost": total["lost"],
        "seconds": round(seconds, 1),
        "rate": round(sustained_rate(total["save_times"]), 1), "peak_rate_10s": round(peak_rate(total["save_times"]), 1),
        "save_p50_ms": round(percentile(total["saves_ms"], 50), 1), "save_p99_ms": round(percentile(total["saves_ms"], 99), 1),
        "save_max_ms": round(max(total["saves_ms"], default=math.nan), 1),
        "save_p99_by_minute": p99_by_minute(total["saves_ms"], total["saves_ended"], started),
        "server_cpu_s": round(cpu, 1), "server_cpu_pct": round(100 * cpu / seconds, 1),
        "server_cpu_ms_per_answer": round(1000 * cpu / max(1, len(total["acked"])), 2),
        "peak_mb": round(memory.get("VmHWM", math.nan), 1), "load": loadavg(),
    }


def measure_ceiling(args: argparse.Namespace) -> dict:
    """The bare insert-one-row endpoint under ``--ceiling-connections`` clients posting flat out."""
    port, folder = free_port(), tempfile.mkdtemp(prefix="prelim-bare-")
    process = subprocess.Popen([sys.executable, "-m", "bench.preliminary_bare", "--port", str(port), "--database",
                                str(Path(folder) / "bare.db")], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/")
        workers = min(args.workers, args.ceiling_connections)
        share = [args.ceiling_connections // workers + (i < args.ceiling_connections % workers) for i in range(workers)]
        jobs = [{"kind": "hammer", "port": port, "connections": n, "seconds": args.ceiling_seconds} for n in share]
        cpu_before = cpu_seconds(process.pid)
        total = merged(run_workers(jobs))
        cpu = cpu_seconds(process.pid) - cpu_before
    finally:
        process.terminate()
        process.wait(timeout=10)
    return {"connections": args.ceiling_connections, "saves": len(total["save_times"]),
            "rate": round(len(total["save_times"]) / args.ceiling_seconds, 1),
            "save_p50_ms": round(percentile(total["saves_ms"], 50), 1), "save_p99_ms": round(percentile(total["saves_ms"], 99), 1),
            "server_cpu_pct": round(100 * cpu / args.ceiling_seconds, 1), "errors": total["errors"], "load": loadavg()}


def _wait_until_up(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4, help="load-generator processes")
    parser.add_argument("--ramp", type=float, default=None, help="arrivals spread over this many seconds")
    parser.add_argument("--pace", type=float, default=3.0, help="seconds of thought before each answer (±50 %%)")
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--ceiling-connections", type=int, default=64)
    parser.add_argument("--ceiling-seconds", type=float, default=15.0)
    parser.add_argument("--quick", action="store_true", help="200 participants over 30 s")
    parser.add_argument("--json", help="write every figure to this file")
    args = parser.parse_args()
    if args.quick:
        args.participants, args.ramp, args.ceiling_seconds = 200, args.ramp or 30.0, 8.0
    if args.ramp is None:
        args.ramp = max(30.0, args.participants / 25)  # 25 arrivals a second: 5,000 people in 200 s
    return args


def main() -> None:
    args = arguments()
    round_figures = measure_round(args)
    print("round:", json.dumps(round_figures, ensure_ascii=False), flush=True)
    ceiling = measure_ceiling(args)
    print("ceiling:", json.dumps(ceiling, ensure_ascii=False), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"round": round_figures, "ceiling": ceiling}, ensure_ascii=False, indent=2))
    print(f"preliminary: participants={args.participants} answers={round_figures['answers']} "
          f"save_p99={round_figures['save_p99_ms']:.0f} ms lost={round_figures['lost']} "
          f"rate={round_figures['rate']:.0f}/s ceiling={ceiling['rate']:.0f}/s", flush=True)


if __name__ == "__main__":
    main()
