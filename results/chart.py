"""The score-progression chart as inline SVG, drawn on the server: no chart library, no script.

Each team's line takes its colour from ``static/css/teams.css`` through the class ``team-<seat>``
(the colour itself is set in ``static/css/results.css``), and also a dash pattern and a marker
shape of its own, so the chart still reads when printed in black and white. Lines have a dark
casing so the light colours (yellow, sky blue) stay visible on white paper. Every text is escaped.
"""
from dataclasses import dataclass
from math import ceil, floor

from markupsafe import Markup, escape

from contest.config import Team
from results.progression import Progression

WIDTH = 960
LEFT, RIGHT, TOP = 56, 118, 50  # room for the score axis, the end labels, two rows of stage titles
TITLE_ROW = 17  # the height of a row of stage titles
PLOT_HEIGHT = 330
AXIS_GAP = 18  # below the plot, before the legend
LEGEND_ROW = 26
LEGEND_COLUMNS = 4
LABEL_GAP = 15  # the least vertical distance between two end labels
CHAR_WIDTH = 13  # an estimate of a CJK character at the chart's font size, to fit stage titles

# Eight dash patterns and eight marker shapes; seats 9–16 pair them differently (see _style).
DASHES = ("", "10 5", "3 4", "12 4 3 4", "18 6", "6 6", "12 4 3 4 3 4", "2 7")
MARKERS = (
    "M-5 0a5 5 0 1 0 10 0a5 5 0 1 0 -10 0Z",  # circle
    "M-4.5 -4.5h9v9h-9Z",  # square
    "M0 -6L5.8 4.5H-5.8Z",  # triangle
    "M0 -6.5L6.5 0L0 6.5L-6.5 0Z",  # diamond
    "M0 6L5.8 -4.5H-5.8Z",  # triangle pointing down
    "M-1.9 -6h3.8v4.1h4.1v3.8h-4.1v4.1h-3.8v-4.1h-4.1v-3.8h4.1Z",  # plus
    "M-5.5 0L-2.8 -5H2.8L5.5 0L2.8 5H-2.8Z",  # hexagon
    "M0 -6.5L1.9 -2L6.5 -2L2.8 1L4.2 6L0 3L-4.2 6L-2.8 1L-6.5 -2L-1.9 -2Z",  # star
)


@dataclass(frozen=True)
class Frame:
    """Where points go: the plot's box and the score range it shows."""

    count: int  # points on the x axis
    low: int
    high: int

    @property
    def right(self) -> int:
        """The plot's right edge."""
        return WIDTH - RIGHT

    def x(self, index: float) -> float:
        """The x of point ``index`` (points spread evenly across the plot)."""
        if self.count <= 1:
            return (LEFT + self.right) / 2
        return LEFT + index * (self.right - LEFT) / (self.count - 1)

    def y(self, score: float) -> float:
        """The y of ``score``."""
        return TOP + PLOT_HEIGHT - (score - self.low) * PLOT_HEIGHT / max(self.high - self.low, 1)


def ticks(low: int, high: int, wanted: int = 8) -> list[int]:
    """Round score marks (steps of 1, 2 or 5 × 10ⁿ) covering ``low``…``high``.

    When every score is the same (the start of a contest), the range opens ten points either
    side so that the flat lines sit in the middle rather than on the edge.
    """
    if low == high:
        low, high = low - 10, high + 10
    step = 1
    while step * wanted < high - low:
        step = _next_step(step)
    return list(range(floor(low / step) * step, ceil(high / step) * step + 1, step))


def _next_step(step: int) -> int:
    """The next round step after ``step``: 1 → 2 → 5 → 10 → 20 → 50 …"""
    digits = str(step)
    if digits[0] == "1":
        return step * 2
    if digits[0] == "2":
        return step * 5 // 2
    return step * 2


def _style(seat: int) -> tuple[str, str]:
    """The dash pattern and marker shape of a seat; 16 seats get 16 different pairs."""
    line = (seat - 1) % len(DASHES)
    marker = (line + 4 * ((seat - 1) // len(DASHES))) % len(MARKERS)
    return DASHES[line], MARKERS[marker]


def progression_svg(progression: Progression) -> Markup:
    """The whole chart: stage bands, score grid, one line per team, end labels and the legend."""
    values = [score for series in progression.series.values() for score in series] or [0]
    marks = ticks(min(values), max(values))
    frame = Frame(len(progression.labels), marks[0], marks[-1])
    legend_rows = ceil(len(progression.teams) / LEGEND_COLUMNS)
    height = TOP + PLOT_HEIGHT + AXIS_GAP + legend_rows * LEGEND_ROW + 8
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="chart-title">得分走势图</title>',
        *_bands(progression, frame),
        *_grid(marks, frame),
        *_lines(progression, frame),
        *_end_labels(progression, frame),
        *_legend(progression.teams, TOP + PLOT_HEIGHT + AXIS_GAP),
        "</svg>",
    ]
    return Markup("".join(parts))


def _bands(progression: Progression, frame: Frame) -> list[str]:
    """A shaded band per stage with its title above, so the reader sees where each stage lies.

    Every stage that has points gets its title; one wider than its band goes where it overlaps no
    other title, on the upper row if it must (a speed stage of eight turns is narrow).
    """
    parts, titles = [], []
    starts = list(progression.stage_starts)
    for number, (start, title) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else frame.count
        left = max(LEFT, frame.x(start - 0.5))
        right = min(frame.right, frame.x(end - 0.5))
        kind = "band-odd" if number % 2 else "band-even"
        parts.append(f'<rect class="band {kind}" x="{left:.1f}" y="{TOP}" width="{max(right - left, 0):.1f}" '
                     f'height="{PLOT_HEIGHT}"/>')
        if right > left:
            titles.append(((left + right) / 2, title))
    for x, row, title in place_titles(titles, CHAR_WIDTH, LEFT, frame.right):
        parts.append(f'<text class="band-title" x="{x:.1f}" y="{TOP - 6 - row * TITLE_ROW}" '
                     f'text-anchor="middle">{escape(title)}</text>')
    return parts


def place_titles(titles: list[tuple[float, str]], char_width: float, left: float, right: float,
                 rows: int = 2) -> list[tuple[float, int, str]]:
    """Where each title goes, left to right: ``(centre, row, title)``, centred over its band
    (kept inside left…right) on the lowest row where it overlaps no title placed before it; when no
    row is free, on the row that frees first, moved right just clear of the title there."""
    ends = [float("-inf")] * rows
    placed = []
    for centre, title in titles:
        half = char_width * len(title) / 2
        centre = min(max(centre, left + half), right - half)
        row = next((r for r in range(rows) if centre - half >= ends[r] + char_width / 2), None)
        if row is None:
            row = min(range(rows), key=lambda r: ends[r])
            centre = ends[row] + char_width / 2 + half
        ends[row] = centre + half
        placed.append((centre, row, title))
    return placed


def _grid(marks: list[int], frame: Frame) -> list[str]:
    """Horizontal lines at the score marks, with the scores on the left."""
    parts = []
    for mark in marks:
        y = frame.y(mark)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis-label" x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{mark}</text>')
    return parts


def _lines(progression: Progression, frame: Frame) -> list[str]:
    """Each team's line (dark casing, then its colour) with markers where each stage begins and at the end."""
    marked = sorted({start for start, _title in progression.stage_starts} | {0, frame.count - 1})
    parts = []
    for team in progression.teams:
        series = progression.series[team.id]
        if not series:
            continue
        dash, marker = _style(team.seat)
        points = " ".join(f"{frame.x(i):.1f},{frame.y(score):.1f}" for i, score in enumerate(series))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline class="casing" points="{points}"{dashes}/>')
        parts.append(f'<polyline class="series team-{team.seat}" points="{points}"{dashes}/>')
        parts += [f'<path class="marker team-{team.seat}" d="{marker}" '
                  f'transform="translate({frame.x(i):.1f} {frame.y(series[i]):.1f})"/>'
                  for i in marked if 0 <= i < len(series)]
    return parts


def _end_labels(progression: Progression, frame: Frame) -> list[str]:
    """"3号 150" beside each line's end, nudged apart where scores are equal or close."""
    ends = sorted(
        ((frame.y(progression.series[team.id][-1]), team) for team in progression.teams
         if progression.series[team.id]),
        key=lambda item: (item[0], item[1].seat),
    )
    placed: list[float] = []
    for y, _team in ends:
        placed.append(max(y, placed[-1] + LABEL_GAP) if placed else y)
    overflow = (placed[-1] - (TOP + PLOT_HEIGHT + AXIS_GAP - 4)) if placed else 0
    if overflow > 0:
        placed = [y - overflow for y in placed]
    x = frame.right + 14
    parts = []
    for (_y, team), label_y in zip(ends, placed):
        _dash, marker = _style(team.seat)
        score = progression.series[team.id][-1]
        parts.append(f'<path class="marker team-{team.seat}" d="{marker}" transform="translate({x} {label_y:.1f})"/>')
        parts.append(f'<text class="end-label" x="{x + 11}" y="{label_y + 4.5:.1f}">{team.seat}号 {score}</text>')
    return parts


def _legend(teams: tuple[Team, ...], top: float) -> list[str]:
    """Each team's line sample, marker, seat and name, in rows of four."""
    column_width = (WIDTH - 2 * 16) / LEGEND_COLUMNS
    parts = []
    for number, team in enumerate(teams):
        row, column = divmod(number, LEGEND_COLUMNS)
        x, y = 16 + column * column_width, top + row * LEGEND_ROW + 12
        dash, marker = _style(team.seat)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        sample = f'{x:.1f},{y:.1f} {x + 34:.1f},{y:.1f}'
        parts.append(f'<polyline class="casing" points="{sample}"{dashes}/>')
        parts.append(f'<polyline class="series team-{team.seat}" points="{sample}"{dashes}/>')
        parts.append(f'<path class="marker team-{team.seat}" d="{marker}" transform="translate({x + 17:.1f} {y:.1f})"/>')
        name = team.name if len(team.name) <= 11 else team.name[:10] + "…"
        parts.append(f'<text class="legend-label" x="{x + 44:.1f}" y="{y + 4.5:.1f}">{team.seat}号 {escape(name)}</text>')
    return parts
