"""A fair buzzer: each phone's clock estimated from probe exchanges, each press converted to server
time and bounded against cheating, and the first press chosen by arrival or by compensated time.

Why: a buzzer that decides by arrival lets the phone on the better Wi-Fi spot win races it lost.
Each phone stamps the press with its own clock; knowing that clock's offset from the server's,
the server can tell who pressed first. Pure: times are integers or floats in milliseconds.

A phone controls its stamps and its probe answers, so it can claim to have pressed earlier and
look farther away than it is. What bounds it (:func:`credit_for`):

- a stamp earlier than the phone's plausible range (its measured delay plus its own jitter) is
  not believed: the press is credited only the phone's measured delay;
- the measured delay is checked against the transport's own ping/pong (answered by the Socket.IO
  library, not by the contest page) and against the other phones of the hall; a phone whose
  probes look slower than its transport, or far slower than its peers, is flagged and held to
  what those say.
"""
from dataclasses import dataclass, field, replace
from statistics import median

from contest.rules import Arbitration

WINDOW_CAP_MS = 300  # the longest the server waits for earlier presses still on their way, and the most credit
KEPT_SAMPLES = 16  # probe samples remembered per phone (one every 5 s: the last 80 s)
BEST_SAMPLES = 3  # how many of the lowest-delay samples fix the offset when no drift can be measured
KEPT_TRANSPORT = 8  # transport ping round trips remembered per phone
KEPT_PRESSES = 8  # how much earlier than its usual delay each recent press of the phone claimed to be
PRESS_WITNESSES = 5  # presses needed before a phone's habit of early stamps is judged
EARLY_HABIT = 0.5  # … and flagged when their median excess is beyond this share of its allowance
JITTER_ALLOWANCE = 5  # a press may have waited this many times the phone's typical jitter on its way
MIN_ALLOWANCE_MS = 5.0  # … and at least this long
DRIFT_SPAN_MS = 20_000  # samples spread over at least this long let the clock's drift be measured
MAX_DRIFT = 0.0005  # 500 ppm: a measured drift beyond it is noise, not a clock
TRANSPORT_SLACK_MS = 15.0  # probes may look this much slower than the transport before the phone is flagged
STRETCH_MS = 50.0  # a stamp this far before the range is held to it (a press stuck in a queue); farther is not believed
CONGESTION_WITNESSES = 2  # other presses needed before their extra wait is allowed
OUT_OF_LINE_RATIO = 3.0  # a phone this many times slower than the hall's median …
OUT_OF_LINE_MARGIN_MS = 60.0  # … and this much slower, is out of line with its peers

FLAG_INCONSISTENT = "inconsistent"
FLAG_OUT_OF_LINE = "out_of_line"
FLAG_EARLY_STAMPS = "early_stamps"
FLAG_LABELS = {
    FLAG_INCONSISTENT: "时钟探测比传输层心跳慢，疑似故意延迟应答",
    FLAG_OUT_OF_LINE: "延迟远高于场内其他手机",
    FLAG_EARLY_STAMPS: "按键时间屡次早于网络延迟所能解释的范围",
}


@dataclass(frozen=True)
class ClockSample:
    """One probe exchange as the server saw it: sent, the phone's clock in the reply, received."""

    sent: float  # server clock when the probe left
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

    @property
    def at(self) -> float:
        """The middle of the exchange, on the server clock."""
        return (self.sent + self.received) / 2


@dataclass
class ClockEstimate:
    """A phone's clock offset and one-way delay, from its recent probe samples.

    NTP keeps the samples with the shortest round trip because queueing only ever adds delay,
    and a sample that waited in a queue on one leg gives a skewed offset. Phones are probed for
    the whole contest, so the offset also follows the phone clock's drift: a line through the
    low-delay samples, read at the moment of the press.
    """

    samples: list[ClockSample] = field(default_factory=list)
    transport: list[float] = field(default_factory=list)  # round trips of the transport's own ping/pong
    presses: list[float] = field(default_factory=list)  # recent presses' excess (Press.excess, queue allowed)
    _line: tuple[float, float, float] | None = field(default=None, repr=False, compare=False)  # offset_at's fit
    _floor: float | None = field(default=None, repr=False, compare=False)  # delay, until the next sample

    def add(self, sample: ClockSample) -> None:
        """Remember a sample (an impossible one, answered before it was sent, is ignored)."""
        if sample.received >= sample.sent:
            self.samples = (self.samples + [sample])[-KEPT_SAMPLES:]
            self._line = self._floor = None

    def add_transport(self, round_trip: float) -> None:
        """Remember a transport ping's round trip (negative ones are ignored)."""
        if round_trip >= 0:
            self.transport = (self.transport + [round_trip])[-KEPT_TRANSPORT:]

    def add_press(self, excess: float) -> None:
        """Remember how much longer than its usual delay a press of this phone claimed to take."""
        self.presses = (self.presses + [excess])[-KEPT_PRESSES:]

    @property
    def known(self) -> bool:
        """Whether any sample has arrived."""
        return bool(self.samples)

    def _best(self, count: int = BEST_SAMPLES) -> list[ClockSample]:
        """The lowest-delay samples."""
        return sorted(self.samples, key=lambda sample: sample.delay)[:count]

    @property
    def delay(self) -> float:
        """Estimated one-way delay: the floor of the phone's path (0 when unknown)."""
        if self._floor is None:
            best = self._best()
            self._floor = sum(sample.delay for sample in best) / len(best) if best else 0.0
        return self._floor

    @property
    def jitter(self) -> float:
        """How much a message of this phone typically waits above the floor (median, so a rare
        retransmission does not widen it)."""
        floor = self.delay
        return median(sample.delay - floor for sample in self.samples) if self.samples else 0.0

    @property
    def transport_delay(self) -> float | None:
        """The one-way delay the transport's ping/pong shows, or None before the first one."""
        return min(self.transport) / 2 if self.transport else None

    @property
    def offset(self) -> float:
        """Phone clock minus server clock now (at the latest sample; 0 when unknown)."""
        return self.offset_at(self.samples[-1].received) if self.samples else 0.0

    def offset_at(self, when: float) -> float:
        """Phone clock minus server clock at server time ``when``, drift included when measurable.

        The low-delay half of the samples (at least BEST_SAMPLES) gives a line through
        (time, offset); over less than DRIFT_SPAN_MS the plain average is steadier.
        """
        if not self.samples:
            return 0.0
        if self._line is None:
            self._line = self._fit()
        mean_at, mean_offset, slope = self._line
        return mean_offset + slope * (when - mean_at)

    def _fit(self) -> tuple[float, float, float]:
        """(time, offset) at the centre of the low-delay samples and the drift through them."""
        low = self._best(max(BEST_SAMPLES, len(self.samples) // 2))
        mean_at = sum(sample.at for sample in low) / len(low)
        mean_offset = sum(sample.offset for sample in low) / len(low)
        spread = sum((sample.at - mean_at) ** 2 for sample in low)
        if max(s.at for s in low) - min(s.at for s in low) < DRIFT_SPAN_MS or spread == 0:
            best = low[:BEST_SAMPLES]
            return mean_at, sum(sample.offset for sample in best) / len(best), 0.0
        slope = sum((s.at - mean_at) * (s.offset - mean_offset) for s in low) / spread
        return mean_at, mean_offset, max(-MAX_DRIFT, min(MAX_DRIFT, slope))


@dataclass(frozen=True)
class Credit:
    """How much earlier than its arrival a phone's press may be placed, and why it was bounded."""

    typical: float  # credited to a press whose stamp is not believed: the phone's trusted delay
    bound: float  # the most credit a believable stamp gets
    flag: str | None = None  # FLAG_INCONSISTENT, FLAG_OUT_OF_LINE or None

    @property
    def flag_text(self) -> str | None:
        """Why the phone is flagged, in Chinese."""
        return FLAG_LABELS.get(self.flag) if self.flag else None


NO_CREDIT = Credit(typical=0.0, bound=0.0)


def credit_for(estimate: ClockEstimate, peers: list[float]) -> Credit:
    """The credit a phone's press may get, given the measured delays of the hall's other phones.

    The phone's own floor plus an allowance for its jitter, the floor held to the transport's
    ping (which the page cannot delay); never more than the window cap. An honest phone's presses
    take about as long as its probes, so one whose recent presses keep claiming much more (a page
    that shaves its stamps) loses the allowance.
    """
    if not estimate.known:
        return NO_CREDIT
    allowance = max(MIN_ALLOWANCE_MS, JITTER_ALLOWANCE * estimate.jitter)
    trusted = estimate.delay
    flag = None
    transport = estimate.transport_delay
    if transport is not None and trusted > transport + TRANSPORT_SLACK_MS:
        trusted, flag = transport, FLAG_INCONSISTENT
    if len(estimate.presses) >= PRESS_WITNESSES and median(estimate.presses) > EARLY_HABIT * allowance:
        flag, allowance = FLAG_EARLY_STAMPS, 0.0
    if flag is None and peers and trusted > max(OUT_OF_LINE_RATIO * median(peers), median(peers) + OUT_OF_LINE_MARGIN_MS):
        flag = FLAG_OUT_OF_LINE
    bound = min(trusted + allowance, WINDOW_CAP_MS)
    return Credit(typical=min(trusted, bound), bound=bound, flag=flag)


@dataclass(frozen=True)
class Press:
    """A buzz as it reached the server."""

    team: int
    arrived_at: float  # server clock
    stamped_at: float | None  # the phone's clock at the press, if it sent one
    offset: float  # the phone's clock offset at the press
    delay: float  # the phone's measured one-way delay (shown to the host)
    clock_known: bool = True
    credit: Credit | None = None  # None: the measured delay is both the typical credit and the bound
    congestion: float = 0.0  # how much longer than usual the other presses of its window took
    trusted: bool = True  # False: the stage counts this (flagged) phone's presses at arrival

    @property
    def excess(self) -> float | None:
        """How much longer than its typical delay this press took, by its own stamp (None: no stamp)."""
        if self.stamped_at is None or not self.clock_known or not self.trusted:
            return None
        return self.arrived_at - (self.stamped_at - self.offset) - self._credit.typical

    @property
    def unexplained(self) -> float | None:
        """The excess that the window's queue does not explain (remembered per phone, see credit_for)."""
        return None if self.excess is None else self.excess - self.congestion

    @property
    def _credit(self) -> Credit:
        return self.credit if self.credit is not None else Credit(typical=self.delay, bound=self.delay)

    @property
    def compensated_at(self) -> float:
        """The press on the server clock, never after its arrival nor earlier than its credit allows.

        Without a stamp or a clock estimate the arrival time is all we know. A stamp within the
        phone's plausible range (arrival less its bound) is believed; an earlier one is not, and
        the press is credited only the phone's typical delay: stamping early gains nothing.
        """
        if self.stamped_at is None or not self.clock_known or not self.trusted:
            return self.arrived_at
        credit = self._credit
        converted = self.stamped_at - self.offset
        earliest = self.arrived_at - credit.bound - self.congestion
        if converted >= earliest:
            return min(self.arrived_at, converted)
        if converted >= earliest - STRETCH_MS:
            return earliest
        return self.arrived_at - credit.typical


def window_ms(bounds: list[float], cap: float = WINDOW_CAP_MS) -> float:
    """How long to wait after the first valid press for earlier presses still on their way:
    the largest credit any phone may get, capped."""
    return min(cap, max(bounds, default=0.0))


def with_congestion(presses: list[Press]) -> list[Press]:
    """The presses of one window, each allowed the extra wait that the others met.

    When everyone presses at once the hall's access point queues the presses, and an honest
    press takes longer than the phone's probes did. What the *other* presses took beyond their
    usual delay (the median, from at least two of them) is allowed to each press, so one phone
    cannot widen its own allowance.
    """
    excesses = [press.excess for press in presses]
    settled = []
    for index, press in enumerate(presses):
        others = [max(0.0, e) for i, e in enumerate(excesses) if i != index and e is not None]
        congestion = min(median(others), WINDOW_CAP_MS) if len(others) >= CONGESTION_WITNESSES else 0.0
        settled.append(replace(press, congestion=congestion))
    return settled


def first_press(presses: list[Press], mode: str) -> Press:
    """The winning press (one of ``presses``): first to arrive, or earliest compensated time once
    the window's congestion is allowed (arrival breaks ties)."""
    if not presses:
        raise ValueError("no press to choose from")
    if mode == Arbitration.ARRIVAL:
        return min(presses, key=lambda press: press.arrived_at)
    settled = with_congestion(presses)
    best = min(range(len(presses)), key=lambda index: (settled[index].compensated_at, presses[index].arrived_at))
    return presses[best]
