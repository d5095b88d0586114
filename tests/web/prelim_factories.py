"""Builders for the preliminary round's web tests: a bank of each question type, an open round,
companies, and a clock the pages read, moved by the test."""
from datetime import datetime, timedelta, timezone

import pytest

from extensions import db
from preliminary import service
from preliminary.models import PrelimRound
from question_bank.models import Question, QuestionBank
from question_bank.schema import stem_hash

START = datetime(2026, 5, 1, 0, 0, tzinfo=timezone.utc)  # 08:00 in Beijing
START_MS = int(START.timestamp() * 1000)


def make_prelim_bank(name: str = "初赛题库", per_type: int = 8) -> QuestionBank:
    """A bank with ``per_type`` single (answer C), multi (answer AB) and true/false (对) questions (the one
    already made, when a test builds a second world in the same database)."""
    existing = db.session.query(QuestionBank).filter_by(name=name).one_or_none()
    if existing is not None:
        return existing
    bank = QuestionBank(name=name)
    db.session.add(bank)
    db.session.flush()
    specs = [("single", ["甲", "乙", "丙", "丁"], "C"), ("multi", ["甲", "乙", "丙", "丁"], "AB"), ("true_false", [], "对")]
    for kind, options, answer in specs:
        for number in range(per_type):
            stem = f"{name}{kind}第{number}题：高新技术企业减按多少税率征收企业所得税？"
            db.session.add(Question(bank_id=bank.id, type=kind, stem=stem, stem_hash=stem_hash(stem), options=options,
                                    answer=answer, difficulty=1 + number % 3, category="税务" if number % 2 else "人才",
                                    explanation="依据相关政策。", source="《企业所得税法》"))
    db.session.commit()
    return bank


def make_round(companies=(("云帆数据", 10), ("青禾生物", 4), ("博远智造", 20)), strata: str = "单选 任意 任意 2\n多选 任意 任意 1\n判断 任意 任意 1",
               days: int = 10, **settings) -> PrelimRound:
    """A round open from START for ``days`` days on a fresh bank, with companies (name, headcount)."""
    bank = make_prelim_bank()
    prelim = service.create_round("测试初赛")
    form = {"name": "测试初赛", "organizer_name": "测试主办", "window_start": "2026-05-01 08:00",
            "window_end": (START + timedelta(days=days)).astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M"),
            "strata": strata}
    service.update_round(prelim, form, {"attempts_per_day": 0, "shuffle_questions": False, **settings}, [bank.id])
    for name, headcount in companies:
        service.add_company(prelim, {"name": name, "headcount": str(headcount)})
    return prelim


class Clock:
    """The server's clock as the preliminary pages read it, set by the test (ms)."""

    def __init__(self, now: int):
        self.now = now

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock on."""
        self.now += int(seconds * 1000)


@pytest.fixture
def clock(monkeypatch):
    """A clock one hour into the window, read by every preliminary page."""
    fake = Clock(START_MS + 3600_000)
    for module in ("preliminary.public", "preliminary.routes", "preliminary.answer_gate"):
        monkeypatch.setattr(f"{module}.now_ms", fake)
    return fake
