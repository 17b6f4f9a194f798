"""The same-stack reference for bench/load.py: a Flask app written the usual way.

It is what a team would write on the same libraries without the workbench's own machinery:
Flask-Login session sign-in with the user loaded by the ORM on every request, Flask-WTF's
CSRF check and form validation, and per write one ORM insert of a row plus one audit row in
the same transaction, answered with the new row drawn by a Jinja template. Its engine has
the workbench's settings (WAL, busy timeout and BEGIN IMMEDIATE on SQLite; pre-ping on
PostgreSQL). The difference to the workbench's in-place factor add is then the price of
tenancy, versions, positions, the counts and the fragment.

Served by gunicorn as `bench.same_stack_app:create()` with BENCH_DATABASE_URL set; its
tables (`reference_*`) live beside the workbench's and are emptied by `prepare`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, redirect, render_template_string, url_for
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect, FlaskForm
from sqlalchemy import DateTime, ForeignKey, String, Text, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from workbench.database import configure_sqlite_engine, sqlite_engine_options


class Base(DeclarativeBase):
    """The reference's own models, apart from the workbench's metadata."""


# Loaded rows stay as they were after the commit, as in the workbench: the answer is drawn
# from them without reading them again, so the reference pays no re-read the workbench avoids.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


class Person(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """An account that signs in."""

    __tablename__ = "reference_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))


class Note(db.Model):  # type: ignore[name-defined,misc]
    """The row a write adds."""

    __tablename__ = "reference_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    author_id: Mapped[int] = mapped_column(ForeignKey("reference_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(db.Model):  # type: ignore[name-defined,misc]
    """Who added what, written in the same transaction as the row."""

    __tablename__ = "reference_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("reference_user.id"))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int] = mapped_column()
    new_value: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginForm(FlaskForm):
    """Email and password."""

    email = StringField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])


class NoteForm(FlaskForm):
    """One title."""

    title = StringField("Title", validators=[DataRequired(), Length(max=300)])


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="csrf-token" content="{{ csrf_token() }}"></head>
<body><h1>{{ title }}</h1>
<form method="post">{{ form.hidden_tag() }}
{% for field in form if field.name != 'csrf_token' %}
<p>{{ field.label }} {{ field() }}</p>{% endfor %}
<button>Send</button></form>
{% if notes is defined %}<ul id="notes">{% for note in notes %}
<li>{{ note.title }}</li>{% endfor %}</ul>{% endif %}
</body></html>"""

ADDED = """<li id="note-{{ note.id }}">{{ note.title }} <small>by {{ current_user.name }},
{{ note.created_at.strftime('%H:%M') }}</small></li>"""


def _engine_options(url: str) -> dict[str, object]:
    return dict(sqlite_engine_options(url))


def prepare(url: str, people: list[tuple[str, str]], password: str) -> None:
    """Create the reference's tables afresh and the given (email, name) accounts."""
    engine = create_engine(url, **_engine_options(url))  # type: ignore[arg-type]
    configure_sqlite_engine(engine)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    hashed = generate_password_hash(password)
    with Session(engine) as session:
        session.add_all(Person(email=e, name=n, password_hash=hashed) for e, n in people)
        session.commit()
    engine.dispose()


def written(url: str) -> tuple[int, int]:
    """Return how many rows and audit rows the reference holds."""
    engine = create_engine(url, **_engine_options(url))  # type: ignore[arg-type]
    configure_sqlite_engine(engine)
    with Session(engine) as session:
        rows = session.scalar(select(func.count(Note.id))) or 0
        audited = session.scalar(select(func.count(AuditEntry.id))) or 0
    engine.dispose()
    return rows, audited


def create() -> Flask:
    """Build the reference app on BENCH_DATABASE_URL."""
    url = os.environ["BENCH_DATABASE_URL"]
    app = Flask("same_stack")
    app.config.update(
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "same-stack-reference"),
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(url),
    )
    db.init_app(app)
    with app.app_context():
        configure_sqlite_engine(db.engine)
    CSRFProtect(app)
    login_manager = LoginManager(app)
    login_manager.login_view = "login"

    @login_manager.user_loader
    def load_user(identifier: str) -> Person | None:
        return db.session.get(Person, int(identifier))

    @app.get("/healthz")
    def health() -> str:
        return "ok"

    @app.route("/login", methods=["GET", "POST"])
    def login() -> str | Response:
        form = LoginForm()
        if form.validate_on_submit():
            person = db.session.scalar(select(Person).where(Person.email == form.email.data))
            if person is not None and check_password_hash(person.password_hash, form.password.data):
                login_user(person)
                return redirect(url_for("notes"))
        return render_template_string(PAGE, title="Sign in", form=form)

    @app.get("/notes")
    @login_required
    def notes() -> str:
        recent = db.session.scalars(select(Note).order_by(Note.id.desc()).limit(20))
        return render_template_string(PAGE, title="Notes", form=NoteForm(), notes=recent)

    @app.post("/notes")
    @login_required
    def add_note() -> tuple[str, int]:
        form = NoteForm()
        if not form.validate_on_submit():
            return render_template_string(PAGE, title="Notes", form=form), 400
        now = datetime.now(UTC)
        note = Note(title=form.title.data, author_id=current_user.id, created_at=now)
        db.session.add(note)
        db.session.flush()
        db.session.add(
            AuditEntry(
                user_id=current_user.id,
                action="create",
                entity="note",
                entity_id=note.id,
                new_value=note.title,
                at=now,
            )
        )
        db.session.commit()
        return render_template_string(ADDED, note=note), 200

    return app
