"""One Socket.IO namespace per role. Each connection is authenticated on connect and bound to
one contest and one audience; its commands act only for that audience.

Handlers stay thin: read the payload, build the command for this connection's role, hand it to
:func:`play.service.execute`, return the acknowledgement.
"""
import time
from dataclasses import dataclass
from typing import Any, Callable

from flask import current_app, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace

from accounts.models import Role
from web.connection_guard import client_address
from contest.commands import Command
from contest_setup import joining, ownership, service
from extensions import db
from live import payloads
from live.audiences import Audience, drop_phone, join, leave, log_refusal, phone_room, set_muted, snapshot
from live.buzzer import handle_buzz
from live.clock_sync import clock_sync
from live.kernel_rtt import phone_socket
from live.limits import CONNECT_FLOOD_REASON, FLOOD_REASON, ConnectGate, ConnectionLimits
from live.payloads import PayloadError
from operations.logs import about_contest
from play.clock import now_ms
from play.registry import get_live
from play.service import execute
from play.ticker import start_clock


@dataclass(frozen=True)
class Connection:
    """What a connection was authenticated as."""

    contest_id: int
    audience: Audience
    who: str  # "host:alice", "display", "team:3"
    phone: int | None = None  # a team phone's id (it can be dropped alone)

    @property
    def rooms(self) -> tuple[str, ...]:
        """Rooms besides its audience's: a phone's own, so the host can cut it alone."""
        return (phone_room(self.contest_id, self.phone),) if self.phone is not None else ()


def gate_and_address(environ: dict, gate: str = "live_connect_gate") -> tuple[ConnectGate | None, str]:
    """The server's connect gate (``gate`` names it among the app's extensions) and the client's address,
    for a connection's WSGI environ."""
    app = environ.get("flask.app")
    if app is None:
        return None, "unknown"
    return app.extensions[gate], client_address(environ, app.config.get("TRUSTED_PROXIES", 0))


class LiveNamespace(Namespace):
    """Shared behaviour: authenticate, join the audience's room, resync and clock pings."""

    gate = "live_connect_gate"  # the app extension that counts this namespace's connect attempts

    def __init__(self, namespace: str):
        super().__init__(namespace)
        self.connections: dict[str, Connection] = {}
        self.limits = ConnectionLimits()

    def authenticate(self, auth: dict[str, Any]) -> Connection:
        """The connection's identity, or ConnectionRefusedError with a reason."""
        raise NotImplementedError

    def trigger_event(self, event: str, *args):
        """Dispatch the event (:meth:`dispatch`), its log records naming the connection's contest."""
        connection = self.connections.get(args[0]) if args else None
        with about_contest(connection.contest_id if connection else None):
            return self.dispatch(event, *args)

    def dispatch(self, event: str, *args):
        """Dispatch to ``on_<event>``; an event this role may not send is refused and logged.

        A connection sending faster than its role's rate (live.limits) is refused first, cheaply.
        ``connect`` and ``disconnect`` are the server's own, while a client joins or leaves; sent as
        events by a connected client (python-socketio would dispatch them) they are refused like any
        other. A payload is one argument: extra ones are dropped.
        """
        lifecycle = event in ("connect", "disconnect") and not self.server.manager.is_connected(args[0], self.namespace)
        if not lifecycle and args and not self.within_rate(event, args[0]):
            return {"ok": False, "reason": FLOOD_REASON}
        if lifecycle and event == "connect":
            return self.gated_connect(*args)
        if lifecycle:
            return super().trigger_event(event, *args)
        if event not in ("connect", "disconnect") and hasattr(self, f"on_{event}"):
            return super().trigger_event(event, *args[:2])
        return self.socketio._handle_event(lambda *_: self.refuse_unknown(event), event, self.namespace, *args[:2])

    def gated_connect(self, sid: str, environ: dict, auth: Any = None):
        """A connect attempt, counted by the server's ConnectGate before any credential is looked at.

        Over the socket's or the address's rate, the socket is closed and nothing is checked; a
        refused attempt counts against both, and the socket is closed after a few.
        """
        gate, address = gate_and_address(environ, self.gate)
        socket_id = self.socket_of(sid)
        if not gate.admit(socket_id, address, time.monotonic()):
            self.close_socket(socket_id)
            raise ConnectionRefusedError(CONNECT_FLOOD_REASON)
        try:
            accepted = super().trigger_event("connect", sid, environ, auth)
        except ConnectionRefusedError:
            if gate.refused(socket_id, address, time.monotonic()):
                self.close_socket(socket_id)
            raise
        return accepted

    def socket_of(self, sid: str) -> str:
        """The Engine.IO connection that carries Socket.IO session ``sid``."""
        return self.server.manager.eio_sid_from_sid(sid, self.namespace) or sid

    def cut_off(self, sid: str, now: float) -> None:
        """Close a connection that kept flooding; its address loses part of its connect allowance."""
        gate, address = gate_and_address(self.server.get_environ(sid, namespace=self.namespace) or {}, self.gate)
        if gate is not None:
            gate.penalise(address, now)
        self.close_socket(self.socket_of(sid))

    def close_socket(self, socket_id: str) -> None:
        """Close a whole Engine.IO connection, after the packet at hand is handled."""
        self.socketio.start_background_task(self.server.eio.disconnect, socket_id)

    def within_rate(self, event: str, sid: str) -> bool:
        """Whether connection ``sid`` may send one more event now; refusals are logged at most once a second.

        A connection refused REFUSALS_BEFORE_CLOSE times within REFUSAL_WINDOW_S is closed.
        """
        connection = self.connections.get(sid)
        if connection is None:
            return True  # not authenticated: its handler refuses it
        now = time.monotonic()
        if self.limits.allow(sid, connection.audience.role, now):
            return True
        if self.limits.to_close(sid):
            self.cut_off(sid, now)
        count = self.limits.refusals_to_log(sid, now)
        app = (self.socketio.server.get_environ(sid, namespace=self.namespace) or {}).get("flask.app") if count else None
        if app is not None:
            app.logger.warning("refused %d events from %s (last: %s): %s", count, connection.who, event, FLOOD_REASON)
        return False

    def refuse_unknown(self, event: str) -> dict[str, Any]:
        """The answer to an event that this role has no right to send."""
        connection = self.connections.get(request.sid)
        log_refusal(connection.who if connection else request.sid, event, "not allowed for this role")
        return {"ok": False, "reason": "无权执行此操作"}

    def on_connect(self, auth: Any = None):
        """Authenticate, then send the snapshot and join the room.

        The database connection that checked the credential goes back to the pool before the
        connection queues for the contest's lock: when a hall's phones all connect at once (a
        restart, 2,000 phones of bench.scale) each would otherwise hold one while it waits its
        turn, and the pool would run dry for every other request of the process.
        """
        connection = self.authenticate(auth if isinstance(auth, dict) else {})
        start_clock(current_app._get_current_object())
        self.connections[request.sid] = connection
        live = get_live(connection.contest_id)
        db.session.commit()  # ends the credential check's read-only transaction: its connection goes back
        join(live, connection.audience, request.sid, connection.rooms)

    def on_disconnect(self, reason: Any = None):
        """Count the connection out."""
        self.limits.forget(request.sid)
        connection = self.connections.pop(request.sid, None)
        if connection is not None:
            leave(get_live(connection.contest_id), connection.audience, request.sid, connection.rooms)

    def on_resync(self, payload: Any = None) -> dict[str, Any]:
        """A client that missed a change asks for the whole view again."""
        connection = self.connections[request.sid]
        return snapshot(get_live(connection.contest_id), connection.audience)

    def on_clock(self, payload: Any = None) -> dict[str, Any]:
        """Clock sync: echo the client's send time with the server time."""
        sent = payload.get("t0") if isinstance(payload, dict) else None
        return {"t0": sent if isinstance(sent, (int, float)) else None, "server_now": now_ms()}

    def run(self, what: str, payload: Any, build: Callable[[Connection], Any],
            place: Callable[[], Any] = lambda: None,
            act: Callable[..., dict[str, Any]] | None = None) -> dict[str, Any]:
        """The guard of every event a client sends: read its request from ``payload``, act, log a refusal.

        ``build`` reads this connection's request (an engine command unless ``act`` says otherwise),
        ``place`` where a command was meant to act (host commands, :mod:`play.intent`), and ``act``
        carries it out as ``act(connection, request, client_id, meant_for)``; by default the request
        is a command handed to :func:`play.service.execute`.
        """
        connection = self.connections.get(request.sid)
        if connection is None:
            return {"ok": False, "reason": "连接未认证"}
        try:
            built = build(connection)
            client_id = payloads.client_id(payloads.checked(payload))
            meant_for = place()
        except PayloadError as error:
            log_refusal(connection.who, what, str(error))
            return {"ok": False, "reason": str(error)}
        ack = (act or _execute)(connection, built, client_id, meant_for)
        if not ack["ok"]:
            log_refusal(connection.who, what, ack["reason"])
        return ack


def _execute(connection: Connection, command: Command, client_id: str | None, meant_for: Any) -> dict[str, Any]:
    """A connection's command, decided and stored by the application service."""
    return execute(connection.contest_id, command, connection.who, client_id, meant_for)


def _buzz(connection: Connection, press: payloads.BuzzRequest, client_id: str | None,
          _meant_for: Any) -> dict[str, Any]:
    """A phone's press, judged by the fair buzzer (which hands it to the application service)."""
    return handle_buzz(connection.contest_id, connection.audience.team, connection.who, request.sid, press, client_id)


def _contest_id(auth: dict[str, Any]) -> int:
    """The contest a connection asks for."""
    value = auth.get("contest")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConnectionRefusedError("缺少比赛编号")
    return value


def hosted_contest(auth: dict[str, Any]) -> int:
    """The contest ``auth`` asks for, if the logged-in user may host it (contest_setup.ownership):
    the check of every connection that acts as a host (the console, a buzzer station)."""
    if not current_user.is_authenticated or not current_user.has_role(Role.HOST):
        raise ConnectionRefusedError("请以主持人身份登录")
    contest_id = _contest_id(auth)
    contest = service.get_contest(contest_id)
    if contest is None:
        raise ConnectionRefusedError("比赛不存在")
    if not ownership.may_host(current_user, contest):
        raise ConnectionRefusedError("您不是这场比赛的主持人")
    return contest_id


class HostNamespace(LiveNamespace):
    """The host console: a logged-in host or organizer, for one contest."""

    def authenticate(self, auth: dict[str, Any]) -> Connection:
        """Only a logged-in user who may host this existing contest."""
        return Connection(hosted_contest(auth), Audience("host"), f"host:{current_user.username}")

    def on_mute(self, payload: Any = None) -> dict[str, Any]:
        """Silence or restore the display's sounds: {"muted": true}."""
        connection = self.connections.get(request.sid)
        muted = payload.get("muted") if isinstance(payload, dict) else None
        if connection is None or not isinstance(muted, bool):
            return {"ok": False, "reason": "muted 应为 true 或 false"}
        return set_muted(get_live(connection.contest_id), muted)

    def on_command(self, payload: Any = None) -> dict[str, Any]:
        """Any host command: {"type": "Judge", "verdict": "right", "client_id": …}."""
        return self.run("command", payload, lambda conn: payloads.host_command(payload, conn.who),
                        lambda: payloads.meant_for(payload))

    def on_drop_phone(self, payload: Any = None) -> dict[str, Any]:
        """Drop one bound phone of a team of this contest: {"phone": <id from the view's phones>}."""
        connection = self.connections.get(request.sid)
        phone = payload.get("phone") if isinstance(payload, dict) else None
        if connection is None:
            return {"ok": False, "reason": "连接未认证"}
        ack = drop_phone(connection.contest_id, phone, connection.who)
        if not ack["ok"]:
            log_refusal(connection.who, "drop_phone", ack["reason"])
        return ack


class DisplayNamespace(LiveNamespace):
    """The projector: opened by the contest's display token, receives only."""

    def authenticate(self, auth: dict[str, Any]) -> Connection:
        """Only with the contest's display token."""
        contest_id = _contest_id(auth)
        contest = service.get_contest(contest_id)
        token = auth.get("token")
        if contest is None or not isinstance(token, str) or not joining.display_token_matches(contest, token):
            raise ConnectionRefusedError("大屏链接无效")
        return Connection(contest_id, Audience("display"), "display")


class TeamNamespace(LiveNamespace):
    """A team's phone: bound by its credential (cookie, or ``auth.credential`` for other clients)."""

    def authenticate(self, auth: dict[str, Any]) -> Connection:
        """Only a phone holding a valid, unrevoked credential; it acts for that team alone."""
        credential = auth.get("credential")
        phone = joining.phone_for_credential(credential) if isinstance(credential, str) else None
        phone = phone or joining.phone_from_request()
        if phone is None:
            raise ConnectionRefusedError("手机未加入队伍或已被移出，请重新扫描二维码")
        team = phone.team
        return Connection(team.contest_id, Audience("team", team.id), f"team:{team.id}", phone.id)

    def on_connect(self, auth: Any = None):
        """Connect, then start estimating this phone's clock."""
        super().on_connect(auth)
        eio_sid = self.server.manager.eio_sid_from_sid(request.sid, self.namespace)
        clock_sync().track(request.sid, self.connections[request.sid].contest_id, eio_sid,
                           tcp=phone_socket(request.environ))

    def on_disconnect(self, reason: Any = None):
        """Stop estimating the clock of a phone that left."""
        clock_sync().forget(request.sid)
        super().on_disconnect(reason)

    def on_buzz(self, payload: Any = None) -> dict[str, Any]:
        """A press: {"open_token": n, "pressed_at": <phone clock ms>, "client_id": …}."""
        return self.run("buzz", payload, lambda conn: payloads.buzz(payload), act=_buzz)

    def on_answer(self, payload: Any = None) -> dict[str, Any]:
        """A phone answer: {"choice": "B", "client_id": …}."""
        return self.run("answer", payload, lambda conn: payloads.answer(payload, conn.audience.team, conn.who))

    def on_choose_tier(self, payload: Any = None) -> dict[str, Any]:
        """A risk value: {"tier": 20, "client_id": …}."""
        return self.run("choose_tier", payload,
                        lambda conn: payloads.choose_tier(payload, conn.audience.team, conn.who))

    def on_abstain(self, payload: Any = None) -> dict[str, Any]:
        """Declining a risk turn."""
        return self.run("abstain", payload, lambda conn: payloads.abstain(payload, conn.audience.team, conn.who))
