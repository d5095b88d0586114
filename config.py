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
        self.SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
        self.SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
        # Seconds between the transport's pings, whose round trips check the phones' clock probes.
        self.SOCKETIO_PING_INTERVAL = float(os.environ.get("SOCKETIO_PING_INTERVAL", "10"))
        # HOST=0.0.0.0 makes the server reachable from the phones on the venue's network.
        self.HOST = os.environ.get("HOST", "127.0.0.1")
        self.PORT = int(os.environ.get("PORT", "5000"))
        # The address phones use in join links and QR codes; detected when not given.
        self.PUBLIC_URL = os.environ.get("PUBLIC_URL") or None
        # Number of reverse proxies in front of the server whose X-Forwarded-* headers are trusted.
        self.TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
        # Live connect attempts one address may make at once (then a fifth of it a second): see live/limits.py.
        self.CONNECT_BURST_PER_ADDRESS = int(os.environ.get("CONNECT_BURST_PER_ADDRESS", "100"))
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "16")) * 1024 * 1024
        # Uploads are read in a worker process with these limits (upload_worker.py).
        self.UPLOAD_WORKER = env_flag("UPLOAD_WORKER", True)
        self.UPLOAD_WORKER_SECONDS = float(os.environ.get("UPLOAD_WORKER_SECONDS", "30"))
        self.UPLOAD_WORKER_MEMORY_MB = int(os.environ.get("UPLOAD_WORKER_MEMORY_MB", "512"))
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "12")))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE")
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.WTF_CSRF_TIME_LIMIT = None  # the session's own lifetime bounds the token
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {}


class TestConfig(Config):
    """Settings for tests: a database of the test's own and no waiting on anything."""

    def __init__(self, database_url: str = "sqlite://") -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key"
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.SOCKETIO_ASYNC_MODE = "threading"
        self.WTF_CSRF_ENABLED = False
        self.LIVE_CLOCK = False  # tests drive time-outs themselves
        self.UPLOAD_WORKER = False  # parsed in the test's process; tests of the worker switch it on
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing: test passwords guard nothing
