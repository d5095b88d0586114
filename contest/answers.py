"""Reading and marking an answer given on a phone, in the forms the question format allows.

A multi-choice answer may come as "AC", "A,C", "A、C" or "A C"; true/false as 对/错, 正确/错误,
√/×, T/F, true/false or Y/N. Both are brought to one canonical form before comparing.
"""
import re

from contest.config import Question

TRUE_WORDS = {"对", "正确", "√", "t", "true", "y", "yes", "是"}
FALSE_WORDS = {"错", "错误", "×", "x", "f", "false", "n", "no", "否"}
LETTERS = "ABCDEFGH"


class AnswerError(ValueError):
    """An answer that cannot be read for this question; the message says why, in Chinese."""


def normalise_choice(question: Question, raw: str) -> str:
    """The canonical form of ``raw`` for ``question``: sorted letters, or 对/错."""
    text = str(raw).strip()
    if question.type == "true_false":
        return _true_false(text)
    letters = sorted(set(re.sub(r"[\s,，、;；]+", "", text).upper()))
    if not letters:
        raise AnswerError("请选择答案")
    offered = LETTERS[: len(question.options)]
    wrong = [letter for letter in letters if letter not in offered]
    if wrong:
        raise AnswerError(f"选项 {''.join(wrong)} 不存在（可选 {offered}）")
    if question.type == "single" and len(letters) != 1:
        raise AnswerError("单选题只能选一个答案")
    return "".join(letters)


def _true_false(text: str) -> str:
    """对 or 错 from any accepted spelling."""
    word = text.lower()
    if word in TRUE_WORDS:
        return "对"
    if word in FALSE_WORDS:
        return "错"
    raise AnswerError("判断题请回答 对 或 错")


def is_right(question: Question, choice: str) -> bool:
    """Whether a canonical ``choice`` matches the question's answer."""
    return choice == normalise_choice(question, question.answer)
