"""Who is connected to each live contest, and what each audience was last sent.

:mod:`play.service` decides and stores; this module keeps the transport's side of a contest
(:class:`Hall`): the open connections per audience, the last view sent to each, and the display's
presentation choices. :func:`publish`, subscribed to the service at app setup, sends every
connected audience the patch of its view after each stored decision.
"""
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from contest.engine import create_contest
from contest.events import Event
from contest.fairness import race_order
from contest.state import ContestState
from contest.views import for_display, for_host, for_team
from contest_setup import joining
from contest_setup import service as setup
from contest_setup.models import ContestStatus, TeamPhone
from extensions import db, socketio
from live.merge_patch import diff
from live.presence_totals import Counts, plus
from live.protocol import CHANGE, NAMESPACES, SNAPSHOT
from play.clock import now_ms
from play.events import summary
from play.registry import LiveContest, loaded
from play.routing import elsewhere

PREVIEW_TTL_MS = 1000  # before the start, the contest as it will begin is rebuilt at most this often
PRESENCE_AUDIENCES = ("host", "display")  # the views that show who is connected (phones' views do not)


@dataclass(frozen=True)
class Audience:
    """Who receives one projection: the hosts, the display, or one team's phones."""

    role: str  # "host", "display" or "team"
    team: int | None = None

    @property
    def key(self) -> str:
        """A name for this audience in the presence counts and caches."""
        return f"team:{self.team}" if self.role == "team" else self.role

    def room(self, contest_id: int) -> str:
        """The Socket.IO room of this audience (within its role's namespace)."""
        return f"contest-{contest_id}-{self.key}"

    @property
    def namespace(self) -> str:
        """The namespace of this audience's role."""
        return NAMESPACES[self.role]


@dataclass
class Hall:
    """The transport's side of one contest in play: who is connected and what they were shown."""

    presence: Counter = field(default_factory=Counter)  # audience key -> open connections
    sent: dict[str, tuple[int, dict]] = field(default_factory=dict)  # audience key -> (seq, view)
    buzz_window: Any = None  # live.buzzer.BuzzWindow of the current opening, in compensated mode
    muted: bool = False  # the host silenced the display (a presentation choice, not a decision)
    preview: tuple[int, ContestState | None] | None = None  # before the start: (built at, preview state)
    phones: dict[str, list[dict]] | None = None  # team id -> its bound phones, for the host (loaded on first use)
    join_codes: bool | None = None  # the organizer shows the join codes on the display after the start
    others: Counts | None = None  # with several processes, the other processes' connections (live.presence_sharing)
    comings_and_goings: int = 0  # connections that came or went so far: live.presence_sharing counts again when it moves


def hall_of(live: LiveContest) -> Hall:
    """The hall of ``live``, kept with it (created on first use, under no lock: nothing yields here)."""
    if live.hall is None:
        live.hall = Hall()
    return live.hall


def view_for(live: LiveContest, audience: Audience, now: int) -> dict[str, Any]:
    """The projection that ``audience`` may see now, with the connection states it needs."""
    hall = hall_of(live)
    state = live.state or _cached_preview(live, now)
    if state is None:
        return {"status": "unavailable", "seq": 0, "server_now": now, "problem": "比赛尚未就绪"}
    if audience.role == "host":
        view = for_host(state, now)
    elif audience.role == "display":
        view = for_display(state, now)
    else:
        view = for_team(state, audience.team, now)
    if live.state is None:
        view["status"] = "not_created"
    if audience.role in ("host", "display"):
        presence = {key: count for key, count in hall.presence.items() if count}
        view["presence"] = presence if hall.others is None else plus(presence, hall.others.audiences)
        view["muted"] = hall.muted
    if audience.role == "host":
        view["phones"] = _phones_view(live)
    if audience.role == "display":
        view["join_codes"] = _join_codes_shown(live)
    if view.get("stage"):
        current = (view["stage"]["index"], view["stage"]["turn"])
        presses = list(live.presses) if live.presses_question == current else []
        if audience.role == "host":
            view["stage"]["presses"] = presses
        else:
            view["stage"]["race"] = _race(state, presses)
    return view


def _race(state: ContestState, presses: list[dict]) -> list[dict[str, int]]:
    """Once a buzz is decided, who pressed in what order and how many ms behind the first, for the
    display and the phones (empty while buzzing, or when the stage's show_race is off)."""
    stage = state.stage
    rules = state.config.stages[stage.index].rules if stage is not None else None
    won = [buzz for buzz in stage.buzzes if buzz.outcome == "won"] if stage is not None else []
    if not won or won[-1].pressed_at is None or not getattr(rules, "show_race", False):
        return []
    start = won[-1].pressed_at  # the race of the last opening; earlier presses were early or out
    valid = [(press["team"], press["pressed_at"]) for press in presses if press["pressed_at"] >= start]
    return [{"team": team, "behind": gap} for team, gap in race_order(valid)]


def _cached_preview(live: LiveContest, now: int) -> ContestState | None:
    """The preview of :func:`_preview_state`, rebuilt at most once every PREVIEW_TTL_MS.

    Building it reads the whole setup (teams, stages, every drawn question); without the cache, each
    phone joining before the start rebuilt it for every audience, so 200 phones reconnecting at once
    took about a minute to settle.
    """
    hall = hall_of(live)
    if hall.preview is None or not 0 <= now - hall.preview[0] < PREVIEW_TTL_MS:
        hall.preview = (now, _preview_state(live.contest_id, now))
    return hall.preview[1]


def _preview_state(contest_id: int, now: int) -> ContestState | None:
    """Before the start: the contest as it would begin, from its current setup (not stored)."""
    contest = setup.get_contest(contest_id)
    if contest is None or contest.status not in (ContestStatus.READY, ContestStatus.LIVE):
        return None
    state, _events = create_contest(setup.build_contest_config(contest), now)
    return state


def snapshot(live: LiveContest, audience: Audience) -> dict[str, Any]:
    """The view every client of ``audience`` holds now; later changes are patches of it.

    All connections of one audience share the last view sent, so a patch fits each of them.
    """
    hall = hall_of(live)
    with live.lock:
        if audience.key not in hall.sent or not hall.presence[audience.key]:
            view = view_for(live, audience, now_ms())
            hall.sent[audience.key] = (view["seq"], view)
        seq, view = hall.sent[audience.key]
        return {"seq": seq, "server_now": now_ms(), "view": view}


def join(live: LiveContest, audience: Audience, sid: str, rooms: tuple[str, ...] = ()) -> None:
    """A client connects: it gets its snapshot, joins its room (and ``rooms``), and the others see it arrive."""
    hall = hall_of(live)
    with live.lock:
        first = snapshot(live, audience)
        hall.presence[audience.key] += 1
        hall.comings_and_goings += 1
        socketio.emit(SNAPSHOT, first, to=sid, namespace=audience.namespace, ignore_queue=True)
        for room in (audience.room(live.contest_id), *rooms):
            socketio.server.enter_room(sid, room, namespace=audience.namespace)
        publish(live, now_ms(), only=PRESENCE_AUDIENCES)


def leave(live: LiveContest, audience: Audience, sid: str, rooms: tuple[str, ...] = ()) -> None:
    """A client disconnects (it leaves ``rooms`` first, so it is not counted there); the host and the display see it go."""
    hall = hall_of(live)
    with live.lock:
        for room in rooms:
            socketio.server.leave_room(sid, room, namespace=audience.namespace)
        hall.presence[audience.key] -= 1
        hall.comings_and_goings += 1
        publish(live, now_ms(), only=PRESENCE_AUDIENCES)


def publish(live: LiveContest, now: int, events: list[Event] = (), only: tuple[str, ...] | None = None) -> None:
    """Send each connected audience (or only those named) the patch of its view since its last one.

    The display goes first and the server then yields once: with green threads an emit is only
    queued until the running handler yields, and the hall watches the projector, so who won a buzz
    reaches it before the phones' and the host's views are even computed (docs/performance.md).

    Each process sends only to its own connections (``ignore_queue``): the patches are relative to
    what this process sent them, and with several processes every process publishes every decision
    (play.replica), so going through the Socket.IO queue would deliver each change once per process.
    """
    hall = hall_of(live)
    summaries = [summary(event) for event in events]
    keys = [key for key, count in hall.presence.items() if count and (only is None or key in only)]
    for key in sorted(keys, key=_publish_order):
        audience = _audience_of(key)
        view = view_for(live, audience, now)
        base_seq, last = hall.sent.get(key, (0, {}))
        patch = diff(last, view)
        hall.sent[key] = (view["seq"], view)
        if patch or summaries:
            payload = {"seq": view["seq"], "base_seq": base_seq, "server_now": now, "patch": patch,
                       "events": summaries}
            socketio.emit(CHANGE, payload, to=audience.room(live.contest_id), namespace=audience.namespace,
                          ignore_queue=True)
            if audience.role == "display":
                socketio.sleep(0)


def _publish_order(key: str) -> int:
    """The display first, then the phones, then the host."""
    return 0 if key == "display" else 2 if key == "host" else 1


def _audience_of(key: str) -> Audience:
    """The audience a presence key names."""
    if key.startswith("team:"):
        return Audience("team", int(key.split(":", 1)[1]))
    return Audience(key)


def set_muted(live: LiveContest, muted: bool) -> dict[str, Any]:
    """The host mutes or unmutes the display (in every process); it is not a contest decision, so no event is stored."""
    _mute(live, muted)
    elsewhere(_mute_loaded, live.contest_id, muted)
    return {"ok": True, "muted": muted}


def _mute(live: LiveContest, muted: bool) -> None:
    with live.lock:
        hall_of(live).muted = muted
        publish(live, now_ms(), only=("host", "display"))


def _mute_loaded(contest_id: int, muted: bool) -> None:
    """Another process's host muted the display: this process's displays follow."""
    live = loaded(contest_id)
    if live is not None:
        _mute(live, muted)


def log_refusal(who: str, what: str, reason: str) -> None:
    """Refused events from clients are logged, so scripted or forged traffic shows up."""
    current_app.logger.warning("refused %s from %s: %s", what, who, reason)


def phone_room(contest_id: int, phone_id: int) -> str:
    """The room of one bound phone's connections (in the /team namespace), so it can be cut alone."""
    return f"contest-{contest_id}-phone-{phone_id}"


def _phones_view(live: LiveContest) -> dict[str, list[dict]]:
    """Each team's bound phones for the host: number, when it joined, open connections now (in every process)."""
    hall = hall_of(live)
    online = online_here(live)
    if hall.others is not None:
        online = plus(online, hall.others.phones)
    return {team: [{**phone, "online": online.get(phone["id"], 0)} for phone in phones]
            for team, phones in hall.phones.items()}


def online_here(live: LiveContest) -> dict[int, int]:
    """Each bound phone's open connections to this process (from the Socket.IO manager's rooms)."""
    hall = hall_of(live)
    if hall.phones is None:
        hall.phones = _load_phones(live.contest_id)
    manager, namespace = socketio.server.manager, NAMESPACES["team"]
    return {phone["id"]: sum(1 for _ in manager.get_participants(namespace, phone_room(live.contest_id, phone["id"])))
            for phones in hall.phones.values() for phone in phones}


def _load_phones(contest_id: int) -> dict[str, list[dict]]:
    """The bound phones of the contest's teams, from the database."""
    contest = setup.get_contest(contest_id)
    if contest is None:
        return {}
    return {str(team.id): [{"id": phone.id, "label": phone.label,
                            "joined_at": int(phone.joined_at.timestamp() * 1000)} for phone in team.phones]
            for team in contest.teams}


def _join_codes_shown(live: LiveContest) -> bool:
    """Whether the organizer shows the join codes on the display (read once, then kept up to date)."""
    hall = hall_of(live)
    if hall.join_codes is None:
        contest = setup.get_contest(live.contest_id)
        hall.join_codes = bool(contest and contest.join_codes_shown)
    return hall.join_codes


def phones_changed(contest_id: int) -> None:
    """A phone joined or was dropped: the host consoles (of every process) see the team's phones as they are now."""
    _show_phones(contest_id)
    elsewhere(_show_phones, contest_id)


def _show_phones(contest_id: int) -> None:
    live = loaded(contest_id)
    if live is not None:
        with live.lock:
            hall_of(live).phones = _load_phones(contest_id)
            publish(live, now_ms(), only=("host",))


def show_join_codes(contest_id: int, shown: bool) -> None:
    """The organizer showed or hid the join codes: the displays (of every process) follow at once."""
    _show_join_codes(contest_id, shown)
    elsewhere(_show_join_codes, contest_id, shown)


def _show_join_codes(contest_id: int, shown: bool) -> None:
    live = loaded(contest_id)
    if live is not None:
        with live.lock:
            hall_of(live).join_codes = shown
            publish(live, now_ms(), only=("display",))


def drop_phone(contest_id: int, phone_id: Any, who: str) -> dict[str, Any]:
    """The host drops one phone of a team: its credential stops working and its connections are cut."""
    phone = db.session.get(TeamPhone, phone_id) if isinstance(phone_id, int) and not isinstance(phone_id, bool) else None
    if phone is None or phone.team.contest_id != contest_id:
        return {"ok": False, "reason": "该手机不存在或已被移出"}
    label, team_name = phone.label, phone.team.name
    joining.drop_phone(phone)
    _cut(NAMESPACES["team"], phone_room(contest_id, phone_id))
    phones_changed(contest_id)
    current_app.logger.info("%s dropped %s of %s in contest %s", who, label, team_name, contest_id)
    return {"ok": True}


def disconnect_display(contest_id: int) -> int:
    """Cut the open display pages of a contest (its display link was renewed)."""
    return _cut(NAMESPACES["display"], Audience("display").room(contest_id))


def _cut(namespace: str, room: str) -> int:
    """Disconnect every connection in ``room``, in this process and the others; how many were cut here."""
    elsewhere(_cut_here, namespace, room)
    return _cut_here(namespace, room)


def _cut_here(namespace: str, room: str) -> int:
    """Disconnect this process's connections in ``room`` (python-socketio keeps rooms per process)."""
    sids = [sid for sid, _eio_sid in socketio.server.manager.get_participants(namespace, room)]
    for sid in sids:
        socketio.server.disconnect(sid, namespace=namespace)
    return len(sids)


def cut_revoked_phones(contest_id: int, team: int) -> None:
    """A team's phones lost their credentials (contest_setup.signals.phones_revoked): cut them, update the host."""
    disconnect_team(contest_id, team)
    phones_changed(contest_id)


def disconnect_team(contest_id: int, team_id: int) -> int:
    """Cut every open connection of a team's phones at once (the organizer revoked them).

    Each phone in the team's room is disconnected by the server, so it stops acting at once; its
    credential is already void, so it cannot connect again (docs/security.md). Returns how many
    connections this process cut; with several server processes the others cut theirs (play.routing.elsewhere).
    """
    audience = Audience("team", team_id)
    return _cut(audience.namespace, audience.room(contest_id))
