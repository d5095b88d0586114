"""Contests being played in this server process: their state, who is connected, what each
audience was last sent.

:func:`execute` is the only way a command reaches a live contest: under the contest's lock it
applies the engine, stores the event, and only then acknowledges and publishes. A retried
command (same client id) gets the first acknowledgement again instead of acting twice.
"""
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from contest import commands as c
from contest.buzz_audit import race_order
from contest.engine import Refusal, apply, create_contest
from contest.events import ContestFinished, Event, event_to_dict
from contest.state import ContestState
from contest.views import for_display, for_host, for_team
from extensions import db, socketio
from live import intent
from live.merge_patch import diff
from live.protocol import CHANGE, NAMESPACES, SNAPSHOT
from storage.event_store import (ConcurrentWriteError, acknowledged_seq, append_events, load_state,
                                 recent_acknowledgements)

REMEMBERED_ACKS = 2000
PREVIEW_TTL_MS = 1000  # before the start, the contest as it will begin is rebuilt at most this often
PRESENCE_AUDIENCES = ("host", "display")  # the views that show who is connected (phones' views do not)


def now_ms() -> int:
    """The server clock in milliseconds: the one clock every deadline is measured on."""
    return int(time.time() * 1000)


PROCESS_STARTED_MS = now_ms()
"""When this server process started: a contest last written before it was left by a stopped process."""


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
class LiveContest:
    """One contest in play in this process."""

    contest_id: int
    state: ContestState | None  # None until the contest is started (no events stored)
    lock: threading.RLock = field(default_factory=threading.RLock)
    presence: Counter = field(default_factory=Counter)  # audience key -> open connections
    sent: dict[str, tuple[int, dict]] = field(default_factory=dict)  # audience key -> (seq, view)
    acks: OrderedDict = field(default_factory=OrderedDict)  # (who, client id) -> acknowledgement
    buzz_window: Any = None  # live.buzzer.BuzzWindow of the current opening, in compensated mode
    presses: list[dict] = field(default_factory=list)  # every press of the current question, for the host
    presses_question: tuple[int, int] | None = None  # (stage index, turn) the presses belong to
    muted: bool = False  # the host silenced the display (a presentation choice, not a decision)
    preview: tuple[int, ContestState | None] | None = None  # before the start: (built at, preview state)
    phones: dict[str, list[dict]] | None = None  # team id -> its bound phones, for the host (loaded on first use)
    join_codes: bool | None = None  # the organizer shows the join codes on the display after the start


def _registry() -> tuple[dict[int, LiveContest], threading.Lock]:
    """This app's live contests (each app, and so each test, has its own)."""
    return current_app.extensions.setdefault("live_contests", ({}, threading.Lock()))


def get_live(contest_id: int) -> LiveContest:
    """The live contest ``contest_id``, loaded from its stored events on first use."""
    contests, lock = _registry()
    with lock:
        live = contests.get(contest_id)
        if live is None:
            live = LiveContest(contest_id, load_state(contest_id), acks=_stored_acks(contest_id))
            resume_after_restart(live)  # before the contest is registered: the clock only sees registered ones
            contests[contest_id] = live
        return live


def _stored_acks(contest_id: int) -> OrderedDict:
    """The acknowledgements of the contest's last stored client commands, remembered again on loading it.

    A command stored just before the previous process stopped may come again (its acknowledgement
    never arrived); answering it from memory, like any retry, keeps the database out of every message.
    """
    return OrderedDict(((who, client_id), {"ok": True, "seq": seq})
                       for who, client_id, seq in recent_acknowledgements(contest_id, REMEMBERED_ACKS))


def resume_after_restart(live: LiveContest) -> None:
    """A contest whose clock was running when an earlier process stopped: resume it (docs/reliability.md).

    Deadlines are server times, so a clock that was running at the stop is past its deadline by
    now and would time the team out at once. The engine's ResumeAfterRestart gives an answer or
    speed clock the time it had left at the last stored event, or voids open buzzers. This runs
    when this process first loads the contest, and only for a contest last written before the
    process started: one that another live process is writing is not a stopped one.
    """
    state = live.state
    stage = state.stage if state else None
    if stage is None or stage.deadline is None or state.last_at >= PROCESS_STARTED_MS:
        return
    try:
        new_state, events = apply(state, c.ResumeAfterRestart(actor="server"), now_ms())
        append_events(live.contest_id, events)
    except Refusal as refusal:
        current_app.logger.warning("contest %s after a restart: %s", live.contest_id, refusal.reason)
        return
    except ConcurrentWriteError:
        live.state = load_state(live.contest_id)  # someone is writing it right now: nothing to resume
        return
    live.state = new_state
    current_app.logger.warning("contest %s after a restart: %s", live.contest_id, _summary(events[0]))


def loaded_contests() -> list[LiveContest]:
    """Every contest this app holds (for the clock)."""
    contests, lock = _registry()
    with lock:
        return list(contests.values())


def view_for(live: LiveContest, audience: Audience, now: int) -> dict[str, Any]:
    """The projection that ``audience`` may see now, with the connection states it needs."""
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
        view["presence"] = {key: count for key, count in live.presence.items() if count}
        view["muted"] = live.muted
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
    if live.preview is None or not 0 <= now - live.preview[0] < PREVIEW_TTL_MS:
        live.preview = (now, _preview_state(live.contest_id, now))
    return live.preview[1]


def _preview_state(contest_id: int, now: int) -> ContestState | None:
    """Before the start: the contest as it would begin, from its current setup (not stored)."""
    from contest_setup import service
    from contest_setup.models import ContestStatus

    contest = service.get_contest(contest_id)
    if contest is None or contest.status not in (ContestStatus.READY, ContestStatus.LIVE):
        return None
    state, _events = create_contest(service.build_contest_config(contest), now)
    return state


def snapshot(live: LiveContest, audience: Audience) -> dict[str, Any]:
    """The view every client of ``audience`` holds now; later changes are patches of it.

    All connections of one audience share the last view sent, so a patch fits each of them.
    """
    with live.lock:
        if audience.key not in live.sent or not live.presence[audience.key]:
            view = view_for(live, audience, now_ms())
            live.sent[audience.key] = (view["seq"], view)
        seq, view = live.sent[audience.key]
        return {"seq": seq, "server_now": now_ms(), "view": view}


def join(live: LiveContest, audience: Audience, sid: str, rooms: tuple[str, ...] = ()) -> None:
    """A client connects: it gets its snapshot, joins its room (and ``rooms``), and the others see it arrive."""
    with live.lock:
        first = snapshot(live, audience)
        live.presence[audience.key] += 1
        socketio.emit(SNAPSHOT, first, to=sid, namespace=audience.namespace)
        for room in (audience.room(live.contest_id), *rooms):
            socketio.server.enter_room(sid, room, namespace=audience.namespace)
        publish(live, now_ms(), only=PRESENCE_AUDIENCES)


def leave(live: LiveContest, audience: Audience, sid: str, rooms: tuple[str, ...] = ()) -> None:
    """A client disconnects (it leaves ``rooms`` first, so it is not counted there); the host and the display see it go."""
    with live.lock:
        for room in rooms:
            socketio.server.leave_room(sid, room, namespace=audience.namespace)
        live.presence[audience.key] -= 1
        publish(live, now_ms(), only=PRESENCE_AUDIENCES)


def execute(contest_id: int, command: c.Command, who: str, client_id: str | None = None,
            meant_for: intent.Place | None = None) -> dict[str, Any]:
    """Apply ``command`` to the contest, store it, then acknowledge and publish its changes.

    With ``meant_for`` the command acts only while the contest is still at that place.

    Returns the acknowledgement: ``{"ok": True, "seq": n}`` or ``{"ok": False, "reason": …}``.
    """
    live = get_live(contest_id)
    with live.lock:
        remembered = live.acks.get((who, client_id)) if client_id else None
        if remembered is not None:
            return remembered
        now = now_ms()
        try:
            events = _decide_and_store(live, command, now, (who, client_id) if client_id else None, meant_for)
        except Refusal as refusal:
            ack = {"ok": False, "reason": refusal.reason}
        except AlreadyStored as stored:
            ack = {"ok": True, "seq": stored.seq}
        else:
            ack = {"ok": True, "seq": live.state.seq}
            _after_events(live, events)
            publish(live, now, events)
        if client_id:
            live.acks[(who, client_id)] = ack
            while len(live.acks) > REMEMBERED_ACKS:
                live.acks.popitem(last=False)
        return ack


class AlreadyStored(Exception):
    """The command was stored before, by another process that got its first try: ``seq`` acknowledged it."""

    def __init__(self, seq: int):
        super().__init__(seq)
        self.seq = seq


def _decide_and_store(live: LiveContest, command: c.Command, now: int,
                      client: tuple[str, str] | None = None, meant_for: intent.Place | None = None) -> list[Event]:
    """Apply and store (with the client's command id); when another writer got there first, reload and
    decide once more, unless that writer stored this very command (:class:`AlreadyStored`)."""
    for _attempt in range(2):
        intent.check(live.state, meant_for)
        if live.state is None:
            new_state, events = _create(live, command, now)
        else:
            new_state, events = apply(live.state, command, now)
        try:
            append_events(live.contest_id, events, client)
        except ConcurrentWriteError:
            current_app.logger.warning("contest %s: seq %s was stored by another writer first; reloaded",
                                       live.contest_id, events[0].seq)
            live.state = load_state(live.contest_id)
            publish(live, now)  # this process's clients see what the other writer decided
            seq = acknowledged_seq(live.contest_id, *client) if client else None
            if seq is not None:
                raise AlreadyStored(seq)
            continue
        live.state = new_state
        return events
    raise Refusal("操作冲突：另一位主持人刚刚做出了决定，请查看最新状态后重试")


def _create(live: LiveContest, command: c.Command, now: int) -> tuple[ContestState, list[Event]]:
    """The first command of a contest must start it: record its configuration, then start."""
    from contest_setup import service

    if not isinstance(command, c.StartContest):
        raise Refusal("比赛尚未开始")
    contest = service.get_contest(live.contest_id)
    if contest is None:
        raise Refusal("比赛不存在")
    try:
        service.require_startable(contest)
    except service.SetupError as error:
        raise Refusal(str(error)) from None
    state, created = create_contest(service.build_contest_config(contest), now, actor=command.actor)
    state, started = apply(state, command, now)
    return state, created + started


def _after_events(live: LiveContest, events: list[Event]) -> None:
    """Keep the contest's lifecycle status in step with the engine."""
    from contest_setup import service

    kinds = {event.kind for event in events}
    if kinds & {"ContestCreated", ContestFinished.kind}:
        contest = service.get_contest(live.contest_id)
        if "ContestCreated" in kinds:
            service.mark_live(contest)
        if ContestFinished.kind in kinds:
            service.mark_finished(contest)
        db.session.commit()


def publish(live: LiveContest, now: int, events: list[Event] = (), only: tuple[str, ...] | None = None) -> None:
    """Send each connected audience (or only those named) the patch of its view since its last one.

    The display goes first and the server then yields once: with green threads an emit is only
    queued until the running handler yields, and the hall watches the projector, so who won a buzz
    reaches it before the phones' and the host's views are even computed (docs/performance.md).
    """
    summaries = [_summary(event) for event in events]
    keys = [key for key, count in live.presence.items() if count and (only is None or key in only)]
    for key in sorted(keys, key=_publish_order):
        audience = _audience_of(key)
        view = view_for(live, audience, now)
        base_seq, last = live.sent.get(key, (0, {}))
        patch = diff(last, view)
        live.sent[key] = (view["seq"], view)
        if patch or summaries:
            payload = {"seq": view["seq"], "base_seq": base_seq, "server_now": now, "patch": patch,
                       "events": summaries}
            socketio.emit(CHANGE, payload, to=audience.room(live.contest_id), namespace=audience.namespace)
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


def _summary(event: Event) -> dict[str, Any]:
    """What every client may know of an event (the configuration stays out)."""
    data = event_to_dict(event)
    data.pop("config", None)
    return data


def set_muted(live: LiveContest, muted: bool) -> dict[str, Any]:
    """The host mutes or unmutes the display; it is not a contest decision, so no event is stored."""
    with live.lock:
        live.muted = muted
        publish(live, now_ms(), only=("host", "display"))
    return {"ok": True, "muted": muted}


def log_refusal(who: str, what: str, reason: str) -> None:
    """Refused events from clients are logged, so scripted or forged traffic shows up."""
    current_app.logger.warning("refused %s from %s: %s", what, who, reason)


def phone_room(contest_id: int, phone_id: int) -> str:
    """The room of one bound phone's connections (in the /team namespace), so it can be cut alone."""
    return f"contest-{contest_id}-phone-{phone_id}"


def _phones_view(live: LiveContest) -> dict[str, list[dict]]:
    """Each team's bound phones for the host: number, when it joined, open connections now."""
    if live.phones is None:
        live.phones = _load_phones(live.contest_id)
    manager = socketio.server.manager
    return {team: [{**phone, "online": sum(1 for _ in manager.get_participants(
        NAMESPACES["team"], phone_room(live.contest_id, phone["id"])))} for phone in phones]
        for team, phones in live.phones.items()}


def _load_phones(contest_id: int) -> dict[str, list[dict]]:
    """The bound phones of the contest's teams, from the database."""
    from contest_setup import service

    contest = service.get_contest(contest_id)
    if contest is None:
        return {}
    return {str(team.id): [{"id": phone.id, "label": phone.label,
                            "joined_at": int(phone.joined_at.timestamp() * 1000)} for phone in team.phones]
            for team in contest.teams}


def _join_codes_shown(live: LiveContest) -> bool:
    """Whether the organizer shows the join codes on the display (read once, then kept up to date)."""
    if live.join_codes is None:
        from contest_setup import service

        contest = service.get_contest(live.contest_id)
        live.join_codes = bool(contest and contest.join_codes_shown)
    return live.join_codes


def _loaded(contest_id: int) -> LiveContest | None:
    """The live contest if this process holds it (nothing to update otherwise: it loads fresh)."""
    contests, lock = _registry()
    with lock:
        return contests.get(contest_id)


def phones_changed(contest_id: int) -> None:
    """A phone joined or was dropped: the host consoles see the team's phones as they are now."""
    live = _loaded(contest_id)
    if live is not None:
        with live.lock:
            live.phones = _load_phones(contest_id)
            publish(live, now_ms(), only=("host",))


def show_join_codes(contest_id: int, shown: bool) -> None:
    """The organizer showed or hid the join codes: the display follows at once."""
    live = _loaded(contest_id)
    if live is not None:
        with live.lock:
            live.join_codes = shown
            publish(live, now_ms(), only=("display",))


def drop_phone(contest_id: int, phone_id: Any, who: str) -> dict[str, Any]:
    """The host drops one phone of a team: its credential stops working and its connections are cut."""
    from contest_setup import joining
    from contest_setup.models import TeamPhone

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
    """Disconnect every connection in ``room``; how many were cut."""
    sids = [sid for sid, _eio_sid in socketio.server.manager.get_participants(namespace, room)]
    for sid in sids:
        socketio.server.disconnect(sid, namespace=namespace)
    return len(sids)


def disconnect_team(contest_id: int, team_id: int) -> int:
    """Cut every open connection of a team's phones at once (the organizer revoked them).

    Each phone in the team's room is disconnected by the server, so it stops acting at once; its
    credential is already void, so it cannot connect again (docs/security.md). Returns how many
    connections were cut. Only this process's connections are seen (python-socketio keeps rooms
    per process): with several server processes, phones on the others are refused at reconnect.
    """
    audience = Audience("team", team_id)
    return _cut(audience.namespace, audience.room(contest_id))
