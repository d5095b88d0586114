"""A fair buzzer: each phone's clock estimated from ping exchanges, each press converted to server
time and bounded against cheating, and the first press chosen by arrival or by compensated time.

Why: a buzzer that decides by arrival lets the phone on the better Wi-Fi spot win races it lost.
Each phone stamps the press with its own clock; knowing that clock's offset from the server's,
the server can tell who pressed first. Pure: times are integers or floats in milliseconds.
"""
from dataclasses import dataclass, field

from contest.rules import Arbitration

WINDOW_CAP_MS = 200  # the longest the server waits for earlier presses still on their way
KEPT_SAMPLES = 16  # ping samples remembered per phone; the lowest-delay ones decide
BEST_SAMPLES = 3  # how many of the lowest-delay samples are averaged


@dataclass(frozen=True)
class ClockSample:
    """One ping exchange as the server saw it: sent, the phone's clock in the reply, received."""

    sent: float  # server clock when the ping left
    phone: float  # phone clock when it answered
    received: float  # server clock when the answer came back

    @property
    def delay(self) -> float:
        """One-way delay: half the round trip (only the server's clock is used, so a phone cannot shrink it)."""
        return (self.received - self.sent) / 2

    @property
    def offset(self) -> float:
        """Phone clock minus server clock, assuming the answer was made half-way through the round trip."""
        return self.phone - (self.sent + self.received) / 2


@dataclass
class ClockEstimate:
    """A phone's clock offset and one-way delay, from the lowest-delay of its recent samples.

    NTP keeps the samples with the shortest round trip because queueing only ever adds delay,
    and a sample that waited in a queue on one leg gives a skewed offset.
    """

    samples: list[ClockSample] = field(default_factory=list)

    def add(self, sample: ClockSample) -> None:
        """Remember a sample (an impossible one, answered before it was sent, is ignored)."""
        if sample.received >= sample.sent:
            self.samples = (self.samples + [sample])[-KEPT_SAMPLES:]

    @property
    def known(self) -> bool:
        """Whether any sample has arrived."""
        return bool(self.samples)

    def _best(self) -> list[ClockSample]:
        """The lowest-delay samples."""
        return sorted(self.samples, key=lambda sample: sample.delay)[:BEST_SAMPLES]

    @property
    def offset(self) -> float:
        """Phone clock minus server clock (0 when unknown)."""
        best = self._best()
        return sum(sample.offset for sample in best) / len(best) if best else 0.0

    @property
    def delay(self) -> float:
        """Estimated one-way delay (0 when unknown)."""
        best = self._best()
        return sum(sample.delay for sample in best) / len(best) if best else 0.0


@dataclass(frozen=True)
class Press:
    """A buzz as it reached the server."""

    team: int
    arrived_at: float  # server clock
    stamped_at: float | None  # the phone's clock at the press, if it sent one
    offset: float  # the phone's clock estimate at arrival
    delay: float
    clock_known: bool = True

    @property
    def compensated_at(self) -> float:
        """The press on the server clock, bounded so that a forged stamp gains at most the measured delay.

        Without a stamp or a clock estimate the arrival time is all we know. A press cannot have
        happened after it arrived, and no earlier than the arrival less the phone's measured
        one-way delay: a phone that stamps 500 ms early gains only what its network costs it.
        """
        if self.stamped_at is None or not self.clock_known:
            return self.arrived_at
        converted = self.stamped_at - self.offset
        return min(self.arrived_at, max(converted, self.arrived_at - self.delay))


def window_ms(delays: list[float], cap: float = WINDOW_CAP_MS) -> float:
    """How long to wait after the first valid press for earlier presses still on their way:
    the largest one-way delay among the phones, capped."""
    return min(cap, max(delays, default=0.0))


def first_press(presses: list[Press], mode: str) -> Press:
    """The winning press: first to arrive, or earliest compensated time (arrival breaks ties)."""
    if not presses:
        raise ValueError("no press to choose from")
    if mode == Arbitration.ARRIVAL:
        return min(presses, key=lambda press: press.arrived_at)
    return min(presses, key=lambda press: (press.compensated_at, press.arrived_at))
