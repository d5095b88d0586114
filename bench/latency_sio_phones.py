"""One load-generator process of bench.latency --phones socketio: phones as python-socketio clients.

The cross-check of bench.latency_phones (the default, a lean asyncio client): the same control
protocol (without the host and display, which stay lean), with the reference client library. It
costs about five times more CPU per received message (≈0.5 ms against ≈0.1 ms here), and on a
2-core machine shared with the server that cost shows up in the measured latencies.

Each phone is a ``socketio.Client`` on the WebSocket transport, connected to ``/team`` with its
team's credential, answering the server's ``clock_probe`` at once. The process is monkey-patched
by eventlet, so its clients' reader and writer threads are green threads: a few hundred phones
per process cost little memory and no OS thread switching.

The coordinator (bench.latency) drives it with the control protocol of bench.latency_phones
(its module docstring lists the operations), except ``host`` and ``call``.
"""
from async_server import silence_eventlet_notice

silence_eventlet_notice()

import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

import socketio  # noqa: E402

from bench.latency_watch import HolderWatch, OpeningWatch, clock_reply  # noqa: E402

NAMESPACE = "/team"


class Phone:
    """One phone: records when it saw each opening of the buzzers."""

    def __init__(self, index: int, credential: str):
        self.index, self.credential = index, credential
        self.watch = OpeningWatch()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("snapshot", self.watch.on_snapshot, namespace=NAMESPACE)
        self.sio.on("change", self.watch.on_change, namespace=NAMESPACE)
        self.sio.on("clock_probe", clock_reply, namespace=NAMESPACE)

    def connect(self, url: str) -> None:
        self.sio.connect(url, namespaces=[NAMESPACE], auth={"credential": self.credential},
                         transports=["websocket"], wait_timeout=60)


class Display:
    """The projector: notes when each change naming a holder arrives."""

    def __init__(self, url: str, contest: int, token: str):
        self.watch = HolderWatch()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("change", self.watch.on_change, namespace="/display")
        self.sio.connect(url, namespaces=["/display"], auth={"contest": contest, "token": token},
                         transports=["websocket"], wait_timeout=60)

    def await_holder(self, team: int, after: float, timeout: float) -> dict:
        deadline = time.time() + timeout
        while (at := self.watch.seen(team, after)) is None and time.time() <= deadline:
            eventlet.sleep(0.001)
        return {"at": at}


class Worker:
    """The phones of this process and the coordinator's commands."""

    def __init__(self):
        self.phones: dict[int, Phone] = {}
        self.acks: list[dict] = []
        self.display: Display | None = None

    def connect(self, url: str, phones: list, parallel: int) -> dict:
        errors: list[str] = []
        deadline = time.time() + 300

        def one(item):
            index, credential = item
            phone = Phone(index, credential)
            try:
                phone.connect(url)
            except Exception as error:  # noqa: BLE001 - reported to the coordinator
                errors.append(f"{type(error).__name__}: {error}"[:200])
                return
            self.phones[index] = phone

        pool = eventlet.GreenPool(parallel)
        for item in phones:
            pool.spawn(one, item)
        pool.waitall()
        while time.time() < deadline and any(p.watch.joined_at is None for p in self.phones.values()):
            eventlet.sleep(0.01)
        joined = {index: p.watch.joined_at for index, p in self.phones.items() if p.watch.joined_at}
        times = list(joined.values())
        return {"joined": len(times), "failed": len(phones) - len(times), "first": min(times, default=None),
                "last": max(times, default=None), "errors": errors[:5], "phones": sorted(joined)}

    def await_open(self, token: int, timeout: float) -> dict:
        deadline = time.time() + timeout
        while time.time() < deadline and any(token not in p.watch.opened for p in self.phones.values()):
            eventlet.sleep(0.002)
        return {"times": [p.watch.opened.get(token) for p in self.phones.values()]}

    def press(self, index: int, token: int) -> dict:
        phone = self.phones[index]
        t0 = time.time()
        payload = {"open_token": token, "pressed_at": t0 * 1000, "client_id": uuid.uuid4().hex}
        phone.sio.emit("buzz", payload, namespace=NAMESPACE, callback=self.acks.append)
        return {"t0": t0}

    def ack_summary(self) -> dict:
        refused = [ack.get("reason") for ack in self.acks if not ack.get("ok")]
        return {"ok": sum(1 for ack in self.acks if ack.get("ok")), "refused": refused[:10]}

    def close(self) -> dict:
        pool = eventlet.GreenPool(50)
        if self.display:
            pool.spawn(self.display.sio.disconnect)
        for phone in self.phones.values():
            pool.spawn(phone.sio.disconnect)
        with eventlet.Timeout(30, False):
            pool.waitall()
        return {"closed": len(self.phones)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--control", type=int, required=True, help="coordinator's loopback port")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    control = socket.create_connection(("127.0.0.1", args.control))
    reader, writer = control.makefile("r", encoding="utf-8"), control.makefile("w", encoding="utf-8")
    worker = Worker()
    for line in reader:
        request = json.loads(line)
        op = request["op"]
        if op == "connect":
            answer = worker.connect(request["url"], request["phones"], request["parallel"])
        elif op == "await_open":
            answer = worker.await_open(request["token"], request["timeout"])
        elif op == "press":
            answer = worker.press(request["phone"], request["token"])
        elif op == "acks":
            answer = worker.ack_summary()
        elif op == "display":
            worker.display = Display(request["url"], request["contest"], request["token"])
            answer = {"ok": True}
        elif op == "await_holder":
            answer = worker.display.await_holder(request["team"], request["after"], request["timeout"])
        elif op == "close":
            answer = worker.close()
        else:
            answer = {"error": f"unknown op {op}"}
        writer.write(json.dumps(answer) + "\n")
        writer.flush()
        if op == "close":
            break


if __name__ == "__main__":
    main()
