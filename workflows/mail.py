"""Mail outside a case (e.g. an applicant's email verification) through a workflow: written to the outbox once;
the relay sends it.

Since 2026-11-28 the API writes such mail into the outbox itself, in the transaction of what it tells of
(core/outbox.py), and starts no DirectMailWorkflow; the workflow stays registered for runs started before
and for the replay of their history. Remove it once no such run is open."""

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
    """One mail outside a case (started by the API before 2026-11-28); an SMTP outage delays it, never loses or
    doubles it."""

    @workflow.run
    async def run(self, mail: DirectMail) -> QueuedMail:
        """Write the mail into the outbox (once per key); the outbox relay delivers it."""
        return await run_activity(NotifyActivities.queue_direct_mail, mail)
