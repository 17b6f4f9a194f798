"""Signed references: one helper signs invite and share-link tokens, each for its purpose."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeTimedSerializer

from workbench.services import signed
from workbench.services.errors import NotFoundError, ServiceError
from workbench.services.signed import Reference

SECRET = "test-secret"
INVALID = ServiceError("not valid")
EXPIRED = ServiceError("expired")


def test_a_token_names_its_workspace_and_nonce() -> None:
    token = signed.sign(SECRET, signed.INVITE, Reference(7, "abc123"))
    assert signed.read(SECRET, signed.INVITE, token, 1, INVALID, EXPIRED) == Reference(7, "abc123")


def test_a_token_for_one_purpose_or_key_never_opens_another() -> None:
    token = signed.sign(SECRET, signed.INVITE, Reference(7, "abc123"))
    refused = NotFoundError("no storyboard")
    with pytest.raises(NotFoundError) as caught:
        signed.read(SECRET, signed.STORYBOARD_SHARE, token, 1, refused)
    assert caught.value is refused
    with pytest.raises(ServiceError) as other_key:
        signed.read("another-secret", signed.INVITE, token, 1, INVALID, EXPIRED)
    assert other_key.value is INVALID


def test_an_old_token_is_expired_when_told_apart_and_invalid_otherwise() -> None:
    token = signed.sign(SECRET, signed.INVITE, Reference(7, "abc123"))
    # A negative max age: every token has run out.
    with pytest.raises(ServiceError) as told_apart:
        signed.read(SECRET, signed.INVITE, token, -1, INVALID, EXPIRED)
    assert told_apart.value is EXPIRED
    with pytest.raises(ServiceError) as not_told_apart:
        signed.read(SECRET, signed.INVITE, token, -1, INVALID)
    assert not_told_apart.value is INVALID


@pytest.mark.parametrize("payload", [["w", 1], {"w": "7", "n": "x"}, {"n": "x"}, "text"])
def test_a_well_signed_but_malformed_payload_is_invalid(payload: object) -> None:
    token = URLSafeTimedSerializer(SECRET, salt=signed.INVITE).dumps(payload)
    with pytest.raises(ServiceError) as caught:
        signed.read(SECRET, signed.INVITE, token, 1, INVALID, EXPIRED)
    assert caught.value is INVALID
