"""Signed, time-limited tokens: the subject comes back only for the right secret, purpose and age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.security import read_token, sign_token

SECRET = "token-test-secret"
PURPOSE = "applicant-verify-email"
DAY = timedelta(days=1)
ISSUED = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


def test_a_fresh_token_gives_back_its_subject() -> None:
    token = sign_token(SECRET, PURPOSE, "42", ISSUED)
    assert read_token(SECRET, PURPOSE, token, DAY, now=ISSUED + timedelta(hours=23)) == "42"
    assert read_token(SECRET, PURPOSE, f"  {token}\n", DAY, now=ISSUED) == "42"


def test_a_subject_may_hold_separators() -> None:
    token = sign_token(SECRET, PURPOSE, "a:b.c/é", ISSUED)
    assert read_token(SECRET, PURPOSE, token, DAY, now=ISSUED) == "a:b.c/é"


def test_the_token_is_url_safe() -> None:
    token = sign_token(SECRET, PURPOSE, "subject with spaces?&=", ISSUED)
    assert all(char.isalnum() or char in "-_." for char in token)


def test_without_the_real_clock_a_new_token_reads_now() -> None:
    token = sign_token(SECRET, PURPOSE, "7", datetime.now(UTC))
    assert read_token(SECRET, PURPOSE, token, DAY) == "7"


def test_an_expired_token_is_refused_in_plain_words() -> None:
    token = sign_token(SECRET, PURPOSE, "42", ISSUED)
    with pytest.raises(ValueError, match="kedaluwarsa \\(berlaku 24 jam\\)"):
        read_token(SECRET, PURPOSE, token, DAY, now=ISSUED + DAY + timedelta(seconds=1))


def test_a_token_from_the_future_is_refused() -> None:
    token = sign_token(SECRET, PURPOSE, "42", ISSUED + timedelta(hours=1))
    with pytest.raises(ValueError, match="tidak valid"):
        read_token(SECRET, PURPOSE, token, DAY, now=ISSUED)


@pytest.mark.parametrize(
    ("secret", "purpose"), [("another-secret", PURPOSE), (SECRET, "download-link")], ids=["secret", "purpose"]
)
def test_another_secret_or_purpose_is_refused(secret: str, purpose: str) -> None:
    token = sign_token(SECRET, PURPOSE, "42", ISSUED)
    with pytest.raises(ValueError, match="tidak valid"):
        read_token(secret, purpose, token, DAY, now=ISSUED)


def _flip(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


def test_a_tampered_token_is_refused() -> None:
    token = sign_token(SECRET, PURPOSE, "42", ISSUED)
    payload, signature = token.split(".")
    forged_payload = sign_token(SECRET, PURPOSE, "43", ISSUED).split(".")[0]
    for tampered in (
        f"{forged_payload}.{signature}",
        f"{payload}.{_flip(signature, 3)}",
        _flip(token, 2),
        f"{payload}.{signature}!",
        f"{payload}.{signature.replace('-', '+').replace('_', '/')}+",
        f"{payload}.{signature[:-1]}",
    ):
        with pytest.raises(ValueError, match="tidak valid"):
            read_token(SECRET, PURPOSE, tampered, DAY, now=ISSUED)


@pytest.mark.parametrize("garbage", ["", ".", "abc", "abc.", ".abc", "!!!.???", "a.b.c", "%%%%.AAAA"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(ValueError, match="tidak valid"):
        read_token(SECRET, PURPOSE, garbage, DAY, now=ISSUED)


def test_a_naive_issue_time_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sign_token(SECRET, PURPOSE, "42", datetime(2026, 3, 16, 9, 0))
