"""Every phone presses at once, in ``compensated`` mode: what does the crowd cost, and is every
refused press in the audit?

    python -m bench.latency_race [--clients N] [--races R] [--workers K]

The product's default arbitration is ``compensated``, and a real buzzer question ends with several
teams pressing within a few milliseconds of each other; bench.latency presses one phone at a
time. Here a real server (``python app.py``, eventlet, the demo contest, ``compensated``) gets N
lean phones (bench.latency_phones; N/8 per team) and, for each of R buzzer questions, the host
opens the buzzers and **every** phone presses back to back (each load-generator process emits
its phones' presses in one burst; the processes are told at the same moment). Measured:

* how close together the presses were sent (last minus first emit, per race);
* each press's acknowledgement time (emit → acknowledgement): in compensated mode every press
  of the window is answered when the window closes, so this is the window plus the queue;
* the server's audit (table ``buzz_press`` of its SQLite database, read after it stopped):
  every press has its row, each refused press's row carries the refusal the phone was shown,
  one press per race wins, and it is the earliest compensated press of its race.

The last line is machine-readable:

    race: clients=N races=R spread_p50=S ms ack_p50=A ms ack_p99=B ms audit_rows=M/M mismatches=0 earliest_won=R/R
"""
import argparse
import math
import resource
import sqlite3
import time
from collections import Counter
from pathlib import Path

from bench.latency import (PROBE_SETTLE_S, SETTLE_S, Fleet, Host, OurServer, loadavg, percentile,
                           to_buzzer_stage)

ACK_WAIT_S = 30


def audit_rows(server: OurServer) -> list[sqlite3.Row]:
    """The stopped server's buzz_press rows."""
    with sqlite3.connect(Path(server.instance) / "contest.db") as database:
        database.row_factory = sqlite3.Row
        return database.execute("SELECT open_token, team_id, accepted, outcome, pressed_at, delay_ms "
                                "FROM buzz_press ORDER BY id").fetchall()


def wait_for_answers(fleet: Fleet, count: int) -> list[dict]:
    """Every phone's acknowledgements, once ``count`` have arrived (or ACK_WAIT_S passed)."""
    deadline = time.time() + ACK_WAIT_S
    while True:
        answers = [answer for reply in fleet.acks() for answer in reply["answers"]]
        if len(answers) >= count or time.time() > deadline:
            return answers
        time.sleep(0.2)


def race(clients: int, workers: int, races: int, parallel: int, log=print) -> dict:
    """Run the races; return the figures and the audit check."""
    server = OurServer(arbitration="compensated", name="ours/compensated race")
    server.prepare()
    demo = server.demo
    teams = [team["id"] for team in demo["teams"]]
    team_of = {index: teams[index % len(teams)] for index in range(clients)}
    load = [loadavg()]
    fleet = Fleet(workers)
    server.start()
    sent: dict[tuple[int, int], float] = {}  # (phone, token) -> emit time
    spreads: list[float] = []
    tokens: list[int] = []
    try:
        auth, cookie = server.host_auth()
        host = Host(fleet, server.url, auth, cookie)
        to_buzzer_stage(host)
        fleet.connect(server.url, [demo["teams"][index % len(teams)]["credential"] for index in range(clients)],
                      parallel)
        time.sleep(PROBE_SETTLE_S)
        for _ in range(races):
            if not host.command("NextQuestion").get("ok"):
                break
            token = host.command("OpenBuzzers")["seq"]
            tokens.append(token)
            fleet.await_open(token, timeout=10)
            time.sleep(SETTLE_S)
            emitted = [reply["t0"] for reply in fleet.all(lambda _worker: {"op": "press_all", "token": token})]
            for times in emitted:
                sent.update({(int(phone), token): t0 for phone, t0 in times.items()})
            moments = [t0 for times in emitted for t0 in times.values()]
            spreads.append((max(moments) - min(moments)) * 1000)
            wait_for_answers(fleet, len(sent))
            if not host.command("Judge", verdict="right").get("ok"):
                host.command("CloseBuzzers")
            log(f"  race {len(tokens)}: {len(moments)} presses sent within {spreads[-1]:.1f} ms")
        answers = wait_for_answers(fleet, len(sent))
    finally:
        fleet.close()
        server.stop()
    load.append(loadavg())
    rows = audit_rows(server)
    return check(answers, rows, sent, team_of, tokens, spreads, clients, load)


def check(answers: list[dict], rows: list, sent: dict, team_of: dict, tokens: list[int], spreads: list[float],
          clients: int, load: list[str]) -> dict:
    """Compare what the phones were told with the audit, race by race."""
    told = Counter((a["token"], team_of[a["phone"]], a["ok"], "accepted" if a["ok"] else (a["reason"] or "")[:200])
                   for a in answers)
    stored = Counter((r["open_token"], r["team_id"], bool(r["accepted"]), r["outcome"]) for r in rows)
    earliest_won = 0
    for token in tokens:
        mine = [r for r in rows if r["open_token"] == token]
        winners = [r for r in mine if r["accepted"]]
        if len(winners) == 1 and winners[0]["pressed_at"] == min(r["pressed_at"] for r in mine):
            earliest_won += 1
    acks = [(a["at"] - sent[(a["phone"], a["token"])]) * 1000 for a in answers if (a["phone"], a["token"]) in sent]
    delays = [r["delay_ms"] for r in rows if r["delay_ms"] is not None]
    refused = [a for a in answers if not a["ok"]]
    return {
        "clients": clients, "races": len(tokens), "presses_sent": len(sent), "answered": len(answers),
        "spread_p50_ms": round(percentile(spreads, 50), 1), "spread_max_ms": round(max(spreads, default=math.nan), 1),
        "ack_p50_ms": round(percentile(acks, 50), 1), "ack_p95_ms": round(percentile(acks, 95), 1),
        "ack_p99_ms": round(percentile(acks, 99), 1),
        "refused": len(refused), "refusals": dict(Counter(a["reason"] for a in refused).most_common(4)),
        "audit_rows": len(rows), "mismatches": sum((told - stored).values()) + sum((stored - told).values()),
        "earliest_won": earliest_won,
        "phone_delay_p50_ms": round(percentile(delays, 50), 1), "phone_delay_max_ms": round(max(delays, default=math.nan), 1),
        "load": "→".join(load),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200, help="phones, all pressing in every race (default 200)")
    parser.add_argument("--races", type=int, default=10, help="buzzer questions, one race each (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="phone processes (default 2)")
    parser.add_argument("--parallel", type=int, default=10, help="phones connecting at once per process")
    args = parser.parse_args(argv)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    print(f"race benchmark: {args.clients} phones in {args.workers} processes, {args.races} races, "
          f"load {loadavg()}", flush=True)
    figures = race(args.clients, args.workers, args.races, args.parallel)
    print(figures, flush=True)
    print(f"race: clients={figures['clients']} races={figures['races']} spread_p50={figures['spread_p50_ms']} ms "
          f"ack_p50={figures['ack_p50_ms']} ms ack_p99={figures['ack_p99_ms']} ms "
          f"audit_rows={figures['audit_rows']}/{figures['presses_sent']} mismatches={figures['mismatches']} "
          f"earliest_won={figures['earliest_won']}/{figures['races']}", flush=True)


if __name__ == "__main__":
    main()
