"""The forms of the organizer's question-bank pages.

Every form that changes something carries the CSRF token (Flask-WTF). The question form has no
rules of its own: its cells go through :func:`validation.validate_cells`, the very rules of an
import, and the messages come back onto the fields.
"""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from question_bank.models import Question
from question_bank.schema import (
    DIFFICULTY_LABELS,
    OPTION_KEYS,
    OPTION_LETTERS,
    STAGE_LABELS,
    TAG_JOINER,
    TYPE_LABELS,
)
from question_bank.service import MAX_BANK_NAME



def choices(labels: dict, empty: str | None = None) -> list[SelectChoice]:
    """Select options from ``{value: label}``, after an "any"/"none" option when ``empty`` is given."""
    options = [SelectChoice("", empty)] if empty is not None else []
    return options + [SelectChoice(str(value), label) for value, label in labels.items()]


FIELD_OF_KEY = {"id": "external_id"}
PASTED_NAME = "粘贴的文字.txt"
PASTE_EXAMPLE = "一、单选题\n1. 小规模纳税人增值税征收率一般为多少？\nA. 1%  B. 3%  C. 5%  D. 6%\n答案：B"


class UploadForm(FlaskForm):
    """Choose a file and the bank it goes into (a new name makes a new bank)."""

    bank_name = StringField("题库名称", validators=[
        DataRequired(message="请填写题库名称"),
        Length(max=MAX_BANK_NAME, message=f"题库名称不能超过 {MAX_BANK_NAME} 个字"),
    ])
    # The kind of file is checked by the parser, whose messages say how to fix it (e.g. for .doc).
    file = FileField("题目文件")
    text = TextAreaField("或者粘贴题目文字", render_kw={"placeholder": PASTE_EXAMPLE})

    def validate(self, extra_validators=None) -> bool:
        """Exactly one source: a chosen file, or text pasted into the box."""
        if not super().validate(extra_validators):
            return False
        has_file = bool(self.file.data and getattr(self.file.data, "filename", ""))
        has_text = bool((self.text.data or "").strip())
        if has_file == has_text:
            self.file.errors.append("请选择一个文件，或粘贴题目文字（二选一）" if has_file else "请选择要导入的文件，或粘贴题目文字")
            return False
        return True

    def upload(self) -> tuple[str, bytes]:
        """The file name and bytes to parse: pasted text reads as a .txt file in UTF-8."""
        if self.text.data and self.text.data.strip():
            return PASTED_NAME, self.text.data.encode("utf-8")
        return self.file.data.filename, self.file.data.read()


class ConfirmForm(FlaskForm):
    """Confirm a previewed import, all-or-nothing unless the organizer ticks skip-invalid."""

    skip_invalid = BooleanField("跳过有问题的行，只导入无误的题目")


class ActionForm(FlaskForm):
    """A button that changes something (cancel, delete): only the CSRF token."""


class FilterForm(FlaskForm):
    """The browse page's filters, sent by GET: no CSRF token, nothing changes."""

    class Meta:
        """Filters only read, so a token would only clutter the address."""

        csrf = False

    type = SelectField("题型", choices=choices(TYPE_LABELS, "全部题型"), validate_choice=False)
    category = SelectField("分类", choices=choices({}, "全部分类"), validate_choice=False)
    stage = SelectField("适用轮次", choices=choices(STAGE_LABELS, "全部轮次"), validate_choice=False)
    difficulty = SelectField("难度", choices=choices(DIFFICULTY_LABELS, "全部难度"), validate_choice=False)
    q = StringField("搜索")


class QuestionForm(FlaskForm):
    """Every field of one question, as text, as a row of a file would give it."""

    type = SelectField("题型", choices=choices(TYPE_LABELS), validate_choice=False)
    stem = TextAreaField("题干")
    answer = StringField("答案")
    points = StringField("分值")
    difficulty = SelectField("难度", choices=choices(DIFFICULTY_LABELS, "未指定"), validate_choice=False)
    category = StringField("分类")
    stage = SelectField("适用轮次", choices=choices(STAGE_LABELS, "任何轮次"), validate_choice=False)
    explanation = TextAreaField("解析")
    source = StringField("政策出处")
    time_limit = StringField("时限（秒）")
    tags = StringField("标签")
    external_id = StringField("编号")

    def option_fields(self) -> list:
        """The option fields A…H, in order, for the template."""
        return [self[key] for key in OPTION_KEYS]

    def cells(self) -> dict[str, str]:
        """The submitted values keyed like the columns of a file."""
        keys = [*OPTION_KEYS, "type", "stem", "answer", "points", "difficulty", "category", "stage",
                "explanation", "source", "time_limit", "tags", "id"]
        return {key: self[FIELD_OF_KEY.get(key, key)].data or "" for key in keys}

    def show_issues(self, issues) -> None:
        """Put the validator's messages on the fields they concern."""
        for issue in issues:
            self[FIELD_OF_KEY.get(issue.key, issue.key)].errors.append(issue.message)


for _key, _letter in zip(OPTION_KEYS, OPTION_LETTERS):
    setattr(QuestionForm, _key, StringField(f"选项{_letter}"))


def question_form_data(question: Question) -> dict[str, str]:
    """A stored question as the edit form's initial values."""
    values = {
        "type": question.type,
        "stem": question.stem,
        "answer": question.answer,
        "points": "" if question.points is None else str(question.points),
        "difficulty": "" if question.difficulty is None else str(question.difficulty),
        "category": question.category,
        "stage": question.stage or "",
        "explanation": question.explanation,
        "source": question.source,
        "time_limit": "" if question.time_limit is None else str(question.time_limit),
        "tags": TAG_JOINER.join(question.tags or ()),
        "external_id": question.external_id,
    }
    values.update(zip(OPTION_KEYS, question.options or ()))
    return values
