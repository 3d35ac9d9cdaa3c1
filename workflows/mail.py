"""Mail outside a case (e.g. an applicant's email verification): written to the outbox, then sent with retries."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.notify import NotifyActivities
    from workflows.mail_messages import DirectMail
    from workflows.shared import DB_ACTIVITY_TIMEOUT, MAIL_SEND_TIMEOUT, RETRY_FOREVER, QueuedMail

__all__ = ["DirectMail", "DirectMailWorkflow", "direct_mail_workflow_id"]


def direct_mail_workflow_id(key: str) -> str:
    """The business id of the workflow that sends the mail ``key``."""
    return f"mail-{key}"


@workflow.defn
class DirectMailWorkflow:
    """Started by the API service for one mail outside a case; an SMTP outage delays it, never loses or doubles it."""

    @workflow.run
    async def run(self, mail: DirectMail) -> QueuedMail:
        """Queue the mail in the outbox (once per key), then deliver it."""
        queued = await workflow.execute_activity_method(
            NotifyActivities.queue_direct_mail,
            mail,
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        await workflow.execute_activity_method(
            NotifyActivities.send_mail, queued, start_to_close_timeout=MAIL_SEND_TIMEOUT, retry_policy=RETRY_FOREVER
        )
        return queued
