"""One load-generator process of bench.latency: a share of the phones (or the host and the
display), as lean asyncio Socket.IO clients.

Why not ``socketio.Client``: on a 2-core machine the phones share the CPU with the server, and
the reference client spends about 0.5 ms of CPU on every message it receives (a green thread per
message, generic packet handling), this one about 0.1 ms. A fan-out to 1,000 phones would
otherwise measure the load generator more than the server. This client speaks the protocol of
socket.io-client on the WebSocket transport (Engine.IO 4: open, ping/pong, message; Socket.IO 5:
namespace connect with ``auth``, events, acknowledgements both ways; RFC 6455 frames, masked
from the client) and does nothing else, in one asyncio event loop for all the phones of the
process. ``--phones socketio`` runs the same benchmark with python-socketio clients as a
cross-check (bench.latency_sio_phones).

The coordinator (bench.latency) drives the process over one loopback TCP connection, one JSON
object per line:

* ``{"op": "connect", "url", "phones": [[index, credential], …], "parallel": k}`` → when every
  phone has its snapshot: ``{"joined", "failed", "first", "last", "errors", "phones"}``, where
  ``phones`` lists the indexes that joined
* ``{"op": "await_open", "token": t, "timeout": s}`` → when every phone saw the buzzers open
  with token ``t``: ``{"times": [receipt time or null, …]}``
* ``{"op": "press", "phone": i, "token": t}`` → ``{"t0": time just before the emit}``
* ``{"op": "press_all", "token": t}`` → every phone of the process presses, back to back (a race):
  ``{"t0": {phone index: time just before its emit, …}}``
* ``{"op": "acks"}`` → ``{"ok": n, "refused": [reasons], "answers": [{"phone", "token", "ok", "reason", "at"}, …]}``
* ``{"op": "display", "url", "contest", "token"}`` → connects this process's display (the
  process that measures the buzzes holds only the display): ``{"ok": true}``
* ``{"op": "await_holder", "team": t, "after": t0, "timeout": s}`` → when the display received
  the change naming ``team`` as the holder: ``{"at": time or null}``
* ``{"op": "host", "url", "auth", "cookie"}`` → connects this process's host console
* ``{"op": "call", "event", "data"}`` → the host emits ``event`` and waits for its
  acknowledgement: ``{"t0": time just before the emit, "reply": acknowledgement}``
* ``{"op": "close"}`` → disconnects everything and exits.

Every time is ``time.time()`` in seconds: the coordinator, the server and these processes share
one machine and one clock. Loopback only.
"""
import argparse
import asyncio
import base64
import json
import os
import resource
import socket
import time
import uuid
from urllib.parse import urlsplit

from bench.latency_watch import HolderWatch, OpeningWatch, clock_reply


class Link:
    """One Socket.IO connection to one namespace over a raw WebSocket (text frames only)."""

    def __init__(self, namespace: str, handlers: dict):
        self.namespace = namespace
        self.handlers = handlers  # event -> function(*args) returning the acknowledgement (or None)
        self.acks: dict[int, object] = {}
        self.next_ack = 0
        self.received: dict[str, list[int]] = {}  # event -> [messages, bytes of their Engine.IO packets]
        loop = asyncio.get_running_loop()
        self.opened, self.connected = loop.create_future(), loop.create_future()
        self.reader = self.writer = self.task = None

    async def connect(self, url: str, auth: dict, timeout: float = 60, cookie: str | None = None) -> None:
        """WebSocket upgrade, Engine.IO open, then the namespace connect with ``auth``."""
        parts = urlsplit(url)
        self.reader, self.writer = await asyncio.open_connection(parts.hostname, parts.port)
        self.writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        query = f"{parts.query}&" if parts.query else ""  # a page's route key (static/js/live/route.js)
        self.writer.write((f"GET /socket.io/?{query}EIO=4&transport=websocket HTTP/1.1\r\n"
                           f"Host: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode())
        head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), timeout)
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
        self.task = asyncio.create_task(self._read_loop())
        await asyncio.wait_for(self.opened, timeout)
        self._send("40" + self.namespace + "," + json.dumps(auth))
        await asyncio.wait_for(self.connected, timeout)

    def emit(self, event: str, data, callback=None) -> None:
        """Send an event, with an acknowledgement id when ``callback`` is given."""
        ack = ""
        if callback is not None:
            self.next_ack += 1
            self.acks[self.next_ack] = callback
            ack = str(self.next_ack)
        self._send("42" + self.namespace + "," + ack + json.dumps([event, data]))

    async def close(self) -> None:
        if self.writer is not None and not self.writer.is_closing():
            self._send("41" + self.namespace + ",")
            self._frame(8, b"")
            self.writer.close()
        if self.task is not None:
            self.task.cancel()

    # --- frames and packets --------------------------------------------------------------------

    def _send(self, engine_packet: str) -> None:
        self._frame(1, engine_packet.encode())

    def _frame(self, opcode: int, payload: bytes) -> None:
        size = len(payload)
        if size < 126:
            header = bytes((0x80 | opcode, 0x80 | size))
        elif size < 65536:
            header = bytes((0x80 | opcode, 0x80 | 126)) + size.to_bytes(2, "big")
        else:
            header = bytes((0x80 | opcode, 0x80 | 127)) + size.to_bytes(8, "big")
        mask = os.urandom(4)
        if size:
            key = int.from_bytes((mask * (size // 4 + 1))[:size], "big")
            payload = (int.from_bytes(payload, "big") ^ key).to_bytes(size, "big")
        self.writer.write(header + mask + payload)

    async def _read_loop(self) -> None:
        read = self.reader.readexactly
        pieces: list[bytes] = []
        try:
            while True:
                first, second = await read(2)
                size = second & 0x7F
                if size == 126:
                    size = int.from_bytes(await read(2), "big")
                elif size == 127:
                    size = int.from_bytes(await read(8), "big")
                data = await read(size) if size else b""
                opcode = first & 0x0F
                if opcode in (0, 1):
                    pieces.append(data)
                    if first & 0x80:
                        self._engine(b"".join(pieces).decode())
                        pieces = []
                elif opcode == 9:
                    self._frame(10, data)
                elif opcode == 8:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            for future in (self.opened, self.connected):
                if not future.done():
                    future.set_exception(ConnectionError("connection closed"))

    def _engine(self, packet: str) -> None:
        kind = packet[:1]
        if kind == "4":
            self._socketio(packet[1:])
        elif kind == "2":
            self._send("3")
        elif kind == "0" and not self.opened.done():
            self.opened.set_result(json.loads(packet[1:]))

    def _socketio(self, packet: str) -> None:
        kind, at = packet[0], 1
        if packet.startswith("/", 1):
            comma = packet.find(",", 1)
            at = comma + 1 if comma > 0 else len(packet)
        start = at
        while at < len(packet) and packet[at].isdigit():
            at += 1
        ack = int(packet[start:at]) if at > start else None
        data = json.loads(packet[at:]) if at < len(packet) else None
        if kind == "2":
            tally = self.received.setdefault(data[0], [0, 0])
            tally[0] += 1
            tally[1] += len(packet) + 1
            handler = self.handlers.get(data[0])
            reply = handler(*data[1:]) if handler else None
            if ack is not None:
                self._send("43" + self.namespace + "," + str(ack) + json.dumps([] if reply is None else [reply]))
        elif kind == "3":
            callback = self.acks.pop(ack, None)
            if callback is not None:
                callback(*data)
        elif kind == "0" and not self.connected.done():
            self.connected.set_result(data)
        elif kind == "4" and not self.connected.done():
            self.connected.set_exception(ConnectionRefusedError(json.dumps(data, ensure_ascii=False)))


class Phone:
    """One phone on ``/team``: answers clock probes, notes when it saw each opening of the buzzers."""

    def __init__(self, index: int, credential: str, worker: "Worker"):
        self.index, self.credential, self.worker = index, credential, worker
        self.watch = OpeningWatch()
        self.link = Link("/team", {"snapshot": self.watch.on_snapshot, "change": self._change,
                                   "clock_probe": clock_reply})

    def _change(self, payload):
        if self.watch.on_change(payload):
            token = self.watch.token
            self.worker.seen[token] = self.worker.seen.get(token, 0) + 1


class Display:
    """The projector on ``/display``: notes when each change naming a holder arrives."""

    def __init__(self):
        self.watch = HolderWatch()
        self.link = Link("/display", {"change": self.watch.on_change})

    async def await_holder(self, team: int, after: float, timeout: float) -> dict:
        deadline = time.time() + timeout
        while (at := self.watch.seen(team, after)) is None and time.time() <= deadline:
            await asyncio.sleep(0.001)
        return {"at": at}


class Worker:
    """The phones (or the display) of this process, and the coordinator's commands."""

    def __init__(self):
        self.phones: dict[int, Phone] = {}
        self.seen: dict[int, int] = {}  # open token -> phones that saw it
        self.acks: list[dict] = []
        self.display: Display | None = None
        self.host: Link | None = None

    async def connect(self, url: str, phones: list, parallel: int, spread: bool = False) -> dict:
        """Connect the phones; with ``spread`` each adds a route key of its own, as each phone's page does."""
        errors: list[str] = []
        gate = asyncio.Semaphore(parallel)

        async def one(index: int, credential: str) -> None:
            phone = Phone(index, credential, self)
            async with gate:
                try:
                    await phone.link.connect(f"{url}?route={uuid.uuid4().hex[:16]}" if spread else url,
                                             {"credential": credential})
                except Exception as error:  # noqa: BLE001 - reported to the coordinator
                    errors.append(f"{type(error).__name__}: {error}"[:200])
                    await phone.link.close()
                    return
            self.phones[index] = phone

        await asyncio.gather(*(one(index, credential) for index, credential in phones))
        deadline = time.time() + 60
        while time.time() < deadline and any(p.watch.joined_at is None for p in self.phones.values()):
            await asyncio.sleep(0.01)
        joined = {index: p.watch.joined_at for index, p in self.phones.items() if p.watch.joined_at}
        times = list(joined.values())
        return {"joined": len(times), "failed": len(phones) - len(times), "first": min(times, default=None),
                "last": max(times, default=None), "errors": errors[:5], "phones": sorted(joined)}

    async def await_open(self, token: int, timeout: float) -> dict:
        deadline = time.time() + timeout
        while time.time() < deadline and self.seen.get(token, 0) < len(self.phones):
            await asyncio.sleep(0.002)
        return {"times": [p.watch.opened.get(token) for p in self.phones.values()]}

    def press(self, index: int, token: int) -> dict:
        link = self.phones[index].link
        t0 = time.time()

        def answered(ack=None):
            self.acks.append({**(ack or {}), "phone": index, "token": token, "at": time.time()})

        link.emit("buzz", {"open_token": token, "pressed_at": t0 * 1000, "client_id": uuid.uuid4().hex},
                  callback=answered)
        return {"t0": t0}

    def press_all(self, token: int) -> dict:
        """Every phone of this process presses at once (as fast as the loop emits), for a race."""
        return {"t0": {index: self.press(index, token)["t0"] for index in list(self.phones)}}

    def ack_summary(self) -> dict:
        refused = [ack.get("reason") for ack in self.acks if not ack.get("ok")]
        received: dict[str, list[int]] = {}
        for phone in self.phones.values():
            for event, (count, size) in phone.link.received.items():
                tally = received.setdefault(event, [0, 0])
                tally[0] += count
                tally[1] += size
        answers = [{"phone": ack["phone"], "token": ack["token"], "ok": bool(ack.get("ok")), "reason": ack.get("reason"),
                    "at": ack["at"]} for ack in self.acks]
        return {"ok": sum(1 for ack in self.acks if ack.get("ok")), "refused": refused[:10], "received": received,
                "answers": answers}

    async def connect_display(self, url: str, contest: int, token: str) -> dict:
        self.display = Display()
        await self.display.link.connect(url, {"contest": contest, "token": token})
        return {"ok": True}

    async def connect_host(self, url: str, auth: dict, cookie: str | None) -> dict:
        self.host = Link("/host", {})
        await self.host.connect(url, auth, cookie=cookie)
        return {"ok": True}

    async def call(self, event: str, data: dict, timeout: float = 30) -> dict:
        """The host sends ``event`` and waits for the acknowledgement."""
        answered = asyncio.get_running_loop().create_future()
        t0 = time.time()
        self.host.emit(event, data, callback=lambda reply=None: answered.done() or answered.set_result(reply))
        return {"t0": t0, "reply": await asyncio.wait_for(answered, timeout)}

    async def close(self) -> dict:
        links = [phone.link for phone in self.phones.values()]
        links += [link for link in (self.display and self.display.link, self.host) if link]
        await asyncio.gather(*(link.close() for link in links), return_exceptions=True)
        await asyncio.sleep(0.2)
        return {"closed": len(links)}

    async def handle(self, request: dict) -> dict:
        op = request["op"]
        if op == "connect":
            return await self.connect(request["url"], request["phones"], request["parallel"], request.get("spread", False))
        if op == "await_open":
            return await self.await_open(request["token"], request["timeout"])
        if op == "press":
            return self.press(request["phone"], request["token"])
        if op == "press_all":
            return self.press_all(request["token"])
        if op == "acks":
            return self.ack_summary()
        if op == "display":
            return await self.connect_display(request["url"], request["contest"], request["token"])
        if op == "await_holder":
            return await self.display.await_holder(request["team"], request["after"], request["timeout"])
        if op == "host":
            return await self.connect_host(request["url"], request["auth"], request.get("cookie"))
        if op == "call":
            return await self.call(request["event"], request["data"])
        if op == "close":
            return await self.close()
        return {"error": f"unknown op {op}"}


async def serve(control_port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", control_port)
    worker = Worker()
    while line := await reader.readline():
        request = json.loads(line)
        writer.write((json.dumps(await worker.handle(request)) + "\n").encode())
        await writer.drain()
        if request["op"] == "close":
            break
    writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--control", type=int, required=True, help="coordinator's loopback port")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(serve(args.control))


if __name__ == "__main__":
    main()
