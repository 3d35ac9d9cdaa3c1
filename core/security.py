"""Password hashing (argon2), the demo passwords of development accounts, and signed time-limited tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id profile (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane, about 40 ms of CPU. A
# hash made with other parameters (argon2-cffi's defaults before 2026-11, 64 MiB × 3 × 4 lanes) still verifies
# and is remade at the next sign-in (``needs_rehash``).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when ``password_hash`` was made with other parameters than today's: remake it at sign-in."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_stamp(password_hash: str) -> str:
    """A short fingerprint of a stored password hash: a token carrying it dies when the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def demo_password(secret_key: str, email: str) -> str:
    """The password of a demo account: stable for one secret key, unguessable without it."""
    digest = hmac.new(secret_key.encode(), email.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:12]


def download_token(secret: str, case_id: str, document_id: int, sequence: int) -> str:
    """The token of a case's ``sequence``-th download link of a document: made where it is needed, never sent
    through a workflow."""
    message = f"{case_id}:{document_id}:{sequence}".encode()
    return base64.urlsafe_b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode().rstrip("=")


# ---------------------------------------------------------------- signed, time-limited tokens (no table)

_TOKEN_VERSION = "v1"
_CLOCK_SKEW = timedelta(minutes=5)
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class TokenExpired(ValueError):
    """A well-signed token older than its ``max_age``."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not _BASE64URL.fullmatch(text):
        raise ValueError("not base64url")
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def _mac(secret: str, purpose: str, payload: str) -> bytes:
    message = f"{_TOKEN_VERSION}\x00{purpose}\x00{payload}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def sign_token(secret: str, purpose: str, subject: str, issued_at: datetime) -> str:
    """A URL-safe token binding ``subject`` to ``purpose`` at ``issued_at`` (HMAC-SHA256 with ``secret``)."""
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware")
    payload = _b64encode(f"{int(issued_at.timestamp())}:{subject}".encode())
    return f"{payload}.{_b64encode(_mac(secret, purpose, payload))}"


def read_token(secret: str, purpose: str, token: str, max_age: timedelta, *, now: datetime | None = None) -> str:
    """The subject of a token signed for ``purpose`` not longer than ``max_age`` ago, or ValueError in plain words
    (TokenExpired when only its age is wrong)."""
    invalid = ValueError("Tautan tidak valid: token rusak, terpotong atau diubah. Salin tautan lengkap dari email.")
    payload, dot, signature = token.strip().partition(".")
    if not dot or not payload or not signature:
        raise invalid
    try:
        given = _b64decode(signature)
    except ValueError as error:
        raise invalid from error
    if not hmac.compare_digest(given, _mac(secret, purpose, payload)):
        raise invalid
    try:
        issued_text, colon, subject = _b64decode(payload).decode().partition(":")
        issued = datetime.fromtimestamp(int(issued_text), UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise invalid from error
    if not colon:
        raise invalid
    moment = now or datetime.now(UTC)
    if issued > moment + _CLOCK_SKEW:
        raise invalid
    if moment - issued > max_age:
        hours = int(max_age.total_seconds() // 3600)
        limit = f"{hours} jam" if hours else f"{int(max_age.total_seconds() // 60)} menit"
        raise TokenExpired(f"Tautan sudah kedaluwarsa (berlaku {limit}). Minta tautan baru.")
    return subject
