"""What a benchmark phone and display note from the server's messages, whichever client carries them.

bench.latency_phones (lean asyncio clients) and bench.latency_sio_phones (python-socketio) differ
only in how they talk to the server; what they measure is the same and lives here: when a phone
joined and saw each opening of the buzzers, when the display was told who holds the question.
"""
import time


def clock_reply(_probe=None) -> dict:
    """A phone's answer to the server's ``clock_probe``: its own clock, at once."""
    return {"phone_now": time.time() * 1000}


class OpeningWatch:
    """One phone's view of the buzzer openings: its snapshot time and when it saw each opening."""

    def __init__(self):
        self.joined_at: float | None = None
        self.opened: dict[int, float] = {}  # open token -> receipt time
        self.token: int | None = None

    def on_snapshot(self, payload: dict) -> None:
        """The phone joined (first snapshot) and learns the current opening."""
        self.joined_at = self.joined_at or time.time()
        stage = (payload.get("view") or {}).get("stage") or {}
        self.token = stage.get("open_token", self.token)

    def on_change(self, payload: dict) -> bool:
        """Note a change; whether it is the first sight of an opening of the buzzers."""
        now = time.time()
        stage = (payload.get("patch") or {}).get("stage")
        if not isinstance(stage, dict):
            return False
        if stage.get("open_token") is not None:
            self.token = stage["open_token"]
        if stage.get("phase") == "buzzing" and self.token is not None and self.token not in self.opened:
            self.opened[self.token] = now
            return True
        return False


class HolderWatch:
    """The display's view: when each change naming the team that holds the question arrived."""

    def __init__(self):
        self.holders: list[tuple[float, int]] = []

    def on_change(self, payload: dict) -> None:
        """Note the holder a change names, with its receipt time."""
        now = time.time()
        stage = (payload.get("patch") or {}).get("stage")
        if isinstance(stage, dict) and isinstance(stage.get("holder"), int):
            self.holders.append((now, stage["holder"]))

    def seen(self, team: int, after: float) -> float | None:
        """When the display was first told, at or after ``after``, that ``team`` holds the question."""
        return next((at for at, holder in self.holders if holder == team and at >= after), None)
