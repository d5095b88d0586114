"""The application factory: binds the extensions and registers each part of the platform."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from async_server import silence_eventlet_notice
from accounts.service import fill_name_keys
from clean_text import CleanRequest
from config import Config
from contest_setup.models import RETIRED_COLUMNS
from extensions import csrf, db, login_manager, socketio
from storage.database import add_missing_columns, drop_retired_columns, use_sqlite_wal
from web_security import MAX_SOCKET_MESSAGE_BYTES


def create_app(config: Config | None = None) -> Flask:
    """Create the Flask app with ``config`` (read from the environment when not given)."""
    config = config or Config()
    app = Flask(__name__, instance_path=config.INSTANCE_PATH)
    app.request_class = CleanRequest  # every form field and query parameter arrives cleaned
    app.config.from_object(config)
    if config.TRUSTED_PROXIES:
        hops = config.TRUSTED_PROXIES
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    silence_eventlet_notice()
    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    socketio.init_app(
        app,
        async_mode=config.SOCKETIO_ASYNC_MODE,
        message_queue=config.SOCKETIO_MESSAGE_QUEUE,
        max_http_buffer_size=MAX_SOCKET_MESSAGE_BYTES,
        ping_interval=config.SOCKETIO_PING_INTERVAL,
    )
    _register_parts(app)
    with app.app_context():
        use_sqlite_wal(db.engine)
        db.create_all()
        add_missing_columns(db.engine, db.metadata)
        drop_retired_columns(db.engine, RETIRED_COLUMNS)
        fill_name_keys()
    return app


def _register_parts(app: Flask) -> None:
    """Register the blueprints and command groups of every part of the platform."""
    import storage.models  # noqa: F401  (registers the tables)
    import dashboard
    from accounts import register as register_accounts
    from contest_setup import register as register_contest_setup
    from errors import register as register_errors
    from live import register as register_live
    from preliminary import register as register_preliminary
    from question_bank import register as register_question_bank
    from results import register as register_results
    from web_security import register as register_web_security

    app.register_blueprint(dashboard.bp)
    register_accounts(app)
    register_contest_setup(app)
    register_question_bank(app)
    register_live(app)
    register_results(app)
    register_preliminary(app)
    register_web_security(app)
    register_errors(app)
