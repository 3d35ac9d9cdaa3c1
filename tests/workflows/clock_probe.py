"""A minimal workflow around the case core's SLA clock, so tests can start, pause, resume and stop it directly."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.case import Actor
    from core.enums import Role
    from core.enums import SlaState as ClockState
    from workflows.case import CaseCore, CaseState
    from workflows.sla import ClockMove, SlaState


@workflow.defn
class ClockProbeWorkflow:
    """Holds one case core for a stored case; updates drive its clock, a query reads it."""

    @workflow.init
    def __init__(self, case_id: str) -> None:
        self.state = CaseState(step="completeness", assignee=Role.OFFICER)
        self.core = CaseCore(case_id=case_id, office_code="6202", service="sale", state=self.state)
        self.actor = Actor(name="staff-6202-officer", role=Role.OFFICER, office_code="6202")

    @workflow.run
    async def run(self, case_id: str) -> None:
        self.core.start_clock_watch()
        await workflow.wait_condition(lambda: self.state.sla.state == ClockState.STOPPED)
        await self.core.finish()

    async def _move(self, move: ClockMove, note: str = "") -> None:
        async with self.core.lock:
            await self.core.clock_only(move, self.actor, note=note)

    @workflow.update
    async def start(self) -> None:
        await self._move(ClockMove.START)

    @workflow.update
    async def pause(self) -> None:
        await self._move(ClockMove.PAUSE, "menunggu pemohon")

    @workflow.update
    async def resume(self) -> None:
        await self._move(ClockMove.RESUME)

    @workflow.update
    async def stop(self) -> None:
        await self._move(ClockMove.STOP)

    @workflow.signal
    def calendar_changed(self) -> None:
        self.core.clock.calendar_changed()

    @workflow.query
    def clock_state(self) -> SlaState:
        return self.state.sla
