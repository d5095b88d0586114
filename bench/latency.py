"""How fast does a live contest reach hundreds of phones, and what does our server add to a buzz?

    python -m bench.latency [--clients N] [--quick] [--questions Q] [--rounds R] [--workers K]
                            [--phones lean|socketio] [--profile FILE.json] [--json FILE]

A real server process (``python app.py`` with the demo contest, eventlet), N phones (Socket.IO
clients over WebSocket spread over K load-generator processes: lean asyncio clients by default,
python-socketio clients with ``--phones socketio``, see bench.latency_phones), one display and
one host (in a process of their own), all on 127.0.0.1. Measured:

* phones joined per second (connect → snapshot, all phones at once, ``--parallel`` per process);
* host ``OpenBuzzers`` → every phone's ``change`` with phase ``buzzing`` (p50/p99 over all phones
  and openings; t0 is taken just before the host emits);
* one team's ``buzz`` → the display's ``change`` naming the holder (p50/p95/p99; t0 just before the
  phone emits), with ``arrival`` arbitration, i.e. without the compensation window. The window
  is measured apart, in a second run of our server with ``compensated`` arbitration, and the
  crowd of every phone pressing at once by bench.latency_race;
* the server's CPU time (``/proc/<pid>/stat``) and peak memory (``VmHWM``).

The same load (same phones, same clock probes, same sequence of commands and presses, same
measuring code) is then run against a bare python-socketio server in the same async mode that
only relays the messages (bench.latency_bare); ``ratio`` = our buzz p99 / the bare buzz p99.
Our server and the bare one take turns (``--rounds``, default 2: ours, bare, ours, bare), so that
the load of a shared machine drifting during the run falls on both; each run's own p50/p95/p99
are reported too, with their spread (lowest and highest over the runs). Percentiles are nearest
rank: with fewer than 100 presses a "p99" is the slowest press, so give each server hundreds
(``--questions 40 --rounds 4``: 8 presses per question, 320 per server).

The buzzer stage is played with ``second_chance`` on, so each question gives up to 8 openings
and 8 presses (a wrong answer reopens the question to the other teams). The last line is
machine-readable:

    latency: clients=N open_p99=X ms buzz_p99=Y ms bare_buzz_p99=Z ms ratio=R
"""
import argparse
import json
import math
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
from dataclasses import dataclass, field, fields
from pathlib import Path

from tests.live.clients import host_cookie
from tests.live_server import ROOT, LiveServer, free_port

DEFAULT_CLIENTS = 200
PHONES_PER_WORKER = 250
PHONE_MODULES = {"lean": "bench.latency_phones", "socketio": "bench.latency_sio_phones"}
SETTLE_S = 0.1  # pause between steps, so each measurement sees a quiet server (a host takes seconds)
PROBE_SETTLE_S = 2.5  # after the phones joined: the server's first clock probes (6 × 300 ms)
MAX_CONNECTIONS = 5000


# --- the servers ------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now (VmRSS) and at its peak (VmHWM), in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values


def servers_cpu_seconds(pids: list[int]) -> float:
    """utime + stime of every process serving the load (one, or each of a cluster's)."""
    return sum(cpu_seconds(pid) for pid in pids)


def servers_memory_mb(pids: list[int]) -> dict[str, float]:
    """VmRSS and VmHWM of the serving processes, added up."""
    figures = [memory_mb(pid) for pid in pids]
    return {key: sum(figure.get(key, 0.0) for figure in figures) for key in ("VmRSS", "VmHWM")}


def loadavg() -> str:
    """The 1-minute load average of the machine (shared with other work)."""
    return Path("/proc/loadavg").read_text().split()[0]


@dataclass
class OurServer(LiveServer):
    """``python app.py`` with the demo contest (tests/live_server.py), the cap raised, optionally profiled."""

    async_mode: str = "eventlet"  # the default server, whatever CONTEST_TEST_ASYNC_MODE says
    profile: str | None = None  # run the server under bench.latency_profile, results to this file
    arbitration: str = "arrival"
    name: str = "ours"
    max_connections: int = MAX_CONNECTIONS

    @property
    def env(self) -> dict[str, str]:
        """The server's environment, with the connection cap (app.py reads MAX_CONNECTIONS).

        The benchmark's phones stand for that many devices, each with its own address, but share
        127.0.0.1 here: that address gets the connection and connect allowance of all of them.
        """
        return {**super().env, "MAX_CONNECTIONS": str(self.max_connections),
                "MAX_CONNECTIONS_PER_ADDRESS": str(self.max_connections),
                "CONNECT_BURST_PER_ADDRESS": str(self.max_connections)}

    def set_buzzer_rules(self) -> None:
        """The buzzer stage as the benchmark plays it: its arbitration, and a wrong answer reopening it."""
        self.set_stage_rule("buzzer", "arbitration", self.arbitration)
        self.set_stage_rule("buzzer", "second_chance", True)

    def start(self) -> "OurServer":
        """Prepare the buzzer stage's rules, then start (under the profiler when asked)."""
        self.set_buzzer_rules()
        log = open(Path(self.instance) / "server.log", "ab")
        command = ["-m", "bench.latency_profile", self.profile] if self.profile else ["app.py"]
        self.process = subprocess.Popen([sys.executable, *command], cwd=ROOT, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_until_up(60)
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server; kill it if it does not stop within 10 s."""
        try:
            super().stop(sig)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    @property
    def pids(self) -> list[int]:
        """The process serving the load."""
        return [self.process.pid]

    def host_auth(self) -> tuple[dict, str | None]:
        """The host's ``auth`` and login cookie."""
        return {"contest": self.demo["contest"]}, host_cookie(self.url)


@dataclass
class BareServer:
    """bench.latency_bare on a free port, knowing the same phone credentials."""

    demo: dict
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    name: str = "bare"
    gc_stats: str | None = None  # time the garbage collector's pauses into this file (with --profile)
    max_connections: int = MAX_CONNECTIONS

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "BareServer":
        folder = tempfile.mkdtemp(prefix="latency-bare-")
        credentials = Path(folder) / "credentials.json"
        credentials.write_text(json.dumps({t["credential"]: t["id"] for t in self.demo["teams"]}), encoding="utf-8")
        self.log = Path(folder) / "server.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.latency_bare", "--port", str(self.port), "--credentials", str(credentials),
             "--max-connections", str(self.max_connections)] + (["--gc-stats", self.gc_stats] if self.gc_stats else []),
            cwd=ROOT, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/socket.io/?EIO=4&transport=polling", timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"bare server did not answer: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    @property
    def pids(self) -> list[int]:
        return [self.process.pid]

    def host_auth(self) -> tuple[dict, str | None]:
        return {"contest": self.demo["contest"]}, None


# --- the host, the display, the phones ----------------------------------------------------------


class Host:
    """The host console, held by the hall process: commands with acknowledgements."""

    def __init__(self, fleet: "Fleet", url: str, auth: dict, cookie: str | None):
        self.fleet = fleet
        fleet.ask(fleet.hall, {"op": "host", "url": url, "auth": auth, "cookie": cookie})

    def call(self, event: str, data: dict) -> tuple[float, dict]:
        """(time just before the emit, acknowledgement)."""
        answer = self.fleet.ask(self.fleet.hall, {"op": "call", "event": event, "data": data})
        return answer["t0"], answer["reply"]

    def command(self, kind: str, **args) -> dict:
        return self.timed_command(kind, **args)[1]

    def timed_command(self, kind: str, **args) -> tuple[float, dict]:
        return self.call("command", {"type": kind, "client_id": os.urandom(8).hex(), **args})

    def view(self) -> dict:
        """A fresh snapshot (``resync``)."""
        return self.call("resync", {})[1]["view"]


class Fleet:
    """K load-generator processes holding the phones, and the hall process holding the host and the
    display (the two ends of every measurement, alone so that no phone traffic delays them), all
    lean clients (bench.latency_phones) unless the phones are python-socketio clients. Driven over
    loopback TCP, one JSON line per request and per answer."""

    def __init__(self, workers: int, module: str = "bench.latency_phones"):
        listener = socket.create_server(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        modules = [module] * workers + ["bench.latency_phones"]  # the last one is the hall
        self.processes = []
        self.channels = []
        listener.settimeout(60)
        for name in modules:  # one at a time, so that channel i is process i
            self.processes.append(subprocess.Popen([sys.executable, "-m", name, "--control", str(port)], cwd=ROOT,
                                                   start_new_session=True))
            connection, _address = listener.accept()
            self.channels.append((connection.makefile("r", encoding="utf-8"),
                                  connection.makefile("w", encoding="utf-8")))
        listener.close()
        self.owner: dict[int, int] = {}  # phone index -> worker

    def _send(self, worker: int, request: dict) -> None:
        writer = self.channels[worker][1]
        writer.write(json.dumps(request) + "\n")
        writer.flush()

    def _receive(self, worker: int) -> dict:
        return json.loads(self.channels[worker][0].readline())

    @property
    def hall(self) -> int:
        return len(self.channels) - 1

    def ask(self, worker: int, request: dict) -> dict:
        self._send(worker, request)
        answer = self._receive(worker)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def all(self, request_of, phones_only: bool = True) -> list[dict]:
        """Send each worker its request, then collect every answer."""
        workers = range(self.hall if phones_only else len(self.channels))
        for worker in workers:
            self._send(worker, request_of(worker))
        return [self._receive(worker) for worker in workers]

    def connect_display(self, url: str, contest: int, token: str) -> None:
        self.ask(self.hall, {"op": "display", "url": url, "contest": contest, "token": token})

    def await_holder(self, team: int, after: float, timeout: float = 10) -> float | None:
        """When the display learned that ``team`` holds the question (after ``after``), or None."""
        self._send(self.hall, {"op": "await_holder", "team": team, "after": after, "timeout": timeout})
        return self._receive(self.hall)["at"]

    def connect(self, url: str, credentials: list[str], parallel: int, spread: bool = False) -> list[dict]:
        shares: list[list] = [[] for _ in range(self.hall)]
        for index, credential in enumerate(credentials):
            worker = index % self.hall
            shares[worker].append([index, credential])
            self.owner[index] = worker
        return self.all(lambda worker: {"op": "connect", "url": url, "phones": shares[worker], "parallel": parallel,
                                        "spread": spread})

    def await_open(self, token: int, timeout: float) -> list[float | None]:
        answers = self.all(lambda _worker: {"op": "await_open", "token": token, "timeout": timeout})
        return [at for answer in answers for at in answer["times"]]

    def press(self, phone: int, token: int) -> float:
        worker = self.owner[phone]
        self._send(worker, {"op": "press", "phone": phone, "token": token})
        return self._receive(worker)["t0"]

    def acks(self) -> list[dict]:
        return self.all(lambda _worker: {"op": "acks"})

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(process.pid) for process in self.processes if process.poll() is None)

    def close(self) -> None:
        try:
            self.all(lambda _worker: {"op": "close"}, phones_only=False)
        except (OSError, ValueError):
            pass
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


# --- one run ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0–100) of ``values``; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]


@dataclass
class Result:
    """The figures of one server under the load."""

    name: str
    clients: int
    joined: int = 0
    join_seconds: float = math.nan
    opens: list[float] = field(default_factory=list)  # ms, one per phone per opening
    open_missing: int = 0
    openings: int = 0
    open_last: list[float] = field(default_factory=list)  # ms, one per opening: until the last phone had it
    buzzes: list[float] = field(default_factory=list)  # ms, one per press
    buzz_missing: int = 0
    cpu_join: float = 0.0
    cpu_measure: float = 0.0
    measure_seconds: float = 0.0
    client_cpu: float = 0.0
    rss_mb: float = 0.0
    hwm_mb: float = 0.0
    idle_rss_mb: float = 0.0
    load: list[str] = field(default_factory=list)
    acks_ok: int = 0
    refused: list = field(default_factory=list)
    blocks: int = 1
    runs: list = field(default_factory=list)  # each run's own percentiles, for their spread
    window: dict = field(default_factory=dict)  # compensated run: the windows the server chose
    received: dict = field(default_factory=dict)  # event -> [messages, bytes] received by all the phones

    def merge(self, other: "Result") -> "Result":
        """This block's figures together with another block's of the same server."""
        if not self.opens and not self.buzzes:
            return other
        joined = Result(self.name, 0)
        for item in fields(Result):
            mine, theirs = getattr(self, item.name), getattr(other, item.name)
            if item.name in ("name", "window"):
                value = mine or theirs
            elif item.name in ("rss_mb", "hwm_mb", "idle_rss_mb"):
                value = max(mine, theirs)
            elif item.name == "received":
                value = {event: [a + b for a, b in zip(mine.get(event, [0, 0]), theirs.get(event, [0, 0]))]
                         for event in mine.keys() | theirs.keys()}
            else:
                value = mine + theirs
            setattr(joined, item.name, value)
        return joined

    @property
    def joins_per_second(self) -> float:
        return self.joined / self.join_seconds if self.join_seconds else math.nan

    def summary(self) -> dict:
        return {
            "name": self.name, "clients": self.clients, "blocks": self.blocks, "joined": self.joined,
            "joins_per_s": round(self.joins_per_second, 1),
            "openings": self.openings, "open_samples": len(self.opens), "open_missing": self.open_missing,
            "open_p50_ms": round(percentile(self.opens, 50), 1), "open_p99_ms": round(percentile(self.opens, 99), 1),
            "open_max_ms": round(max(self.opens, default=math.nan), 1),
            "open_all_phones_p50_ms": round(percentile(self.open_last, 50), 1),
            "open_p95_ms": round(percentile(self.opens, 95), 1),
            "buzz_samples": len(self.buzzes), "buzz_missing": self.buzz_missing,
            "buzz_p50_ms": round(percentile(self.buzzes, 50), 2), "buzz_p95_ms": round(percentile(self.buzzes, 95), 2),
            "buzz_p99_ms": round(percentile(self.buzzes, 99), 2),
            "runs": self.runs, "spread": spread(self.runs),
            "buzz_max_ms": round(max(self.buzzes, default=math.nan), 2),
            "server_cpu_join_s": round(self.cpu_join, 2),
            "server_cpu_measure_s": round(self.cpu_measure, 2),
            "server_cpu_measure_pct": round(100 * self.cpu_measure / self.measure_seconds, 1)
            if self.measure_seconds else None,
            "server_cpu_ms_per_cycle": round(1000 * self.cpu_measure / self.openings, 1) if self.openings else None,
            "clients_cpu_s": round(self.client_cpu, 1),
            "idle_rss_mb": round(self.idle_rss_mb, 1), "rss_mb": round(self.rss_mb, 1),
            "peak_mb": round(self.hwm_mb, 1), "load": self.load, "acks_ok": self.acks_ok,
            "refused": self.refused[:5],
            "window": self.window,
            "phone_messages": {event: {"count": count, "mean_bytes": round(size / count)}
                               for event, (count, size) in sorted(self.received.items()) if count},
        }


def run_figures(result: Result) -> dict:
    """One run's own percentiles (before it is merged with the other runs of its server)."""
    return {f"{what}_p{share}_ms": round(percentile(values, share), 2)
            for what, values in (("open", result.opens), ("buzz", result.buzzes)) for share in (50, 95, 99)} | {
        "presses": len(result.buzzes), "load": "→".join(result.load)}


def spread(runs: list[dict]) -> dict:
    """For each percentile, its lowest and highest value over the runs: how far one run is from the next."""
    keys = [key for key in (runs[0] if runs else {}) if key.endswith("_ms")]
    return {key: [min(run[key] for run in runs), max(run[key] for run in runs)] for key in keys}


def to_buzzer_stage(host: Host) -> None:
    """Start the contest and skip to the first buzzer stage."""
    ack = host.command("StartContest")
    assert ack.get("ok"), ack
    for _ in range(10):
        assert host.command("StartStage").get("ok")
        if host.view().get("stage", {}).get("kind") == "buzzer":
            return
        assert host.command("EndStage").get("ok")
    raise RuntimeError("the demo has no buzzer stage")


def run(server, demo: dict, clients: int, workers: int, parallel: int, questions: int, buzzes: int,
        phones: str = "lean", log=print, spread: bool = False) -> Result:
    """Start ``server``, bring in the phones, play ``questions`` × ``buzzes`` openings and presses.

    ``spread``: each phone adds a route key of its own to its URL, as a page does, so that a proxy
    in front of several processes spreads them (bench.scale)."""
    result = Result(server.name, clients)
    result.load.append(loadavg())
    fleet = Fleet(workers, PHONE_MODULES[phones])
    server.start()
    pids = server.pids
    try:
        auth, cookie = server.host_auth()
        host = Host(fleet, server.url, auth, cookie)
        fleet.connect_display(server.url, demo["contest"], demo["display_token"])
        to_buzzer_stage(host)
        result.idle_rss_mb = servers_memory_mb(pids)["VmRSS"]

        teams = [team["id"] for team in demo["teams"]]
        credentials = [demo["teams"][index % len(teams)]["credential"] for index in range(clients)]
        cpu0, started = servers_cpu_seconds(pids), time.time()
        answers = fleet.connect(server.url, credentials, parallel, spread)
        result.joined = sum(answer["joined"] for answer in answers)
        last = max((answer["last"] for answer in answers if answer["last"]), default=None)
        result.join_seconds = (last - started) if last else math.nan
        result.cpu_join = servers_cpu_seconds(pids) - cpu0
        errors = [error for answer in answers for error in answer["errors"]]
        log(f"  [{server.name}] {result.joined}/{clients} phones joined in {result.join_seconds:.1f} s"
            + (f"; errors: {errors[:3]}" if errors else ""))
        time.sleep(PROBE_SETTLE_S)

        # Only a phone that joined presses: under overload a server may refuse some connections.
        present = {index for answer in answers for index in answer["phones"]}
        phones_of = {team: [i for i in range(clients) if teams[i % len(teams)] == team and i in present]
                     for team in teams}
        if not all(phones_of.values()):
            raise RuntimeError(f"no phone joined for teams {[team for team, phones in phones_of.items() if not phones]}")
        turn = {team: 0 for team in teams}
        cpu0, client_cpu0, started = servers_cpu_seconds(pids), fleet.cpu_seconds(), time.time()
        for question in range(questions):
            if not host.command("NextQuestion").get("ok"):
                log(f"  [{server.name}] no more questions after {question}")
                break
            order = teams[question % len(teams):] + teams[:question % len(teams)]
            for number, team in enumerate(order[:buzzes]):
                time.sleep(SETTLE_S)
                t0, ack = host.timed_command("OpenBuzzers")
                if not ack.get("ok"):
                    raise RuntimeError(f"OpenBuzzers refused: {ack}")
                token = ack["seq"]
                arrivals = fleet.await_open(token, timeout=10)
                result.openings += 1
                result.opens += [(at - t0) * 1000 for at in arrivals if at is not None]
                result.open_missing += sum(1 for at in arrivals if at is None)
                result.open_last.append((max(at for at in arrivals if at is not None) - t0) * 1000)
                time.sleep(SETTLE_S)
                phone = phones_of[team][turn[team] % len(phones_of[team])]
                turn[team] += 1
                pressed = fleet.press(phone, token)
                shown = fleet.await_holder(team, pressed)
                if shown is None:
                    result.buzz_missing += 1
                else:
                    result.buzzes.append((shown - pressed) * 1000)
                time.sleep(SETTLE_S)
                last_one = number == min(buzzes, len(order)) - 1
                ack = host.command("Judge", verdict="right" if last_one else "wrong")
                if not ack.get("ok"):
                    raise RuntimeError(f"Judge refused: {ack}")
        result.measure_seconds = time.time() - started
        result.cpu_measure = servers_cpu_seconds(pids) - cpu0
        result.client_cpu = fleet.cpu_seconds() - client_cpu0
        memory = servers_memory_mb(pids)
        result.rss_mb, result.hwm_mb = memory["VmRSS"], memory["VmHWM"]
        acks = fleet.acks()
        result.acks_ok = sum(answer["ok"] for answer in acks)
        result.refused = [reason for answer in acks for reason in answer["refused"]]
        for answer in acks:
            for event, (count, size) in answer.get("received", {}).items():
                tally = result.received.setdefault(event, [0, 0])
                tally[0] += count
                tally[1] += size
    except BaseException:
        log(f"  [{server.name}] failed; its files are kept in {getattr(server, 'instance', '?')}")
        raise
    finally:
        fleet.close()
        server.stop()
    if isinstance(server, OurServer):
        shutil.rmtree(server.instance, ignore_errors=True)
    result.load.append(loadavg())
    result.runs = [run_figures(result)]
    return result


def window_figures(path: Path) -> dict:
    """The windows the server chose in the compensated run, and the phones' one-way delays they came from."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    chosen = data.get("compensation window chosen (value, not time)", {})
    delays = data.get("phones' measured one-way delay (value, not time)", {})
    return {"presses": chosen.get("count"), "window_p50_ms": chosen.get("p50_ms"),
            "window_max_ms": chosen.get("max_ms"),
            "phone_delay_p50_ms": delays.get("p50_ms"), "phone_delay_p99_ms": delays.get("p99_ms"),
            "phone_delay_max_ms": delays.get("max_ms")}


# --- the report ---------------------------------------------------------------------------------


def describe(result: Result) -> str:
    s = result.summary()
    messages = ", ".join(f"{event} {tally['count']}× {tally['mean_bytes']} B"
                         for event, tally in s["phone_messages"].items())
    return (f"{s['name']:>12}: joined {s['joined']}/{s['clients']} at {s['joins_per_s']}/s | "
            f"open p50 {s['open_p50_ms']} p99 {s['open_p99_ms']} max {s['open_max_ms']} ms, "
            f"all phones (median opening) {s['open_all_phones_p50_ms']} ms "
            f"({s['openings']} openings, {s['open_missing']} missed) | "
            f"buzz→display p50 {s['buzz_p50_ms']} p95 {s['buzz_p95_ms']} p99 {s['buzz_p99_ms']} "
            f"max {s['buzz_max_ms']} ms, over the runs {s['spread']} "
            f"({s['buzz_samples']} presses, {s['buzz_missing']} missed) | "
            f"server CPU join {s['server_cpu_join_s']} s, measuring {s['server_cpu_measure_s']} s "
            f"({s['server_cpu_measure_pct']}% of one core; {s['server_cpu_ms_per_cycle']} ms per open+press+judge), "
            f"phones' CPU {s['clients_cpu_s']} s | "
            f"RSS idle {s['idle_rss_mb']} MB, end {s['rss_mb']} MB, peak {s['peak_mb']} MB | "
            f"to phones: {messages} | "
            f"load {'→'.join(s['load'])}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS, help="phones (default 200)")
    parser.add_argument("--quick", action="store_true", help="fewer questions: a few minutes in all")
    parser.add_argument("--questions", type=int, help="buzzer questions per server (default 20, quick 6)")
    parser.add_argument("--rounds", type=int, default=2, help="alternate ours/bare this many times (default 2)")
    parser.add_argument("--buzzes", type=int, default=8, help="openings and presses per question (≤ 8)")
    parser.add_argument("--workers", type=int, help="phone processes (default N/250, 2–8), plus one for the display")
    parser.add_argument("--phones", choices=sorted(PHONE_MODULES), default="lean",
                        help="phone client: lean asyncio (default) or python-socketio (a cross-check)")
    parser.add_argument("--parallel", type=int, default=10, help="phones connecting at once per process")
    parser.add_argument("--skip-compensated", action="store_true", help="no run with the compensation window")
    parser.add_argument("--skip-bare", action="store_true", help="no bare-server run (no ratio)")
    parser.add_argument("--profile", metavar="FILE",
                        help="time our server's steps (FILE.json) or cProfile it (FILE.pstats); first round only")
    parser.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    parser.add_argument("--max-connections", type=int, default=MAX_CONNECTIONS,
                        help=f"eventlet's cap on both servers (default {MAX_CONNECTIONS}; eventlet's own is 1024)")
    args = parser.parse_args(argv)

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # inherited by the servers and the phones
    questions = args.questions or (6 if args.quick else 20)
    workers = args.workers or min(8, max(2, math.ceil(args.clients / PHONES_PER_WORKER)))
    buzzes = max(1, min(8, args.buzzes))
    print(f"latency benchmark: {args.clients} phones ({args.phones} clients) in {workers} processes, "
          f"{questions} questions × {buzzes} "
          f"openings/presses, open files limit {hard}, {os.cpu_count()} CPUs, load {loadavg()}", flush=True)

    def ours(arbitration: str, profile: str | None = None) -> OurServer:
        server = OurServer(arbitration=arbitration, profile=profile, name=f"ours/{arbitration}",
                           max_connections=args.max_connections)
        server.prepare()
        return server

    def log(message: str) -> None:
        print(message, flush=True)

    common = dict(clients=args.clients, workers=workers, parallel=args.parallel, buzzes=buzzes, phones=args.phones,
                  log=log)
    demo = ours("arrival").demo
    per_round = max(1, round(questions / args.rounds))
    mine, bare = Result("ours/arrival", 0), Result("bare", 0)
    for number in range(args.rounds):  # ours, bare, ours, bare…: slow drifts of the shared machine hit both
        log(f"round {number + 1}/{args.rounds}")
        profile = args.profile if number == 0 else None  # the first round's server only
        mine = mine.merge(run(ours("arrival", profile), demo, questions=per_round, **common))
        if not args.skip_bare:
            gc_stats = args.profile and number == 0 and args.profile.rsplit(".", 1)[0] + ".bare-gc.json"
            bare = bare.merge(run(BareServer(demo, gc_stats=gc_stats or None, max_connections=args.max_connections),
                                  demo, questions=per_round, **common))
    results = [mine] + ([bare] if not args.skip_bare else [])
    for result in results:
        log(describe(result))
    if not args.skip_compensated:
        watch = Path(tempfile.mkdtemp(prefix="latency-window-")) / "compensated.window.json"
        compensated = run(ours("compensated", str(watch)), demo, questions=max(1, questions // 4), **common)
        results.append(compensated)
        log(describe(compensated))
        window = window_figures(watch)
        compensated.window = window
        log(f"  compensation window the server chose: {window}")

    if args.json:
        Path(args.json).write_text(json.dumps([r.summary() for r in results], ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    ours_summary = results[0].summary()
    bare_p99 = bare.summary()["buzz_p99_ms"] if bare.buzzes else math.nan
    ratio = ours_summary["buzz_p99_ms"] / bare_p99 if bare.buzzes else math.nan
    print(f"latency: clients={args.clients} open_p99={ours_summary['open_p99_ms']:.0f} ms "
          f"buzz_p99={ours_summary['buzz_p99_ms']:.1f} ms bare_buzz_p99={bare_p99:.1f} ms ratio={ratio:.2f}",
          flush=True)


if __name__ == "__main__":
    main()
