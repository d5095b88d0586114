"""``python app.py`` with the time of its hot paths measured, for bench.latency --profile.

    python -m bench.latency_profile FILE.json         # wall time of each step of a buzz / a command
    python -m bench.latency_profile FILE.window.json  # only the compensation window the server chooses
    python -m bench.latency_profile FILE.pstats       # cProfile of the whole server

Results are written when the server receives SIGTERM (bench.latency stops it so).

``.json``: the steps of a press and of a host command are wrapped with timers (nothing in
live/ or contest/ is edited; their module attributes are replaced in this process only). Under
eventlet none of these steps yields to another green thread (SQLite and the view code never
wait on a socket; ``emit`` only queues the packet), so each step's wall time is its own cost.
Also recorded: how long after a press arrived the display's ``change`` was queued, and how long
the handler still ran after that, i.e. before the packet could be written to the display's
socket (the writer green threads run only when the handler yields).

With ``.json``, the press handler alone is also run under cProfile (``FILE.buzz.pstats``): it
never yields, so that profile is exact.

``.pstats``: cProfile over every green thread (one OS thread); cumulative times are confused by
green-thread switches, but the own time (``tottime``) of C calls and short functions is sound.
"""
import os
import sys

from async_server import monkey_patch_for

monkey_patch_for(os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet"))

import cProfile  # noqa: E402
import functools  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402

import app  # noqa: E402

TIMES: dict[str, list[float]] = defaultdict(list)  # wall time (ms)
CPU: dict[str, list[float]] = defaultdict(list)  # CPU time of the server's one thread (ms): others' load does not count
YIELDS: dict[str, list[int]] = defaultdict(list)  # green-thread switches during the step (0: it never yielded)
SWITCHES = [0]
BUZZ_PROFILE = cProfile.Profile()  # only inside the press handler, which never yields: exact
CURRENT = {"buzz": None}  # arrival (perf_counter) of the press being handled


def timed(name: str, function):
    """``function``, timing every call under ``name`` (ms)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start, cpu, switches = time.perf_counter(), time.thread_time(), SWITCHES[0]
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[name].append((time.perf_counter() - start) * 1000)
            CPU[name].append((time.thread_time() - cpu) * 1000)
            YIELDS[name].append(SWITCHES[0] - switches)

    return wrapper


def watch_window() -> None:
    """Record the compensation window the server chooses, and the phones' delays it is chosen from."""
    import live.buzzer

    original_window = live.buzzer.window_ms

    def window_ms(*args, **kwargs):
        value = original_window(*args, **kwargs)
        TIMES["compensation window chosen (value, not time)"].append(value)
        if args:
            TIMES["phones' measured one-way delay (value, not time)"].extend(args[0])
        return value

    live.buzzer.window_ms = window_ms


def instrument() -> None:
    """Wrap the steps of the live paths (module attributes, as the callers look them up)."""
    import contest.engine
    import contest.views
    import live.buzzer
    import live.clock_sync
    import live.namespaces
    import live.audiences
    import play.service
    from extensions import socketio

    original_handle_buzz = live.buzzer.handle_buzz

    def handle_buzz(*args, **kwargs):
        CURRENT["buzz"] = start = time.perf_counter()
        cpu = time.thread_time()
        BUZZ_PROFILE.enable()
        try:
            return original_handle_buzz(*args, **kwargs)
        finally:
            BUZZ_PROFILE.disable()
            TIMES["buzz: handler total"].append((time.perf_counter() - start) * 1000)
            CPU["buzz: handler total"].append((time.thread_time() - cpu) * 1000)
            if CURRENT.get("display_at") is not None:
                TIMES["buzz: handler ran on after the display's change was queued"].append(
                    (time.perf_counter() - CURRENT["display_at"]) * 1000)
            CURRENT.update(buzz=None, display_at=None)

    live.namespaces.handle_buzz = handle_buzz
    live.buzzer.execute = timed("execute (buzz)", live.buzzer.execute)
    live.namespaces.execute = timed("execute (host command)", live.namespaces.execute)
    play.service.add_presses = timed("buzz: press row (stored with its event)", play.service.add_presses)
    play.service.store_presses = timed("buzz: press rows (refused, stored together)", play.service.store_presses)
    live.buzzer.clock_sync = timed("buzz: clock_sync()", live.buzzer.clock_sync)
    play.service.apply = timed("engine apply (decide+deepcopy+evolve)", play.service.apply)
    contest.engine.copy = type("TimedCopy", (), {"deepcopy": staticmethod(
        timed("engine copy.deepcopy(state)", contest.engine.copy.deepcopy))})
    contest.engine.evolve = timed("engine evolve", contest.engine.evolve)
    play.service.append_events = timed("append_events (SQLite commit)", play.service.append_events)
    live.audiences.publish = publish = timed("publish (all audiences)", live.audiences.publish)
    live.buzzer.publish = publish
    live.audiences.view_for = timed("view_for (one audience)", live.audiences.view_for)
    live.audiences.for_host = timed("for_host", live.audiences.for_host)
    live.audiences.for_display = timed("for_display", live.audiences.for_display)
    live.audiences.for_team = timed("for_team", live.audiences.for_team)
    contest.views.host_commands = timed("host_commands (host view)", contest.views.host_commands)
    live.audiences.diff = timed("diff (merge patch)", live.audiences.diff)
    live.audiences.join = timed("join (connect: snapshot + publish)", live.audiences.join)
    live.audiences.leave = timed("leave", live.audiences.leave)
    watch_window()
    live.clock_sync.ClockSync.probe_due = timed("clock probes (one tick)", live.clock_sync.ClockSync.probe_due)

    original_emit = socketio.emit

    def emit(event, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original_emit(event, *args, **kwargs)
        finally:
            done = time.perf_counter()
            TIMES[f"socketio.emit {event} {kwargs.get('namespace')}"].append((done - start) * 1000)
            payload = args[0] if args else None
            stage = payload.get("patch", {}).get("stage") if isinstance(payload, dict) else None
            if (CURRENT["buzz"] is not None and kwargs.get("namespace") == "/display" and isinstance(stage, dict)
                    and isinstance(stage.get("holder"), int)):
                CURRENT["display_at"] = done
                TIMES["buzz: arrival → display's change queued"].append((done - CURRENT["buzz"]) * 1000)

    socketio.emit = emit

    import gc

    started = {}

    def collecting(phase, info):
        if phase == "start":
            started["at"] = time.perf_counter()
        elif "at" in started:
            TIMES[f"gc pause, generation {info['generation']}"].append((time.perf_counter() - started.pop("at")) * 1000)

    gc.callbacks.append(collecting)


def summary() -> dict:
    """count, total, p50, p99 and max (ms) of each timer; with the mean CPU time where measured."""
    import gc

    result = {"gc: objects tracked at the end": len(gc.get_objects()), "gc: thresholds": gc.get_threshold()}
    for name, values in sorted(TIMES.items()):
        ordered = sorted(values)
        result[name] = {"count": len(ordered), "total_ms": round(sum(ordered), 1),
                        "p50_ms": round(ordered[len(ordered) // 2], 3),
                        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 3),
                        "max_ms": round(ordered[-1], 3)}
        if CPU.get(name):
            cpu = sorted(CPU[name])
            result[name].update(cpu_mean_ms=round(sum(cpu) / len(cpu), 3), cpu_p50_ms=round(cpu[len(cpu) // 2], 3),
                                switches_mean=round(sum(YIELDS[name]) / max(1, len(YIELDS[name])), 2))
    return result


def main() -> None:
    target = sys.argv[1]
    if target.endswith(".window.json"):
        watch_window()

        def stop(_signum, _frame):
            try:
                with open(target, "w", encoding="utf-8") as file:
                    json.dump(summary(), file, ensure_ascii=False, indent=1)
            finally:
                os._exit(0)
    elif target.endswith(".json"):
        import greenlet

        def count(_event, _args):
            SWITCHES[0] += 1

        greenlet.settrace(count)
        instrument()

        def stop(_signum, _frame):
            try:
                with open(target, "w", encoding="utf-8") as file:
                    json.dump(summary(), file, ensure_ascii=False, indent=1)
                BUZZ_PROFILE.dump_stats(target.removesuffix(".json") + ".buzz.pstats")
            finally:
                os._exit(0)
    else:
        profiler = cProfile.Profile()

        def stop(_signum, _frame):
            profiler.disable()
            profiler.dump_stats(target)
            os._exit(0)

        profiler.enable()
    signal.signal(signal.SIGTERM, stop)
    app.main()


if __name__ == "__main__":
    main()
