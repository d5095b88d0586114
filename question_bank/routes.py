"""The organizer's question-bank pages: banks, upload → preview → confirm, browse, edit, export.

Each view is thin: read the form, call :mod:`question_bank.service`, show the result. All pages
are for logged-in organizers only; every change is a POST with a CSRF token.
"""
import math
from pathlib import Path

from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for,
)
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from accounts.access import roles_required
from extensions import db
from question_bank.export import template_bytes
from question_bank.forms import (
    PASTED_NAME, ActionForm, ConfirmForm, FilterForm, QuestionForm, UploadForm, choices, question_form_data,
)
from question_bank.formats import FormatError
from question_bank.models import Question, QuestionBank
from question_bank.schema import DIFFICULTY_LABELS, STAGE_LABELS, TYPE_LABELS
from question_bank.service import (
    BankError,
    QuestionFilter,
    bank_categories,
    banks_with_counts,
    delete_bank,
    delete_question,
    export_bank,
    filtered_questions,
    find_bank,
    import_file,
    preview_import,
    update_question,
)
from question_bank.uploads import discard_pending, load_pending, pending_bytes, save_pending
from web.spreadsheets import MEDIA_TYPES, download

bp = Blueprint("question_bank", __name__, url_prefix="/banks")
QUESTIONS_PER_PAGE = 50
PREVIEW_ROWS_PER_PAGE = 100
SESSION_KEY = "bank_upload"
LABELS = {"type_labels": TYPE_LABELS, "stage_labels": STAGE_LABELS, "difficulty_labels": DIFFICULTY_LABELS,
          "export_extensions": tuple(MEDIA_TYPES)}


@bp.context_processor
def labels():
    """The Chinese labels of types, stages and difficulties, and the export formats, for every template of these pages."""
    return LABELS


def uploads_folder() -> Path:
    """Where uploads wait for their confirm: a folder of the instance, never the static files."""
    return Path(current_app.instance_path) / "bank_uploads"


def render_index(form: UploadForm | None = None, status: int = 200):
    """The banks page: the list of banks, the upload form and the template downloads."""
    form = form or UploadForm(formdata=None)
    return render_template("organizer/bank_index.html", banks=banks_with_counts(), form=form,
                           action_form=ActionForm(formdata=None)), status


@bp.route("/")
@roles_required("organizer")
def index():
    """List the banks and offer an upload."""
    return render_index()


@bp.route("/upload", methods=["POST"])
@roles_required("organizer")
def upload():
    """Read an uploaded file and keep it for the preview; nothing is stored in the bank yet."""
    form = UploadForm()
    if not form.validate_on_submit():
        return render_index(form, 400)
    filename, data = form.upload()
    try:
        result = preview_import(form.bank_name.data, filename, data)
    except (FormatError, BankError) as error:
        flash(f"无法导入：{error}", "error")
        return render_index(form, 400)
    discard_pending(uploads_folder(), session.get(SESSION_KEY))
    pending = save_pending(uploads_folder(), filename, data, form.bank_name.data.strip(), current_user.id, result)
    session[SESSION_KEY] = pending.token
    return redirect(url_for(".preview"))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """An upload over the server's limit: say so on the banks page instead of failing."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    flash(f"文件太大，超过了 {limit / 1048576:.0f} MB 的上传上限；请把题目分成几个文件导入。", "error")
    return render_index(status=413)


def current_pending():
    """The current user's upload waiting for its confirm, or a redirect to the banks page."""
    pending = load_pending(uploads_folder(), session.get(SESSION_KEY), current_user.id)
    if pending is None:
        flash("没有待确认的导入，请重新上传文件。", "warning")
    return pending


@bp.route("/upload/preview")
@roles_required("organizer")
def preview():
    """Show every row of the upload with its problems beside it, and the confirm choice."""
    pending = current_pending()
    if pending is None:
        return redirect(url_for(".index"))
    only_problems = request.args.get("only") == "problems"
    rows = [row for row in pending.rows if row["problems"]] if only_problems else pending.rows
    page, pages = page_of(len(rows), PREVIEW_ROWS_PER_PAGE)
    shown = rows[(page - 1) * PREVIEW_ROWS_PER_PAGE: page * PREVIEW_ROWS_PER_PAGE]
    return render_template("organizer/bank_preview.html", pending=pending, rows=shown, page=page,
                           pages=pages, only_problems=only_problems, form=ConfirmForm(),
                           action_form=ActionForm(formdata=None), retry_form=retry_form(pending))


def retry_form(pending) -> UploadForm | None:
    """For pasted text, the paste box filled with that text, to fix it and preview again in place."""
    if pending.filename != PASTED_NAME:
        return None
    text = pending_bytes(uploads_folder(), pending).decode("utf-8")
    return UploadForm(formdata=None, data={"bank_name": pending.bank_name, "text": text})


def page_of(total: int, per_page: int) -> tuple[int, int]:
    """The page asked for in ``?page=``, kept within 1…pages, and the number of pages."""
    pages = max(1, math.ceil(total / per_page))
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), pages), pages


@bp.route("/upload/confirm", methods=["POST"])
@roles_required("organizer")
def confirm():
    """Import the previewed upload: all-or-nothing, or only the valid rows if asked."""
    form = ConfirmForm()
    pending = current_pending()
    if pending is None or not form.validate_on_submit():
        return redirect(url_for(".index"))
    data = pending_bytes(uploads_folder(), pending)
    try:
        outcome = import_file(pending.bank_name, pending.filename, data,
                              skip_invalid=form.skip_invalid.data, user_id=current_user.id)
    except (FormatError, BankError) as error:
        flash(f"无法导入：{error}", "error")
        return redirect(url_for(".preview"))
    if outcome.imported == 0:
        flash(f"有 {outcome.bad_rows} {outcome.unit}存在问题，未导入任何题目。请修改文件后重新上传，"
              "或勾选“跳过有问题的行”。", "error")
        return redirect(url_for(".preview", only="problems"))
    forget_pending(pending.token)
    skipped = f"，跳过 {outcome.bad_rows} {outcome.unit}有问题的数据" if outcome.problems else ""
    flash(f"已导入 {outcome.imported} 道题到题库「{outcome.bank_name}」{skipped}。", "success")
    return redirect(url_for(".bank", bank_id=find_bank(outcome.bank_name).id))


def forget_pending(token: str) -> None:
    """Drop the upload from the disk and from the session."""
    discard_pending(uploads_folder(), token)
    session.pop(SESSION_KEY, None)


@bp.route("/upload/cancel", methods=["POST"])
@roles_required("organizer")
def cancel():
    """Throw the previewed upload away."""
    if ActionForm().validate_on_submit():
        forget_pending(session.get(SESSION_KEY))
        flash("已取消导入。", "success")
    return redirect(url_for(".index"))


@bp.route("/<int:bank_id>")
@roles_required("organizer")
def bank(bank_id: int):
    """Browse a bank's questions, filtered by type, category, stage, difficulty and text."""
    question_bank = db.get_or_404(QuestionBank, bank_id)
    filters = FilterForm(request.args)
    filters.category.choices += choices({name: name for name in bank_categories(question_bank)})
    wanted = QuestionFilter(
        type=filters.type.data or "",
        category=filters.category.data or "",
        stage=filters.stage.data or "",
        difficulty=request.args.get("difficulty", type=int),
        text=(filters.q.data or "").strip(),
    )
    page = db.paginate(filtered_questions(question_bank, wanted), per_page=QUESTIONS_PER_PAGE, error_out=False)
    arguments = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("organizer/bank_questions.html", bank=question_bank, page=page, filters=filters,
                           arguments=arguments, action_form=ActionForm(formdata=None))


@bp.route("/<int:bank_id>/delete", methods=["POST"])
@roles_required("organizer")
def remove_bank(bank_id: int):
    """Delete a bank and all its questions."""
    question_bank = db.get_or_404(QuestionBank, bank_id)
    if ActionForm().validate_on_submit():
        name = question_bank.name
        delete_bank(question_bank)
        flash(f"已删除题库「{name}」。", "success")
    return redirect(url_for(".index"))


@bp.route("/<int:bank_id>/export.<extension>")
@roles_required("organizer")
def export(bank_id: int, extension: str):
    """Download a bank as .xlsx, .csv, .json, or as a Word (.docx) or text (.txt) list."""
    question_bank = db.get_or_404(QuestionBank, bank_id)
    if extension not in MEDIA_TYPES:
        abort(404)
    return download(export_bank(question_bank, extension), f"{question_bank.name}.{extension}", extension)


@bp.route("/template.<extension>")
@roles_required("organizer")
def template(extension: str):
    """Download the template (one example question of each type): a sheet, or a Word or text list."""
    if extension not in MEDIA_TYPES:
        abort(404)
    name = "题目清单示例" if extension in ("docx", "txt") else "题库模板"
    return download(template_bytes(extension), f"{name}.{extension}", extension)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@roles_required("organizer")
def edit_question(question_id: int):
    """Edit one question; the same rules as an import decide what is accepted."""
    question = db.get_or_404(Question, question_id)
    # A POST carries every field; prefilling it too would let a missing field keep its old value.
    form = QuestionForm() if request.method == "POST" else QuestionForm(data=question_form_data(question))
    if form.validate_on_submit():
        issues = update_question(question, form.cells())
        if not issues:
            flash("已保存。", "success")
            return redirect(url_for(".bank", bank_id=question.bank_id))
        form.show_issues(issues)
    return render_template("organizer/bank_question_edit.html", question=question, form=form,
                           action_form=ActionForm(formdata=None))


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@roles_required("organizer")
def remove_question(question_id: int):
    """Delete one question."""
    question = db.get_or_404(Question, question_id)
    bank_id = question.bank_id
    if ActionForm().validate_on_submit():
        delete_question(question)
        flash("已删除该题。", "success")
    return redirect(url_for(".bank", bank_id=bank_id))
