"""Every HTTP error answered in Chinese: a page for a person, JSON for a client that asks for JSON.

Flask's own answers ("Not Found", "The CSRF token is missing.") are English. :func:`register`
replaces them for the whole app: each error gets a Chinese title and a sentence that says what to
do. A request asking for JSON (``Accept: application/json`` first, or a ``.json`` address) gets
``{"ok": false, "status": 404, "error": "页面不存在", "reason": "…"}`` instead of a page.

A form sent without its CSRF token, or with a stale one, gets its own message (the page was open
too long, or the user logged out elsewhere), so neither the user nor a test mistakes it for another
400. The error page itself touches no database and no login, so it renders even when those failed.
"""
from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

ERRORS: dict[int, tuple[str, str]] = {
    400: ("请求有误", "提交的内容不完整或格式不对，请返回上一页重新操作。"),
    403: ("没有权限", "当前账号不能打开这个页面或执行这个操作。如需要，请联系组织者。"),
    404: ("页面不存在", "这个地址没有内容：链接可能输错了，或者对应的比赛、题库或题目已被删除。"),
    405: ("不支持此操作", "这个地址不接受这种请求，请从页面上的按钮或链接进入。"),
    413: ("内容太大", "上传或提交的内容超过了大小上限，请缩小后重试。"),
    429: ("操作过于频繁", "请稍等片刻再试。"),
    500: ("服务器出错", "服务器处理这个请求时出错，错误已记入日志。请稍后重试；已保存的比赛记录不受影响。"),
}
CSRF_ERROR = ("页面已过期", "安全校验未通过：页面打开太久，或已在其他窗口退出登录。请刷新页面后重新提交。")
OTHER_ERROR = ("请求未能完成", "请返回上一页重新操作。")


def describe(error: HTTPException) -> tuple[str, str]:
    """The Chinese title and advice for ``error``."""
    if isinstance(error, CSRFError):
        return CSRF_ERROR
    return ERRORS.get(error.code or 500, OTHER_ERROR)


def wants_json() -> bool:
    """Whether the client asked for JSON rather than a page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or request.path.endswith(".json")


def answer(error: HTTPException) -> tuple[Response | str, int]:
    """The Chinese answer to ``error``, as JSON or as a page, with the error's own status and headers."""
    title, reason = describe(error)
    status = error.code or 500
    if wants_json():
        response = jsonify(ok=False, status=status, error=title, reason=reason)
    else:
        response = Response(render_template("error.html", status=status, title=title, reason=reason),
                            mimetype="text/html")
    response.status_code = status
    for name, value in error.get_headers():
        if name.lower() != "content-type":  # e.g. Allow on a 405, Retry-After
            response.headers[name] = value
    return response, status


def register(app: Flask) -> None:
    """Answer every HTTP error of ``app`` (unhandled exceptions become a 500) in Chinese."""
    app.register_error_handler(HTTPException, answer)
