"""Preparing a preliminary round: the round and its settings, the companies, registering people.

Pages and commands call these functions; each checks what was asked and raises
:class:`PrelimError` with a Chinese message when it cannot be done, storing nothing then.
Answering lives in :mod:`preliminary.attempts`, the results in :mod:`preliminary.results`.
"""
import random
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from web import upload_worker
from sqlalchemy.exc import IntegrityError

from contest.rules import RulesError, rule_fields
from contest_setup import bank
from contest_setup.models import Contest
from extensions import db
from preliminary.models import PrelimAttempt, PrelimCompany, PrelimDuplicate, PrelimPerson, PrelimRound, new_secret, utcnow
from preliminary.paper import PaperError, Stratum, draw_paper, parse_strata, shortages, strata_from_json, strata_to_json
from preliminary.roster import (
    CompanyEntry,
    FormatError,
    clean_mobile,
    clean_person_name,
    entry_from_cells,
)
from preliminary.settings import RoundSettings, as_utc, parse_window_time, settings_from_dict, settings_to_dict

DEFAULT_STRATA = "单选 任意 任意 5\n多选 任意 任意 3\n判断 任意 任意 2"
DEFAULT_WINDOW_DAYS = 14
QUESTION_CACHE_SECONDS = 30.0

LOCKED_ONCE_STARTED = frozenset({
    "time_mode", "paper_seconds", "question_seconds", "shuffle_questions", "shuffle_options",
    "points_single", "points_multi", "points_multi_partial", "points_true_false",
})
"""Settings that shape or mark papers: fixed once anybody has started answering, so every person
of a round sits the same kind of paper under the same marking."""


class PrelimError(ValueError):
    """The request cannot be carried out; the message says why, in Chinese."""


def now_ms() -> int:
    """The server's clock, in milliseconds since the epoch."""
    return int(time.time() * 1000)


def ms_of(moment: datetime | None) -> int:
    """A stored datetime as milliseconds since the epoch (0 for none)."""
    return int(as_utc(moment).timestamp() * 1000) if moment else 0


# --- rounds --------------------------------------------------------------------------------------


def list_rounds() -> list[PrelimRound]:
    """Every round, newest first."""
    return list(db.session.scalars(sa.select(PrelimRound).order_by(PrelimRound.id.desc())))


def get_round(round_id: int) -> PrelimRound | None:
    """The round ``round_id``, if it exists."""
    return db.session.get(PrelimRound, round_id)


def create_round(name: str, created_by: int | None = None, final_contest_id: int | None = None) -> PrelimRound:
    """A new round with the default settings, a ten-question paper and a two-week window from now."""
    name = _text(name, "初赛名称", 200)
    start = utcnow().replace(second=0, microsecond=0)
    prelim = PrelimRound(name=name, created_by=created_by, settings=settings_to_dict(RoundSettings()),
                         strata=strata_to_json(parse_strata(DEFAULT_STRATA)), bank_ids=[],
                         window_start=start, window_end=start + timedelta(days=DEFAULT_WINDOW_DAYS),
                         final_contest_id=_final_id(final_contest_id))
    db.session.add(prelim)
    db.session.commit()
    return prelim


def round_settings(prelim: PrelimRound) -> RoundSettings:
    """The round's validated settings (read once per change: every answer needs them)."""
    return stored_settings(prelim.id, prelim.settings)


def stored_settings(round_id: int, stored: Mapping[str, Any]) -> RoundSettings:
    """The validated settings of round ``round_id`` whose settings column holds ``stored``."""
    cached = _cache("prelim_settings").get(round_id)
    if cached is not None and cached[0] == stored:
        return cached[1]
    settings = settings_from_dict(stored)
    _cache("prelim_settings")[round_id] = (dict(stored), settings)
    return settings


def round_strata(prelim: PrelimRound) -> list[Stratum]:
    """The round's paper plan."""
    return strata_from_json(prelim.strata)


def has_attempts(prelim: PrelimRound) -> bool:
    """Whether anybody has started answering in this round."""
    return db.session.scalar(sa.select(PrelimAttempt.id).where(PrelimAttempt.round_id == prelim.id).limit(1)) is not None


def update_round(prelim: PrelimRound, form: Mapping[str, Any], settings_data: Mapping[str, Any],
                 bank_ids: Iterable[int], finals: Iterable[Contest] | None = None) -> None:
    """Save the round's name, organizer, final, window, banks, paper plan and settings, all or nothing.

    The final must be one of ``finals`` when given: the contests the organizer saving may prepare."""
    name = _text(form.get("name"), "初赛名称", 200)
    organizer_name = (form.get("organizer_name") or "").strip()[:200]
    try:
        start = parse_window_time(form.get("window_start", ""), "开始时间")
        end = parse_window_time(form.get("window_end", ""), "结束时间")
        strata = parse_strata(form.get("strata", ""))
        settings = settings_from_dict({**prelim.settings, **settings_data})
    except (RulesError, PaperError) as error:
        raise PrelimError(str(error)) from error
    if end <= start:
        raise PrelimError("结束时间应晚于开始时间")
    known = {info.id for info in bank.available_banks()}
    chosen = sorted({int(i) for i in bank_ids} & known)
    new_settings = settings_to_dict(settings)
    if has_attempts(prelim):
        _refuse_locked_changes(prelim, new_settings, strata, chosen)
    final_id = _final_id(_optional_int(form.get("final_contest_id")), finals)
    prelim.name, prelim.organizer_name, prelim.final_contest_id = name, organizer_name, final_id
    prelim.window_start, prelim.window_end = start, end
    prelim.strata, prelim.bank_ids, prelim.settings = strata_to_json(strata), chosen, new_settings
    db.session.commit()
    forget_questions(prelim.id)


def _refuse_locked_changes(prelim: PrelimRound, new_settings: dict, strata: list[Stratum], bank_ids: list[int]) -> None:
    """Refuse a change to the paper or its marking once answering has begun."""
    labels = {item["name"]: item["label"] for item in rule_fields(RoundSettings)}
    changed = [labels[key] for key in sorted(LOCKED_ONCE_STARTED) if prelim.settings.get(key) != new_settings.get(key)]
    if strata_to_json(strata) != prelim.strata:
        changed.append("试卷组成")
    if bank_ids != sorted(prelim.bank_ids or []):
        changed.append("题库")
    if changed:
        raise PrelimError(f"已有人开始答题，不能再修改：{'、'.join(changed)}（否则各人的试卷与评分将不一致）")


def _final_id(contest_id: int | None, finals: Iterable[Contest] | None = None) -> int | None:
    """A final contest's id, checked to exist (and, given ``finals``, to be one of them)."""
    if contest_id is None:
        return None
    if db.session.get(Contest, contest_id) is None:
        raise PrelimError("所选的决赛不存在")
    if finals is not None and contest_id not in {contest.id for contest in finals}:
        raise PrelimError("所选的决赛不是您创建的比赛，不能由本初赛生成队伍")
    return contest_id


def _optional_int(value: object) -> int | None:
    """A form's optional whole number."""
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise PrelimError(f"「{text}」不是有效的编号")
    return int(text)


def _text(value: object, label: str, limit: int) -> str:
    """A required text field, trimmed, refused when empty or too long."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise PrelimError(f"「{label}」不能为空")
    if len(text) > limit:
        raise PrelimError(f"「{label}」不能超过 {limit} 个字")
    return text


def delete_round(prelim: PrelimRound) -> None:
    """Delete a round and everything of it."""
    db.session.delete(prelim)
    db.session.commit()


# --- the questions of a round ------------------------------------------------------------------------

def _cache(name: str) -> dict:
    """One of this app's small caches by round (each app, so each test, has its own)."""
    return current_app.extensions.setdefault(name, {})


def round_questions(prelim: PrelimRound) -> list[dict[str, Any]]:
    """The questions of the round's banks, as plain dicts; kept for half a minute, as every
    person's start draws from them and every answer is marked against them."""
    return _questions(prelim.id, prelim.bank_ids)[0]


def round_question_map(prelim: PrelimRound) -> dict[int, dict[str, Any]]:
    """The same questions by id."""
    return question_map(prelim.id, prelim.bank_ids)


def question_map(round_id: int, bank_ids: Iterable[int] | None) -> dict[int, dict[str, Any]]:
    """The questions by id of round ``round_id`` drawing on ``bank_ids`` (its banks as stored)."""
    return _questions(round_id, bank_ids)[1]


def _questions(round_id: int, bank_ids: Iterable[int] | None) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """The cached questions of a round, loaded again when older than the cache time or the banks changed."""
    key = tuple(bank_ids or ())
    cached = _cache("prelim_questions").get(round_id)
    if cached and cached[1] == key and cached[0] > time.monotonic():
        return cached[2], cached[3]
    questions = bank.bank_questions(list(key))
    by_id = {question["id"]: question for question in questions}
    _cache("prelim_questions")[round_id] = (time.monotonic() + QUESTION_CACHE_SECONDS, key, questions, by_id)
    return questions, by_id


def forget_questions(round_id: int) -> None:
    """Drop the cached questions of a round (its banks changed)."""
    _cache("prelim_questions").pop(round_id, None)


def paper_problems(prelim: PrelimRound) -> list[str]:
    """Why the chosen banks cannot fill the paper plan (empty when they can)."""
    return shortages(round_questions(prelim), round_strata(prelim))


def preview_paper(prelim: PrelimRound, rng: random.Random | None = None) -> list[dict[str, Any]]:
    """One random paper as a person would get it, for the settings page ([] when the plan cannot be filled)."""
    settings = round_settings(prelim)
    questions = round_questions(prelim)
    by_id = {question["id"]: question for question in questions}
    try:
        paper = draw_paper(questions, round_strata(prelim), rng or random.Random(),
                           settings.shuffle_questions, settings.shuffle_options)
    except PaperError:
        return []
    return [by_id[item.question_id] for item in paper]


# --- companies ---------------------------------------------------------------------------------------


def add_company(prelim: PrelimRound, cells: Mapping[str, str]) -> PrelimCompany:
    """Add one company typed on the page."""
    entry, problems = entry_from_cells(dict(cells))
    if entry and any(company.name == entry.name for company in prelim.companies):
        problems.append(f"单位「{entry.name}」已在名单中")
    if problems:
        raise PrelimError("；".join(problems))
    company = _company(entry)
    prelim.companies.append(company)
    db.session.commit()
    return company


def import_roster(prelim: PrelimRound, filename: str, data: bytes) -> list[PrelimCompany]:
    """Add every company of a roster file, or none when any row is bad or already on the list."""
    try:
        result = upload_worker.parse("company_roster", filename, data, config=current_app.config,
                                     refuse_as=PrelimError)
    except FormatError as error:
        raise PrelimError(str(error)) from error
    existing = {company.name for company in prelim.companies}
    problems = list(result.problems)
    problems += [f"第 {entry.row} 行：单位「{entry.name}」已在名单中" for entry in result.entries if entry.name in existing]
    if problems:
        raise PrelimError(f"名单有 {len(problems)} 处问题，未导入任何单位：" + "；".join(problems))
    created = [_company(entry) for entry in result.entries]
    prelim.companies.extend(created)
    db.session.commit()
    return created


def _company(entry: CompanyEntry) -> PrelimCompany:
    """A new company row from a checked entry."""
    return PrelimCompany(name=entry.name, headcount=entry.headcount, credit_code=entry.credit_code, contact=entry.contact)


def get_company(prelim: PrelimRound, company_id: int) -> PrelimCompany | None:
    """A company of this round by id (never another round's)."""
    company = db.session.get(PrelimCompany, company_id)
    return company if company is not None and company.round_id == prelim.id else None


def delete_company(company: PrelimCompany) -> None:
    """Remove a company nobody has registered with yet."""
    if db.session.scalar(sa.select(PrelimPerson.id).where(PrelimPerson.company_id == company.id).limit(1)):
        raise PrelimError(f"「{company.name}」已有人员登记，不能删除")
    db.session.delete(company)
    db.session.commit()


def reissue_invite(company: PrelimCompany) -> None:
    """Give a company a new invite link; the old link and QR code stop working."""
    company.invite_secret = new_secret()
    db.session.commit()


# --- people --------------------------------------------------------------------------------------


def register(company: PrelimCompany, name: object, mobile: object) -> PrelimPerson:
    """Register a person with a company, or find them again by the same name and number.

    A number is one person in a round: another name with it is refused (nobody answers for
    someone else), and the same number through another company's link is refused and reported
    to the organizer as a duplicate.
    """
    try:
        name, mobile = clean_person_name(name), clean_mobile(mobile)
    except ValueError as error:
        raise PrelimError(str(error)) from error
    person = find_person(company.round_id, mobile)
    if person is None:
        person = PrelimPerson(round_id=company.round_id, company_id=company.id, name=name, mobile=mobile)
        db.session.add(person)
        try:
            db.session.commit()
        except IntegrityError:  # the same number registered a moment ago on another phone
            db.session.rollback()
            person = find_person(company.round_id, mobile)
            if person is None:
                raise
    if person.name != name:
        raise PrelimError("该手机号已由另一姓名登记；每个手机号只能一人使用，如有疑问请联系组织者")
    if person.company_id != company.id:
        db.session.add(PrelimDuplicate(round_id=company.round_id, person_id=person.id, company_id=company.id, name=name))
        db.session.commit()
        raise PrelimError(f"该手机号已在「{person.company.name}」登记，每人只能代表一个单位参赛；如有疑问请联系组织者")
    return person


def people_per_company(prelim: PrelimRound) -> dict[int, int]:
    """How many people registered with each company of the round."""
    rows = db.session.execute(sa.select(PrelimPerson.company_id, sa.func.count(PrelimPerson.id))
                              .where(PrelimPerson.round_id == prelim.id).group_by(PrelimPerson.company_id))
    return dict(rows.all())


def find_person(round_id: int, mobile: str) -> PrelimPerson | None:
    """The person registered with ``mobile`` in the round."""
    return db.session.scalar(sa.select(PrelimPerson).where(PrelimPerson.round_id == round_id,
                                                           PrelimPerson.mobile == mobile))


def duplicates(prelim: PrelimRound) -> list[PrelimDuplicate]:
    """The refused registrations of a number already registered with another company."""
    return list(db.session.scalars(sa.select(PrelimDuplicate).where(PrelimDuplicate.round_id == prelim.id)
                                   .order_by(PrelimDuplicate.id)))


def window_phase(prelim: PrelimRound, now: int) -> str:
    """``before``, ``open`` or ``closed``: where the answering window is at ``now`` (ms)."""
    if now < ms_of(prelim.window_start):
        return "before"
    return "open" if now < ms_of(prelim.window_end) else "closed"


