"""The application factory: binds the extensions and registers each part of the platform."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from async_server import silence_eventlet_notice
from config import MIGRATIONS_DIR, Config
from extensions import csrf, db, login_manager, migrate, socketio
from storage.database import configure_connections
from storage.schema import prepare_schema
from web.clean_text import CleanRequest
from web.errors import register as register_errors
from web.security import MAX_SOCKET_MESSAGE_BYTES


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
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    login_manager.init_app(app)
    csrf.init_app(app)
    socketio.init_app(
        app,
        async_mode=config.SOCKETIO_ASYNC_MODE,
        message_queue=config.SOCKETIO_MESSAGE_QUEUE,
        channel=config.SOCKETIO_CHANNEL,
        max_http_buffer_size=MAX_SOCKET_MESSAGE_BYTES,
        ping_interval=config.SOCKETIO_PING_INTERVAL,
    )
    _register_parts(app)
    with app.app_context():
        configure_connections(db.engine)
    prepare_schema(app)
    return app


def _register_parts(app: Flask) -> None:
    """Register the blueprints and command groups of every part of the platform."""
    import storage.models  # noqa: F401  (registers the tables)
    from web import dashboard
    from accounts import register as register_accounts
    from audience import register as register_audience
    from certificates import register as register_certificates
    from contest_setup import register as register_contest_setup
    from live import register as register_live
    from operations import register as register_operations
    from preliminary import register as register_preliminary
    from question_bank import register as register_question_bank
    from results import register as register_results
    from web.security import register as register_web_security

    app.register_blueprint(dashboard.bp)
    register_accounts(app)
    register_contest_setup(app)
    register_question_bank(app)
    register_live(app)
    register_audience(app)
    register_certificates(app)
    register_results(app)
    register_preliminary(app)
    register_operations(app)
    register_web_security(app)
    register_errors(app, socketio)
