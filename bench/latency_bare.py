"""The yardstick for bench.latency: a bare python-socketio server that only relays messages.

Same async server as the platform (eventlet, monkey-patched, ``eventlet.wsgi`` with the same
connection cap, listen backlog, garbage-collector tuning and transport ping interval, and the
same publishing order: the display first, then the phones, then the host), same namespaces and rooms (``/host``, ``/display``, ``/team`` with one room per
team), and the same traffic: a ``snapshot`` on connect, a ``change`` to the host and the display
when someone arrives or leaves, ``clock_probe`` to every phone on the platform's schedule
(6 probes 300 ms apart, then one every 5 s), host ``command`` and team ``buzz`` acknowledged and
relayed as ``change`` to every audience's room. It keeps only what relaying needs (phase, open
token, holder, teams out): no database, no rules engine, no per-audience views.

    python -m bench.latency_bare --port P --credentials FILE [--max-connections N]

``FILE`` is JSON ``{"<phone credential>": <team id>, …}`` (the demo's credentials, so the phones
connect with exactly the same ``auth`` as to the platform). Loopback only.
"""
from async_server import LISTEN_BACKLOG, silence_eventlet_notice, tune_garbage_collector

silence_eventlet_notice()

import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402

import eventlet.wsgi  # noqa: E402
import socketio  # noqa: E402

FIRST_PROBES, FIRST_INTERVAL_MS, REFRESH_INTERVAL_MS, TICK_S = 6, 300, 5000, 0.1  # as live/clock_sync.py
PING_INTERVAL_S = 10  # the transport's ping, as config.SOCKETIO_PING_INTERVAL


def now_ms() -> int:
    """Server clock in ms."""
    return int(time.time() * 1000)


def build(credentials: dict[str, int]) -> socketio.Server:
    """The relay server with its handlers."""
    sio = socketio.Server(async_mode="eventlet", max_http_buffer_size=64 * 1024, ping_interval=PING_INTERVAL_S)
    teams = sorted(set(credentials.values()))
    state = {"seq": 1, "phase": "intro", "token": None, "holder": None, "out": set()}
    presence: Counter = Counter()
    phones: dict[str, dict] = {}  # sid -> {"team", "probes", "next"}

    def audiences():
        """In the platform's publishing order (live.audiences.publish): the display, the phones, the host."""
        yield "/display", "display"
        for team in teams:
            yield "/team", f"team:{team}"
        yield "/host", "host"

    def publish(stage: dict, events: list[dict], only: tuple[str, ...] | None = None) -> None:
        base = state["seq"] - 1 if events else state["seq"]
        payload = {"seq": state["seq"], "base_seq": base, "server_now": now_ms(), "patch": {"stage": stage},
                   "events": events}
        for namespace, room in audiences():
            if only is None or room in only:
                sio.emit("change", payload, to=room, namespace=namespace)
                if room == "display":
                    sio.sleep(0)  # as the platform: the projector's message leaves first

    def presence_changed() -> None:
        payload = {"seq": state["seq"], "base_seq": state["seq"], "server_now": now_ms(),
                   "patch": {"presence": {key: count for key, count in presence.items() if count}}, "events": []}
        sio.emit("change", payload, to="display", namespace="/display")
        sio.emit("change", payload, to="host", namespace="/host")

    def snapshot() -> dict:
        stage = {"kind": "buzzer", "phase": state["phase"], "open_token": state["token"], "holder": state["holder"]}
        return {"seq": state["seq"], "server_now": now_ms(), "view": {"stage": stage}}

    def arrive(sid: str, namespace: str, room: str) -> None:
        sio.emit("snapshot", snapshot(), to=sid, namespace=namespace)
        sio.enter_room(sid, room, namespace=namespace)
        presence[room] += 1
        presence_changed()

    def event(kind: str, **data) -> dict:
        state["seq"] += 1
        return {"kind": kind, "seq": state["seq"], "at": now_ms(), **data}

    @sio.on("connect", namespace="/host")
    def host_connect(sid, environ, auth=None):
        arrive(sid, "/host", "host")

    @sio.on("connect", namespace="/display")
    def display_connect(sid, environ, auth=None):
        arrive(sid, "/display", "display")

    @sio.on("connect", namespace="/team")
    def team_connect(sid, environ, auth=None):
        team = credentials.get((auth or {}).get("credential")) if isinstance(auth, dict) else None
        if team is None:
            raise socketio.exceptions.ConnectionRefusedError("手机未加入队伍")
        phones[sid] = {"team": team, "probes": 0, "next": 0}
        arrive(sid, "/team", f"team:{team}")

    def leave(sid: str, room: str) -> None:
        presence[room] -= 1
        presence_changed()

    @sio.on("disconnect", namespace="/host")
    def host_disconnect(sid, reason=None):
        leave(sid, "host")

    @sio.on("disconnect", namespace="/display")
    def display_disconnect(sid, reason=None):
        leave(sid, "display")

    @sio.on("disconnect", namespace="/team")
    def team_disconnect(sid, reason=None):
        phone = phones.pop(sid, None)
        if phone:
            leave(sid, f"team:{phone['team']}")

    @sio.on("command", namespace="/host")
    def command(sid, payload):
        kind = payload.get("type") if isinstance(payload, dict) else None
        if kind == "NextQuestion":
            state.update(phase="reading", holder=None, out=set())
            publish({"phase": "reading", "holder": None, "out": []}, [event("QuestionShown")])
        elif kind == "OpenBuzzers":
            opened = event("BuzzersOpened", deadline=now_ms() + 10_000)
            state.update(phase="buzzing", token=opened["seq"])
            opened["token"] = opened["seq"]
            publish({"phase": "buzzing", "open_token": state["token"], "deadline": opened["deadline"]}, [opened])
        elif kind == "Judge":
            if payload.get("verdict") == "wrong":
                state["out"].add(state["holder"])
                state.update(phase="reading", holder=None)
            else:
                state["phase"] = "judged"
            publish({"phase": state["phase"], "holder": state["holder"], "out": sorted(state["out"])},
                    [event("Judged", verdict=payload.get("verdict"))])
        else:
            publish({}, [event(str(kind))])
        return {"ok": True, "seq": state["seq"]}

    @sio.on("buzz", namespace="/team")
    def buzz(sid, payload):
        team = phones.get(sid, {}).get("team")
        if not isinstance(payload, dict) or team is None:
            return {"ok": False, "reason": "无效"}
        if state["phase"] != "buzzing" or team in state["out"] or payload.get("open_token") != state["token"]:
            return {"ok": False, "reason": "现在不能抢答"}
        won = event("BuzzWon", team=team, pressed_at=payload.get("pressed_at"), deadline=now_ms() + 20_000)
        state.update(phase="answering", holder=team)
        publish({"phase": "answering", "holder": team, "deadline": won["deadline"]}, [won])
        return {"ok": True, "seq": state["seq"]}

    @sio.on("resync", namespace="*")
    def resync(namespace, sid, payload=None):
        return snapshot()

    @sio.on("clock", namespace="*")
    def clock(namespace, sid, payload=None):
        return {"t0": (payload or {}).get("t0"), "server_now": now_ms()}

    def probe_loop() -> None:
        while True:
            sio.sleep(TICK_S)
            now = now_ms()
            due = [sid for sid, phone in phones.items() if phone["next"] <= now]
            for sid in due:
                phone = phones[sid]
                phone["probes"] += 1
                phone["next"] = now + (FIRST_INTERVAL_MS if phone["probes"] < FIRST_PROBES else REFRESH_INTERVAL_MS)
                sio.emit("clock_probe", {"s0": now}, to=sid, namespace="/team", callback=lambda reply=None: None)

    sio.start_background_task(probe_loop)
    return sio


def record_gc_pauses(target: str) -> None:
    """Time every garbage collection; write the pauses (ms) by generation to ``target`` on SIGTERM."""
    import gc
    import os
    import signal

    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started = {}

    def collecting(phase, info):
        if phase == "start":
            started["at"] = time.perf_counter()
        elif "at" in started:
            pauses[info["generation"]].append((time.perf_counter() - started.pop("at")) * 1000)

    def stop(_signum, _frame):
        try:
            summary = {"objects": len(gc.get_objects())}
            for generation, values in pauses.items():
                values.sort()
                summary[f"gc pause, generation {generation}"] = {
                    "count": len(values), "total_ms": round(sum(values), 1),
                    "p50_ms": round(values[len(values) // 2], 3) if values else None,
                    "max_ms": round(values[-1], 3) if values else None}
            with open(target, "w", encoding="utf-8") as file:
                json.dump(summary, file, indent=1)
        finally:
            os._exit(0)

    gc.callbacks.append(collecting)
    signal.signal(signal.SIGTERM, stop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--max-connections", type=int, default=5000)
    parser.add_argument("--gc-stats", metavar="FILE", help="time the garbage collector's pauses, written on SIGTERM")
    args = parser.parse_args()
    if args.gc_stats:
        record_gc_pauses(args.gc_stats)
    with open(args.credentials, encoding="utf-8") as file:
        credentials = {key: int(value) for key, value in json.load(file).items()}
    sio = build(credentials)
    app = socketio.WSGIApp(sio)
    listener = eventlet.listen(("127.0.0.1", args.port), backlog=LISTEN_BACKLOG)
    print(f"bare relay on 127.0.0.1:{args.port}", flush=True)
    tune_garbage_collector()  # as app.py: the same collector settings as the platform
    eventlet.wsgi.server(listener, app, log_output=False, max_size=args.max_connections)


if __name__ == "__main__":
    main()
