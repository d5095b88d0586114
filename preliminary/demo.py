"""The demo round that ``flask demo`` prepares beside the demo final: five companies, a paper
from the sample bank, an open two-week window, and a dozen made-up participants' results so the
organizer pages, the award table and the projector have something to show.

Idempotent like the rest of the demo: an existing demo round is kept as it is.
"""
import random
from datetime import timedelta

import click
import sqlalchemy as sa

from contest_setup import bank
from contest_setup.models import Contest
from extensions import db
from preliminary import attempts as answering
from preliminary import identity, service
from preliminary.models import PrelimRound
from preliminary.settings import window_text

DEMO_ROUND_NAME = "高新区惠企政策知识竞赛初赛（演示）"
DEMO_STRATA = "单选 任意 任意 5\n多选 任意 任意 2\n判断 任意 任意 3"
DEMO_COMPANIES = (("云帆数据科技有限公司", 40), ("青禾生物医药有限公司", 25), ("博远智能装备制造有限公司", 120),
                  ("晨曦新能源材料有限公司", 60), ("锐思软件信息技术有限公司", 35))
DEMO_PEOPLE = (("李明", 0), ("王芳", 0), ("张伟", 0), ("陈静", 1), ("刘洋", 1), ("黄磊", 2), ("周婷", 2),
               ("吴昊", 2), ("徐丽", 3), ("孙强", 3), ("朱琳", 4), ("胡斌", 4))
DEMO_SEED = 20240601


def find_demo_round() -> PrelimRound | None:
    """The demo round, if an earlier run created it."""
    return db.session.scalar(sa.select(PrelimRound).where(PrelimRound.name == DEMO_ROUND_NAME))


def create_demo_round(final: Contest | None) -> PrelimRound:
    """The demo round: companies, the sample bank, an open window, made-up results."""
    prelim = service.create_round(DEMO_ROUND_NAME, final_contest_id=final.id if final else None)
    start = prelim.window_start - timedelta(hours=2)
    form = {"name": DEMO_ROUND_NAME, "organizer_name": "高新区管委会（演示）",
            "final_contest_id": str(final.id) if final else "", "window_start": window_text(start),
            "window_end": window_text(start + timedelta(days=14)), "strata": DEMO_STRATA}
    service.update_round(prelim, form, {"qualify_count": 3, "company_k": 2, "award_count": 2},
                         [bank.sample_bank_id()])
    for name, headcount in DEMO_COMPANIES:
        service.add_company(prelim, {"name": name, "headcount": str(headcount)})
    play_demo_people(prelim)
    return prelim


def play_demo_people(prelim: PrelimRound) -> None:
    """Made-up participants who each answered once during the last hour, mostly right."""
    rng = random.Random(DEMO_SEED)
    now = service.now_ms()
    for number, (name, company_index) in enumerate(DEMO_PEOPLE):
        person = service.register(prelim.companies[company_index], name, f"139{number:08d}")
        moment = now - 3_600_000 + number * 240_000
        attempt = answering.start_attempt(prelim, person, moment, rng)
        questions = bank.questions_by_id(attempt.question_ids)
        for position, question_id in enumerate(attempt.question_ids):
            right = questions[question_id]["answer"]
            wrong = {"对": "错", "错": "对"}.get(right, "A" if right != "A" else "B")
            moment += rng.randint(8_000, 40_000)
            answering.submit_answer(prelim, person, {"attempt": attempt.id, "position": position, "question": question_id,
                                                     "choice": right if rng.random() < 0.75 else wrong}, moment)


def prepare_and_print(final: Contest | None, base: str) -> None:
    """Create the demo round if missing and print its organizer page and companies' links."""
    prelim = find_demo_round()
    created = prelim is None
    if created:
        prelim = create_demo_round(final)
    click.echo(f"演示初赛「{prelim.name}」{'已创建' if created else '已存在'}：{base}/preliminary/{prelim.id}/live")
    click.echo(f"  初赛大屏: {base}/prelim-display/{prelim.id}/{prelim.display_token}")
    click.echo("  各单位手机答题链接:")
    for company in prelim.companies:
        click.echo(f"    {company.name}: {identity.invite_url(company, base)}")
