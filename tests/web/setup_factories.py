"""Builders for the contest set-up tests: a question bank that fits the final, a ready contest."""
import random

from contest_setup import service
from contest_setup.models import Contest
from extensions import db
from question_bank.models import Question, QuestionBank
from question_bank.schema import stem_hash

FINAL_BANK = {"required": 20, "speed": 130, "buzzer": 30, "tiebreak": 12}
"""Questions per stage tag: enough for the final template with 8 teams, plus some to swap."""
RISK_PER_DIFFICULTY = 10

TEAM_LIST = "\n".join(f"测试{seat}队,测试{seat}科技有限公司,甲{seat},乙{seat},丙{seat}" for seat in range(1, 9))


def make_bank(name: str = "测试题库", counts: dict[str, int] | None = None,
              risk_per_difficulty: int = RISK_PER_DIFFICULTY) -> QuestionBank:
    """A bank with ``counts`` single-choice questions per stage tag and risk questions per difficulty."""
    bank = QuestionBank(name=name)
    db.session.add(bank)
    db.session.flush()
    specs = [(stage, 1 + i % 3) for stage, count in (counts or FINAL_BANK).items() for i in range(count)]
    specs += [("risk", difficulty) for difficulty in (1, 2, 3) for _ in range(risk_per_difficulty)]
    for number, (stage, difficulty) in enumerate(specs, start=1):
        stem = f"{name} {stage} 第{number}题：小微企业年应纳税所得额不超过多少万元可享受优惠？"
        db.session.add(Question(
            bank_id=bank.id, type="single", stem=stem, stem_hash=stem_hash(stem),
            options=["100", "200", "300", "500"], answer="C", difficulty=difficulty,
            category="税务" if number % 2 else "人才", stage=stage,
        ))
    db.session.commit()
    return bank


STAFF_PASSWORD = "password123"
"""The password of the test organizer and host (``tests/conftest.py`` logs in with it)."""


def staff_user(role: str):
    """The test user of ``role`` (``organizer-user``, ``host-user``), created on first use."""
    from accounts.service import create_user, find_user

    return find_user(f"{role}-user") or create_user(f"{role}-user", STAFF_PASSWORD, role)


def make_contest(name: str = "测试决赛", drawn: bool = True, ready: bool = False, team_count: int = 8) -> Contest:
    """A contest from the final template with ``team_count`` named teams, questions drawn, optionally ready.

    It belongs to the test organizer and the test host is assigned to it (contest_setup.ownership),
    as the organizer who prepares a real contest would do.
    """
    if not db.session.query(QuestionBank).count():
        make_bank()
    contest = service.create_contest(name, "final", staff_user("organizer").id)
    service.assign_hosts(contest, [staff_user("host").id])
    service.import_teams(contest, "\n".join(TEAM_LIST.splitlines()[:team_count]), replace_all=team_count != 8)
    if drawn:
        service.draw_questions(contest, random.Random(7))
    if ready:
        service.mark_ready(contest)
    return contest
