"""Make the projector's sounds: short, synthesised, licence-free WAV files (run from anywhere).

    python static/sounds/generate_sounds.py

Each sound is a few partials with an exponential decay (a bell or a marimba, more or less), so
they are pleasant in a hall and distinct from one another by pitch and rhythm:
buzz (a bright rising two-note call), right (a major arpeggio), wrong (a low falling pair),
time-up (three bell strikes and a low one), tick (a short woodblock click for the last seconds).
Mono, 16 bit, 11 kHz (partials above the Nyquist limit are left out): enough for these timbres while
keeping each file small.
"""
import math
import struct
import wave
from pathlib import Path

RATE = 11025
HERE = Path(__file__).resolve().parent


def note(freq: float, start: float, length: float, decay: float, partials=((1, 1.0),), attack: float = 0.004):
    """One struck note: (start, samples) with the given partials (ratio, amplitude) and decay time."""
    count = int(length * RATE)
    samples = []
    for i in range(count):
        t = i / RATE
        env = min(1.0, t / attack) * math.exp(-t / decay)
        value = sum(amp * math.sin(2 * math.pi * freq * ratio * t) for ratio, amp in partials
                    if freq * ratio < 0.45 * RATE)
        samples.append(env * value)
    return start, samples


def mix(duration: float, notes, gain: float = 0.8) -> list[int]:
    """Sum the notes into one track, normalised to ``gain`` of full scale, with a short fade-out."""
    track = [0.0] * int(duration * RATE)
    for start, samples in notes:
        offset = int(start * RATE)
        for i, value in enumerate(samples):
            if offset + i < len(track):
                track[offset + i] += value
    peak = max(abs(v) for v in track) or 1.0
    fade = int(0.02 * RATE)
    for i in range(fade):
        track[-1 - i] *= i / fade
    return [int(32767 * gain * v / peak) for v in track]


def write(name: str, samples: list[int]) -> None:
    """Write a mono 16-bit WAV file next to this script."""
    with wave.open(str(HERE / name), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))


BELL = ((1, 1.0), (2.0, 0.45), (3.0, 0.18), (4.2, 0.08))
MARIMBA = ((1, 1.0), (4.0, 0.25), (10.0, 0.04))
SOFT = ((1, 1.0), (2, 0.35), (3, 0.2), (5, 0.06))


def main() -> None:
    write("buzz.wav", mix(0.5, [note(784, 0.0, 0.2, 0.09, BELL), note(1175, 0.09, 0.41, 0.16, BELL)]))
    write("right.wav", mix(0.62, [note(523.25, 0.0, 0.3, 0.12, MARIMBA), note(659.25, 0.09, 0.3, 0.12, MARIMBA),
                                  note(783.99, 0.18, 0.44, 0.2, MARIMBA)]))
    write("wrong.wav", mix(0.55, [note(311.1, 0.0, 0.25, 0.12, SOFT), note(233.1, 0.16, 0.39, 0.18, SOFT)], 0.75))
    write("time-up.wav", mix(0.85, [note(880, 0.0, 0.2, 0.07, BELL), note(880, 0.16, 0.2, 0.07, BELL),
                                    note(880, 0.32, 0.2, 0.07, BELL), note(440, 0.48, 0.37, 0.2, BELL)]))
    write("tick.wav", mix(0.06, [note(1800, 0.0, 0.06, 0.012, ((1, 1.0), (2.7, 0.3)), attack=0.001)], 0.5))


if __name__ == "__main__":
    main()
