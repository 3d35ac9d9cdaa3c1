"""Mail outside a case (e.g. an applicant's email verification): written to the outbox once; the relay sends it."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.notify import NotifyActivities
    from contracts.mail import DirectMail, QueuedMail
    from workflows.case import run_activity

__all__ = ["DirectMail", "DirectMailWorkflow", "direct_mail_workflow_id"]


def direct_mail_workflow_id(key: str) -> str:
    """The business id of the workflow that writes the mail ``key``."""
    return f"mail-{key}"


@workflow.defn
class DirectMailWorkflow:
    """Started by the API service for one mail outside a case; an SMTP outage delays it, never loses or doubles it."""

    @workflow.run
    async def run(self, mail: DirectMail) -> QueuedMail:
        """Write the mail into the outbox (once per key); the outbox relay delivers it."""
        return await run_activity(NotifyActivities.queue_direct_mail, mail)
