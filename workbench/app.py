"""create_app builds the Flask application: config, extensions, blueprints, CLI, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from workbench import config as settings
from workbench.cli import register_commands
from workbench.database import configure_sqlite_engine, sqlite_engine_options
from workbench.extensions import WorkbenchSession, csrf, db, login_manager, migrate
from workbench.services import accounts, audit, feed_holds, mail, proxy_check, tenancy
from workbench.web import register_web
from workbench.web.main import PROBE_ENDPOINTS

__all__ = ["create_app"]


def _settings(overrides: dict[str, Any] | None) -> dict[str, Any]:
    # Defaults, then the environment, then the caller's mapping.
    return {**settings.default_settings(), **settings.environment_settings(), **(overrides or {})}


def _load_config(app: Flask, values: dict[str, Any]) -> None:
    app.config.update(values)
    instance = Path(app.instance_path)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = settings.sqlite_url_for(instance)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.instance_secret_key(instance)
    url = app.config["DATABASE_URL"]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**sqlite_engine_options(url), **options}
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides defaults and the environment."""
    values = _settings(config)
    # Named after the package, as before the factory had a module of its own: the app's
    # name, logger, static folder and installed instance folder stay the same.
    app = Flask(
        "workbench",
        template_folder=str(settings.templates_dir(values)),
        instance_relative_config=True,
    )
    _load_config(app, values)
    # Read once here, so a malformed value stops the start rather than a page that mails.
    app.config["MAIL_RETRY_DELAYS_SECONDS"] = mail.retry_delays_from(
        app.config.get("MAIL_RETRY_DELAYS_SECONDS")
    )
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        # Trust X-Forwarded-For/-Proto/-Host/-Port/-Prefix from exactly this many proxies.
        # Flask types wsgi_app as a method; wrapping it is Flask's documented middleware hook.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )

    db.init_app(app)
    with app.app_context():
        configure_sqlite_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)

    accounts.configure_password_hashing(
        app.config["PASSWORD_HASH_TIME_COST"],
        app.config["PASSWORD_HASH_MEMORY_KIB"],
        app.config["PASSWORD_HASH_PARALLELISM"],
    )
    # First: the holds it adds in a flush are then checked by tenancy and audited.
    feed_holds.install(WorkbenchSession)
    tenancy.install(WorkbenchSession)
    audit.install(WorkbenchSession)

    register_web(app)
    proxy_check.install(app, PROBE_ENDPOINTS)
    register_commands(app)
    return app
