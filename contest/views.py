"""What each role may see of a contest, as JSON-ready data.

The host sees everything. The display and the teams never receive a question's answer,
explanation or source before the host reveals it, and a team never sees another team's answer
before it is judged. These projections are the only way state leaves the engine.
"""
from typing import Any

from contest import commands as c
from contest.config import Question
from contest.engine import host_commands, is_accepted, refusal_reason
from contest.rules import StageKind, rules_to_dict
from contest.scoring import Standing, pending_ties, prize_name, standings
from contest.state import ContestState, Phase, StageProgress
from contest.suspense import hall_mode, hall_standings, next_to_reveal

DECIDED = (Phase.JUDGED, Phase.REVEALED, Phase.TURN_OVER, Phase.RESOLVED)


def for_host(state: ContestState, now: int) -> dict[str, Any]:
    """Everything, with the answer, the buzz log, the commands the rules accept now and why the others are refused.

    The scores are always the real ones; ``suspense`` says what the hall sees of them.
    """
    view = _public(state, now, answer_visible=True, lines=standings(state))
    view["suspense"] = _host_suspense(state)
    stage = state.stage
    if stage is not None:
        view["stage"]["submitted"] = stage.submitted
        view["stage"]["buzzes"] = [vars(buzz).copy() for buzz in stage.buzzes]
        view["stage"]["locked_until"] = {str(t): until for t, until in stage.locked_until.items()}
    offered = [(_describe(command), reason) for command, reason in host_commands(state, now)]
    offered.append(_adjustment(state, now))
    view["actions"] = [action for action, reason in offered if reason is None]
    view["refused"] = [{**action, "reason": reason} for action, reason in offered if reason is not None]
    view["pending_ties"] = [list(group) for group in pending_ties(state)]
    return view


def for_display(state: ContestState, now: int) -> dict[str, Any]:
    """The projector: the question without its answer until it is revealed; the scores the hall may see."""
    view = _public(state, now, answer_visible=_revealed(state), lines=hall_standings(state))
    stage = state.stage
    if stage is not None and stage.phase in DECIDED:
        view["stage"]["submitted"] = stage.submitted
    return view


def for_team(state: ContestState, team: int, now: int) -> dict[str, Any]:
    """One team's phone: the public view, its own answer, and what it may do now.

    Its own score is what the display shows of it (none while hidden, the frozen one while frozen):
    a phone held up in the hall must not tell more than the projector.
    """
    lines = hall_standings(state)
    view = _public(state, now, answer_visible=_revealed(state), lines=lines)
    stage = state.stage
    view["me"] = {
        "team": team,
        "score": next((line.score for line in lines if line.team == team), None),
        "can_buzz": _can_buzz(state, team, now),
        "can_answer": is_accepted(state, c.SubmitAnswer(team=team, choice="A"), now)
        or is_accepted(state, c.SubmitAnswer(team=team, choice="对"), now),
        "can_choose_tier": bool(stage and stage.holder == team and stage.phase == Phase.CHOOSING),
        "submitted": stage.submitted if stage and stage.holder == team else None,
        "out": bool(stage and team in stage.out),
    }
    return view


def _revealed(state: ContestState) -> bool:
    """Whether the current question's answer has been shown to the hall."""
    stage = state.stage
    return bool(stage and (stage.phase == Phase.REVEALED or stage.resolved_answer_shown))


def _can_buzz(state: ContestState, team: int, now: int) -> bool:
    """Whether a press by ``team`` now would win the question."""
    stage = state.stage
    if stage is None or stage.kind not in (StageKind.BUZZER, StageKind.TIEBREAK) or stage.phase != Phase.BUZZING:
        return False
    return is_accepted(state, c.Buzz(team=team), now)


def _public(state: ContestState, now: int, answer_visible: bool, lines: list[Standing]) -> dict[str, Any]:
    """What everyone in the hall may know, with the scores and places of ``lines``."""
    config = state.config
    next_index = state.next_regular_stage
    return {
        "title": config.title,
        "status": str(state.status),
        "seq": state.seq,
        "server_now": now,
        "teams": [{"id": t.id, "name": t.name, "seat": t.seat, "company": t.company} for t in config.teams],
        "scores": _scores(config.teams, lines),
        "standings": [_standing(line) for line in lines],
        "suspense": _hall_suspense(state),
        "stages": [{"kind": str(s.kind), "title": s.display_title, "played": i in state.played_stages}
                   for i, s in enumerate(config.stages) if s.kind != StageKind.TIEBREAK],
        "next_stage": config.stages[next_index].display_title if next_index is not None else None,
        "stage": _stage_view(state, answer_visible) if state.stage else None,
    }


def _scores(teams, lines: list[Standing]) -> dict[str, int]:
    """The scores of ``lines``, in seat order (as the teams are listed), by team id."""
    by_team = {line.team: line.score for line in lines}
    return {str(team.id): by_team[team.id] for team in teams if team.id in by_team}


def _standing(line: Standing) -> dict[str, Any]:
    """One line of the standings as the screens draw it."""
    return {"place": line.place, "team": line.team, "score": line.score, "prize": prize_name(line.prize),
            "tied": line.tied, "undecided": line.undecided, "by_tiebreak": line.by_tiebreak}


def _hall_suspense(state: ContestState) -> dict[str, Any]:
    """What the hall is told of a hiding, freeze or ceremony: its mode and how far the ceremony is."""
    return {"mode": hall_mode(state), "revealed": state.suspense.revealed, "total": len(state.config.teams)}


def _host_suspense(state: ContestState) -> dict[str, Any]:
    """The host's side: the hall's mode, whether hidden or frozen, and the next place to uncover."""
    following = next_to_reveal(state)
    return {**_hall_suspense(state), "hidden": state.suspense.hidden,
            "frozen": state.suspense.frozen_scores is not None,
            "frozen_scores": ({str(t): s for t, s in state.suspense.frozen_scores.items()}
                              if state.suspense.frozen_scores is not None else None),
            "next": _standing(following) if following else None}


def _stage_view(state: ContestState, answer_visible: bool) -> dict[str, Any]:
    """The stage in play, its question and clock, with public buzz outcomes."""
    stage: StageProgress = state.stage
    config = state.config.stages[stage.index]
    view = {
        "index": stage.index,
        "kind": str(stage.kind),
        "title": config.display_title,
        "phase": str(stage.phase),
        "turn": stage.turn,
        "order": list(stage.order),
        "holder": stage.holder,
        "verdict": str(stage.verdict) if stage.verdict else None,
        "rules": rules_to_dict(config.rules),
        "deadline": stage.deadline,
        "clock_started": stage.clock_started,
        "clock_stopped": stage.clock_stopped,
        "open_token": stage.open_token,
        "interrupted": stage.interrupted,
        "out": sorted(stage.out),
        "first_buzz": next((b.team for b in stage.buzzes if b.outcome == "won"), None),
        "fouls": [b.team for b in stage.buzzes if b.outcome == "foul"],
        "question": _question_view(stage.question, answer_visible) if stage.question else None,
        "revealed": _revealed(state),
        "question_number": stage.next_question if stage.question else None,
        "question_total": len(config.questions),
    }
    view.update(_kind_details(state, stage))
    return view


def _kind_details(state: ContestState, stage: StageProgress) -> dict[str, Any]:
    """The parts of the view that only one stage kind has."""
    rules = state.config.stages[stage.index].rules
    if stage.kind == StageKind.SPEED:
        return {"right_count": stage.right_count, "packet_position": stage.packet_position,
                "packet_size": rules.packet_size}
    if stage.kind == StageKind.RISK:
        return {"tiers": list(rules.tiers), "tier": stage.tier,
                "tiers_left": {str(t): _tier_left(state, t) for t in rules.tiers}}
    if stage.kind == StageKind.TIEBREAK:
        return {"placed_top": stage.placed_top, "placed_bottom": stage.placed_bottom,
                "remaining": stage.remaining}
    if stage.kind == StageKind.BUZZER:
        return _buzzer_plan(stage, rules.question_count)
    return {}


def _buzzer_plan(stage: StageProgress, planned: int) -> dict[str, Any]:
    """Buzzer: "第 n / planned 题" for the hall, since ``question_total`` also counts the spares.

    A void question does not count, so the spare after it takes the same planned number. The
    questions come planned first, then spares (see contest_setup), so any past the first ``planned`` is a spare.
    """
    played = len(stage.played_questions)
    question = stage.question
    number = None
    if question is not None:
        number = played if question.id in stage.played_questions else played + 1
    return {"planned": planned, "played": played, "planned_number": number,
            "spare": question is not None and stage.next_question > planned}


def _tier_left(state: ContestState, tier: int) -> int:
    """Risk: how many questions of value ``tier`` are still unused."""
    stage = state.stage
    pool = sum(1 for q in state.config.stages[stage.index].questions if q.tier == tier)
    return pool - stage.used_by_tier.get(tier, 0)


def _question_view(question: Question, answer_visible: bool) -> dict[str, Any]:
    """A question as shown; its answer, explanation and source only when visible."""
    view = {
        "id": question.id,
        "type": question.type,
        "stem": question.stem,
        "options": list(question.options),
        "points": question.points,
        "category": question.category,
        "tier": question.tier,
    }
    if answer_visible:
        view.update(answer=question.answer, explanation=question.explanation, source=question.source)
    return view


def _adjustment(state: ContestState, now: int) -> tuple[dict[str, Any], str | None]:
    """AdjustScore as offered: without arguments (the host chooses team, delta and reason), and whether
    the rules take a correction now (from the start of the contest on, also after its finish)."""
    probe = c.AdjustScore(team=state.config.teams[0].id, delta=1, reason="更正")
    return {"command": "AdjustScore"}, refusal_reason(state, probe, now)


SERVER_CHOSEN = ("actor", "draw_seed")
"""Command fields the server fills in itself (who acts; the risk order's draw), never sent by a client."""


def _describe(command: c.Command) -> dict[str, Any]:
    """A command as the host console names it: its type and the arguments the console sends with it."""
    data = {key: value for key, value in vars(command).items() if key not in SERVER_CHOSEN}
    if "teams" in data:
        data["teams"] = list(data["teams"])
    return {"command": type(command).__name__, **data}
