"""One press of a team's buzzer as it is kept: the same record is the database row, a line of the
host's press log and a row of the buzz audit.

Pure: the times and the verdict of a press, in server ms (except ``stamped_at``, the phone's own
clock), with what each reader needs computed from them here, so the three never disagree.
"""
from dataclasses import dataclass, replace
from typing import Any

from contest.fairness import FLAG_LABELS
from contest.press_source import source_label

OUTCOME_CHARS = 200  # the stored refusal's length (the buzz_press.outcome column)


@dataclass(frozen=True)
class PressRecord:
    """One press that reached the server, accepted or not (the fields of ``storage.models.BuzzPress``)."""

    team_id: int
    connection: str  # the phone's Socket.IO session, or a buzzer station's key (contest.press_source)
    open_token: int | None  # the opening the phone said it answered
    stamped_at: float | None
    arrived_at: int
    offset_ms: float | None  # phone clock minus server clock; None: the phone's clock was not known
    delay_ms: float | None  # estimated one-way delay
    pressed_at: int  # the compensated press time that the arbitration used
    arbitration: str
    accepted: bool
    outcome: str  # "accepted", or the refusal the phone was shown
    event_seq: int | None  # the event an accepted press became
    flag: str | None = None  # why the phone was out of line (contest.fairness.FLAG_LABELS), or None

    def judged(self, ack: dict[str, Any]) -> "PressRecord":
        """This press with the verdict of its acknowledgement (``{"ok": True, "seq": n}`` or a refusal)."""
        accepted = bool(ack.get("ok"))
        return replace(self, accepted=accepted, event_seq=ack.get("seq"),
                       outcome="accepted" if accepted else str(ack.get("reason", ""))[:OUTCOME_CHARS])

    @property
    def source(self) -> str:
        """Where the press came from, as the host's log and the report's 抢答记录 both name it: the start
        of the phone's connection id (tells a team's phones apart), or "抢答器 Digit3" for a station's key."""
        return source_label(self.connection)

    def for_host(self) -> dict[str, Any]:
        """The line of the host's press log; ``phone`` names the source as the report's 抢答记录 does."""
        return {
            "team": self.team_id, "phone": self.source, "arrived_at": self.arrived_at,
            "pressed_at": self.pressed_at,
            "delay": round(self.delay_ms) if self.delay_ms is not None else None,
            "offset": round(self.offset_ms) if self.offset_ms is not None else None,
            "accepted": self.accepted, "reason": None if self.accepted else self.outcome,
            "flag": FLAG_LABELS.get(self.flag) if self.flag else None,
        }
