"""A buzzer station: a page (or a bridge script) that reads a hall's hardware buzzer box and
presses for the teams of one contest.

Many halls own a USB buzzer box that types one key per team. The station maps keys to teams,
stamps each key with its own clock, and sends ``station_buzz`` here. Its clock is probed like a
phone's (live.clock_sync) and its presses take the phones' path: the payload guard
(:meth:`LiveNamespace.run`, :func:`live.payloads.station_buzz`), the fair buzzer
(:func:`live.buzzer.handle_buzz`) and the application service, so the same arbitration,
early-buzz rule and press record, the record naming the station's key (contest.press_source).
Phones and hardware mix in one stage: the first valid press of a team counts, whichever sent it.

Only someone who may host the contest opens a station (the host console's check), a station
presses only for teams of its contest, and it is held to a phone's rate (live.limits).
"""
from typing import Any

from flask import current_app, request
from flask_login import current_user

from contest.press_source import station_connection
from contest_setup import service
from live import payloads
from live.audiences import Audience
from live.buzzer import handle_buzz
from live.clock_sync import clock_sync
from live.kernel_rtt import phone_socket
from live.namespaces import Connection, LiveNamespace, hosted_contest
from live.payloads import PayloadError, StationBuzzRequest
from play.registry import get_live
from play.ticker import start_clock

STATION = Audience("station")


def station_request(contest_id: int, payload: Any) -> StationBuzzRequest:
    """A station's press, refused (PayloadError) unless it is well formed and for a team of this contest."""
    press = payloads.station_buzz(payload)
    if not _in_contest(contest_id, press.team):
        raise PayloadError(f"本场比赛没有编号为 {press.team} 的队伍，按键未计入")
    return press


def _in_contest(contest_id: int, team: int) -> bool:
    """Whether ``team`` plays in the contest: its stored configuration once started, else its setup."""
    state = get_live(contest_id).state
    if state is not None:
        return state.config.team(team) is not None
    contest = service.get_contest(contest_id)
    return contest is not None and any(entry.id == team for entry in contest.teams)


def _station_buzz(connection: Connection, press: StationBuzzRequest, client_id: str | None,
                  _meant_for: Any) -> dict[str, Any]:
    """A station's press, judged by the fair buzzer as a phone's buzz of its team, recorded with its key."""
    return handle_buzz(connection.contest_id, press.team, connection.who, request.sid, press.press, client_id,
                       source=station_connection(press.key, request.sid))


class StationNamespace(LiveNamespace):
    """``/station``: presses only. The station page follows the contest through its host view
    (``/host``); this connection has no view of its own, so it joins no audience."""

    def authenticate(self, auth: dict[str, Any]) -> Connection:
        """Only a logged-in user who may host this contest, exactly as for the host console."""
        return Connection(hosted_contest(auth), STATION, f"station:{current_user.username}")

    def on_connect(self, auth: Any = None):
        """Authenticate, then start estimating the station's clock like a phone's."""
        connection = self.authenticate(auth if isinstance(auth, dict) else {})
        start_clock(current_app._get_current_object())
        self.connections[request.sid] = connection
        eio_sid = self.server.manager.eio_sid_from_sid(request.sid, self.namespace)
        clock_sync().track(request.sid, connection.contest_id, eio_sid, self.namespace, phone_socket(request.environ))

    def on_disconnect(self, reason: Any = None):
        """Stop estimating the clock of a station that left."""
        self.limits.forget(request.sid)
        clock_sync().forget(request.sid)
        self.connections.pop(request.sid, None)

    def on_resync(self, payload: Any = None) -> dict[str, Any]:
        """A station has no view (its page reads the host view; its connection module still asks
        when the page comes back into sight, which is no fault worth a log line)."""
        return {"ok": False, "reason": "抢答器连接没有比赛画面，请看主持视图"}

    def on_station_buzz(self, payload: Any = None) -> dict[str, Any]:
        """A key pressed for a team: {"team": id, "key": "Digit3", "open_token": n,
        "pressed_at": <station clock ms>, "client_id": …}; judged as a phone's ``buzz`` of that team."""
        return self.run("station_buzz", payload, lambda conn: station_request(conn.contest_id, payload),
                        act=_station_buzz)
