"""The one rule that slows password guessing, for every sign-in path (the login form and the token endpoint).

A sign-in is answered "wait" instead of having its password checked when, counting failed sign-ins:
- from this address for this email: more than 5 since that pair's last success (within a day);
- for this email from any address: more than 10 since the account's last success (within a day);
- from this address for any email: more than 30 within an hour (one address trying many accounts).
The last two do not hold back an address the owner signed in from before (within 90 days): a stranger guessing
from elsewhere, or trying many accounts from the office's shared address, slows the guessers, never the owner at
their usual desk.
The wait grows with the failures past the free ones (32 s, 64 s, 128 s, ... at most 15 minutes) and is counted
from the last failure; an attempt answered "wait" checks no password and is not counted. Nothing is ever locked.
An attempt is written down (as a failure until its password matches) before it is weighed, so attempts sent in
parallel see each other: at most the free ones get their password checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import LoginAttempt

FIRST_WAIT_SECONDS = 32
LONGEST_WAIT = timedelta(minutes=15)
USUAL_ADDRESS_DAYS = 90


@dataclass(frozen=True)
class _Scope:
    """Failures counted together: by email, by address or both; ``free`` of them before any wait."""

    by_email: bool
    by_address: bool
    free: int
    window: timedelta
    reset_by_success: bool


PAIR = _Scope(by_email=True, by_address=True, free=5, window=timedelta(days=1), reset_by_success=True)
ACCOUNT = _Scope(by_email=True, by_address=False, free=10, window=timedelta(days=1), reset_by_success=True)
ADDRESS = _Scope(by_email=False, by_address=True, free=30, window=timedelta(hours=1), reset_by_success=False)


def normalised_email(email: str) -> str:
    """The key of an account in the throttle (and the sign-in): trimmed, lower case."""
    return email.strip().lower()


def wait_after(failures: int, free: int) -> timedelta:
    """How long to wait after the last of ``failures`` failures, when ``free`` of them cost nothing."""
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=FIRST_WAIT_SECONDS * 2 ** min(failures - free, 16)), LONGEST_WAIT)


def _where(scope: _Scope, email: str, ip: str, attempt_id: int) -> list[Any]:
    conditions: list[Any] = [LoginAttempt.id != attempt_id]
    if scope.by_email:
        conditions.append(LoginAttempt.email == email)
    if scope.by_address:
        conditions.append(LoginAttempt.ip == ip)
    return conditions


async def _wait_in(session: AsyncSession, scope: _Scope, attempt: LoginAttempt, now: datetime) -> timedelta:
    where = _where(scope, attempt.email, attempt.ip, attempt.id)
    start = now - scope.window
    if scope.reset_by_success:
        last_success = await session.scalar(
            select(func.max(LoginAttempt.at)).where(*where, LoginAttempt.success.is_(True), LoginAttempt.at > start)
        )
        start = max(start, last_success) if last_success is not None else start
    failures, last_failure = (
        await session.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(
                *where, LoginAttempt.success.is_(False), LoginAttempt.at > start
            )
        )
    ).one()
    if last_failure is None:
        return timedelta(0)
    return max(last_failure + wait_after(failures, scope.free) - now, timedelta(0))


async def _usual_address(session: AsyncSession, email: str, ip: str, now: datetime) -> bool:
    since = now - timedelta(days=USUAL_ADDRESS_DAYS)
    found = await session.scalar(
        select(LoginAttempt.id)
        .where(LoginAttempt.email == email, LoginAttempt.ip == ip, LoginAttempt.success.is_(True))
        .where(LoginAttempt.at > since)
        .limit(1)
    )
    return found is not None


async def begin_attempt(*, session: AsyncSession, email: str, ip: str, now: datetime) -> LoginAttempt | timedelta:
    """Write down a sign-in of ``email`` (normalised) from ``ip`` (committed, so parallel ones see it) and weigh it
    against every other attempt: the attempt, whose password may now be checked (``settle`` it), or how long to
    wait first (then it is withdrawn: it checked nothing)."""
    attempt = LoginAttempt(email=email, ip=ip, success=False, at=now)
    session.add(attempt)
    await session.commit()
    scopes = [PAIR]
    if not await _usual_address(session, email, ip, now):
        scopes += [ACCOUNT, ADDRESS]
    # A parallel attempt may be written a moment after ``now``: never more than the longest wait.
    wait = min(max([await _wait_in(session, scope, attempt, now) for scope in scopes]), LONGEST_WAIT)
    if wait <= timedelta(0):
        return attempt
    await session.delete(attempt)
    await session.commit()
    return wait


def settle(attempt: LoginAttempt, *, success: bool) -> None:
    """The checked password matched (a success resets the failures it counts with) or not (the caller commits)."""
    attempt.success = success


def try_again_message(wait: timedelta) -> str:
    """The sentence of a 429: what happened and when to try again, in whole seconds or minutes."""
    seconds = max(1, int(wait.total_seconds() + 0.999))
    when = f"{seconds} detik" if seconds < 120 else f"{(seconds + 59) // 60} menit"
    return f"Terlalu banyak percobaan masuk yang gagal untuk email ini atau dari alamat ini. Coba lagi setelah {when}."
