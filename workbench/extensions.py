"""Extensions created unbound; create_app binds them."""

from __future__ import annotations

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf import CSRFProtect

from workbench.models.base import Base


class WorkbenchSession(FlaskSession):
    """The session class our tenancy and audit hooks are attached to."""


# Loaded objects stay as saved after a commit: versions guard against staleness, and the
# answer drawn from them must not read (or, on SQLite, wait for the write lock) again.
db = SQLAlchemy(
    model_class=Base,
    session_options={"class_": WorkbenchSession, "expire_on_commit": False},
)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
