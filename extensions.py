"""Flask extensions, created unbound and bound to the app in :func:`factory.create_app`."""
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every model of the platform."""


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
# Batch mode rewrites a SQLite table to change it (SQLite's ALTER TABLE cannot drop or alter most things).
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
socketio = SocketIO()
