"""The ``/audience`` Socket.IO namespace: the hall's phones, the display's audience overlay and the
host's audience controls, apart from the contest's own namespaces.

It shares the live namespaces' guard (:class:`live.namespaces.LiveNamespace`: per-connection
rates, refusal of unknown events, flood cut-off) but has a connect gate of its own, so hundreds of
audience phones scanning the QR at once never use up the connect allowance of the teams' phones,
and rates of its own (a phone answers once a question). Connected phones are held to
``AUDIENCE_MAX_PHONES`` (the connection budget): a phone beyond it is told 现场人数已满, and its
page falls back to asking over HTTP every few seconds (:mod:`audience.routes`).

An answer is the one event hundreds of phones send within seconds, so it skips Flask-SocketIO's
per-event request context (which opens the phone's Flask session cookie: most of a millisecond
per event, more than the answer itself): :meth:`AudienceNamespace.trigger_event` hands it, after
the same rate check, straight to :meth:`fast_answer` with the phone its connection was
authenticated as. Every other event takes the usual way.

With several server processes a phone's connection may land on any of them: on connecting, its
answer stored by another process is looked up (:func:`audience.hall.recall`), and it joins a room
of its own, where a correction of its answer reaches it (:mod:`audience.publisher`).
"""
from typing import Any, Callable

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, join_room

from audience import commands
from audience.hall import admit_phone, answer, hall, recall, release_phone, view
from audience.identity import AudiencePhone, phone_from_request
from audience.publisher import phone_room, room, start_publisher
from contest_setup import service
from extensions import socketio
from live import payloads
from web.errors import FAILED_REASON
from live.limits import FLOOD_REASON, ConnectionLimits, Rate
from live.namespaces import Connection, DisplayNamespace, HostNamespace, LiveNamespace
from live.payloads import PayloadError
from live.protocol import AUDIENCE_ANSWER, AUDIENCE_VIEW
from live.audiences import Audience, log_refusal
from play.routing import cluster_of

FULL_REASON = "现场人数已满"
NOT_ALLOWED = "无权执行此操作"  # the live namespaces' answer to an event a role may not send
RATES = {"host": Rate(30, 60), "display": Rate(10, 20), "phone": Rate(5, 20)}
"""A phone sends its answer and now and then asks for its view again: 5 a second, bursts of 20, is plenty."""


class AudienceNamespace(LiveNamespace):
    """One namespace, three roles: ``auth.role`` is "phone" (the default), "display" or "host"."""

    gate = "audience_connect_gate"

    def __init__(self, namespace: str):
        super().__init__(namespace)
        self.limits = ConnectionLimits(RATES)
        self.phones: dict[str, AudiencePhone] = {}

    def trigger_event(self, event: str, *args):
        """A connected phone's answer goes the short way (:meth:`fast_answer`); anything else the usual way."""
        if event == AUDIENCE_ANSWER and args and args[0] in self.phones:
            sid = args[0]
            if not self.within_rate(event, sid):
                return {"ok": False, "reason": FLOOD_REASON}
            return self.fast_answer(sid, args[1] if len(args) > 1 else None)
        return super().trigger_event(event, *args)

    def fast_answer(self, sid: str, payload: Any) -> dict[str, Any]:
        """A phone's answer, in an app context but no request context; a failure is logged and refused."""
        connection, phone = self.connections.get(sid), self.phones.get(sid)
        app = (self.server.get_environ(sid, namespace=self.namespace) or {}).get("flask.app")
        if connection is None or phone is None or app is None:
            return {"ok": False, "reason": NOT_ALLOWED}
        with app.app_context():
            try:
                return self.record_answer(connection, phone, payload)
            except Exception:  # noqa: BLE001  (the phone still gets an answer; the failure is in the log)
                app.logger.exception("audience answer from %s failed", connection.who)
                return {"ok": False, "reason": FAILED_REASON}

    def authenticate(self, auth: dict[str, Any]) -> Connection:
        """The display by its token, the host by its login, a phone by its audience cookie."""
        role = auth.get("role", "phone")
        if role == "host":
            return HostNamespace.authenticate(self, auth)
        if role == "display":
            return DisplayNamespace.authenticate(self, auth)
        contest = auth.get("contest")
        if isinstance(contest, bool) or not isinstance(contest, int) or service.get_contest(contest) is None:
            raise ConnectionRefusedError("比赛不存在")
        phone = phone_from_request()
        if phone is None:
            raise ConnectionRefusedError("请重新扫描大屏上的二维码")
        return Connection(contest, Audience("phone"), f"audience:{phone.id}")

    def on_connect(self, auth: Any = None):
        """Authenticate, hold phones to the budget, join the role's room and send the view."""
        connection = self.authenticate(auth if isinstance(auth, dict) else {})
        role = connection.audience.role
        phone = phone_from_request() if role == "phone" else None
        if phone is not None and not admit_phone(current_app.config["AUDIENCE_MAX_PHONES"]):
            socketio.emit(AUDIENCE_VIEW, {"full": True, "reason": FULL_REASON}, to=request.sid, namespace=self.namespace)
            self.close_socket(self.socket_of(request.sid))
            return True
        start_publisher(current_app._get_current_object())
        self.connections[request.sid] = connection
        if phone is not None:
            self.phones[request.sid] = phone
        join_room(room(connection.contest_id, role))
        current = hall(connection.contest_id)
        if phone is not None and cluster_of() is not None:  # several processes: it may have answered on another
            join_room(phone_room(connection.contest_id, phone.id))
            recall(current, phone)
        socketio.emit(AUDIENCE_VIEW, view(current, role, phone), to=request.sid, namespace=self.namespace)
        return True

    def on_disconnect(self, reason: Any = None):
        """Count a phone out of the budget."""
        self.limits.forget(request.sid)
        self.connections.pop(request.sid, None)
        if self.phones.pop(request.sid, None) is not None:
            release_phone()

    def on_resync(self, payload: Any = None) -> dict[str, Any]:
        """The view again, for a client that thinks it missed something."""
        connection = self.connections.get(request.sid)
        if connection is None:
            return {"ok": False, "reason": "连接未认证"}
        return view(hall(connection.contest_id), connection.audience.role, self.phones.get(request.sid))

    def on_audience_answer(self, payload: Any = None) -> dict[str, Any]:
        """An answer from a connection that is not a phone's (a phone's goes through :meth:`fast_answer`)."""
        return {"ok": False, "reason": NOT_ALLOWED}

    @staticmethod
    def record_answer(connection: Connection, phone: AudiencePhone, payload: Any) -> dict[str, Any]:
        """A phone's answer: {"question": id, "choice": "B"}; one per phone per question."""
        return checked_and_logged(connection, AUDIENCE_ANSWER, payload, lambda data: answer(
            connection.contest_id, phone, data.get("question"), data.get("choice")))

    def on_audience_command(self, payload: Any = None) -> dict[str, Any]:
        """A host step: {"action": "open" | "close" | "reveal" | "draw" | "end", …} (audience.commands)."""
        connection = self._host()
        if connection is None:
            return {"ok": False, "reason": NOT_ALLOWED}
        return checked_and_logged(connection, "audience_command", payload,
                                  lambda data: commands.run(connection.contest_id, data, connection.who))

    def on_audience_bank(self, payload: Any = None) -> dict[str, Any]:
        """The bank questions the host may put to the hall."""
        connection = self._host()
        if connection is None:
            return {"ok": False, "reason": NOT_ALLOWED}
        return {"ok": True, "questions": commands.offered_questions(connection.contest_id)}

    def _host(self) -> Connection | None:
        """This connection, if it is the host's."""
        connection = self.connections.get(request.sid)
        return connection if connection is not None and connection.audience.role == "host" else None


def checked_and_logged(connection: Connection, what: str, payload: Any,
                       act: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    """``act`` on the checked payload; a malformed payload, or a refusal, is logged and answered with its reason."""
    try:
        data = payloads.checked(payload)
    except PayloadError as error:
        ack = {"ok": False, "reason": str(error)}
    else:
        ack = act(data)
    if not ack["ok"]:
        log_refusal(connection.who, what, ack["reason"])
    return ack
