"""Password hashing (argon2) and the demo passwords of development accounts."""

from __future__ import annotations

import base64
import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def demo_password(secret_key: str, email: str) -> str:
    """The password of a demo account: stable for one secret key, unguessable without it."""
    digest = hmac.new(secret_key.encode(), email.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:12]
