"""The load generator of bench.preliminary: lightweight HTTP/1.1 clients on asyncio streams.

Each simulated participant is one keep-alive connection with its own cookies, as a phone is:
it opens the company's invite link, registers, opens the answering page, starts, and answers its
paper at a human pace. A busy server's reply (502, 503, 504) is tried again after
:data:`RETRY_S`, as the answering page does; an answer's time runs from its first sending to its
acknowledgement. A worker process runs a slice of the participants (or, for the ceiling, a number
of clients that post as fast as they can) and reports its measurements as one JSON.
"""
import asyncio
import json
import random
import re
import time
from dataclasses import dataclass, field

CSRF_FIELD = re.compile(rb'name="csrf_token" value="([^"]+)"')
CSRF_META = re.compile(rb'name="csrf-token" content="([^"]+)"')
INVITE_PATH = re.compile(r"/p/[A-Za-z0-9_.-]{20,}")  # one kind of error, whichever company's link
NAME_CHARACTERS = "甲乙丙丁戊己庚辛壬癸"
BUSY = frozenset({502, 503, 504})
"""A server or proxy too busy to answer now: nothing was done, the request is sent again."""
RETRY_S = 2.0
"""The pause before sending again (static/js/prelim/phone.js, RETRY_MS; the server's Retry-After)."""
PATIENCE = 15
"""Busy replies in a row before a participant gives up (half a minute, as a person might)."""


class HttpError(Exception):
    """The connection broke or the reply could not be read."""


@dataclass
class Client:
    """One keep-alive HTTP/1.1 connection with a cookie jar."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"", content_type: str = "",
                      headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """Send one request and read the whole reply; reconnects once if the connection was closed."""
        for attempt in range(2):
            try:
                return await self._exchange(method, path, body, content_type, headers or {})
            except (ConnectionError, asyncio.IncompleteReadError, HttpError):
                self.close()
                if attempt:
                    raise HttpError(f"{method} {path} failed")
        raise AssertionError("unreachable")

    async def _exchange(self, method, path, body, content_type, headers) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise HttpError("closed")
        status = int(status_line.split()[1])
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name] = rest.split(";", 1)[0]
            elif name == "connection" and value.lower() == "close":
                close = True
        data = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, data

    async def post_json(self, path: str, payload: dict, csrf: str) -> tuple[int, dict]:
        """POST JSON with the CSRF header; the decoded reply."""
        status, data = await self.request("POST", path, json.dumps(payload).encode(), "application/json",
                                          {"X-CSRFToken": csrf})
        return status, json.loads(data) if data and status not in BUSY else {}

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def person_name(number: int) -> str:
    """A name without digits (the registration refuses digits): 员工 + the number in 甲乙丙… letters."""
    return "员工" + "".join(NAME_CHARACTERS[int(digit)] for digit in str(number))


@dataclass
class Outcome:
    """What one worker measured."""

    saves_ms: list[float] = field(default_factory=list)
    saves_ended: list[float] = field(default_factory=list)  # wall-clock time each of saves_ms ended
    save_times: list[float] = field(default_factory=list)  # wall-clock time of each acknowledgement
    acked: list[list] = field(default_factory=list)  # [attempt, position, question, choice]
    refused: dict[str, int] = field(default_factory=dict)
    error_kinds: dict[str, int] = field(default_factory=dict)  # what ended a participant early, counted
    errors: int = 0
    finished: int = 0
    busy_replies: int = 0  # 502/503/504 replies, each followed by the same request again


async def participant(number: int, invite: str, round_id: int, start_at: float, pace: float, server: tuple[str, int],
                      outcome: Outcome, rng: random.Random) -> None:
    """One person: open the link, register, start, answer every question at ``pace`` seconds (±50 %)."""
    await asyncio.sleep(max(0.0, start_at - time.time()))
    client = Client(*server)
    try:
        _, page = await patiently(outcome, lambda: client.request("GET", invite))
        form = f"csrf_token={CSRF_FIELD.search(page).group(1).decode()}&name={_quote(person_name(number))}&mobile=139{number:08d}"
        status, _ = await patiently(outcome, lambda: client.request("POST", invite, form.encode(),
                                                                    "application/x-www-form-urlencoded"))
        assert status == 302, status
        _, page = await patiently(outcome, lambda: client.request("GET", f"/p/round/{round_id}"))
        csrf = CSRF_META.search(page).group(1).decode()
        base = f"/p/round/{round_id}"
        _, state = await patiently(outcome, lambda: client.post_json(f"{base}/start", {}, csrf))
        while state.get("phase") == "question":
            question = state["question"]
            await asyncio.sleep(pace * rng.uniform(0.5, 1.5))
            choice = rng.choice(question["options"])["value"]
            payload = {"attempt": question["attempt"], "position": question["position"], "question": question["id"],
                       "choice": choice}
            state = await _save(client, base, payload, csrf, outcome)
        outcome.finished += 1
    except (HttpError, AssertionError, AttributeError, ValueError, OSError) as error:
        outcome.errors += 1
        kind = f"{type(error).__name__}: {INVITE_PATH.sub('/p/<invite>', str(error))[:60]}"
        outcome.error_kinds[kind] = outcome.error_kinds.get(kind, 0) + 1
    finally:
        client.close()


async def patiently(outcome: Outcome, send) -> tuple[int, object]:
    """``send()``'s reply, sent again after :data:`RETRY_S` while the server answers busy."""
    for _ in range(PATIENCE):
        status, data = await send()
        if status not in BUSY:
            return status, data
        outcome.busy_replies += 1
        await asyncio.sleep(RETRY_S)
    raise HttpError(f"busy {PATIENCE} times in a row")


async def _save(client: Client, base: str, payload: dict, csrf: str, outcome: Outcome) -> dict:
    """Send one answer, resending it (idempotent) if the connection breaks or the server is busy; record
    the acknowledgement and the time from the first sending."""
    started = time.perf_counter()
    for _ in range(5):
        try:
            status, state = await patiently(outcome, lambda: client.post_json(f"{base}/answer", payload, csrf))
        except HttpError:
            continue
        outcome.saves_ms.append((time.perf_counter() - started) * 1000)
        outcome.saves_ended.append(time.time())
        if status == 200 and state.get("saved"):
            outcome.save_times.append(time.time())
            outcome.acked.append([payload["attempt"], payload["position"], payload["question"], payload["choice"]])
        else:
            reason = state.get("reason", str(status))
            outcome.refused[reason] = outcome.refused.get(reason, 0) + 1
        return state
    raise HttpError("answer not sent")


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


async def hammer(server: tuple[str, int], connections: int, seconds: float, outcome: Outcome) -> None:
    """The ceiling: ``connections`` clients each POST one small row after another for ``seconds``."""
    stop = time.time() + seconds

    async def one(index: int) -> None:
        client = Client(*server)
        sequence = 0
        while time.time() < stop:
            sequence += 1
            body = json.dumps({"client": index, "sequence": sequence, "choice": "A"}).encode()
            started = time.perf_counter()
            try:
                status, _ = await client.request("POST", "/save", body, "application/json")
            except HttpError:
                outcome.errors += 1
                continue
            outcome.saves_ms.append((time.perf_counter() - started) * 1000)
            if status == 200:
                outcome.save_times.append(time.time())
        client.close()

    await asyncio.gather(*(one(index) for index in range(connections)))


def run_worker(job: dict) -> dict:
    """Entry of a worker process: run its participants (or the hammer) and return the measurements."""
    outcome = Outcome()
    server = ("127.0.0.1", job["port"])
    if job["kind"] == "hammer":
        asyncio.run(hammer(server, job["connections"], job["seconds"], outcome))
    else:
        rng = random.Random(job["seed"])

        async def everyone() -> None:
            await asyncio.gather(*(participant(number, job["invites"][number % len(job["invites"])], job["round"],
                                               job["t0"] + offset, job["pace"], server, outcome, rng)
                                   for number, offset in job["people"]))

        asyncio.run(everyone())
    return outcome.__dict__
