"""Sending a workflow's owed mails: queue in the outbox (once per key), then deliver with retries."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.notify import NotifyActivities
    from workflows.shared import DB_ACTIVITY_TIMEOUT, MAIL_SEND_TIMEOUT, RETRY_FOREVER, MailRequest, Notice


async def send_notice(case_id: str, notice: Notice) -> None:
    """Queue ``notice`` of ``case_id`` and deliver it; an SMTP outage only delays it."""
    queued = await workflow.execute_activity_method(
        NotifyActivities.queue_mail,
        MailRequest(
            case_id=case_id,
            notice=notice.notice,
            phase=notice.phase,
            to_applicant=notice.to_role is None,
            to_role=notice.to_role,
            context=notice.context,
            to_staff=notice.to_staff,
        ),
        start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
        retry_policy=RETRY_FOREVER,
    )
    await workflow.execute_activity_method(
        NotifyActivities.send_mail, queued, start_to_close_timeout=MAIL_SEND_TIMEOUT, retry_policy=RETRY_FOREVER
    )
