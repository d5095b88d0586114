"""How often does the buzzer pick the team that really pressed first?

Simulated phones, each with its own clock offset and network (Wi-Fi 5–40 ms or 4G 40–200 ms
one-way, plus jitter on every message), play many buzz races with known true press times. For
each gap between the first and second presser, the benchmark prints how often ``arrival`` and
``compensated`` arbitration pick the true first presser, and how much a cheating phone (stamping
its presses 500 ms early) gains over playing honestly.

    python -m bench.fairness [--quick] [--races N] [--seed S]
"""
import argparse
import random
from dataclasses import dataclass

from contest.fairness import ClockEstimate, ClockSample, Press, first_press, window_ms
from contest.rules import Arbitration

GAPS_MS = (10, 20, 50, 100)
TEAMS = 8
PINGS = 8  # clock-sync exchanges per phone before the race
CHEAT_MS = 500


@dataclass
class Phone:
    """A simulated phone: its clock's true offset and its network."""

    offset: float  # phone clock minus server clock
    base_delay: float  # typical one-way delay
    rng: random.Random

    def leg(self) -> float:
        """One message's travel time: the base delay plus queueing jitter (never negative)."""
        return self.base_delay + self.rng.expovariate(1 / (0.1 * self.base_delay + 2))

    def estimate(self, start: float) -> ClockEstimate:
        """What the server learns of this phone from PINGS exchanges."""
        estimate = ClockEstimate()
        sent = start
        for _ in range(PINGS):
            at_phone = sent + self.leg()
            received = at_phone + self.leg()
            estimate.add(ClockSample(sent=sent, phone=at_phone + self.offset, received=received))
            sent = received + 50
        return estimate


def make_phone(rng: random.Random) -> Phone:
    """A phone on Wi-Fi (60 %) or 4G (40 %), with a clock up to 5 s off."""
    base = rng.uniform(5, 40) if rng.random() < 0.6 else rng.uniform(40, 200)
    return Phone(offset=rng.uniform(-5000, 5000), base_delay=base, rng=rng)


def press_of(team: int, phone: Phone, estimate: ClockEstimate, pressed: float, stamp_shift: float = 0) -> Press:
    """The press as it reaches the server."""
    return Press(team=team, arrived_at=pressed + phone.leg(), stamped_at=pressed + phone.offset - stamp_shift,
                 offset=estimate.offset, delay=estimate.delay)


def winner(presses: list[Press], estimates: list[ClockEstimate], mode: str) -> int:
    """The team the server picks: arrival wins at once; compensated waits a window after the first arrival."""
    if mode == Arbitration.ARRIVAL:
        return first_press(presses, mode).team
    first_arrival = min(press.arrived_at for press in presses)
    close = first_arrival + window_ms([estimate.delay for estimate in estimates])
    in_window = [press for press in presses if press.arrived_at <= close]
    return first_press(in_window, mode).team


def race(rng: random.Random, gap: float, cheater_shift: float = 0) -> tuple[int, int, int]:
    """One race: team 0 presses first, team 1 ``gap`` ms later, the rest later still.

    Team 1 is the candidate cheater (``cheater_shift`` ms early stamps). Returns the true first
    presser and the winners under arrival and compensated arbitration.
    """
    phones = [make_phone(rng) for _ in range(TEAMS)]
    estimates = [phone.estimate(start=0) for phone in phones]
    t0 = 10_000 + rng.uniform(0, 1000)
    pressed = [t0, t0 + gap] + [t0 + gap + rng.uniform(1, 400) for _ in range(TEAMS - 2)]
    presses = [press_of(team, phones[team], estimates[team], pressed[team], cheater_shift if team == 1 else 0)
               for team in range(TEAMS)]
    return 0, winner(presses, estimates, Arbitration.ARRIVAL), winner(presses, estimates, Arbitration.COMPENSATED)


def measure(gap: float, races: int, seed: int) -> dict[str, float]:
    """Correct picks per mode, and the cheater's win rate with and without cheating (same races)."""
    correct = {Arbitration.ARRIVAL: 0, Arbitration.COMPENSATED: 0}
    cheat_wins = honest_wins = 0
    for index in range(races):
        truth, by_arrival, by_compensation = race(random.Random(seed * 1_000_003 + index), gap)
        correct[Arbitration.ARRIVAL] += by_arrival == truth
        correct[Arbitration.COMPENSATED] += by_compensation == truth
        honest_wins += by_compensation == 1
        _truth, _arrival, cheated = race(random.Random(seed * 1_000_003 + index), gap, CHEAT_MS)
        cheat_wins += cheated == 1
    return {
        "arrival": 100 * correct[Arbitration.ARRIVAL] / races,
        "compensated": 100 * correct[Arbitration.COMPENSATED] / races,
        "cheat_gain": 100 * (cheat_wins - honest_wins) / races,
    }


def main() -> None:
    """Print the table and the summary line for the 20 ms gap."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 races per gap instead of 20,000")
    parser.add_argument("--races", type=int, help="races per gap")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    races = args.races or (2_000 if args.quick else 20_000)
    print(f"{TEAMS} phones per race, {races} races per gap, Wi-Fi 5–40 ms / 4G 40–200 ms one-way + jitter, "
          f"clocks up to ±5 s off, {PINGS} clock pings per phone, cheater stamps {CHEAT_MS} ms early")
    print(f"{'gap':>6} {'compensated':>12} {'arrival':>9} {'cheat gain':>11}")
    results = {}
    for gap in GAPS_MS:
        results[gap] = measure(gap, races, args.seed)
        row = results[gap]
        print(f"{gap:>4}ms {row['compensated']:>11.1f}% {row['arrival']:>8.1f}% {row['cheat_gain']:>10.1f}%")
    summary = results[20]
    print(f"fairness: gap=20ms compensated={summary['compensated']:.1f}% arrival={summary['arrival']:.1f}% "
          f"cheat_gain={summary['cheat_gain']:.1f}%")


if __name__ == "__main__":
    main()
