"""The ceiling of bench.preliminary: a bare Flask endpoint that only inserts one row per request
into SQLite, on the same async server as the platform (eventlet, monkey-patched, ``eventlet.wsgi``)
and with the platform's SQLite settings (WAL, ``synchronous=NORMAL``, a busy timeout).

    python -m bench.preliminary_bare --port P --database FILE

``POST /save`` with a small JSON body inserts it and answers ``{"ok": true}``. Loopback only.
"""
from async_server import silence_eventlet_notice

silence_eventlet_notice()

import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import sqlite3  # noqa: E402

import eventlet.wsgi  # noqa: E402
from flask import Flask, jsonify, request  # noqa: E402


def build(database: str) -> Flask:
    """The app and its one table."""
    connection = sqlite3.connect(database, check_same_thread=False)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute("CREATE TABLE IF NOT EXISTS answer (id INTEGER PRIMARY KEY, client INTEGER, sequence INTEGER, "
                       "choice TEXT, at REAL DEFAULT (julianday('now')))")
    app = Flask(__name__)

    @app.post("/save")
    def save():
        data = request.get_json()
        connection.execute("INSERT INTO answer (client, sequence, choice) VALUES (?, ?, ?)",
                           (data["client"], data["sequence"], data["choice"]))
        connection.commit()
        return jsonify(ok=True)

    @app.get("/")
    def alive():
        return "ok"

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    eventlet.wsgi.server(eventlet.listen(("127.0.0.1", args.port)), build(args.database), log_output=False,
                         max_size=5000)


if __name__ == "__main__":
    main()
