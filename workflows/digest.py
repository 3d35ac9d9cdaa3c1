"""The daily digest of an office: started by its Temporal Schedule at 07:30 office time on weekdays."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.calendar import CalendarActivities
    from activities.notify import NotifyActivities
    from workflows.shared import (
        DB_ACTIVITY_TIMEOUT,
        MAIL_SEND_TIMEOUT,
        RETRY_FOREVER,
        DigestInput,
        DigestRequest,
        DigestResult,
        WorkingDayRequest,
    )


@workflow.defn
class DigestWorkflow:
    """Mails each supervisor of an office one list of its breached and near-breach cases, on working days."""

    @workflow.run
    async def run(self, digest: DigestInput) -> DigestResult:
        """Skip a day the office is closed; otherwise queue and send one mail per supervisor."""
        as_of = digest.as_of or workflow.now()
        working = await workflow.execute_activity_method(
            CalendarActivities.is_working_day,
            WorkingDayRequest(office_code=digest.office_code, at=as_of),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        if not working:
            return DigestResult(office_code=digest.office_code, sent=0, skipped_reason="bukan hari kerja")
        queued = await workflow.execute_activity_method(
            NotifyActivities.queue_digest,
            DigestRequest(office_code=digest.office_code, as_of=as_of),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        for mail in queued:
            await workflow.execute_activity_method(
                NotifyActivities.send_mail, mail, start_to_close_timeout=MAIL_SEND_TIMEOUT, retry_policy=RETRY_FOREVER
            )
        reason = "" if queued else "tidak ada kasus terlambat atau hampir terlambat"
        return DigestResult(office_code=digest.office_code, sent=len(queued), skipped_reason=reason)
