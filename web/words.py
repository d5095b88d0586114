"""The words the hall reads, defined once for the server and the pages.

One table of verdict words serves the reports (:mod:`results`) and the live pages, which load it
from ``/live/words.js`` (see :mod:`live.routes`): the display's stamp, the phone's headline and
the printed report say the same thing for the same verdict.
"""
import json

VERDICT_LABELS = {
    "right": "回答正确",
    "wrong": "回答错误",
    "void": "本题无效",
    "timeout": "超时",
    "no_buzz": "无人抢答",
    "abstain": "放弃",
    "pass": "过",
    "unanswered": "未作答",  # speed: the window closed on a question the team never reached
}


def as_javascript() -> str:
    """The words as an ES module, so no page spells a verdict itself."""
    return ("// Generated from web/words.py: the one table of verdict words.\n"
            f"export const VERDICT_LABELS = Object.freeze({json.dumps(VERDICT_LABELS, ensure_ascii=False)});\n")
