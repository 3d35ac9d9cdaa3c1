"""The link that verifies an applicant's email: made where the mail is written, read where it is opened."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.security import sign_token
from core.settings import Settings

VERIFY_PURPOSE = "applicant-verify-email"
VERIFY_VALID_FOR = timedelta(hours=48)
VERIFY_NOTICE = "applicant_verify"


def verification_link(*, settings: Settings, applicant_id: int, issued_at: datetime) -> str:
    """The link that verifies the applicant's email, valid VERIFY_VALID_FOR from ``issued_at``."""
    token = sign_token(settings.secret_key.get_secret_value(), VERIFY_PURPOSE, str(applicant_id), issued_at)
    return f"{settings.public_base_url}/verify-email?token={token}"
