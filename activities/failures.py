"""What an activity's failure tells Temporal: a database error by its kind only.

A failure is written into the workflow's history (a retried activity's last one too, with its stack trace and its
cause), and a database error's text quotes the statement's parameters: an outbox row's address and body (with its
verification or download link), a download link's token, a person's name. So such an error reaches Temporal as
a retryable ``ApplicationError`` naming only its kind, without its cause; the worker's log keeps the whole error.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import StatementError
from temporalio.exceptions import ApplicationError

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")
DATABASE_ERROR = "DatabaseError"


def database_errors_by_kind(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Wrap an activity so that a database error it raises reaches Temporal without its statement's parameters
    (put under ``@activity.defn``)."""

    @functools.wraps(method)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(*args, **kwargs)
        except StatementError as error:
            kind = type(error.orig).__name__ if error.orig is not None else type(error).__name__
            log.warning("database error in %s; retried", method.__name__, exc_info=True)
            raise ApplicationError(f"Kesalahan basis data ({kind}); dicoba lagi.", type=DATABASE_ERROR) from None

    return run
