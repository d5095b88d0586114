"""A fair buzzer: each phone's clock estimated from probe exchanges, each press converted to server
time and bounded against cheating, and the first press chosen by arrival or by compensated time.

Why: a buzzer that decides by arrival lets the phone on the better Wi-Fi spot win races it lost.
Each phone stamps the press with its own clock; knowing that clock's offset from the server's,
the server can tell who pressed first. Pure: times are integers or floats in milliseconds.

A phone controls its stamps and its probe answers, so it can claim to have pressed earlier and
look farther away than it is. What bounds it (:func:`credit_for`):

- a stamp earlier than the phone's plausible range (its measured delay plus its own jitter) is
  not believed: the press is credited only the phone's measured delay;
- a phone whose recent presses keep claiming more than its jitter explains (a page that shaves
  its stamps) is flagged and its stamps are no longer believed at all;
- the measured delay is checked against the transport's own ping/pong (answered by the Socket.IO
  library, not by the contest page), the kernel's TCP round trip (answered by the phone's
  operating system: no page or rebuilt client can hold it) and the other phones of the hall; a
  phone whose probes look slower than those round trips, or far slower than its peers, is
  flagged and held to what those say.

:class:`Heartbeats` is the rule for stamped "not pressed yet" heartbeats sent while buzzers are
open (a press stamped before the last of them is placed no earlier than it; heartbeats that all
claim early flag the phone). bench.fairness models it (``--heartbeat-ms``); the server does not
collect heartbeats: in the model they do not bound a one-off shave to the issue's target and cost
honest races (docs/performance.md, the fairness section).
"""
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from statistics import median

from contest.rules import Arbitration

WINDOW_CAP_MS = 300  # the longest the server waits for earlier presses still on their way, and the most credit
KEPT_SAMPLES = 16  # probe samples remembered per phone (one every 5 s: the last 80 s)
BEST_SAMPLES = 3  # how many of the lowest-delay samples fix the offset when no drift can be measured
KEPT_TRANSPORT = 8  # transport ping round trips remembered per phone
KEPT_PRESSES = 8  # how much earlier than its usual delay each recent press of the phone claimed to be
PRESS_WITNESSES = 5  # presses needed before a phone's habit of early stamps is judged
HABIT_JITTERS = 0.5  # … and flagged when even the least of their excesses is beyond this many jitters
HABIT_MARGIN_MS = 4.0  # … plus this much
JITTER_ALLOWANCE = 5  # a press may have waited this many times the phone's typical jitter on its way
MIN_ALLOWANCE_MS = 5.0  # … and at least this long
DRIFT_SPAN_MS = 20_000  # samples spread over at least this long let the clock's drift be measured
MAX_DRIFT = 0.0005  # 500 ppm: a measured drift beyond it is noise, not a clock
TRANSPORT_SLACK_MS = 15.0  # probes may look this much slower than the transport before the phone is held to it
HELD_MS = 50.0  # … and this much slower before it is flagged: a busy page answers late, a doctored one far later
STRETCH_MS = 50.0  # a stamp this far before the range is held to it (a press stuck in a queue); farther is not believed
CONGESTION_WITNESSES = 2  # other teams' presses needed before their extra wait is allowed
CONGESTION_CAP_MS = 50.0  # the most extra wait a window's queue may explain
OUT_OF_LINE_RATIO = 3.0  # a phone this many times slower than the hall's median …
OUT_OF_LINE_MARGIN_MS = 60.0  # … and this much slower than the slowest of its peers, is out of line with them
HALL_WITNESSES = 3  # other phones needed before the hall judges a phone (one or two are no picture of a hall)
HEARTBEAT_EVERY_MS = 25  # while buzzers are open a phone would say "not pressed yet" this often (bench.fairness)
HEARTBEAT_WITNESSES = 5  # heartbeats of an opening needed before their habit of early stamps is judged
HEARTBEAT_ALLOWANCE_MS = 40.0  # the allowance of a phone that heartbeated in the opening (see Heartbeats)
SILENT_ALLOWANCE_MS = 0.0  # … and of one expected to heartbeat that sent none: its stamp is bounded by nothing else

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
    kernel: float | None = None  # the kernel's minimum TCP round trip on the phone's connection, when readable
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

    def add_kernel(self, round_trip: float) -> None:
        """Remember the kernel's latest minimum round trip (its own running minimum; negative ignored)."""
        if round_trip >= 0:
            self.kernel = round_trip

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
        """The one-way delay that round trips the page does not answer show (the transport's pongs,
        the kernel's TCP round trip), or None before the first one."""
        round_trips = self.transport + ([self.kernel] if self.kernel is not None else [])
        return min(round_trips) / 2 if round_trips else None

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


@dataclass
class Heartbeats:
    """A phone's "not pressed yet" heartbeats of one opening, as the server received them.

    Why: an honest press that waited on its way and a stamp shaved by as much look the same to
    the server, so the allowance for slow presses is what a one-off shave gains. Heartbeats bound
    the shave: messages of one connection arrive in order, so a press is never made before the
    last heartbeat received ahead of it (``last_stamp``, on the phone's clock), and a page that
    wants to claim earlier must stamp or hold its heartbeats early too, every one of them, which
    ``least_excess`` shows within the opening. Only a summary is kept (no list, no storage): a
    heartbeat costs a comparison or two.
    """

    token: int | None = None  # the opening (its open_token) these heartbeats belong to
    count: int = 0
    last_stamp: float | None = None  # the latest stamp (phone clock) of the opening
    least_excess: float = float("inf")  # the least excess (as Press.excess) of any heartbeat of the opening

    def add(self, token: int | None, stamp: float, arrived: float, estimate: "ClockEstimate") -> None:
        """Remember a heartbeat of opening ``token`` stamped ``stamp`` (phone clock) that arrived at
        ``arrived`` (server clock); one of another opening starts the count again."""
        if token != self.token:
            self.token, self.count, self.last_stamp, self.least_excess = token, 0, None, float("inf")
        self.count += 1
        self.last_stamp = stamp if self.last_stamp is None else max(self.last_stamp, stamp)
        if estimate.known:
            excess = arrived - (stamp - estimate.offset_at(arrived)) - estimate.delay
            self.least_excess = min(self.least_excess, excess)

    def of(self, token: int | None) -> "Heartbeats":
        """These heartbeats if they belong to opening ``token``, else none (a press of a new opening)."""
        return self if token == self.token else Heartbeats(token)

    def early(self, jitter: float) -> bool:
        """Whether every heartbeat of the opening claims more than the phone's jitter explains: the
        least-excess habit (see _habitually_early), with a sample per heartbeat."""
        return self.count >= HEARTBEAT_WITNESSES and self.least_excess > HABIT_JITTERS * jitter + HABIT_MARGIN_MS


@dataclass(frozen=True)
class Credit:
    """How much earlier than its arrival a phone's press may be placed, and why it was bounded."""

    typical: float  # credited to a press whose stamp is not believed: the phone's trusted delay
    bound: float  # the most credit a believable stamp gets
    flag: str | None = None  # FLAG_INCONSISTENT, FLAG_OUT_OF_LINE, FLAG_EARLY_STAMPS or None
    stamps_believed: bool = True  # False: the phone's stamps proved early, its presses get only ``typical``

    @property
    def flag_text(self) -> str | None:
        """Why the phone is flagged, in Chinese."""
        return FLAG_LABELS.get(self.flag) if self.flag else None


NO_CREDIT = Credit(typical=0.0, bound=0.0)


def credit_for(estimate: ClockEstimate, peers: list[float], heartbeats: Heartbeats | None = None) -> Credit:
    """The credit a phone's press may get, given the measured delays of the hall's other phones
    and, for a phone that is to heartbeat while buzzers are open, its heartbeats of the opening.

    The phone's own floor plus an allowance, the floor held to the transport's ping (which the
    page cannot delay); never more than the window cap. An honest phone's presses take about as
    long as its probes, so one whose recent presses, or this opening's heartbeats, keep claiming
    much more (a page that shaves its stamps) is no longer believed: each of its presses is
    credited its delay. The allowance: ``heartbeats`` None (a connection that does not heartbeat,
    a buzzer station) five jitters; a phone that heartbeated HEARTBEAT_ALLOWANCE_MS, since its
    heartbeats bound a shave (Press.not_before); one that was to heartbeat and did not, none.
    """
    if not estimate.known:
        return NO_CREDIT
    allowance = _allowance(estimate, heartbeats)
    trusted = estimate.delay
    flag = None
    transport = estimate.transport_delay
    if transport is not None and trusted > transport + TRANSPORT_SLACK_MS:
        flag = FLAG_INCONSISTENT if trusted > transport + HELD_MS else None
        trusted = transport
    if _habitually_early(estimate) or (heartbeats is not None and heartbeats.early(estimate.jitter)):
        typical = min(trusted, WINDOW_CAP_MS)
        return Credit(typical=typical, bound=typical, flag=FLAG_EARLY_STAMPS, stamps_believed=False)
    line = hall_line(peers) if estimate.kernel is None else None  # the kernel's round trip is no one's claim
    if line is not None and trusted > line:
        trusted = line
        flag = flag or FLAG_OUT_OF_LINE
    bound = min(trusted + allowance, WINDOW_CAP_MS)
    return Credit(typical=min(trusted, bound), bound=bound, flag=flag)


def _allowance(estimate: ClockEstimate, heartbeats: Heartbeats | None) -> float:
    """How much longer than its measured delay a press of the phone may have taken (see credit_for)."""
    if heartbeats is None:
        return max(MIN_ALLOWANCE_MS, JITTER_ALLOWANCE * estimate.jitter)
    return HEARTBEAT_ALLOWANCE_MS if heartbeats.count else SILENT_ALLOWANCE_MS


def hall_line(peers: list[float]) -> float | None:
    """The most one-way delay the hall's other phones make believable (None: too few to judge by).

    Phones in one hall share its Wi-Fi (or the same few cell towers), so their delays sit
    together; a phone far slower than all of them (OUT_OF_LINE_MARGIN_MS beyond the slowest, and
    OUT_OF_LINE_RATIO times their median) is either on a bad link or holding its answers and its
    pongs, and where the kernel's round trip cannot be read no round trip can tell which: it is
    flagged and credited no more than this line.
    Beyond the slowest peer, not the median: a hall's honest 4G phones sit well above its Wi-Fi
    median, and capping them there costs more right answers than it saves from cheats.
    """
    if len(peers) < HALL_WITNESSES:
        return None
    return max(OUT_OF_LINE_RATIO * median(peers), max(peers) + OUT_OF_LINE_MARGIN_MS)


def _habitually_early(estimate: ClockEstimate) -> bool:
    """Whether every one of the phone's recent presses claims more than its jitter explains.

    The least excess, not the median: queueing only ever adds delay (the reason NTP keeps its
    fastest samples), so among a few honest presses one nearly always travelled at the path's
    floor, while a page that shaves every stamp shows the shave even in its fastest press. The
    median of a few presses of a jittery 4G phone strays above its probes' jitter often enough
    to flag honest phones (and hold them to their delay in races they won); the least does not.
    A phone that shaves only now and then keeps honest presses in its record and is not caught:
    each of its shaves is a one-off (docs/performance.md, the trade-off table).
    """
    return (len(estimate.presses) >= PRESS_WITNESSES
            and min(estimate.presses) > HABIT_JITTERS * estimate.jitter + HABIT_MARGIN_MS)


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
    not_before: float | None = None  # the stamp (phone clock) of the phone's last heartbeat before the press

    @property
    def excess(self) -> float | None:
        """How much longer than its probes' delay this press took, by its own stamp (None: no stamp).

        Measured against the phone's own probes, not its credit: a phone held to the hall's line
        or to its transport still shows its ordinary jitter, not the cap, as its habit."""
        if self.stamped_at is None or not self.clock_known or not self.trusted:
            return None
        return self.arrived_at - (self.stamped_at - self.offset) - self.delay

    @property
    def unexplained(self) -> float | None:
        """The excess that the window's queue does not explain (remembered per phone, see credit_for)."""
        return None if self.excess is None else self.excess - self.congestion

    @property
    def witnessed_excess(self) -> float | None:
        """The excess this press shows the window's other presses (None: it shows no queue, see
        with_congestion): a phone whose stamps proved early is no witness."""
        return self.excess if self._credit.stamps_believed else None

    @property
    def _credit(self) -> Credit:
        return self.credit if self.credit is not None else Credit(typical=self.delay, bound=self.delay)

    @property
    def compensated_at(self) -> float:
        """The press on the server clock, never after its arrival nor earlier than its credit allows.

        Without a stamp or a clock estimate the arrival time is all we know. A stamp earlier than
        the phone's last heartbeat contradicts it (the press came after) and counts as that
        heartbeat's stamp (its excess, from the stamp as sent, is an early-stamp witness). A stamp
        within the phone's plausible range (arrival less its bound) is believed; an earlier one is
        not, and the press is credited only the phone's typical delay: stamping early gains nothing.
        """
        if self.stamped_at is None or not self.clock_known or not self.trusted:
            return self.arrived_at
        credit = self._credit
        if not credit.stamps_believed:
            return self.arrived_at - credit.typical
        stamp = self.stamped_at if self.not_before is None else max(self.stamped_at, self.not_before)
        converted = stamp - self.offset
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


def with_congestion(presses: list[Press], cap: float = CONGESTION_CAP_MS) -> list[Press]:
    """The presses of one window, each allowed the extra wait that the others met.

    When everyone presses at once the hall's access point queues the presses, and an honest
    press takes longer than the phone's probes did. The longest extra wait (beyond their usual
    delay) of the *other teams'* presses, from at least two of them, is allowed to each press, up
    to ``cap``: a phone cannot widen its own allowance, nor can a second phone of its
    team, and a phone whose stamps proved early is no witness. The longest, not the median: a
    queue delays the presses behind it by different amounts, and the one that waited most shows
    how long the queue was.
    """
    excesses = [press.witnessed_excess for press in presses]
    settled = []
    for press in presses:
        others = [max(0.0, excess) for other, excess in zip(presses, excesses)
                  if other.team != press.team and excess is not None]
        congestion = min(max(others), cap) if len(others) >= CONGESTION_WITNESSES else 0.0
        settled.append(replace(press, congestion=congestion))
    return settled


def first_press(presses: list[Press], mode: str, queue_cap: float = CONGESTION_CAP_MS) -> Press:
    """The winning press (one of ``presses``): first to arrive, or earliest compensated time once
    the window's congestion (up to ``queue_cap``) is allowed (arrival breaks ties)."""
    if not presses:
        raise ValueError("no press to choose from")
    return presses[judging_order(presses, mode, queue_cap)[0]]


def judging_order(presses: list[Press], mode: str, queue_cap: float = CONGESTION_CAP_MS) -> list[int]:
    """The indexes of ``presses`` in the order they are judged: the first is the winner, and the
    next is tried only when the rules refuse the one before (its team was out, say).

    The congestion allowance is the whole window's, computed once: a press's place does not change
    because the presses ahead of it were judged.
    """
    if mode == Arbitration.ARRIVAL:
        return sorted(range(len(presses)), key=lambda index: presses[index].arrived_at)
    settled = with_congestion(presses, queue_cap)
    return sorted(range(len(presses)), key=lambda index: (settled[index].compensated_at, presses[index].arrived_at))


def race_order(presses: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The race of one opening: (team, press time) → each team's first press in press order, with
    its ms behind the first press ("3号 +0 ms · 6号 +18 ms"). Ties keep the given order."""
    first: dict[int, int] = {}
    for team, pressed_at in sorted(presses, key=lambda press: press[1]):
        first.setdefault(team, pressed_at)
    start = min(first.values(), default=0)
    return [(team, pressed_at - start) for team, pressed_at in first.items()]
