"""Mail outside a case: start the DirectMailWorkflow that writes it to the outbox and sends it."""

from __future__ import annotations

import logging

from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from core.settings import Settings
from workflows.mail import DirectMail, DirectMailWorkflow, direct_mail_workflow_id

log = logging.getLogger(__name__)


async def send_direct_mail(*, temporal: Client, settings: Settings, mail: DirectMail) -> None:
    """Start the workflow sending ``mail`` under id ``mail-<key>``; the same key again is a no-op."""
    try:
        await temporal.start_workflow(
            DirectMailWorkflow.run,
            mail,
            id=direct_mail_workflow_id(mail.key),
            task_queue=settings.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            static_summary=f"Surat di luar kasus: {mail.notice}",
        )
    except WorkflowAlreadyStartedError:
        log.info("mail %s already started", mail.key)
