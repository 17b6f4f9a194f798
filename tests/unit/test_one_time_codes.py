"""Two-factor codes: the RFC 6238 code, the accepted window, replays and recovery codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from workbench.analysis import one_time_codes as codes

# RFC 6238, appendix B: the SHA-1 key "12345678901234567890" in base32.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
RFC_MOMENT = datetime.fromtimestamp(59, UTC)


def test_code_matches_the_rfc_test_vector() -> None:
    # The RFC lists 94287082 for eight digits; six digits are its last six.
    assert codes.code_at(RFC_SECRET, codes.time_step(RFC_MOMENT)) == "287082"
    assert codes.matching_step(RFC_SECRET, "287082", RFC_MOMENT, None) == 1
    assert codes.matching_step(RFC_SECRET, "287 082", RFC_MOMENT, None) == 1


def test_one_step_either_side_is_accepted_and_no_more() -> None:
    secret = codes.new_secret()
    now = datetime(2026, 12, 4, 12, 0, 15, tzinfo=UTC)
    step = codes.time_step(now)
    for offset in (-1, 0, 1):
        code = codes.code_at(secret, step + offset)
        assert codes.matching_step(secret, code, now, None) == step + offset
    for offset in (-3, -2, 2, 3):
        code = codes.code_at(secret, step + offset)
        if code not in {codes.code_at(secret, step + d) for d in (-1, 0, 1)}:
            assert codes.matching_step(secret, code, now, None) is None


def test_a_used_step_and_older_ones_are_refused() -> None:
    secret = codes.new_secret()
    now = datetime(2026, 12, 4, 12, 0, 15, tzinfo=UTC)
    step = codes.time_step(now)
    current = codes.code_at(secret, step)
    assert codes.matching_step(secret, current, now, step - 1) == step
    assert codes.matching_step(secret, current, now, step) is None
    older = codes.code_at(secret, step - 1)
    if older != current:
        assert codes.matching_step(secret, older, now, step) is None
    later = codes.code_at(secret, step + 1)
    assert codes.matching_step(secret, later, now + timedelta(seconds=1), step) == step + 1


def test_anything_but_six_digits_is_not_a_code() -> None:
    secret = codes.new_secret()
    now = datetime(2026, 12, 4, tzinfo=UTC)
    for text in ("", "12345", "1234567", "abcdef", "12345a", "١٢٣٤٥٦"):
        assert codes.matching_step(secret, text, now, None) is None
    assert not codes.is_totp_shaped("١٢٣٤٥٦")  # Arabic-Indic digits are not ASCII digits


def test_new_secrets_are_random_base32() -> None:
    secrets = {codes.new_secret() for _ in range(20)}
    assert len(secrets) == 20
    assert all(len(s) == 32 and set(s) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for s in secrets)
    uri = codes.provisioning_uri(next(iter(secrets)), "ana@example.org", "Workbench")
    assert uri.startswith("otpauth://totp/Workbench:ana%40example.org?secret=")
    assert "issuer=Workbench" in uri


def test_recovery_codes_are_ten_distinct_readable_codes() -> None:
    fresh = codes.new_recovery_codes()
    assert len(fresh) == 10 == len(set(fresh))
    for code in fresh:
        assert len(code) == 14 and code[4] == code[9] == "-"
        assert codes.is_recovery_shaped(code)
        assert codes.is_recovery_shaped(code.upper().replace("-", " "))
        assert not codes.is_totp_shaped(code)
    assert not codes.is_recovery_shaped("abcd-efgh-ijk")
    assert not codes.is_recovery_shaped("abcd-efgh-ijk1")  # 1 is not in base32


def test_recovery_digest_ignores_layout_and_depends_on_the_key() -> None:
    key, other = b"k" * 32, b"o" * 32
    code = "abcd-efgh-ijkl"
    digest = codes.recovery_code_digest(code, key)
    assert digest == codes.recovery_code_digest("ABCD EFGH IJKL", key)
    assert digest != codes.recovery_code_digest(code, other)
    assert digest != codes.recovery_code_digest("abcd-efgh-ijkm", key)
    assert code.replace("-", "") not in digest and len(digest) == 64
