"""The signed session cookie, sent again only when it changed or is getting old.

Flask re-signs a permanent session's cookie on every response, so that the session lasts
`PERMANENT_SESSION_LIFETIME` after the last request rather than after the sign-in. That
costs a serialisation, a compression and an HMAC per response, and a header the browser
must store each time. Here the cookie is sent again when the session changed, and
otherwise only once its signature is older than `REFRESH_AFTER`: the lifetime still counts
from the last activity, give or take those few minutes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature

# Against a lifetime of hours, a few minutes of slack in the idle expiry is not noticed.
REFRESH_AFTER = timedelta(minutes=5)


class SignedSession(SecureCookieSession):
    """A cookie session that remembers when its cookie was signed (None: never)."""

    signed_at: datetime | None = None


class RefreshingSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, re-signed when changed or older than REFRESH_AFTER."""

    session_class = SignedSession

    def open_session(self, app: Flask, request: Request) -> SignedSession | None:
        """Load the session from its cookie and note when the cookie was signed."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return SignedSession()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return SignedSession()
        session = SignedSession(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """Send the cookie when the session changed, or when a permanent one needs refreshing."""
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(UTC) - signed_at >= REFRESH_AFTER
