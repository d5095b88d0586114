"""With several server processes, the open connections every other process has to each contest.

Each process counts only its own connections (:class:`live.audiences.Hall`); the host console and
the display should show the whole hall, wherever each phone or screen is connected. So every
process tells the others its counts (live.presence_sharing) and each keeps what it was told here,
summed per contest. A process that stops telling (it died) is forgotten after KEPT_FOR_MS: its
connections are gone with it, and the phones reconnect elsewhere and are counted there.

Nothing here does input or output: the times are the receiving process's own clock, in ms.
"""
import threading
from collections import Counter
from typing import Any, Mapping, NamedTuple

SHARE_INTERVAL_MS = 1000  # each process tells its counts at least this often (at once when they change)
KEPT_FOR_MS = 3 * SHARE_INTERVAL_MS + SHARE_INTERVAL_MS // 2  # three missed reports and half a period late


class Counts(NamedTuple):
    """One contest's open connections in one process (or summed over several), positive counts only."""

    audiences: dict[str, int]  # audience key ("host", "display", "team:12") -> open connections
    phones: dict[int, int]  # bound phone id -> its open connections


def plus(here: Mapping, there: Mapping) -> dict:
    """The sum of two sets of counts, keeping only what is positive."""
    return dict(Counter(here) + Counter(there))


def counted(audiences: Mapping[str, int], phones: Mapping[int, int]) -> Counts | None:
    """Counts of the positive numbers given; None when there is no connection at all."""
    counts = Counts(plus(audiences, {}), plus(phones, {}))
    return counts if counts.audiences or counts.phones else None


class Reports:
    """What the other processes last told of their connections, each timed when it arrived."""

    def __init__(self) -> None:
        self._by_process: dict[str, tuple[float, dict[int, Counts]]] = {}  # process -> (heard at, counts by contest)
        self._lock = threading.Lock()

    def told(self, process: str, by_contest: dict[int, Counts], now: float) -> None:
        """``process`` has these connections now (a contest it does not name has none there)."""
        with self._lock:
            self._by_process[process] = (now, by_contest)

    def expire(self, now: float) -> list[str]:
        """Forget the processes that told nothing for longer than KEPT_FOR_MS; which ones were forgotten."""
        with self._lock:
            silent = [process for process, (heard_at, _counts) in self._by_process.items()
                      if now - heard_at > KEPT_FOR_MS]
            for process in silent:
                del self._by_process[process]
            return silent

    def total(self, contest_id: int) -> Counts | None:
        """The contest's connections summed over the other processes; None when they have none."""
        with self._lock:
            told = [by_contest[contest_id] for _heard_at, by_contest in self._by_process.values()
                    if contest_id in by_contest]
        audiences, phones = Counter(), Counter()
        for counts in told:
            audiences.update(counts.audiences)
            phones.update(counts.phones)
        return counted(audiences, phones)


class Outbox:
    """When this process tells its counts: as soon as they may have changed, and every
    SHARE_INTERVAL_MS anyway, so that a process started later learns them and the others know this
    one is alive. What it compares stands for the counts: the counts themselves, or anything that
    moves whenever they may have (live.presence_sharing gives the connections that came and went)."""

    def __init__(self) -> None:
        self._last: Any = None
        self._sent_at = 0.0

    def due(self, marker: Any, now: float) -> bool:
        """Whether the counts ``marker`` stands for should be told now (if so, they count as told)."""
        if marker == self._last and now - self._sent_at < SHARE_INTERVAL_MS:
            return False
        self._last, self._sent_at = marker, now
        return True
