"""Running the platform as a service: health and readiness probes, and logs a machine can read."""
from flask import Flask

from operations import logs, probes


def register(app: Flask) -> None:
    """Add the probes to ``app`` and send its log records, one line each, to standard error."""
    logs.configure(app)
    app.register_blueprint(probes.bp)
