"""Can an organizer build a contest from the template or from scratch, edit it, and make it ready?"""
import random

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from contest.config import validate_config
from contest.rules import StageKind
from contest_setup import service
from contest_setup.models import Contest, ContestStage, ContestStatus, StageQuestion
from extensions import db
from question_bank.models import Question, QuestionBank
from question_bank.schema import comparable_stem, stem_hash
from tests.web.setup_factories import make_bank, make_contest, staff_user


@pytest.fixture
def organizer(client, auth):
    """A client logged in as an organizer."""
    auth.login_as("organizer")
    return client


def in_app(app, function):
    """Run ``function`` inside ``app``'s context and return its result."""
    with app.app_context():
        return function()


def stage_of(contest, kind):
    """The first stage of ``kind`` in ``contest``."""
    return next(s for s in contest.stages if s.kind == kind)


# --- creating ------------------------------------------------------------------------------------


def test_template_gives_the_final_with_eight_seats_and_default_rules(app, organizer):
    """Does 'from template' create 必答→速答→抢答→风险→加赛 with 8 seated placeholder teams?"""
    response = organizer.post("/contests/new", data={"name": "决赛", "template": "final"})
    assert response.status_code == 302
    with app.app_context():
        contest = db.session.scalar(sa.select(Contest))
        assert [s.kind for s in service.ordered_stages(contest)] == ["required", "speed", "buzzer", "risk", "tiebreak"]
        assert [t.seat for t in contest.teams_by_seat] == list(range(1, 9))
        assert stage_of(contest, "required").rules["time_limit"] == 30
        assert stage_of(contest, "risk").rules["tiers"] == [10, 20, 30]
        assert contest.rules["base_score"] == 100
        assert contest.status == ContestStatus.DRAFT


def test_scratch_gives_an_empty_contest(app, organizer):
    """Does 'from scratch' create a contest with no stages and no teams?"""
    organizer.post("/contests/new", data={"name": "空白赛", "template": ""})
    with app.app_context():
        contest = db.session.scalar(sa.select(Contest))
        assert contest.stages == [] and contest.teams == []


def test_a_contest_needs_a_name(app, organizer):
    """Is a contest without a name refused with a message?"""
    response = organizer.post("/contests/new", data={"name": "  ", "template": "final"})
    assert "「比赛名称」不能为空" in response.get_data(as_text=True)
    assert in_app(app, lambda: db.session.query(Contest).count()) == 0


# --- stages and rules ------------------------------------------------------------------------------


def edit_stage(client, contest_id, stage_id, title, **rules):
    """Submit a stage's rules form as the page would."""
    data = {"title": title, **{f"rule-{name}": value for name, value in rules.items()}}
    return client.post(f"/contests/{contest_id}/stages/{stage_id}", data=data, follow_redirects=True)


def test_stage_form_has_every_rule_setting(app, organizer):
    """Does the buzzer stage's page show an input for each of its rule settings?"""
    contest_id = in_app(app, lambda: make_contest(drawn=False).id)
    with app.app_context():
        stage = stage_of(db.session.get(Contest, contest_id), "buzzer")
        page = organizer.get(f"/contests/{contest_id}/stages/{stage.id}").get_data(as_text=True)
    for name in ("question_count", "points_right", "points_wrong", "buzz_window", "answer_time",
                 "early_buzz", "foul_points", "lockout_ms", "second_chance", "answer_mode", "arbitration"):
        assert f'name="rule-{name}"' in page


@pytest.mark.parametrize("kind, rules, message", [
    ("required", {"time_limit": "-5"}, "「答题时限」不能小于 5秒"),
    ("risk", {"tiers": "30,20,10"}, "「分值档位」须由低到高排列且不重复"),
    ("speed", {"window": "abc"}, "「限时」的值「abc」格式不对"),
    ("buzzer", {"foul_points": "5"}, "「犯规得分」不能大于 0分"),
])
def test_bad_rule_values_are_refused_with_the_reason(app, organizer, kind, rules, message):
    """Are a negative time, descending tiers, a non-number and a positive foul refused, unchanged?"""
    contest_id = in_app(app, lambda: make_contest(drawn=False).id)
    with app.app_context():
        stage = stage_of(db.session.get(Contest, contest_id), kind)
        before = dict(stage.rules)
        stage_id, title = stage.id, stage.title
    page = edit_stage(organizer, contest_id, stage_id, title, **rules).get_data(as_text=True)
    assert message in page
    with app.app_context():
        assert db.session.get(ContestStage, stage_id).rules == before


def test_every_bad_rule_value_is_reported_at_once(app, organizer):
    """With three settings wrong, does one save name all three (not only the first), storing nothing?"""
    contest_id = in_app(app, lambda: make_contest(drawn=False).id)
    with app.app_context():
        stage = stage_of(db.session.get(Contest, contest_id), "buzzer")
        before, stage_id, title = dict(stage.rules), stage.id, stage.title
    page = edit_stage(organizer, contest_id, stage_id, title, points_right="5000", buzz_window="abc",
                      answer_time="1").get_data(as_text=True)
    for message in ("「答对得分」不能大于 1000分", "「抢答时限」的值「abc」格式不对", "「答题时限」不能小于 3秒"):
        assert message in page
    with app.app_context():
        assert db.session.get(ContestStage, stage_id).rules == before


def test_good_rule_values_are_saved(app, organizer):
    """Are a new title, time, answer mode and an unticked checkbox saved as typed?"""
    contest_id = in_app(app, lambda: make_contest(drawn=False).id)
    with app.app_context():
        stage_id = stage_of(db.session.get(Contest, contest_id), "risk").id
    edit_stage(organizer, contest_id, stage_id, "风险题（决胜）", tiers="20,40,60", answer_time="120", rounds="1",
               answer_mode="phone")
    with app.app_context():
        stage = db.session.get(ContestStage, stage_id)
        assert stage.title == "风险题（决胜）"
        assert stage.rules["tiers"] == [20, 40, 60]
        assert stage.rules["answer_time"] == 120
        assert stage.rules["answer_mode"] == "phone"
        assert stage.rules["allow_abstain"] is False


def test_stages_can_be_reordered_and_the_tiebreak_stays_last(app, organizer):
    """Does moving 速答 up put it first, and does the tiebreak refuse to move?"""
    contest_id = in_app(app, lambda: make_contest(drawn=False).id)
    with app.app_context():
        current = db.session.get(Contest, contest_id)
        speed, tiebreak = stage_of(current, "speed").id, stage_of(current, "tiebreak").id
    organizer.post(f"/contests/{contest_id}/stages/{speed}/move", data={"direction": "up"})
    response = organizer.post(f"/contests/{contest_id}/stages/{tiebreak}/move", data={"direction": "up"},
                              follow_redirects=True)
    assert "加赛环节固定在最后" in response.get_data(as_text=True)
    with app.app_context():
        kinds = [s.kind for s in service.ordered_stages(db.session.get(Contest, contest_id))]
    assert kinds == ["speed", "required", "buzzer", "risk", "tiebreak"]


def test_stages_can_be_added_and_removed_with_one_tiebreak_at_most(app, organizer):
    """Can a second buzzer stage be added before the tiebreak, a stage removed, and a 2nd tiebreak not?"""
    contest_id = in_app(app, lambda: make_contest(drawn=False).id)
    organizer.post(f"/contests/{contest_id}/stages/add", data={"kind": "buzzer"})
    response = organizer.post(f"/contests/{contest_id}/stages/add", data={"kind": "tiebreak"}, follow_redirects=True)
    assert "加赛环节只能有一个" in response.get_data(as_text=True)
    with app.app_context():
        current = db.session.get(Contest, contest_id)
        kinds = [s.kind for s in service.ordered_stages(current)]
        required = stage_of(current, "required").id
    assert kinds == ["required", "speed", "buzzer", "risk", "buzzer", "tiebreak"]
    organizer.post(f"/contests/{contest_id}/stages/{required}/delete")
    with app.app_context():
        assert "required" not in [s.kind for s in db.session.get(Contest, contest_id).stages]


def test_contest_wide_settings_are_validated(app, organizer):
    """Is a negative base score refused, and a new name and prize split saved?"""
    contest_id = in_app(app, lambda: make_contest(drawn=False).id)
    bad = organizer.post(f"/contests/{contest_id}/settings", data={"name": "决赛", "rule-base_score": "-1",
                                                                    "rule-prizes": "1,2,3", "rule-advance_count": "0",
                                                                    "rule-tie_rule": "tiebreak"}, follow_redirects=True)
    assert "「基础分」不能小于 0分" in bad.get_data(as_text=True)
    organizer.post(f"/contests/{contest_id}/settings", data={"name": "新名称", "rule-base_score": "0",
                                                             "rule-prizes": "1,1,2", "rule-advance_count": "0",
                                                             "rule-tie_rule": "reached_first"})
    with app.app_context():
        current = db.session.get(Contest, contest_id)
        assert current.name == "新名称"
        assert current.rules["base_score"] == 0 and current.rules["prizes"] == [1, 1, 2]


# --- teams ---------------------------------------------------------------------------------------


def test_teams_can_be_added_one_by_one_with_the_next_free_seat(app, organizer):
    """Does a team added without a seat take the first free seat, and a duplicate name get refused?"""
    contest_id = in_app(app, lambda: service.create_contest("空白赛", None, staff_user("organizer").id).id)
    organizer.post(f"/contests/{contest_id}/teams/add", data={"name": "甲队", "company": "甲公司",
                                                              "members": "张三、李四 王五", "alternates": "赵六"})
    organizer.post(f"/contests/{contest_id}/teams/add", data={"name": "乙队", "seat": "3"})
    organizer.post(f"/contests/{contest_id}/teams/add", data={"name": "丙队"})
    again = organizer.post(f"/contests/{contest_id}/teams/add", data={"name": "甲队"}, follow_redirects=True)
    assert "队名「甲队」已存在" in again.get_data(as_text=True)
    with app.app_context():
        teams = db.session.get(Contest, contest_id).teams_by_seat
        assert [(t.name, t.seat) for t in teams] == [("甲队", 1), ("丙队", 2), ("乙队", 3)]
        assert teams[0].members == ["张三", "李四", "王五"] and teams[0].alternates == ["赵六"]


def test_a_pasted_list_fills_the_template_seats(app, organizer):
    """Does a list pasted from Excel (tabs) replace the template's placeholders, members 4+ as alternates?"""
    contest_id = in_app(app, lambda: service.create_contest("决赛", "final", staff_user("organizer").id).id)
    rows = ["云帆数据队\t云帆数据科技有限公司\t李明\t王芳\t张伟\t赵敏", "青禾生物队，青禾生物医药有限公司，陈静、刘洋、杨帆"]
    organizer.post(f"/contests/{contest_id}/teams/import", data={"roster": "\n".join(rows)})
    with app.app_context():
        teams = db.session.get(Contest, contest_id).teams_by_seat
        assert len(teams) == 8
        assert (teams[0].name, teams[0].seat, teams[0].alternates) == ("云帆数据队", 1, ["赵敏"])
        assert (teams[1].name, teams[1].company, teams[1].members) == ("青禾生物队", "青禾生物医药有限公司",
                                                                       ["陈静", "刘洋", "杨帆"])
        assert teams[2].name == "第3队"


def test_a_pasted_list_with_bad_lines_imports_nothing_and_names_each_line(app, organizer):
    """Is every bad line reported by number, and nothing imported?"""
    contest_id = in_app(app, lambda: service.create_contest("空白赛", None, staff_user("organizer").id).id)
    text = "甲队,甲公司\n,无名公司\n甲队,重名公司\n200,乙队"
    page = organizer.post(f"/contests/{contest_id}/teams/import", data={"roster": text},
                          follow_redirects=True).get_data(as_text=True)
    assert "第 2 行：队名不能为空" in page
    assert "第 3 行：队名「甲队」与第 1 行重复" in page
    assert "第 4 行：座次应为 1–99 的整数" in page
    assert in_app(app, lambda: len(db.session.get(Contest, contest_id).teams)) == 0


# --- questions -----------------------------------------------------------------------------------


def test_drawing_fills_every_stage_without_repeats(app, organizer):
    """Does 'draw all' give each stage its count, with no question twice in the contest?"""
    contest_id = in_app(app, lambda: make_contest(drawn=False).id)
    organizer.post(f"/contests/{contest_id}/questions/draw")
    with app.app_context():
        current = db.session.get(Contest, contest_id)
        counts = {s.kind: len(s.questions) for s in current.stages}
        ids = [q.question_id for s in current.stages for q in s.questions]
    assert counts == {"required": 16, "speed": 120, "buzzer": 26, "risk": 24, "tiebreak": 10}
    assert len(ids) == len(set(ids))


def copy_bank_with_other_punctuation(source_name: str, name: str) -> None:
    """A second bank holding the questions of ``source_name``, their stems with other punctuation and spaces."""
    source = db.session.scalar(sa.select(QuestionBank).where(QuestionBank.name == source_name))
    copy = QuestionBank(name=name)
    db.session.add(copy)
    db.session.flush()
    for question in db.session.scalars(sa.select(Question).where(Question.bank_id == source.id)):
        stem = question.stem.replace("？", "? （ ）").replace("：", ": ")
        db.session.add(Question(bank_id=copy.id, type=question.type, stem=stem, stem_hash=stem_hash(stem),
                                options=question.options, answer=question.answer, difficulty=question.difficulty,
                                category=question.category, stage=question.stage))
    db.session.commit()


def test_two_banks_of_the_same_questions_never_put_one_twice_into_a_contest(app, organizer):
    """With a second bank holding the first's questions (other punctuation), does drawing from both say so
    and draw no stem twice?"""
    with app.app_context():
        make_bank("甲题库")
        copy_bank_with_other_punctuation("甲题库", "乙题库")
        contest_id = make_contest(drawn=False).id
    page = organizer.post(f"/contests/{contest_id}/questions/draw", follow_redirects=True).get_data(as_text=True)
    assert "所选题库中有 222 组题干相同或几乎相同的题目（如两个题库导入了同一批题），每组最多抽取一题" in page
    with app.app_context():
        current = db.session.get(Contest, contest_id)
        stems = [comparable_stem(db.session.get(Question, item.question_id).stem)
                 for stage in current.stages for item in stage.questions]
    assert len(stems) == 196 and len(set(stems)) == len(stems)


def test_a_contest_holding_two_alike_questions_cannot_be_made_ready(app):
    """When a drawn question's stem was edited to match another drawn one, does the check name both?"""
    with app.app_context():
        contest = make_contest()
        required = stage_of(contest, "required")
        first, second = (db.session.get(Question, item.question_id) for item in required.questions[:2])
        second.stem = first.stem.replace("？", "?")
        db.session.commit()
        assert "「必答题」第 2 题与「必答题」第 1 题题干相同或几乎相同，请换掉其中一题" in \
            service.readiness_problems(contest)


def test_the_database_refuses_a_question_twice_in_one_contest(app):
    """Even past the service, can the same bank question not be stored twice in one contest?"""
    with app.app_context():
        contest = make_contest()
        contest_id = contest.id
        first = contest.stages[0].questions[0]
        db.session.add(StageQuestion(contest_id=contest_id, stage_id=contest.stages[1].id,
                                     question_id=first.question_id, position=99))
        with pytest.raises(IntegrityError):
            db.session.commit()


@pytest.mark.parametrize("buzzer_questions, message, status", [
    (12, "抢答题需要 20 题，只有 12 题", "draft"),  # too few to play: shown in red, ready refused
    (22, "含备用 6 题", "ready"),  # planned ones there, spares short: a warning only
])
def test_a_small_bank_shows_the_shortage(app, organizer, buzzer_questions, message, status):
    """With too few buzzer questions, does the page say so, and does 'ready' depend on playability?"""
    with app.app_context():
        make_bank("小题库", {"required": 20, "speed": 130, "buzzer": buzzer_questions, "tiebreak": 12})
        contest_id = make_contest().id
    page = organizer.get(f"/contests/{contest_id}/questions").get_data(as_text=True)
    assert message in page
    organizer.post(f"/contests/{contest_id}/status", data={"target": "ready"})
    assert in_app(app, lambda: db.session.get(Contest, contest_id).status) == status


def test_more_teams_than_drawn_for_makes_the_stage_short(app):
    """When a team is added after the draw, does the check ask for more questions?"""
    with app.app_context():
        contest = make_contest()
        contest_id = contest.id
        service.import_teams(contest, "第九队,某公司")
        assert any("必答题需要 18 题，只有 16 题" in p for p in service.readiness_problems(contest))


def test_one_stage_can_be_drawn_again_keeping_the_others(app, organizer):
    """Does redrawing one stage leave the other stages' questions untouched and still avoid repeats?"""
    contest_id = in_app(app, lambda: make_contest().id)
    with app.app_context():
        current = db.session.get(Contest, contest_id)
        risk = stage_of(current, "risk")
        others = {s.id: [q.question_id for q in s.questions] for s in current.stages if s.id != risk.id}
        risk_id = risk.id
    organizer.post(f"/contests/{contest_id}/questions/draw", data={"stage_id": risk_id})
    with app.app_context():
        current = db.session.get(Contest, contest_id)
        assert {s.id: [q.question_id for q in s.questions] for s in current.stages if s.id != risk_id} == others
        ids = [q.question_id for s in current.stages for q in s.questions]
        assert len(ids) == len(set(ids)) and len(stage_of(current, "risk").questions) == 24


def test_an_organizer_can_swap_a_question_by_hand(app, organizer):
    """Can one drawn question be replaced by a chosen unused one, or at random, but not by a used one?"""
    contest_id = in_app(app, lambda: make_contest().id)
    with app.app_context():
        current = db.session.get(Contest, contest_id)
        item = stage_of(current, "required").questions[0]
        used_elsewhere = stage_of(current, "required").questions[1].question_id
        candidates = service.replacement_candidates(item)
        item_id, old = item.id, item.question_id
    page = organizer.get(f"/contests/{contest_id}/questions/{item_id}/swap").get_data(as_text=True)
    assert "换成这题" in page
    organizer.post(f"/contests/{contest_id}/questions/{item_id}/swap", data={"question_id": candidates[0]["id"]})
    assert in_app(app, lambda: db.session.get(StageQuestion, item_id).question_id) == candidates[0]["id"]
    refused = organizer.post(f"/contests/{contest_id}/questions/{item_id}/swap",
                             data={"question_id": used_elsewhere}, follow_redirects=True)
    assert "已在本场比赛中使用" in refused.get_data(as_text=True)
    organizer.post(f"/contests/{contest_id}/questions/{item_id}/swap")
    new = in_app(app, lambda: db.session.get(StageQuestion, item_id).question_id)
    assert new not in (candidates[0]["id"], used_elsewhere)  # the replaced one is free again
    assert old != candidates[0]["id"]


def test_risk_swap_candidates_put_the_tier_difficulty_first(app):
    """For the 30-point tier, are hard questions offered before easier ones?"""
    with app.app_context():
        contest = make_contest()
        contest_id = contest.id
        item = next(q for q in stage_of(contest, "risk").questions if q.tier == 30)
        candidates = service.replacement_candidates(item)
        assert candidates[0]["difficulty"] == 3


# --- lifecycle -----------------------------------------------------------------------------------


def test_lifecycle_draft_ready_draft_live_finished(app, organizer):
    """Does a checked contest go draft → ready → (back to draft) → ready → live → finished?"""
    contest_id = in_app(app, lambda: make_contest().id)
    organizer.post(f"/contests/{contest_id}/status", data={"target": "ready"})
    assert in_app(app, lambda: db.session.get(Contest, contest_id).status) == "ready"
    organizer.post(f"/contests/{contest_id}/status", data={"target": "draft"})
    assert in_app(app, lambda: db.session.get(Contest, contest_id).status) == "draft"
    with app.app_context():
        current = db.session.get(Contest, contest_id)
        service.mark_ready(current)
        service.mark_live(current)
        with pytest.raises(service.SetupError):
            service.mark_draft(current)
        service.mark_finished(current)
        assert current.status == "finished"


def test_ready_needs_every_team_seated(app):
    """Is a team without a seat named in the checks and ready refused?"""
    with app.app_context():
        contest = make_contest()
        contest_id = contest.id
        contest.teams[0].seat = None
        db.session.commit()
        with pytest.raises(service.SetupError, match="没有座次"):
            service.mark_ready(contest)


def test_ready_needs_at_least_two_teams_and_a_stage(app):
    """Is an empty contest refused with the team count and missing stages named?"""
    with app.app_context():
        problems = service.readiness_problems(service.create_contest("空白赛"))
    assert "参赛队伍应为 2–16 支，当前为 0 支" in problems
    assert "比赛至少需要一个环节" in problems


def test_a_ready_contest_is_locked_until_sent_back_to_draft(app, organizer):
    """Is editing a ready contest refused with a hint, and the rules left unchanged?"""
    contest_id = in_app(app, lambda: make_contest(ready=True).id)
    with app.app_context():
        stage = stage_of(db.session.get(Contest, contest_id), "required")
        stage_id, title = stage.id, stage.title
    page = edit_stage(organizer, contest_id, stage_id, title, time_limit="45").get_data(as_text=True)
    assert "请先「退回草稿」" in page
    team_page = organizer.post(f"/contests/{contest_id}/teams/add", data={"name": "新队"}, follow_redirects=True)
    assert "请先「退回草稿」" in team_page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ContestStage, stage_id).rules["time_limit"] == 30


def test_a_finished_contest_is_read_only(app, organizer):
    """Are edits, link re-issues and deletion of a finished contest refused?"""
    with app.app_context():
        contest = make_contest(ready=True)
        contest_id = contest.id
        service.mark_live(contest)
        service.mark_finished(contest)
        team = contest.teams[0]
        team_id, secret = team.id, team.join_secret
    for url in (f"/contests/{contest_id}/teams/{team_id}/reissue", f"/contests/{contest_id}/delete"):
        organizer.post(url)
    with app.app_context():
        current = db.session.get(Contest, contest_id)
        assert current is not None and current.teams[0].join_secret == secret
        with pytest.raises(service.SetupError):
            service.draw_questions(current, random.Random(1))


def test_a_contest_whose_questions_vanished_cannot_start(app):
    """When a bank question was deleted after 'ready', does the start check refuse and say why?"""
    with app.app_context():
        contest = make_contest(ready=True)
        service.require_startable(contest)
        from question_bank.models import Question

        doomed = stage_of(contest, "required").questions[0].question_id
        db.session.execute(sa.delete(Question).where(Question.id == doomed))
        db.session.commit()
        db.session.expire_all()
        with pytest.raises(service.SetupError, match="比赛不能开始：必答题需要 16 题，只有 15 题"):
            service.require_startable(contest)


# --- the engine's configuration ------------------------------------------------------------------


def test_a_ready_contest_gives_a_valid_engine_configuration(app):
    """Does a ready contest build a ContestConfig that validates: teams by seat, spares last, tiers set?"""
    with app.app_context():
        contest = make_contest(ready=True)
        contest_id = contest.id
        config = service.build_contest_config(contest)
        validate_config(config)
        assert [team.id for team in config.teams] == [t.id for t in contest.teams_by_seat]
        assert [stage.kind for stage in config.stages][-1] == StageKind.TIEBREAK
        buzzer = stage_of(contest, "buzzer")
        planned = [str(q.question_id) for q in buzzer.questions if not q.is_spare]
        buzzer_config = next(s for s in config.stages if s.kind == StageKind.BUZZER)
        assert [q.id for q in buzzer_config.questions][:20] == planned
        risk_config = next(s for s in config.stages if s.kind == StageKind.RISK)
        assert {q.tier for q in risk_config.questions} == {10, 20, 30}
        assert risk_config.questions[0].stem and risk_config.questions[0].options


# --- printing and hosting --------------------------------------------------------------------------


def test_join_sheet_has_one_a4_page_per_team_with_its_qr_code(app, organizer):
    """Does the join sheet hold a page per team with an inline SVG QR code and the team's own link?"""
    contest_id = in_app(app, lambda: make_contest().id)
    page = organizer.get(f"/contests/{contest_id}/join-sheet").get_data(as_text=True)
    assert page.count('class="join-sheet ') == 8
    assert page.count("<svg") == 8
    assert page.count("/join/") == 8
    assert "测试1队" in page and "<script>" not in page
    css = organizer.get("/static/css/contest_setup.css").get_data(as_text=True)
    assert "size: A4" in css and "page-break-after: always" in css


def test_hosts_see_ready_contests_but_not_drafts(app, client, auth):
    """Does the host list show a ready contest with its display link, and hide drafts?"""
    with app.app_context():
        make_contest("就绪的比赛", ready=True)
        make_contest("草稿比赛")
    auth.login_as("host")
    page = client.get("/contests/hosting").get_data(as_text=True)
    assert "就绪的比赛" in page and "/display/" in page and "/host/" in page
    assert "草稿比赛" not in page
