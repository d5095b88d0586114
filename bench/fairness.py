"""How often does the buzzer pick the team that really pressed first, and what does cheating gain?

The hall model (stated in docs/performance.md): 8 phones, 60 % on Wi-Fi (5–40 ms one way) and
40 % on 4G (40–200 ms), clocks up to ±5 s off. Every message waits its path's floor plus
exponential queueing (mean 10 % of the floor + 2 ms). The server probes each phone every 5 s
and keeps the last 16 answers; the transport's ping/pong runs every 10 s (last 8 kept); the kernel's
minimum TCP round trip is the least of 16 round trips, which no cheat can hold (``--behind-proxy``:
the server cannot read it). The press comes 0.1–5 s after the last probe. Team 0 presses first, team 1 ``gap`` ms later, the
others 1–400 ms after that. With ``--heartbeat-ms H`` (the product sends none) the buzzers opened
0.3–1.5 s before the first press; from the moment each phone hears it, it sends a "not pressed yet"
heartbeat every H ms (HEARTBEAT_EVERY_MS when H is left out) until its press, judged by
contest.fairness.Heartbeats, on the press's path; its page's timer fires on average 2 ms
late and 2 % of the time 10–50 ms late (a collection, a layout). One connection keeps the order of
its messages: no message arrives before the one sent ahead of it. Each row of the sensitivity table changes one thing:

- asymmetric: every phone's uplink is 1–2× slower than its downlink (4G, busy Wi-Fi);
- retransmit: 5 % of messages wait an extra 20–150 ms;
- congestion: every press waits an extra 0–40 ms at the access point (everyone presses at once);
- drift: phone clocks run up to ±100 ppm fast or slow;
- delay change: the phone's path is 0.5–2× what it was at the last probe when it presses.

For each row: ``compensated`` (the server's estimator, contest/fairness.py as the server runs it),
``arrival`` (first to arrive), ``oracle`` (knows every phone's true clock offset, waits the full
300 ms window): the physical limit, and ``rtt-only`` (knows each phone's exact round-trip floor
and splits it in half, waits the full window): the limit of any estimator that, like ours, only
measures round trips. Each phone has pressed 6 times before in the contest (one question every
30 s). The cheats, in the symmetric hall, by team 1 (the second presser): ``early`` stamps every
press 500 ms early; ``shave`` stamps every press (and heartbeat) 30 ms early; ``shave once``
stamps only this race's press 30 ms early (its earlier presses and its heartbeats were honest, so
no habit shows); ``shave1+held`` shaves only this press too, but holds (or stamps early) every
heartbeat by as much, so that none contradicts the shaved stamp (without heartbeats: shave once); ``inflate`` holds
every probe answer 300 ms and answers with its clock at the moment it replies (so it looks
150 ms farther away); ``inflate+pong`` also holds the transport's pongs (a rebuilt client).
Gain = how much more often the cheater wins than the same phone playing honestly in the same
races; ``cheat_gain`` is the largest gain of the stamp cheats (early, shave, shave once, shave1+held),
``inflate_gain`` the largest of the probe-holding cheats (inflate, inflate+pong).

``--tradeoff`` shows why the one-off shave cannot be priced out without losing honest races: the
server's allowance beyond a phone's measured delay (a fixed number of ms, no queue witnesses, then
the product's: five jitters plus the other teams' queue; with heartbeats the heartbeat rule's
HEARTBEAT_ALLOWANCE_MS plus the queue) against the accuracy of the rows a wider allowance serves
and the gain of ``shave once``.

    python -m bench.fairness [--quick] [--races N] [--seed S] [--flagged-phones bounded|arrival] [--tradeoff]
                             [--behind-proxy] [--heartbeat-ms [H]]
"""
import argparse
import math
import random
from dataclasses import dataclass, replace

from contest.fairness import (CONGESTION_CAP_MS, HEARTBEAT_ALLOWANCE_MS, HEARTBEAT_EVERY_MS, WINDOW_CAP_MS,
                              ClockEstimate, ClockSample, Credit, Heartbeats, Press, credit_for, first_press, window_ms)
from contest.rules import Arbitration, FlaggedPhones

TEAMS = 8
GAPS_MS = (10, 20, 50, 100)
TABLE_GAPS_MS = (10, 20, 50)
PROBES = 16
PROBE_EVERY_MS = 5000
PINGS = 8
PING_EVERY_MS = 10_000
EARLY_MS = 500
SHAVE_MS = 30
HOLD_MS = 300
HISTORY = 6  # earlier presses of each phone in the contest
OPEN_BEFORE_MS = (300, 1500)  # the buzzers opened this long before the first press
TIMER_SLIP_MS = 2.0  # a page's timer fires on average this much late (exponential) …
TIMER_STALL = (0.02, 10, 50)  # … and now and then (this share) much later (a collection, a layout): 10–50 ms
TOKEN = 1  # the opening of the race
QUESTION_EVERY_MS = 30_000
UNBOUNDED = Credit(typical=math.inf, bound=math.inf)
TRADEOFF_ALLOWANCES_MS = (0, 5, 10, 20, 40, 80)
TRADEOFF_HALLS = ("symmetric", "retransmit 5% +20–150 ms", "congestion at the press 0–40 ms",
                  "delay change 0.5–2× since probe")


@dataclass(frozen=True)
class Hall:
    """One row of the sensitivity table: what differs from the symmetric hall."""

    name: str
    uplink: tuple[float, float] = (1.0, 1.0)  # uplink slower than downlink by this factor
    retransmit: float = 0.0  # share of messages that wait an extra 20–150 ms
    congestion_ms: float = 0.0  # extra wait of every press, uniform up to this
    drift_ppm: float = 0.0
    change: tuple[float, float] = (1.0, 1.0)  # path at the press ÷ path at the probes


HALLS = (
    Hall("symmetric"),
    Hall("asymmetric uplink 1–2×", uplink=(1.0, 2.0)),
    Hall("retransmit 5% +20–150 ms", retransmit=0.05),
    Hall("congestion at the press 0–40 ms", congestion_ms=40),
    Hall("drift ±100 ppm", drift_ppm=100),
    Hall("delay change 0.5–2× since probe", change=(0.5, 2.0)),
)


@dataclass(frozen=True)
class Cheat:
    """What the cheating phone does: stamps early, holds probe answers, holds transport pongs."""

    name: str
    early_ms: float = 0
    hold_ms: float = 0
    hold_pongs: bool = False
    every_press: bool = True  # False: only the race's press is doctored, the phone's earlier presses are honest
    heartbeat_early_ms: float = 0  # its heartbeats are stamped (or held) this much early


HONEST = Cheat("honest")
STAMP_CHEATS = (Cheat("early", early_ms=EARLY_MS), Cheat("shave", early_ms=SHAVE_MS, heartbeat_early_ms=SHAVE_MS),
                Cheat("shave once", early_ms=SHAVE_MS, every_press=False),
                Cheat("shave1+held", early_ms=SHAVE_MS, every_press=False, heartbeat_early_ms=SHAVE_MS))
PROBE_CHEATS = (Cheat("inflate", hold_ms=HOLD_MS), Cheat("inflate+pong", hold_ms=HOLD_MS, hold_pongs=True))
CHEATS = STAMP_CHEATS + PROBE_CHEATS


class Phone:
    """A simulated phone: its clock (offset and drift) and its network path."""

    def __init__(self, rng: random.Random, hall: Hall):
        self.rng, self.hall = rng, hall
        self.base = rng.uniform(5, 40) if rng.random() < 0.6 else rng.uniform(40, 200)
        self.offset = rng.uniform(-5000, 5000)
        self.drift = rng.uniform(-hall.drift_ppm, hall.drift_ppm) * 1e-6
        self.uplink = rng.uniform(*hall.uplink)

    def rtt_only_offset(self, server_time: float) -> float:
        """The offset the best round-trip-only estimate finds: the true one, shifted by half the
        difference between the path's two floors (no round trip can tell which leg is the slow one)."""
        return self.clock(server_time) - server_time + self.base * (1 - self.uplink) / 2

    def clock(self, server_time: float) -> float:
        """The phone's clock at a server time."""
        return server_time + self.offset + self.drift * server_time

    def leg(self, up: bool, base: float | None = None) -> float:
        """One message's travel time: floor, queueing, and now and then a retransmission."""
        base = (self.base if base is None else base) * (self.uplink if up else 1.0)
        travel = base + self.rng.expovariate(1 / (0.1 * base + 2))
        if self.rng.random() < self.hall.retransmit:
            travel += self.rng.uniform(20, 150)
        return travel

    def estimate(self, last_probe: float, cheat: Cheat, kernel: bool = True) -> ClockEstimate:
        """What the server learns of this phone from its probes, transport pings and (``kernel``)
        the kernel's minimum TCP round trip, which no page or client can hold."""
        estimate = ClockEstimate()
        for index in range(PROBES, 0, -1):
            sent = last_probe - (index - 1) * PROBE_EVERY_MS
            replied = sent + self.leg(up=False) + cheat.hold_ms
            estimate.add(ClockSample(sent=sent, phone=self.clock(replied), received=replied + self.leg(up=True)))
        for index in range(PINGS, 0, -1):
            hold = cheat.hold_ms if cheat.hold_pongs else 0
            estimate.add_transport(self.leg(up=False) + hold + self.leg(up=True))
        kernel_floor = min(self.leg(up=False) + self.leg(up=True) for _ in range(PROBES))  # drawn either way
        if kernel:
            estimate.add_kernel(kernel_floor)
        return estimate

    def heartbeats(self, armed: float, pressed: float, every: float, base: float,
                   estimate: ClockEstimate, early_ms: float) -> tuple[Heartbeats, float]:
        """The heartbeats the phone sent from ``armed`` until its press (its page's timer slipping),
        as the server holds them when the press arrives, and when the last of them arrived (a later
        message of the connection cannot arrive before it)."""
        heartbeats, arrived, sent = Heartbeats(), 0.0, armed
        while sent < pressed:
            arrived = max(arrived, sent + self.leg(up=True, base=base))
            heartbeats.add(TOKEN, self.clock(sent) - early_ms, arrived, estimate)
            share, least, most = TIMER_STALL
            sent += every + self.rng.expovariate(1 / TIMER_SLIP_MS) + (
                self.rng.uniform(least, most) if self.rng.random() < share else 0)
        return heartbeats, arrived

    def press_history(self, estimate: ClockEstimate, peers: list[float], now: float, cheat: Cheat) -> None:
        """The phone's earlier presses of the contest, as the server remembers them (one a question)."""
        credit = credit_for(estimate, peers)
        early_ms = cheat.early_ms if cheat.every_press else 0
        for index in range(HISTORY, 0, -1):
            pressed = now - index * QUESTION_EVERY_MS
            arrived = pressed + self.leg(up=True)
            press = Press(0, arrived, self.clock(pressed) - early_ms, estimate.offset_at(arrived), estimate.delay,
                          credit=credit)
            estimate.add_press(press.unexplained)


@dataclass(frozen=True)
class Allowance:
    """A fixed allowance beyond each phone's measured delay, in place of the product's (--tradeoff)."""

    ms: float
    queue_cap: float = 0.0  # the other teams' queue allowed on top (the product: CONGESTION_CAP_MS)

    def credit(self, credit: Credit) -> Credit:
        """The product's credit with this allowance (a phone caught shaving stays held to its delay)."""
        return replace(credit, bound=min(credit.typical + self.ms, WINDOW_CAP_MS)) if credit.stamps_believed else credit


def decide(presses: list[Press], bounds: list[float], cap: float = WINDOW_CAP_MS,
           queue_cap: float = CONGESTION_CAP_MS) -> int:
    """The compensated winner: the server waits the window after the first arrival."""
    close = min(press.arrived_at for press in presses) + window_ms(bounds, cap)
    return first_press([press for press in presses if press.arrived_at <= close], Arbitration.COMPENSATED,
                       queue_cap).team


def race(seed: int, hall: Hall, gap: float, cheat: Cheat = HONEST, flagged: str = FlaggedPhones.BOUNDED,
         allowance: Allowance | None = None, kernel: bool = True, heartbeat: float = 0) -> dict[str, int]:
    """One race; the winner by arrival, by compensation and by the oracle (team 0 pressed first).
    ``flagged`` is the stage's flagged_phones setting (the product's default: bounded);
    ``allowance`` replaces the product's allowance (None: the product's); ``kernel``: the server
    reads the phones' TCP round trips (False: behind a reverse proxy); ``heartbeat``: the phones'
    cadence of "not pressed yet" while buzzers are open (0: they send none, the server expects none)."""
    rng = random.Random(seed)
    phones = [Phone(rng, hall) for _ in range(TEAMS)]
    t0 = 600_000 + rng.uniform(0, 60_000)
    pressed = [t0, t0 + gap] + [t0 + gap + rng.uniform(1, 400) for _ in range(TEAMS - 2)]
    estimates = [phone.estimate(t0 - rng.uniform(100, PROBE_EVERY_MS), cheat if team == 1 else HONEST, kernel)
                 for team, phone in enumerate(phones)]
    delays = [estimate.delay for estimate in estimates]
    for team, phone in enumerate(phones):
        phone.press_history(estimates[team], delays[:team] + delays[team + 1:], t0, cheat if team == 1 else HONEST)
    opened = t0 - rng.uniform(*OPEN_BEFORE_MS) if heartbeat else None
    ours, oracle, rtt_only, credits = [], [], [], []
    for team, phone in enumerate(phones):
        base = phone.base * rng.uniform(*hall.change)
        heartbeats, last_heard = phone.heartbeats(
            opened + phone.leg(up=False), pressed[team], heartbeat, base, estimates[team],
            cheat.heartbeat_early_ms if team == 1 else 0) if heartbeat else (None, 0.0)
        credit = credit_for(estimates[team], delays[:team] + delays[team + 1:], heartbeats)
        credits.append(credit if allowance is None else allowance.credit(credit))
        arrived = max(last_heard, pressed[team] + phone.leg(up=True, base=base) + rng.uniform(0, hall.congestion_ms))
        stamped = phone.clock(pressed[team]) - (cheat.early_ms if team == 1 else 0)
        ours.append(Press(team, arrived, stamped, estimates[team].offset_at(arrived), delays[team],
                          credit=credits[team], trusted=credits[team].flag is None or flagged != FlaggedPhones.ARRIVAL,
                          not_before=heartbeats.last_stamp if heartbeats else None))
        oracle.append(Press(team, arrived, stamped, phone.clock(pressed[team]) - pressed[team], 0, credit=UNBOUNDED))
        rtt_only.append(Press(team, arrived, stamped, phone.rtt_only_offset(pressed[team]), 0, credit=UNBOUNDED))
    return {
        "arrival": first_press(ours, Arbitration.ARRIVAL).team,
        "compensated": decide(ours, [credit.bound for credit in credits],
                              queue_cap=CONGESTION_CAP_MS if allowance is None else allowance.queue_cap),
        "oracle": decide(oracle, [WINDOW_CAP_MS]),
        "rtt-only": decide(rtt_only, [WINDOW_CAP_MS]),
    }


def accuracy(hall: Hall, gap: float, races: int, seed: int, flagged: str = FlaggedPhones.BOUNDED,
             allowance: Allowance | None = None, kernel: bool = True, heartbeat: float = 0) -> dict[str, float]:
    """How often each way picks team 0, in percent."""
    right = {"arrival": 0, "compensated": 0, "oracle": 0, "rtt-only": 0}
    for index in range(races):
        for way, team in race(seed * 1_000_003 + index, hall, gap, flagged=flagged, allowance=allowance,
                              kernel=kernel, heartbeat=heartbeat).items():
            right[way] += team == 0
    return {way: 100 * count / races for way, count in right.items()}


def second_wins(gap: float, cheat: Cheat, races: int, seed: int, flagged: str = FlaggedPhones.BOUNDED,
                allowance: Allowance | None = None, kernel: bool = True, heartbeat: float = 0) -> float:
    """How often (percent) team 1, the second presser, wins in the symmetric hall playing ``cheat``."""
    return 100 * sum(race(seed * 1_000_003 + index, HALLS[0], gap, cheat, flagged, allowance, kernel,
                          heartbeat)["compensated"]
                     == 1 for index in range(races)) / races


def tradeoff(races: int, seed: int, heartbeat: float) -> None:
    """Print, per allowance, the accuracy at 20 ms of the rows a wider allowance serves and the
    one-off shave's gain at 10 and 20 ms."""
    halls = [hall for hall in HALLS if hall.name in TRADEOFF_HALLS]
    shave_once = STAMP_CHEATS[2]
    print(f"heartbeats every {heartbeat:g} ms" if heartbeat else "no heartbeats")
    print("trade-off: allowance beyond the measured delay → accuracy at 20 ms (%) and the gain of shave once")
    print(f"{'allowance':<28}" + "".join(f"{hall.name.split(' ')[0]:>14}" for hall in halls)
          + f"{'shave1 @10':>12}{'shave1 @20':>12}")
    rule = f"heartbeat rule ({HEARTBEAT_ALLOWANCE_MS:g} + queue)" if heartbeat else "product (5 jitters + queue)"
    for name, allowance in [(f"{ms} ms, no queue", Allowance(ms)) for ms in TRADEOFF_ALLOWANCES_MS] + [(rule, None)]:
        cells = [accuracy(hall, 20, races, seed, allowance=allowance, heartbeat=heartbeat)["compensated"]
                 for hall in halls]
        gains = [second_wins(gap, shave_once, races, seed, allowance=allowance, heartbeat=heartbeat)
                 - second_wins(gap, HONEST, races, seed, allowance=allowance, heartbeat=heartbeat) for gap in (10, 20)]
        print(f"{name:<28}" + "".join(f"{cell:>13.1f}%" for cell in cells) + "".join(f"{gain:>11.1f}%" for gain in gains))


def main() -> None:
    """Print the sensitivity table, the per-gap table with the cheats, and the summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 races per cell instead of 2,000")
    parser.add_argument("--races", type=int, help="races per cell")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--flagged-phones", choices=[mode.value for mode in FlaggedPhones],
                        default=FlaggedPhones.BOUNDED, help="the stage's flagged_phones setting (default: the product's, bounded)")
    parser.add_argument("--tradeoff", action="store_true", help="only the allowance trade-off table")
    parser.add_argument("--behind-proxy", action="store_true",
                        help="the server cannot read the phones' TCP round trips (a reverse proxy holds the connections)")
    parser.add_argument("--heartbeat-ms", type=float, nargs="?", const=HEARTBEAT_EVERY_MS, default=0,
                        help="model phones sending \"not pressed yet\" this often while buzzers are open, judged by "
                             f"contest.fairness.Heartbeats (alone: every {HEARTBEAT_EVERY_MS} ms; default 0: none, "
                             "as the product)")
    args = parser.parse_args()
    races = args.races or (500 if args.quick else 2_000)
    if args.tradeoff:
        tradeoff(races, args.seed, args.heartbeat_ms)
        return
    kernel, heartbeat = not args.behind_proxy, args.heartbeat_ms
    print(f"{TEAMS} phones per race, {races} races per cell; model in docs/performance.md (python -m bench.fairness)")
    print(f"heartbeats every {heartbeat:g} ms while buzzers are open" if heartbeat else "no heartbeats")
    print("sensitivity: compensated / arrival / oracle / rtt-only, % of races won by the true first presser")
    print(f"{'hall':<34}" + "".join(f"{f'gap {gap} ms':>31}" for gap in TABLE_GAPS_MS))
    symmetric = {}
    for hall in HALLS:
        cells = []
        for gap in TABLE_GAPS_MS:
            row = accuracy(hall, gap, races, args.seed, args.flagged_phones, kernel=kernel, heartbeat=heartbeat)
            if hall is HALLS[0]:
                symmetric[gap] = row
            cells.append(" / ".join(f"{row[way]:.1f}" for way in ("compensated", "arrival", "oracle", "rtt-only")))
        print(f"{hall.name:<34}" + "".join(f"{cell:>31}" for cell in cells))
    print("symmetric hall, per gap (cheat gain: extra wins of the second presser when it cheats)")
    print(f"{'gap':>6} {'compensated':>12} {'arrival':>8} {'oracle':>7}" + "".join(f"{c.name:>14}" for c in CHEATS))
    summary = {}
    for gap in GAPS_MS:
        row = symmetric.get(gap) or accuracy(HALLS[0], gap, races, args.seed, args.flagged_phones, kernel=kernel,
                                             heartbeat=heartbeat)
        honest = second_wins(gap, HONEST, races, args.seed, args.flagged_phones, kernel=kernel, heartbeat=heartbeat)
        gains = {cheat.name: second_wins(gap, cheat, races, args.seed, args.flagged_phones, kernel=kernel,
                                         heartbeat=heartbeat) - honest for cheat in CHEATS}
        summary[gap] = row | gains
        print(f"{gap:>4}ms {row['compensated']:>11.1f}% {row['arrival']:>7.1f}% {row['oracle']:>6.1f}%"
              + "".join(f"{gains[cheat.name]:>13.1f}%" for cheat in CHEATS))
    line = summary[20]
    cheat_gain = max(line[cheat.name] for cheat in STAMP_CHEATS)
    inflate_gain = max(line[cheat.name] for cheat in PROBE_CHEATS)
    print(f"fairness: gap=20ms compensated={line['compensated']:.1f}% arrival={line['arrival']:.1f}% "
          f"cheat_gain={cheat_gain:.1f}% inflate_gain={inflate_gain:.1f}%")


if __name__ == "__main__":
    main()
