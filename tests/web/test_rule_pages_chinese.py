"""The rule pages speak Chinese: no setting code (foul, reached_first, compensated…) in what an
organizer reads on the stage list or a stage's rule form."""
import re
from html import unescape

from contest.rules import RULES_BY_KIND, ContestRules
from tests.web.setup_factories import make_contest

CODES = {choice for cls in [ContestRules, *RULES_BY_KIND.values()]
         for field in cls.__dataclass_fields__.values() for choice in (field.metadata.get("choices") or ())}


def visible_text(html: str) -> str:
    """The text a person reads: no tags, scripts, styles or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_no_setting_code_is_shown_on_the_rule_pages(app, client, auth):
    with app.app_context():
        contest = make_contest()
        stage_ids = [stage.id for stage in contest.stages]
        contest_id = contest.id
    auth.login_as("organizer")
    pages = [f"/contests/{contest_id}/stages", f"/contests/{contest_id}"]
    pages += [f"/contests/{contest_id}/stages/{stage_id}" for stage_id in stage_ids]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        words = set(re.findall(r"[a-z_]{3,}", visible_text(response.text)))
        assert not words & CODES, f"{page} shows {sorted(words & CODES)}"
