"""A minimal workflow around the SLA clock, so tests can start, pause, resume and stop it directly."""

from __future__ import annotations

import asyncio

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from core.enums import Role
    from workflows.shared import Actor
    from workflows.sla import SlaClock, SlaState


@workflow.defn
class ClockProbeWorkflow:
    """Holds one SlaClock for a stored case; updates drive it, a query reads it."""

    @workflow.init
    def __init__(self, case_id: str) -> None:
        self.sla = SlaState()
        self.clock = SlaClock(
            case_id=case_id, office_code="6202", service="sale", state=self.sla, waits_on=lambda: Role.OFFICER
        )
        self.actor = Actor(name="officer.6202@demo.pst-flow.id", role=Role.OFFICER, office_code="6202")

    @workflow.run
    async def run(self, case_id: str) -> None:
        await asyncio.create_task(self.clock.watch())
        await workflow.wait_condition(workflow.all_handlers_finished)

    @workflow.update
    async def start(self) -> None:
        await self.clock.start(self.actor)

    @workflow.update
    async def pause(self) -> None:
        await self.clock.pause(self.actor, note="menunggu pemohon")

    @workflow.update
    async def resume(self) -> None:
        await self.clock.resume(self.actor)

    @workflow.update
    async def stop(self) -> None:
        await self.clock.stop(self.actor)

    @workflow.signal
    def calendar_changed(self) -> None:
        self.clock.calendar_changed()

    @workflow.query
    def clock_state(self) -> SlaState:
        return self.sla
