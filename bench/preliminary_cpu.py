"""How much server CPU does one answer save cost, against the bare endpoint's one-row insert?

    python -m bench.preliminary_cpu [--people 20] [--batches 5] [--profile] [--postgres URL]

Wall-clock figures swing with whatever else the machine runs; the CPU a request costs does not.
This drives the real answering route in-process (Flask's test client: the same cookie, CSRF header,
JSON body and default SQLite file as a phone against ``app.py``) for ``--people`` people answering
the benchmark's 20-question paper, and the ceiling's bare endpoint (bench.preliminary_bare) for as
many requests, and prints the process CPU time per request of each (``time.process_time``), the
least of ``--batches`` batches (the least is the one other processes disturbed least) and the median;
and the CPU of one person's arrival (invite page, registration, answering page, start), which a
round pays once per person beside its twenty saves.
``--postgres postgresql+psycopg://root@127.0.0.1:5432/contest_cpu`` runs the platform on a PostgreSQL
database instead (a migrated copy made and dropped through tests/databases.py), psycopg waiting for
the server through ``select`` as the eventlet server has it wait (async_server), though here without
eventlet's hub, which makes each round trip dearer (docs/performance.md runs it under
``eventlet.monkey_patch()`` too); the process's CPU is still only the platform's, PostgreSQL's own is
not counted. The bare endpoint stays on SQLite.
``--profile`` prints where the answer saves spend it (cProfile, top 60 by cumulative time) and the
Python function calls per save, a figure the machine's load does not move.
"""
import argparse
import cProfile
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from async_server import wait_for_postgresql_through_select
from bench.preliminary import PAPER, QUESTIONS
from bench.preliminary_http import CSRF_FIELD, CSRF_META, person_name
from tests.databases import PostgresDatabases


def build_round(app) -> tuple[int, str]:
    """A round open now with the benchmark's paper on the sample bank; its id and one invite link."""
    from contest_setup import bank
    from preliminary import identity, service
    from preliminary.models import utcnow
    from preliminary.settings import window_text

    with app.app_context():
        prelim = service.create_round("CPU 测试初赛")
        start = utcnow() - timedelta(hours=1)
        form = {"name": prelim.name, "window_start": window_text(start),
                "window_end": window_text(start + timedelta(days=1)), "strata": PAPER}
        service.update_round(prelim, form, {"attempts_total": 1, "attempts_per_day": 1, "paper_seconds": 3600},
                             [bank.sample_bank_id()])
        company = service.add_company(prelim, {"name": "测试单位", "headcount": "9999"})
        with app.test_request_context():
            return prelim.id, "/p/" + identity.invite_token(company)


def ready_phone(app, round_id: int, invite: str, number: int):
    """A registered person's client, its CSRF token and its first question."""
    client = app.test_client()
    token = CSRF_FIELD.search(client.get(invite).data).group(1).decode()
    client.post(invite, data={"csrf_token": token, "name": person_name(number), "mobile": f"139{number:08d}"})
    csrf = CSRF_META.search(client.get(f"/p/round/{round_id}").data).group(1).decode()
    state = client.post(f"/p/round/{round_id}/start", json={}, headers={"X-CSRFToken": csrf}).get_json()
    return client, csrf, state


def answer_all(phones: list, round_id: int, rng: random.Random) -> int:
    """Every phone answers its whole paper, a question each in turn; the number of saves."""
    saves = 0
    while phones:
        still = []
        for client, csrf, state in phones:
            question = state["question"]
            payload = {"attempt": question["attempt"], "position": question["position"], "question": question["id"],
                       "choice": rng.choice(question["options"])["value"]}
            reply = client.post(f"/p/round/{round_id}/answer", json=payload, headers={"X-CSRFToken": csrf}).get_json()
            assert reply["saved"], reply
            saves += 1
            if reply["phase"] == "question":
                still.append((client, csrf, reply))
        phones = still
    return saves


def use_postgresql(server_url: str) -> None:
    """Run the platform on a new migrated database of the PostgreSQL server at ``server_url``
    (dropped when this process ends), psycopg waiting as under the eventlet server."""
    wait_for_postgresql_through_select()
    os.environ["DATABASE_URL"] = PostgresDatabases(server_url).create()


def platform_cpu(people: int, batches: int, profile: bool) -> tuple[list[float], list[float]]:
    """CPU ms per answer save of ``batches`` batches of ``people`` people on the platform, and CPU
    ms per person of their arrival (invite page, registration, answering page, start)."""
    os.environ["INSTANCE_PATH"] = tempfile.mkdtemp(prefix="prelim-cpu-")
    from factory import create_app

    app = create_app()
    round_id, invite = build_round(app)
    profiler = cProfile.Profile() if profile else None
    figures, arrivals = [], []
    for batch in range(batches):
        started = time.process_time()
        phones = [ready_phone(app, round_id, invite, batch * people + number) for number in range(people)]
        arrivals.append((time.process_time() - started) / people * 1000)
        started = time.process_time()
        if profiler:
            profiler.enable()
        saves = answer_all(phones, round_id, random.Random(batch))
        if profiler:
            profiler.disable()
        figures.append((time.process_time() - started) / saves * 1000)
    if profiler:
        stats = pstats.Stats(profiler)
        print(f"python function calls per save: {stats.total_calls / (people * QUESTIONS * batches):.0f}")
        stats.sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return figures, arrivals


def bare_cpu(requests: int, batches: int) -> list[float]:
    """CPU ms per post to the ceiling's bare endpoint, ``batches`` batches of ``requests``, in a
    process of its own (the bare server's module monkey-patches for eventlet when imported)."""
    output = subprocess.run([sys.executable, "-m", "bench.preliminary_cpu", "--bare", str(requests),
                             "--batches", str(batches)], check=True, capture_output=True, text=True).stdout
    return [float(figure) for figure in output.split()]


def bare_cpu_here(requests: int, batches: int) -> list[float]:
    """``bare_cpu`` in this process."""
    from bench.preliminary_bare import build

    client = build(str(Path(tempfile.mkdtemp(prefix="prelim-bare-")) / "bare.db")).test_client()
    figures = []
    for _ in range(batches):
        started = time.process_time()
        for number in range(requests):
            client.post("/save", json={"client": 1, "sequence": number, "choice": "A"})
        figures.append((time.process_time() - started) / requests * 1000)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20, help="people per batch (20 answers each)")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--postgres", metavar="URL", help="run the platform on a copy made on this PostgreSQL server")
    parser.add_argument("--bare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        print(*bare_cpu_here(args.bare, args.batches))
        return
    if args.postgres:
        use_postgresql(args.postgres)
    platform, arrivals = platform_cpu(args.people, args.batches, args.profile)
    bare = bare_cpu(args.people * QUESTIONS, args.batches)
    print(f"preliminary_cpu: saves={args.people * QUESTIONS * args.batches} save_cpu={min(platform):.2f} ms "
          f"(median {statistics.median(platform):.2f}) bare_cpu={min(bare):.2f} ms "
          f"(median {statistics.median(bare):.2f}) ratio={min(platform) / min(bare):.1f} "
          f"arrival_cpu={min(arrivals):.1f} ms/person")


if __name__ == "__main__":
    main()
