"""Every error answered in Chinese: a page for a person, JSON for a client that asks for JSON, an
acknowledgement for a Socket.IO event whose handler failed.

Flask's own answers ("Not Found", "The CSRF token is missing.") are English. :func:`register`
replaces them for the whole app: each error gets a Chinese title and a sentence that says what to
do. A request asking for JSON (``Accept: application/json`` first, or a ``.json`` address) gets
``{"ok": false, "status": 404, "error": "页面不存在", "reason": "…"}`` instead of a page.

A form sent without its CSRF token, or with a stale one, gets its own message (the page was open
too long, or the user logged out elsewhere), so neither the user nor a test mistakes it for another
400. The error page itself touches no database and no login, so it renders even when those failed.

A Socket.IO handler that raises is logged and its event still acknowledged
(:func:`answer_failed_event`): a page waiting for the acknowledgement would otherwise wait for ever.
"""
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, ServiceUnavailable

ERRORS: dict[int, tuple[str, str]] = {
    400: ("请求有误", "提交的内容不完整或格式不对，请返回上一页重新操作。"),
    403: ("没有权限", "当前账号不能打开这个页面或执行这个操作。如需要，请联系组织者。"),
    404: ("页面不存在", "这个地址没有内容：链接可能输错了，或者对应的比赛、题库或题目已被删除。"),
    405: ("不支持此操作", "这个地址不接受这种请求，请从页面上的按钮或链接进入。"),
    413: ("内容太大", "上传或提交的内容超过了大小上限，请缩小后重试。"),
    429: ("操作过于频繁", "请稍等片刻再试。"),
    500: ("服务器出错", "服务器处理这个请求时出错，错误已记入日志。请稍后重试；已保存的比赛记录不受影响。"),
    503: ("服务器繁忙", "同时访问的人太多，请稍等几秒再试；答题页面会自动重试，未提交成功的答案不会被记为已答。"),
}
BUSY_RETRY_S = 2  # the Retry-After of a 503 answered when no database connection was free
CSRF_ERROR = ("页面已过期", "安全校验未通过：页面打开太久，或已在其他窗口退出登录。请刷新页面后重新提交。")
OTHER_ERROR = ("请求未能完成", "请返回上一页重新操作。")
FAILED_REASON = "服务器无法处理这条消息，请重试或刷新页面"


def describe(error: HTTPException) -> tuple[str, str]:
    """The Chinese title and advice for ``error``."""
    if isinstance(error, CSRFError):
        return CSRF_ERROR
    return ERRORS.get(error.code or 500, OTHER_ERROR)


def wants_json() -> bool:
    """Whether the client asked for JSON rather than a page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or request.path.endswith(".json")


def error_json(error: HTTPException) -> dict[str, Any]:
    """What a JSON client gets for ``error``."""
    title, reason = describe(error)
    return {"ok": False, "status": error.code or 500, "error": title, "reason": reason}


def answer(error: HTTPException) -> tuple[Response | str, int]:
    """The Chinese answer to ``error``, as JSON or as a page, with the error's own status and headers."""
    title, reason = describe(error)
    status = error.code or 500
    if wants_json():
        response = jsonify(error_json(error))
    else:
        response = Response(render_template("error.html", status=status, title=title, reason=reason),
                            mimetype="text/html")
    response.status_code = status
    for name, value in error.get_headers():
        if name.lower() != "content-type":  # e.g. Allow on a 405, Retry-After
            response.headers[name] = value
    return response, status


def answer_busy(error: PoolTimeout) -> tuple[Response | str, int]:
    """No database connection came free in time (config.pool_options): the server is overloaded, not
    broken, so the client hears 503 with a Retry-After instead of a 500 and a stack trace in the log."""
    current_app.logger.warning("busy: no database connection free for %s %s (%s)", request.method, request.path, error)
    return answer(ServiceUnavailable(retry_after=BUSY_RETRY_S))


def answer_failed_event(error: Exception) -> Any:
    """The catch-all of every Socket.IO handler: log the failure and still answer the client.

    An event whose handler raised gets ``{"ok": false, "reason": …}`` as its acknowledgement; a
    connection whose handler raised is refused.
    """
    event = getattr(request, "event", None) or {}
    current_app.logger.error("socket event %r on %s failed", event.get("message"), getattr(request, "namespace", "?"),
                             exc_info=error)
    if event.get("message") == "connect":
        return False
    return {"ok": False, "reason": FAILED_REASON}


def register(app: Flask, socketio) -> None:
    """Answer every HTTP error of ``app`` (unhandled exceptions become a 500) and every failed
    Socket.IO handler of ``socketio`` in Chinese."""
    app.register_error_handler(HTTPException, answer)
    app.register_error_handler(PoolTimeout, answer_busy)
    socketio.on_error_default(answer_failed_event)
