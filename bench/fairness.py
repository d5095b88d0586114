"""How often does the buzzer pick the team that really pressed first, and what does cheating gain?

The hall model (stated in docs/performance.md): 8 phones, 60 % on Wi-Fi (5–40 ms one way) and
40 % on 4G (40–200 ms), clocks up to ±5 s off. Every message waits its path's floor plus
exponential queueing (mean 10 % of the floor + 2 ms). The server probes each phone every 5 s
and keeps the last 16 answers; the transport's ping/pong runs every 10 s (last 8 kept). The
press comes 0.1–5 s after the last probe. Team 0 presses first, team 1 ``gap`` ms later, the
others 1–400 ms after that. Each row of the sensitivity table changes one thing:

- asymmetric: every phone's uplink is 1–2× slower than its downlink (4G, busy Wi-Fi);
- retransmit: 5 % of messages wait an extra 20–150 ms;
- congestion: every press waits an extra 0–40 ms at the access point (everyone presses at once);
- drift: phone clocks run up to ±100 ppm fast or slow;
- delay change: the phone's path is 0.5–2× what it was at the last probe when it presses.

For each row: ``compensated`` (the server's estimator), ``arrival`` (first to arrive) and
``oracle`` (knows every phone's true clock offset, waits the full 200 ms window): the physical
limit. Each phone has pressed 6 times before in the contest (one question every 30 s). The cheats, in
the symmetric hall, by team 1 (the second presser), on every press: ``early`` stamps its
presses 500 ms early; ``shave`` stamps them 30 ms early; ``inflate`` holds every probe answer 300 ms and answers with its clock at
the moment it replies (so it looks 150 ms farther away); ``inflate+pong`` also holds the
transport's pongs (a rebuilt client). Gain = how much more often the cheater wins than the same
phone playing honestly in the same races.

    python -m bench.fairness [--quick] [--races N] [--seed S]
"""
import argparse
import math
import random
from dataclasses import dataclass

from contest.fairness import (ClockEstimate, ClockSample, Credit, Press, WINDOW_CAP_MS, credit_for, first_press,
                              window_ms)
from contest.rules import Arbitration

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
QUESTION_EVERY_MS = 30_000
UNBOUNDED = Credit(typical=math.inf, bound=math.inf)


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


HONEST = Cheat("honest")
CHEATS = (Cheat("early", early_ms=EARLY_MS), Cheat("shave", early_ms=SHAVE_MS), Cheat("inflate", hold_ms=HOLD_MS),
          Cheat("inflate+pong", hold_ms=HOLD_MS, hold_pongs=True))


class Phone:
    """A simulated phone: its clock (offset and drift) and its network path."""

    def __init__(self, rng: random.Random, hall: Hall):
        self.rng, self.hall = rng, hall
        self.base = rng.uniform(5, 40) if rng.random() < 0.6 else rng.uniform(40, 200)
        self.offset = rng.uniform(-5000, 5000)
        self.drift = rng.uniform(-hall.drift_ppm, hall.drift_ppm) * 1e-6
        self.uplink = rng.uniform(*hall.uplink)

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

    def estimate(self, last_probe: float, cheat: Cheat) -> ClockEstimate:
        """What the server learns of this phone from its probes and transport pings."""
        estimate = ClockEstimate()
        for index in range(PROBES, 0, -1):
            sent = last_probe - (index - 1) * PROBE_EVERY_MS
            replied = sent + self.leg(up=False) + cheat.hold_ms
            estimate.add(ClockSample(sent=sent, phone=self.clock(replied), received=replied + self.leg(up=True)))
        for index in range(PINGS, 0, -1):
            hold = cheat.hold_ms if cheat.hold_pongs else 0
            estimate.add_transport(self.leg(up=False) + hold + self.leg(up=True))
        return estimate

    def press_history(self, estimate: ClockEstimate, peers: list[float], now: float, cheat: Cheat) -> None:
        """The phone's earlier presses of the contest, as the server remembers them (one a question)."""
        credit = credit_for(estimate, peers)
        for index in range(HISTORY, 0, -1):
            pressed = now - index * QUESTION_EVERY_MS
            arrived = pressed + self.leg(up=True)
            press = Press(0, arrived, self.clock(pressed) - cheat.early_ms, estimate.offset_at(arrived), estimate.delay,
                          credit=credit)
            estimate.add_press(press.unexplained)


def decide(presses: list[Press], bounds: list[float], cap: float = WINDOW_CAP_MS) -> int:
    """The compensated winner: the server waits the window after the first arrival."""
    close = min(press.arrived_at for press in presses) + window_ms(bounds, cap)
    return first_press([press for press in presses if press.arrived_at <= close], Arbitration.COMPENSATED).team


def race(seed: int, hall: Hall, gap: float, cheat: Cheat = HONEST) -> dict[str, int]:
    """One race; the winner by arrival, by compensation and by the oracle (team 0 pressed first)."""
    rng = random.Random(seed)
    phones = [Phone(rng, hall) for _ in range(TEAMS)]
    t0 = 600_000 + rng.uniform(0, 60_000)
    pressed = [t0, t0 + gap] + [t0 + gap + rng.uniform(1, 400) for _ in range(TEAMS - 2)]
    estimates = [phone.estimate(t0 - rng.uniform(100, PROBE_EVERY_MS), cheat if team == 1 else HONEST)
                 for team, phone in enumerate(phones)]
    delays = [estimate.delay for estimate in estimates]
    for team, phone in enumerate(phones):
        phone.press_history(estimates[team], delays[:team] + delays[team + 1:], t0, cheat if team == 1 else HONEST)
    credits = [credit_for(estimate, delays[:team] + delays[team + 1:]) for team, estimate in enumerate(estimates)]
    ours, oracle = [], []
    for team, phone in enumerate(phones):
        base = phone.base * rng.uniform(*hall.change)
        arrived = pressed[team] + phone.leg(up=True, base=base) + rng.uniform(0, hall.congestion_ms)
        stamped = phone.clock(pressed[team]) - (cheat.early_ms if team == 1 else 0)
        ours.append(Press(team, arrived, stamped, estimates[team].offset_at(arrived), delays[team],
                          credit=credits[team]))
        oracle.append(Press(team, arrived, stamped, phone.clock(pressed[team]) - pressed[team], 0, credit=UNBOUNDED))
    return {
        "arrival": first_press(ours, Arbitration.ARRIVAL).team,
        "compensated": decide(ours, [credit.bound for credit in credits]),
        "oracle": decide(oracle, [WINDOW_CAP_MS]),
    }


def accuracy(hall: Hall, gap: float, races: int, seed: int) -> dict[str, float]:
    """How often each way picks team 0, in percent."""
    right = {"arrival": 0, "compensated": 0, "oracle": 0}
    for index in range(races):
        for way, team in race(seed * 1_000_003 + index, hall, gap).items():
            right[way] += team == 0
    return {way: 100 * count / races for way, count in right.items()}


def second_wins(gap: float, cheat: Cheat, races: int, seed: int) -> float:
    """How often (percent) team 1, the second presser, wins in the symmetric hall playing ``cheat``."""
    return 100 * sum(race(seed * 1_000_003 + index, HALLS[0], gap, cheat)["compensated"] == 1
                     for index in range(races)) / races


def main() -> None:
    """Print the sensitivity table, the per-gap table with the cheats, and the summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 races per cell instead of 2,000")
    parser.add_argument("--races", type=int, help="races per cell")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    races = args.races or (500 if args.quick else 2_000)
    print(f"{TEAMS} phones per race, {races} races per cell; model in docs/performance.md (python -m bench.fairness)")
    print("sensitivity: compensated / arrival / oracle, % of races won by the true first presser")
    print(f"{'hall':<34}" + "".join(f"{f'gap {gap} ms':>22}" for gap in TABLE_GAPS_MS))
    symmetric = {}
    for hall in HALLS:
        cells = []
        for gap in TABLE_GAPS_MS:
            row = accuracy(hall, gap, races, args.seed)
            if hall is HALLS[0]:
                symmetric[gap] = row
            cells.append(f"{row['compensated']:.1f} / {row['arrival']:.1f} / {row['oracle']:.1f}")
        print(f"{hall.name:<34}" + "".join(f"{cell:>22}" for cell in cells))
    print("symmetric hall, per gap (cheat gain: extra wins of the second presser when it cheats)")
    print(f"{'gap':>6} {'compensated':>12} {'arrival':>8} {'oracle':>7}" + "".join(f"{c.name:>14}" for c in CHEATS))
    summary = {}
    for gap in GAPS_MS:
        row = symmetric.get(gap) or accuracy(HALLS[0], gap, races, args.seed)
        honest = second_wins(gap, HONEST, races, args.seed)
        gains = {cheat.name: second_wins(gap, cheat, races, args.seed) - honest for cheat in CHEATS}
        summary[gap] = row | gains
        print(f"{gap:>4}ms {row['compensated']:>11.1f}% {row['arrival']:>7.1f}% {row['oracle']:>6.1f}%"
              + "".join(f"{gains[cheat.name]:>13.1f}%" for cheat in CHEATS))
    line = summary[20]
    print(f"fairness: gap=20ms compensated={line['compensated']:.1f}% arrival={line['arrival']:.1f}% "
          f"cheat_gain={line['early']:.1f}% inflate_gain={line['inflate']:.1f}%")


if __name__ == "__main__":
    main()
