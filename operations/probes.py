"""Probes for a process supervisor or a load balancer, open to anyone and cheap.

``/healthz``: the process is up and answering (nothing else is touched: a database outage must not
make a supervisor restart every process). ``/readyz``: the process can serve a contest now: its
database answers and stands at the newest schema revision, and the message queue that several
processes share answers when ``SOCKETIO_MESSAGE_QUEUE`` names one. A balancer sends no one to a
process that is not ready (503).
"""
import redis
import sqlalchemy as sa
from flask import Blueprint, current_app
from sqlalchemy.exc import SQLAlchemyError

from extensions import db
from storage.schema import schema_is_current

bp = Blueprint("operations", __name__)

QUEUE_TIMEOUT_SECONDS = 2


@bp.get("/healthz")
def healthz():
    """The process is up."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Each dependency's state ("ok" or why not), 200 when all are ok, else 503."""
    checks = {"database": database_state()}
    queue_url = current_app.config["SOCKETIO_MESSAGE_QUEUE"]
    if queue_url:
        checks["message_queue"] = queue_state(queue_url)
    ready = all(state == "ok" for state in checks.values())
    return {"status": "ok" if ready else "unavailable", "checks": checks}, 200 if ready else 503


def database_state() -> str:
    """"ok" when the database answers a query and has the newest schema; else what is wrong."""
    try:
        db.session.execute(sa.select(1))
        current = schema_is_current(db.engine)
    except SQLAlchemyError as error:
        current_app.logger.warning("readiness: database unreachable: %s", error.__class__.__name__)
        return f"数据库无法连接（{error.__class__.__name__}）"
    finally:
        db.session.remove()
    return "ok" if current else "数据库结构不是最新版本，请运行 flask --app app db upgrade"


def queue_state(url: str) -> str:
    """"ok" when the Redis message queue at ``url`` answers a PING; else what is wrong."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=QUEUE_TIMEOUT_SECONDS,
                                      socket_connect_timeout=QUEUE_TIMEOUT_SECONDS)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, ValueError) as error:
        current_app.logger.warning("readiness: message queue unreachable: %s", error.__class__.__name__)
        return f"消息队列无法连接（{error.__class__.__name__}）"
    return "ok"
