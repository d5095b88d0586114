"""Preparing a contest: creation, stages, teams, the draw, readiness and the lifecycle.

Pages and commands call these functions; each checks what the organizer asked and raises
:class:`SetupError` with a Chinese message when it cannot be done, so no page repeats a rule.
The pure parts (rules, draw, pasted lists) live in :mod:`contest.rules`,
:mod:`contest_setup.drawing` and :mod:`contest_setup.roster`.
"""
import random
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from flask import current_app

from web import upload_worker
from accounts.models import Role, User

from contest.config import (
    MAX_TEAMS,
    MIN_TEAMS,
    ConfigError,
    ContestConfig,
    Question,
    StageConfig,
    Team,
    validate_config,
)
from contest.rules import RULES_BY_KIND, ContestRules, RulesError, StageKind, rules_from_dict, rules_to_dict
from contest_setup import bank
from contest_setup.drawing import (
    Assignment,
    DrawFilter,
    DrawResult,
    DrawWarning,
    StageDemand,
    check_assigned,
    draw,
    pick_replacement,
    stage_groups,
    swap_candidates,
    twin_key,
)
from contest_setup.models import Contest, ContestStage, ContestStatus, ContestTeam, StageQuestion
from contest_setup.roster import TeamEntry, entry_problems
from contest_setup.templates import TEMPLATES, default_stage, placeholder_team_name
from extensions import db


class SetupError(ValueError):
    """The organizer's request cannot be carried out; the message says why, in Chinese."""


# --- contests -----------------------------------------------------------------------------------


def get_contest(contest_id: int) -> Contest | None:
    """The contest ``contest_id``, if it exists."""
    return db.session.get(Contest, contest_id)


def create_contest(name: str, template_key: str | None = None, created_by: int | None = None) -> Contest:
    """A new draft contest, empty or shaped by the template ``template_key``."""
    name = _required_text(name, "比赛名称", 200)
    contest = Contest(name=name, status=ContestStatus.DRAFT, rules=rules_to_dict(ContestRules()),
                      bank_ids=[], created_by=created_by)
    if template_key:
        template = TEMPLATES.get(template_key)
        if template is None:
            raise SetupError(f"未知的比赛模板「{template_key}」")
        contest.rules = template.contest_rules()
        for position, plan in enumerate(template.stages()):
            contest.stages.append(ContestStage(position=position, kind=plan.kind, title=plan.title, rules=plan.rules))
        for seat in range(1, template.team_count + 1):
            contest.teams.append(ContestTeam(name=placeholder_team_name(seat), seat=seat))
    db.session.add(contest)
    db.session.commit()
    return contest


def update_contest(contest: Contest, name: str, rules_data: Mapping[str, Any]) -> None:
    """Rename the contest and change its contest-wide settings (base score, prizes, tie rule)."""
    require_editable(contest)
    name = _required_text(name, "比赛名称", 200)
    contest.rules = rules_to_dict(_rules(ContestRules, rules_data))
    contest.name = name
    db.session.commit()


PHONES_PER_TEAM_RANGE = (1, 8)


def set_phones_per_team(contest: Contest, value: str | int) -> None:
    """How many phones each team may bind (1–8); phones already bound stay until dropped."""
    low, high = PHONES_PER_TEAM_RANGE
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SetupError(f"每队手机数应为 {low}–{high} 的整数") from None
    if not low <= number <= high:
        raise SetupError(f"每队手机数应为 {low}–{high} 的整数")
    _require_not_finished(contest)
    contest.phones_per_team = number
    db.session.commit()


def set_join_codes_shown(contest: Contest, shown: bool) -> None:
    """Show the teams' join codes on the display after the start (or hide them again)."""
    _require_not_finished(contest)
    contest.join_codes_shown = shown
    db.session.commit()


def assign_hosts(contest: Contest, user_ids: Iterable[int]) -> None:
    """The hosts who may run ``contest`` (host accounts only; organizers host their own contests)."""
    wanted = {int(i) for i in user_ids}
    hosts = list(db.session.scalars(sa.select(User).where(User.id.in_(wanted), User.role == Role.HOST)))
    if len(hosts) != len(wanted):
        raise SetupError("只能指定主持人账号")
    contest.hosts = hosts
    db.session.commit()


def _require_not_finished(contest: Contest) -> None:
    """A finished contest is read-only."""
    if contest.status == ContestStatus.FINISHED:
        raise SetupError("比赛已结束，不能再修改")


def delete_contest(contest: Contest) -> None:
    """Delete a contest that was never played (a live or finished one is kept for its record)."""
    if contest.status in (ContestStatus.LIVE, ContestStatus.FINISHED):
        raise SetupError("进行中或已结束的比赛不能删除")
    db.session.delete(contest)
    db.session.commit()


def set_banks(contest: Contest, bank_ids: Iterable[int]) -> None:
    """Choose the banks the draw takes questions from (none chosen: every bank)."""
    require_editable(contest)
    known = {info.id for info in bank.available_banks()}
    contest.bank_ids = sorted({int(i) for i in bank_ids} & known)
    db.session.commit()


def require_editable(contest: Contest) -> None:
    """Refuse to change a contest that is not a draft, saying how to change it."""
    if contest.status == ContestStatus.READY:
        raise SetupError("比赛已就绪，如需修改请先「退回草稿」")
    if not contest.is_editable:
        raise SetupError(f"比赛{contest.status_label}，不能再修改设置")


def _required_text(value: str | None, label: str, limit: int) -> str:
    """``value`` stripped, refusing an empty or too long text."""
    value = (value or "").strip()
    if not value:
        raise SetupError(f"「{label}」不能为空")
    if len(value) > limit:
        raise SetupError(f"「{label}」不能超过 {limit} 个字")
    return value


def _rules(rules_class: type, data: Mapping[str, Any] | None) -> Any:
    """Validated rules from stored or submitted values, as a :class:`SetupError` when out of bounds."""
    try:
        return rules_from_dict(rules_class, dict(data or {}))
    except RulesError as error:
        raise SetupError(str(error)) from error


# --- stages -------------------------------------------------------------------------------------


def stage_rules(stage: ContestStage) -> Any:
    """The stage's rules as the engine's dataclass."""
    return _rules(RULES_BY_KIND[StageKind(stage.kind)], stage.rules)


def stage_filter(stage: ContestStage) -> DrawFilter:
    """The stage's draw filter as the draw reads it."""
    data = stage.draw_filter or {}
    return DrawFilter(
        categories=tuple(data.get("categories", ())),
        difficulties=tuple(int(d) for d in data.get("difficulties", ())),
    )


def add_stage(contest: Contest, kind: str) -> ContestStage:
    """Add a stage of ``kind`` with default rules, before the tiebreak (only one tiebreak allowed)."""
    require_editable(contest)
    try:
        kind = StageKind(kind)
    except ValueError:
        raise SetupError(f"未知的环节类型「{kind}」") from None
    if kind == StageKind.TIEBREAK and _tiebreak(contest) is not None:
        raise SetupError("加赛环节只能有一个")
    plan = default_stage(kind)
    stage = ContestStage(kind=plan.kind, title=plan.title, rules=plan.rules, position=len(contest.stages))
    contest.stages.append(stage)
    _renumber(contest)
    db.session.commit()
    return stage


def update_stage(stage: ContestStage, title: str, rules_data: Mapping[str, Any],
                 filter_data: Mapping[str, Any] | None = None) -> None:
    """Change a stage's title, rules (validated against their bounds) and draw filter."""
    require_editable(stage.contest)
    rules = _rules(RULES_BY_KIND[StageKind(stage.kind)], rules_data)
    stage.title = _required_text(title, "环节名称", 100)
    stage.rules = rules_to_dict(rules)
    if filter_data is not None:
        stage.draw_filter = {
            "categories": sorted({str(c).strip() for c in filter_data.get("categories", ()) if str(c).strip()}),
            "difficulties": sorted({int(d) for d in filter_data.get("difficulties", ()) if int(d) in (1, 2, 3)}),
        }
    db.session.commit()


def move_stage(stage: ContestStage, offset: int) -> None:
    """Move a stage ``offset`` places earlier (−) or later (+); the tiebreak always stays last."""
    contest = stage.contest
    require_editable(contest)
    order = _ordered_regular(contest)
    if stage not in order:
        raise SetupError("加赛环节固定在最后，不能移动")
    index = order.index(stage)
    target = max(0, min(len(order) - 1, index + offset))
    order.insert(target, order.pop(index))
    for position, item in enumerate(order):
        item.position = position
    _renumber(contest)
    db.session.commit()


def delete_stage(stage: ContestStage) -> None:
    """Remove a stage and the questions drawn for it."""
    contest = stage.contest
    require_editable(contest)
    contest.stages.remove(stage)
    _renumber(contest)
    db.session.commit()


def _tiebreak(contest: Contest) -> ContestStage | None:
    """The contest's tiebreak stage, if any."""
    return next((s for s in contest.stages if s.kind == StageKind.TIEBREAK), None)


def _ordered_regular(contest: Contest) -> list[ContestStage]:
    """The stages played in order (all but the tiebreak), by position."""
    return sorted((s for s in contest.stages if s.kind != StageKind.TIEBREAK), key=lambda s: s.position)


def ordered_stages(contest: Contest) -> list[ContestStage]:
    """Every stage in play order, the tiebreak last."""
    tiebreak = _tiebreak(contest)
    return _ordered_regular(contest) + ([tiebreak] if tiebreak else [])


def _renumber(contest: Contest) -> None:
    """Give the stages positions 0, 1, 2 … in play order, the tiebreak last."""
    for position, stage in enumerate(ordered_stages(contest)):
        stage.position = position


# --- teams --------------------------------------------------------------------------------------


def add_team(contest: Contest, entry: TeamEntry) -> ContestTeam:
    """Register one team; without a seat it takes the first free one."""
    require_editable(contest)
    _check_team(contest, entry, None)
    if len(contest.teams) >= MAX_TEAMS:
        raise SetupError(f"一场比赛最多 {MAX_TEAMS} 支队伍")
    team = ContestTeam(seat=entry.seat or free_seats(contest, 1)[0])
    _fill_team(team, entry)
    contest.teams.append(team)
    db.session.commit()
    return team


def update_team(team: ContestTeam, entry: TeamEntry) -> None:
    """Change a team's name, company, members and seat."""
    require_editable(team.contest)
    _check_team(team.contest, entry, team)
    _fill_team(team, entry)
    team.seat = entry.seat
    db.session.commit()


def delete_team(team: ContestTeam) -> None:
    """Remove a team (its questions are not affected; its phone is logged out with it)."""
    contest = team.contest
    require_editable(contest)
    contest.teams.remove(team)
    db.session.commit()


def import_teams(contest: Contest, text: str, replace_all: bool = False) -> list[ContestTeam]:
    """Register the teams of a pasted list, all or none.

    Placeholder teams of a template (``第3队`` with nothing else) give their seat to the pasted
    team that takes it; with ``replace_all`` every existing team is removed first.
    """
    require_editable(contest)
    roster = upload_worker.parse("roster", text, config=current_app.config, refuse_as=SetupError)
    if roster.problems:
        raise SetupError("；".join(roster.problems))
    if not roster.entries:
        raise SetupError("没有读到任何队伍：每行一支队伍，如「某某队,某某公司,张三,李四,王五」")
    fixed = [] if replace_all else [t for t in contest.teams if not is_placeholder(t)]
    seats = _seats_for(fixed, roster.entries)
    spare_placeholders = [] if replace_all else [
        t for t in contest.teams if is_placeholder(t) and t.seat not in seats
    ]
    keep = fixed + spare_placeholders
    _check_import(keep, roster.entries)
    contest.teams[:] = keep
    created = []
    for entry, seat in zip(roster.entries, seats):
        team = ContestTeam(seat=seat)
        _fill_team(team, entry)
        contest.teams.append(team)
        created.append(team)
    db.session.commit()
    return created


def is_placeholder(team: ContestTeam) -> bool:
    """Whether ``team`` is a template's untouched placeholder (name only, ``第N队``)."""
    return (team.name == placeholder_team_name(team.seat or 0) and not team.company
            and not team.members and not team.alternates)


def free_seats(contest: Contest, count: int) -> list[int]:
    """The ``count`` lowest seat numbers no team of ``contest`` holds."""
    return _lowest_free({t.seat for t in contest.teams}, count)


def _lowest_free(used: set[int | None], count: int) -> list[int]:
    """The ``count`` lowest seat numbers (from 1) not in ``used``."""
    seats, seat = [], 1
    while len(seats) < count:
        if seat not in used:
            seats.append(seat)
        seat += 1
    return seats


def _seats_for(keep: list[ContestTeam], entries: list[TeamEntry]) -> list[int]:
    """Seats of pasted teams: as given, or the lowest free ones in the order of the list."""
    used = {t.seat for t in keep} | {e.seat for e in entries if e.seat}
    free = iter(_lowest_free(used, sum(1 for e in entries if not e.seat)))
    return [entry.seat or next(free) for entry in entries]


def _check_import(keep: list[ContestTeam], entries: list[TeamEntry]) -> None:
    """Refuse an import that exceeds the team limit or clashes with teams that stay."""
    if len(keep) + len(entries) > MAX_TEAMS:
        raise SetupError(f"一场比赛最多 {MAX_TEAMS} 支队伍，导入后将有 {len(keep) + len(entries)} 支")
    names = {t.name for t in keep}
    seats = {t.seat for t in keep}
    clashes = [f"队名「{e.name}」已存在" for e in entries if e.name in names]
    clashes += [f"座次 {e.seat} 已被占用" for e in entries if e.seat and e.seat in seats]
    if clashes:
        raise SetupError("；".join(clashes))


def _check_team(contest: Contest, entry: TeamEntry, team: ContestTeam | None) -> None:
    """Refuse a team with bad fields, or a name or seat another team of the contest has."""
    problems = entry_problems(entry)
    others = [t for t in contest.teams if t is not team]
    if any(t.name == entry.name for t in others):
        problems.append(f"队名「{entry.name}」已存在")
    if entry.seat is not None and any(t.seat == entry.seat for t in others):
        problems.append(f"座次 {entry.seat} 已被占用")
    if problems:
        raise SetupError("；".join(problems))


def _fill_team(team: ContestTeam, entry: TeamEntry) -> None:
    """Copy the typed fields of ``entry`` onto ``team``."""
    team.name = entry.name
    team.company = entry.company
    team.members = list(entry.members)
    team.alternates = list(entry.alternates)


# --- questions ----------------------------------------------------------------------------------


def stage_demand(stage: ContestStage, team_count: int) -> StageDemand:
    """What ``stage`` needs of the draw for ``team_count`` teams."""
    kind = StageKind(stage.kind)
    return StageDemand(
        key=stage.id,
        kind=kind,
        title=stage.title,
        groups=stage_groups(kind, stage_rules(stage), team_count),
        filter=stage_filter(stage),
    )


def draw_questions(contest: Contest, rng: random.Random | None = None,
                   stage: ContestStage | None = None) -> DrawResult:
    """Draw the questions of every stage (or only ``stage``, keeping the others' questions).

    The old questions of the drawn stages are replaced; no question appears twice in the contest.
    """
    require_editable(contest)
    if len(contest.teams) < MIN_TEAMS:
        raise SetupError(f"请先登记至少 {MIN_TEAMS} 支队伍，题目数量取决于队伍数")
    stages = [stage] if stage is not None else ordered_stages(contest)
    if not stages:
        raise SetupError("比赛还没有环节")
    drawn_ids = {s.id for s in stages}
    keep = {sq.question_id for s in contest.stages if s.id not in drawn_ids for sq in s.questions}
    for item in stages:
        item.questions.clear()
    db.session.flush()
    demands = [stage_demand(item, len(contest.teams)) for item in stages]
    result = draw(bank.bank_questions(contest.bank_ids), demands, rng or random.Random(), exclude=keep)
    for item in stages:
        _store_assignments(contest, item, result.assignments[item.id])
    db.session.commit()
    return result


def _store_assignments(contest: Contest, stage: ContestStage, assignments: list[Assignment]) -> None:
    """Keep a stage's drawn questions in their order."""
    for position, item in enumerate(assignments):
        stage.questions.append(StageQuestion(
            contest_id=contest.id, question_id=item.question_id, position=position,
            tier=item.tier, is_spare=item.is_spare,
        ))


def used_question_ids(contest: Contest) -> set[int]:
    """Every bank question already drawn for some stage of ``contest``."""
    return {sq.question_id for stage in contest.stages for sq in stage.questions}


def replacement_candidates(stage_question: StageQuestion, limit: int = 200) -> list[dict[str, Any]]:
    """Unused bank questions that could replace ``stage_question``, best fitting first."""
    demand, pool, used = _swap_context(stage_question)
    return swap_candidates(pool, demand, stage_question.tier, used)[:limit]


def swap_question(stage_question: StageQuestion, question_id: int | None,
                  rng: random.Random | None = None) -> int:
    """Replace one drawn question by ``question_id``, or by a random best-fitting one when None.

    Returns the new question's id; refuses a question already used in the contest or one that
    does not fit the stage.
    """
    require_editable(stage_question.stage.contest)
    demand, pool, used = _swap_context(stage_question)
    if question_id is None:
        chosen = pick_replacement(pool, demand, stage_question.tier, used, rng or random.Random())
        if chosen is None:
            raise SetupError("题库中没有可替换的题目（符合条件的题都已用在本场比赛中）")
    else:
        candidates = swap_candidates(pool, demand, stage_question.tier, used)
        chosen = next((q for q in candidates if q["id"] == question_id), None)
        if chosen is None:
            raise SetupError("所选题目不适用于本环节，或已在本场比赛中使用")
    stage_question.question_id = chosen["id"]
    db.session.commit()
    return chosen["id"]


def _swap_context(stage_question: StageQuestion) -> tuple[StageDemand, list[dict[str, Any]], set[int]]:
    """What a swap needs: the stage's demand, the bank questions and the ids already used."""
    stage = stage_question.stage
    contest = stage.contest
    return stage_demand(stage, len(contest.teams)), bank.bank_questions(contest.bank_ids), used_question_ids(contest)


def stage_warnings(contest: Contest) -> dict[int, list[DrawWarning]]:
    """For each stage, its shortages with the questions it holds now and the current team count."""
    warnings = {}
    for stage in contest.stages:
        try:
            demand = stage_demand(stage, len(contest.teams))
        except SetupError as error:
            warnings[stage.id] = [DrawWarning(stage.id, str(error), blocking=True)]
            continue
        assigned = [Assignment(sq.question_id, sq.tier, sq.is_spare) for sq in stage.questions]
        warnings[stage.id] = check_assigned(demand, assigned)
    return warnings


# --- readiness and lifecycle --------------------------------------------------------------------


def readiness_problems(contest: Contest) -> list[str]:
    """Everything that keeps ``contest`` from being played; empty when it is ready.

    Teams: 2–16, each with a name and its own seat. Stages: at least one to play, rules within
    their bounds, and every stage holding the questions it needs for this number of teams.
    Finally the engine's own check of the configuration.
    """
    problems = _team_problems(contest)
    if not _ordered_regular(contest):
        problems.append("比赛至少需要一个环节")
    for warnings in stage_warnings(contest).values():
        problems.extend(w.message for w in warnings if w.blocking)
    problems += twin_problems(contest)
    if not problems:
        try:
            validate_config(build_contest_config(contest))
        except (ConfigError, SetupError) as error:
            problems.append(str(error))
    return problems


def twin_problems(contest: Contest) -> list[str]:
    """Drawn questions whose stems are identical or nearly so (drawn before the draw knew, or from banks
    edited since): the hall would see one question twice."""
    places = [(stage, position, item.question_id) for stage in ordered_stages(contest)
              for position, item in enumerate(stage.questions, start=1)]
    by_id = bank.questions_by_id(question_id for _, _, question_id in places)
    first_place: dict[str, str] = {}
    problems = []
    for stage, position, question_id in places:
        if question_id not in by_id:
            continue
        place = f"「{stage.title}」第 {position} 题"
        key = twin_key(by_id[question_id])
        if key in first_place:
            problems.append(f"{place}与{first_place[key]}题干相同或几乎相同，请换掉其中一题")
        else:
            first_place[key] = place
    return problems


def _team_problems(contest: Contest) -> list[str]:
    """Problems of the teams: their number, missing or shared seats."""
    problems = []
    count = len(contest.teams)
    if not MIN_TEAMS <= count <= MAX_TEAMS:
        problems.append(f"参赛队伍应为 {MIN_TEAMS}–{MAX_TEAMS} 支，当前为 {count} 支")
    problems += [f"队伍「{t.name}」没有座次" for t in contest.teams if t.seat is None]
    problems += [f"「{t.name}」仍是模板占位队伍，请填写队伍信息或删除" for t in contest.teams if is_placeholder(t)]
    seats = [t.seat for t in contest.teams if t.seat is not None]
    if len(seats) != len(set(seats)):
        problems.append("有队伍的座次重复")
    return problems


def mark_ready(contest: Contest) -> None:
    """Draft → ready, only when every check passes (the problems are the message otherwise)."""
    _require_status(contest, ContestStatus.DRAFT, "只有草稿可以设为就绪")
    _require_no_problems(contest, "还不能设为就绪")
    _set_status(contest, ContestStatus.READY)


def mark_draft(contest: Contest) -> None:
    """Ready → draft, to edit the contest again."""
    _require_status(contest, ContestStatus.READY, "只有就绪的比赛可以退回草稿")
    _set_status(contest, ContestStatus.DRAFT)


def require_startable(contest: Contest) -> None:
    """Refuse to start a contest that is not ready, or no longer passes the checks.

    A bank question may have been deleted since the contest was made ready; the live layer
    calls this before recording the contest's configuration.
    """
    _require_status(contest, ContestStatus.READY, "只有就绪的比赛可以开始")
    _require_no_problems(contest, "比赛不能开始")


def mark_live(contest: Contest) -> None:
    """Ready → live: called by the live layer once the contest's first events are stored.

    It records what happened, so it checks only the status (:func:`require_startable` is the
    check to make before starting).
    """
    _require_status(contest, ContestStatus.READY, "只有就绪的比赛可以开始")
    _set_status(contest, ContestStatus.LIVE)


def mark_finished(contest: Contest) -> None:
    """Live → finished: called by the live layer at the end; the contest is read-only after."""
    _require_status(contest, ContestStatus.LIVE, "只有进行中的比赛可以结束")
    _set_status(contest, ContestStatus.FINISHED)


def _require_no_problems(contest: Contest, prefix: str) -> None:
    """Refuse a transition while the readiness check finds problems; they make the message."""
    problems = readiness_problems(contest)
    if problems:
        raise SetupError(f"{prefix}：" + "；".join(problems))


def _require_status(contest: Contest, status: ContestStatus, message: str) -> None:
    """Refuse a transition from any status but ``status``."""
    if contest.status != status:
        raise SetupError(f"{message}（当前：{contest.status_label}）")


def _set_status(contest: Contest, status: ContestStatus) -> None:
    """Store the new status."""
    contest.status = status
    db.session.commit()


# --- the engine's view --------------------------------------------------------------------------


def build_contest_config(contest: Contest) -> ContestConfig:
    """The contest as the engine plays it: teams by id and seat, stages in order with questions.

    Questions are copied from the bank, so later bank edits do not change a contest once its
    configuration is recorded. Buzzer spares follow the planned questions; risk questions carry
    their tier; the tiebreak stage comes last.
    """
    stages = ordered_stages(contest)
    by_id = bank.questions_by_id(sq.question_id for stage in stages for sq in stage.questions)
    return ContestConfig(
        title=contest.name,
        teams=tuple(Team(id=t.id, name=t.name, seat=t.seat or 0, company=t.company) for t in contest.teams_by_seat),
        stages=tuple(_stage_config(stage, by_id) for stage in stages),
        rules=_rules(ContestRules, contest.rules),
    )


def _stage_config(stage: ContestStage, by_id: Mapping[int, Mapping[str, Any]]) -> StageConfig:
    """One stage for the engine, its questions in play order (planned, then spares)."""
    ordered = sorted(stage.questions, key=lambda sq: (sq.tier or 0, sq.is_spare, sq.position))
    questions = tuple(engine_question(by_id[sq.question_id], sq.tier) for sq in ordered if sq.question_id in by_id)
    return StageConfig(kind=StageKind(stage.kind), rules=stage_rules(stage), questions=questions, title=stage.title)


def engine_question(data: Mapping[str, Any], tier: int | None) -> Question:
    """A bank question dict as the engine's question, with its risk tier."""
    return Question(
        id=str(data["id"]),
        type=data["type"],
        stem=data["stem"],
        answer=data["answer"],
        options=tuple(data.get("options") or ()),
        points=data.get("points"),
        time_limit=data.get("time_limit"),
        explanation=data.get("explanation") or "",
        source=data.get("source") or "",
        category=data.get("category") or "",
        difficulty=data.get("difficulty"),
        tier=tier,
    )
