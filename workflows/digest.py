"""The daily digest of an office: started by its Temporal Schedule at 07:30 office time on weekdays."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.calendar import CalendarActivities
    from activities.notify import NotifyActivities
    from contracts.sla import DigestInput, DigestRequest, DigestResult, WorkingDayRequest
    from workflows.case import run_activity


@workflow.defn
class DigestWorkflow:
    """Mails each supervisor of an office one list of its breached and near-breach cases, on working days."""

    @workflow.run
    async def run(self, digest: DigestInput) -> DigestResult:
        """Skip a day the office is closed; otherwise write one mail per supervisor into the outbox."""
        as_of = digest.as_of or workflow.now()
        working = await run_activity(
            CalendarActivities.is_working_day, WorkingDayRequest(office_code=digest.office_code, at=as_of)
        )
        if not working:
            return DigestResult(office_code=digest.office_code, sent=0, skipped_reason="bukan hari kerja")
        queued = await run_activity(
            NotifyActivities.queue_digest, DigestRequest(office_code=digest.office_code, as_of=as_of)
        )
        reason = "" if queued else "tidak ada kasus terlambat atau hampir terlambat"
        return DigestResult(office_code=digest.office_code, sent=len(queued), skipped_reason=reason)
