"""Every wait on the applicant has an end: a durable timer for a reminder before it, and one for the end itself.

The service workflow says what counts as the applicant's answer, when BPS's staff hold the turn instead (a transfer
proof or an e-meterai SPPD being checked: the applicant's time starts again if it is refused), and what the
reminder and the closure write (each one step activity: its audit entry, read model and mail). Both run under the
case's lock and check the answer again, so an answer that arrives with the timer wins.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from temporalio import workflow


async def wait_on_applicant(
    *,
    answered: Callable[[], bool],
    limit: timedelta,
    reminder: timedelta,
    remind: Callable[[datetime], Awaitable[bool]],
    close: Callable[[datetime], Awaitable[bool]],
    staff_turn: Callable[[], bool] = lambda: False,
) -> None:
    """Wait until ``answered()``; ``reminder`` before the end (``limit`` after the applicant's turn began) call
    ``remind(end)``, at the end ``close(end)``. Each returns False if the answer came meanwhile (nothing written)."""
    began, reminded = workflow.now(), False
    while not answered():
        if staff_turn():  # the staff check what the applicant sent; a refusal gives the applicant the full time again
            await workflow.wait_condition(lambda: answered() or not staff_turn())
            began, reminded = workflow.now(), False
            continue
        ends_at = began + limit
        remind_at = ends_at - reminder
        now = workflow.now()
        if not reminded and (reminder <= timedelta(0) or remind_at <= began):
            reminded = True  # no reminder, or no room for one before the end
        target = ends_at if reminded else remind_at
        if target > now:
            try:
                await workflow.wait_condition(lambda: answered() or staff_turn(), timeout=target - now)
                continue
            except TimeoutError:
                pass
        if not reminded:
            reminded = True
            await remind(ends_at)
        elif await close(ends_at):
            return
        else:  # the answer came with the timer: it is being recorded
            await workflow.wait_condition(lambda: answered() or staff_turn())
