"""One table of verdict words: do the pages load the very words the reports print, and does no
page script keep a table of its own?"""
import json
import re
from pathlib import Path

from web.words import VERDICT_LABELS

STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"


def test_the_pages_load_the_verdict_words_of_the_reports(client):
    """Is /live/words.js an ES module holding exactly web.words.VERDICT_LABELS?"""
    response = client.get("/live/words.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    table = re.search(r"export const VERDICT_LABELS = Object\.freeze\((\{.*\})\);", response.text).group(1)
    assert json.loads(table) == VERDICT_LABELS


def test_no_page_script_spells_the_verdict_words_itself():
    """Do the scripts import the verdict words rather than define a second table with other wording?"""
    names = (STATIC_JS / "live" / "names.js").read_text(encoding="utf-8")
    assert 'export { VERDICT_LABELS } from "/live/words.js"' in names
    spelled = [path.relative_to(STATIC_JS).as_posix() for path in STATIC_JS.rglob("*.js")
               if "VERDICT_LABELS = {" in path.read_text(encoding="utf-8")]
    assert spelled == []
