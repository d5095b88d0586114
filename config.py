"""Configuration read from the environment, with defaults that are safe for a hall laptop.

Every setting can be given as an environment variable of the same name. Nothing here needs the
internet; the defaults give an embedded SQLite database under ``instance/``.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_INSTANCE_DIR = BASE_DIR / "instance"
MIGRATIONS_DIR = BASE_DIR / "migrations"


def instance_dir() -> Path:
    """The folder for the database and the generated secret key (``INSTANCE_PATH`` overrides it)."""
    return Path(os.environ.get("INSTANCE_PATH", DEFAULT_INSTANCE_DIR)).resolve()


def load_or_create_secret_key(folder: Path) -> str:
    """Return ``SECRET_KEY`` from the environment, else the key kept in ``folder``, creating it once.

    A generated key is kept so that logins and team join tokens survive a server restart.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32), encoding="ascii")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="ascii").strip()


def env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable (1, true, yes, on are yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def pool_options(url: str) -> dict:
    """The connection pool of one server process for the database at ``url``.

    ``DATABASE_POOL_SIZE`` connections are kept open and ``DATABASE_POOL_OVERFLOW`` more opened under
    load; a request waits at most ``DATABASE_POOL_TIMEOUT`` seconds (10, not SQLAlchemy's 30) for
    one and is then answered 503 服务器繁忙 (web/errors.py), which the phone pages retry. On
    PostgreSQL 20 connections stay open and none is opened under load: each overflow connection,
    opened and closed again, costs the server a new backend process, and in bench.scale's
    preliminary rush that churn made most of the busy replies (docs/performance.md). Several
    processes on one PostgreSQL server: processes × (size + overflow) must stay below its
    ``max_connections`` (100 by default). SQLite keeps SQLAlchemy's own 5 and 10; an in-memory
    SQLite database lives in its one connection and takes no pool settings.
    """
    if url in ("sqlite://", "sqlite:///:memory:"):
        return {}
    size, overflow = ("20", "0") if url.startswith("postgresql") else ("5", "10")
    return {"pool_size": int(os.environ.get("DATABASE_POOL_SIZE", size)),
            "max_overflow": int(os.environ.get("DATABASE_POOL_OVERFLOW", overflow)),
            "pool_timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10"))}


class Config:
    """Settings for a real run; each one is read from the environment when the app is created."""

    def __init__(self) -> None:
        folder = instance_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self.INSTANCE_PATH = str(folder)
        self.SECRET_KEY = load_or_create_secret_key(folder)
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "DATABASE_URL", f"sqlite:///{folder / 'contest.db'}"
        )
        # The embedded SQLite database is upgraded at start; a shared one by `flask db upgrade` (storage/schema.py).
        self.DATABASE_AUTO_UPGRADE = env_flag("DATABASE_AUTO_UPGRADE", self.SQLALCHEMY_DATABASE_URI.startswith("sqlite"))
        self.SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
        # One line per log record, key=value or json (operations/logs.py); the app's records from LOG_LEVEL up.
        self.LOG_FORMAT = os.environ.get("LOG_FORMAT", "keyvalue")
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
        self.SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
        # The Redis channel of this installation (two installations sharing one Redis need different ones);
        # the contest ownership keys and channels are named after it too (play/cluster.py).
        self.SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "flask-socketio")
        # With the queue, each live contest is owned by one process holding a lease this long (ms),
        # renewed this often; a dead owner's contests are taken over once it expires (play/lease.py).
        self.PLAY_LEASE_MS = int(os.environ.get("PLAY_LEASE_MS", "5000"))
        self.PLAY_LEASE_RENEW_MS = int(os.environ.get("PLAY_LEASE_RENEW_MS", "1000"))
        # Seconds between the transport's pings, whose round trips check the phones' clock probes.
        self.SOCKETIO_PING_INTERVAL = float(os.environ.get("SOCKETIO_PING_INTERVAL", "10"))
        # Check the clock probes against the kernel's TCP round trip too (live/kernel_rtt.py; off behind a proxy).
        self.KERNEL_RTT_CHECK = env_flag("KERNEL_RTT_CHECK", True)
        # HOST=0.0.0.0 makes the server reachable from the phones on the venue's network.
        self.HOST = os.environ.get("HOST", "127.0.0.1")
        self.PORT = int(os.environ.get("PORT", "5000"))
        # The address phones use in join links and QR codes; detected when not given.
        self.PUBLIC_URL = os.environ.get("PUBLIC_URL") or None
        # Number of reverse proxies in front of the server whose X-Forwarded-* headers are trusted.
        self.TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
        # Live connect attempts one address may make at once (then a fifth of it a second): see live/limits.py.
        self.CONNECT_BURST_PER_ADDRESS = int(os.environ.get("CONNECT_BURST_PER_ADDRESS", "100"))
        # Audience phones (观众互动题) connected at once; beyond, a phone polls over HTTP (audience/namespace.py).
        self.AUDIENCE_MAX_PHONES = int(os.environ.get("AUDIENCE_MAX_PHONES", "500"))
        # Audience connect attempts one address may make at once (a hall behind one NAT address scanning the QR).
        self.AUDIENCE_CONNECT_BURST = int(os.environ.get("AUDIENCE_CONNECT_BURST", "600"))
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "16")) * 1024 * 1024
        # Uploads are read in a worker process with these limits (web/upload_worker.py).
        self.UPLOAD_WORKER = env_flag("UPLOAD_WORKER", True)
        self.UPLOAD_WORKER_SECONDS = float(os.environ.get("UPLOAD_WORKER_SECONDS", "30"))
        self.UPLOAD_WORKER_MEMORY_MB = int(os.environ.get("UPLOAD_WORKER_MEMORY_MB", "512"))
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "12")))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE")
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.WTF_CSRF_TIME_LIMIT = None  # the session's own lifetime bounds the token
        self.SQLALCHEMY_ENGINE_OPTIONS = pool_options(self.SQLALCHEMY_DATABASE_URI)


class TestConfig(Config):
    """Settings for tests: a database of the test's own and no waiting on anything."""

    def __init__(self, database_url: str = "sqlite://") -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key"
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.SQLALCHEMY_ENGINE_OPTIONS = pool_options(database_url)
        self.DATABASE_AUTO_UPGRADE = True  # a test's database is its own
        self.SOCKETIO_ASYNC_MODE = "threading"
        self.WTF_CSRF_ENABLED = False
        self.LIVE_CLOCK = False  # tests drive time-outs themselves
        self.UPLOAD_WORKER = False  # parsed in the test's process; tests of the worker switch it on
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing: test passwords guard nothing
