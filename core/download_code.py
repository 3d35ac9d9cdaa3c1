"""The one-time download code of a walk-in guest: printed on the receipt, stored only as a hash, compared in
constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread on paper
LENGTH = 8


def new_code() -> str:
    """A fresh code of ``LENGTH`` characters, printed as ``ABCD-EFGH``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalised(code: str) -> str:
    """What a person typed, without spaces or dashes and in capitals."""
    return "".join(char for char in code.upper() if char.isalnum())


def code_hash(case_id: str, code: str) -> str:
    """The stored form of a case's code (bound to the case, so one hash cannot serve another case)."""
    return hashlib.sha256(f"{case_id}:{normalised(code)}".encode()).hexdigest()


def code_matches(stored_hash: str, case_id: str, given: str) -> bool:
    """Whether ``given`` is the case's code, compared in constant time."""
    return hmac.compare_digest(stored_hash.encode(), code_hash(case_id, given).encode())
