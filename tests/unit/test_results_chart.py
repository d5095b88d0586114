"""Is the server-drawn score chart readable: round score marks, a distinct line style for every
seat (for black-and-white print), escaped names, end labels that never sit on top of each other?"""
import re

from contest.config import Team
from results.progression import Progression
from results.chart import LABEL_GAP, _style, progression_svg, ticks


def progression(scores: dict[int, tuple[int, ...]], names: dict[int, str] | None = None) -> Progression:
    """A progression of teams by seat with the given scores at each point."""
    names = names or {}
    teams = tuple(Team(id=100 + seat, name=names.get(seat, f"队伍{seat}"), seat=seat) for seat in sorted(scores))
    count = len(next(iter(scores.values())))
    return Progression(teams, tuple(f"点{i}" for i in range(count)),
                       {100 + seat: series for seat, series in scores.items()}, ((1, "必答题"),))


def test_score_marks_are_round_and_cover_every_score():
    """Do the marks step by 1, 2 or 5 × 10ⁿ, cover the scores, and open up around a flat start?"""
    assert ticks(95, 160) == [90, 100, 110, 120, 130, 140, 150, 160]
    assert ticks(-20, 310) == [-50, 0, 50, 100, 150, 200, 250, 300, 350]
    assert ticks(100, 100) == [90, 95, 100, 105, 110]


def test_sixteen_seats_have_sixteen_different_line_styles():
    """Can every seat of a 16-team contest be told apart without colour (dash pattern and marker)?"""
    assert len({_style(seat) for seat in range(1, 17)}) == 16


def test_names_are_escaped_in_the_svg():
    """Is a team name carrying markup written as text, never as SVG?"""
    svg = str(progression_svg(progression({1: (100, 110), 2: (100, 90)}, {1: "<b>甲</b>队"})))
    assert "<b>" not in svg and "1号 &lt;b&gt;甲&lt;/b&gt;队" in svg


def test_end_labels_of_equal_scores_do_not_overlap():
    """When three teams end on the same score, are their end labels at least a line apart?"""
    svg = str(progression_svg(progression({1: (100, 120), 2: (100, 120), 3: (100, 120), 4: (100, 90)})))
    heights = sorted(float(y) for y in re.findall(r'<text class="end-label" x="[\d.]+" y="([\d.]+)"', svg))
    assert len(heights) == 4
    assert all(b - a >= LABEL_GAP - 0.01 for a, b in zip(heights, heights[1:]))
    assert svg.count('class="series team-') == 4 + 4  # the lines and the legend's samples


def test_every_stage_with_points_is_named_above_the_chart():
    """With a stage of few points between long ones, is every stage's title drawn, none on top of another?"""
    points = 16 + 2 + 20 + 8
    data = progression({1: tuple(range(100, 100 + points)), 2: (100,) * points})
    data = Progression(data.teams, data.labels, data.series,
                       ((1, "必答题"), (17, "速答题"), (19, "抢答题"), (39, "风险题（决胜）")))
    svg = str(progression_svg(data))
    titles = re.findall(r'<text class="band-title" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)</text>', svg)
    assert [title for _x, _y, title in titles] == ["必答题", "速答题", "抢答题", "风险题（决胜）"]
    boxes = [(float(x) - 13 * len(t) / 2, float(x) + 13 * len(t) / 2, y) for x, y, t in titles]
    for i, (left, right, row) in enumerate(boxes):
        for other_left, other_right, other_row in boxes[i + 1:]:
            assert row != other_row or right <= other_left or other_right <= left, titles
