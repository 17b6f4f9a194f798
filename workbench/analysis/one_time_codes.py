"""Two-factor codes: time-based one-time codes (RFC 6238) and single-use recovery codes.

Pure: no Flask, no database. The service stores what these functions return and passes
back what it stored (the secret, the last time step used).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp

# Authenticator apps show six digits that change every thirty seconds.
DIGITS = 6
PERIOD_SECONDS = 30
# One step either side of now is accepted: a phone clock a little off, or a code typed
# just as it changed, still signs in.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Twelve characters of base32 (60 bits), shown as three groups of four.
RECOVERY_CODE_LENGTH = 12
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_NOT_CODE = re.compile(r"[\s-]+")


def new_secret() -> str:
    """Return a new random base32 secret (160 bits) for an authenticator app."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """Return the otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def time_step(moment: datetime) -> int:
    """Return the number of the thirty-second step a moment falls in."""
    return int(moment.timestamp()) // PERIOD_SECONDS


def code_at(secret: str, step: int) -> str:
    """Return the code an authenticator app shows during a time step."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD_SECONDS).at(step * PERIOD_SECONDS)


def normalise_code(text: str) -> str:
    """Return what was typed without spaces and hyphens (apps show "123 456")."""
    return _NOT_CODE.sub("", text or "").lower()


def is_totp_shaped(text: str) -> bool:
    """Return whether the typed text has the shape of an authenticator code (six digits)."""
    code = normalise_code(text)
    # ASCII only: str.isdigit() also accepts other scripts' digits, which no app shows.
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def matching_step(secret: str, text: str, moment: datetime, after_step: int | None) -> int | None:
    """Return the time step whose code was typed, or None.

    Only steps later than `after_step` count, so a code already used (or an older one
    seen over someone's shoulder) cannot sign in again within its window.
    """
    if not is_totp_shaped(text):
        return None
    code = normalise_code(text)
    now = time_step(moment)
    matched = None
    # Every candidate is compared, in constant time, whichever matches.
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(secret, step), code) and (
            after_step is None or step > after_step
        ):
            matched = step
    return matched


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Return new random recovery codes, formatted for reading aloud (xxxx-xxxx-xxxx)."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4)))
    return codes


def is_recovery_shaped(text: str) -> bool:
    """Return whether the typed text has the shape of a recovery code."""
    code = normalise_code(text)
    return len(code) == RECOVERY_CODE_LENGTH and all(c in _RECOVERY_ALPHABET for c in code)


def recovery_code_digest(text: str, key: bytes) -> str:
    """Return the keyed hash a recovery code is stored as (hex).

    The codes are random, so a fast hash suffices against guessing; the key means a copy
    of the database alone does not even allow trying.
    """
    return hmac.new(key, normalise_code(text).encode(), hashlib.sha256).hexdigest()
