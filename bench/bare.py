"""The anchor of ``make bench``: a bare Temporal workflow with the human steps of an online sale.

Each step is an Update (or, for the payment, a signal) that runs one trivial activity and answers; once
every step has arrived the workflow ends. No database, no mail, no validators: what Temporal itself costs
for the same conversation. ``python -m bench.bare --address HOST:PORT --task-queue Q`` runs its worker.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

# The online sale of `pst demo sale` as its workflow hears it: nine Updates (two of them the applicant's
# uploads, attach_document) and the SIMPONI payment signal between the fifth and the sixth.
UPDATES_BEFORE_PAYMENT = ("attach_abstract", "completeness", "abstract_review", "offer", "sample_review")
UPDATES_AFTER_PAYMENT = ("attach_sppd_signed", "sppd_review", "receipt", "delivery")
STEPS = len(UPDATES_BEFORE_PAYMENT) + 1 + len(UPDATES_AFTER_PAYMENT)
STEP_TIMEOUT = timedelta(seconds=30)


@dataclass
class BareStep:
    """One person's step (or the payment notice): its name."""

    name: str


@dataclass
class BareResult:
    """What a step answers: how many steps the workflow has done."""

    done: int


@activity.defn
async def bare_step(step: BareStep) -> BareResult:
    """The trivial side effect of one step."""
    return BareResult(done=0)


@workflow.defn
class BareWorkflow:
    """Waits for ``steps`` steps, each running one activity, then ends."""

    def __init__(self) -> None:
        self.done = 0

    @workflow.run
    async def run(self, steps: int) -> BareResult:
        await workflow.wait_condition(lambda: self.done >= steps and workflow.all_handlers_finished())
        return BareResult(done=self.done)

    async def _step(self, step: BareStep) -> BareResult:
        await workflow.execute_activity(bare_step, step, start_to_close_timeout=STEP_TIMEOUT)
        self.done += 1
        return BareResult(done=self.done)

    @workflow.update
    async def act(self, step: BareStep) -> BareResult:
        """Sent by the bench driver for a person's step: runs one activity and answers."""
        return await self._step(step)

    @workflow.signal
    async def paid(self, step: BareStep) -> None:
        """Sent by the bench driver for the payment notice: runs one activity, answers nothing."""
        await self._step(step)


def build_bare_worker(client: Client, task_queue: str) -> Worker:
    """The worker of the anchor workflow and its activity."""
    return Worker(client, task_queue=task_queue, workflows=[BareWorkflow], activities=[bare_step])


Record = Callable[[str, float], None]


async def bare_lifecycle(client: Client, task_queue: str, record: Record) -> str:
    """One bare lifecycle driven like a sale: start, five Updates, the payment signal, four Updates, the end.
    Each call's seconds go to ``record``; returns the workflow id."""
    workflow_id = f"bare-{uuid.uuid4().hex[:12]}"
    started = time.perf_counter()
    handle = await client.start_workflow(BareWorkflow.run, STEPS, id=workflow_id, task_queue=task_queue)
    record("start workflow", time.perf_counter() - started)
    for index, name in enumerate((*UPDATES_BEFORE_PAYMENT, "payment", *UPDATES_AFTER_PAYMENT)):
        started = time.perf_counter()
        if index == len(UPDATES_BEFORE_PAYMENT):
            await handle.signal(BareWorkflow.paid, BareStep(name))
            record("signal (payment)", time.perf_counter() - started)
        else:
            await handle.execute_update(BareWorkflow.act, BareStep(name))
            record("Update", time.perf_counter() - started)
    started = time.perf_counter()
    await handle.result()
    record("(wait) workflow completes", time.perf_counter() - started)
    return workflow_id


async def park_bare(client: Client, task_queue: str, count: int) -> list[str]:
    """``count`` bare workflows started and waiting for their first Update; their ids."""
    ids = [f"bare-parked-{uuid.uuid4().hex[:12]}" for _ in range(count)]
    await asyncio.gather(*(client.start_workflow(BareWorkflow.run, STEPS, id=i, task_queue=task_queue) for i in ids))
    return ids


async def bare_burst(client: Client, workflow_ids: list[str]) -> list[float]:
    """One Update to every parked bare workflow at the same moment; each answer's seconds."""

    async def act(workflow_id: str) -> float:
        handle = client.get_workflow_handle_for(BareWorkflow.run, workflow_id)
        started = time.perf_counter()
        await handle.execute_update(BareWorkflow.act, BareStep("completeness"))
        return time.perf_counter() - started

    return list(await asyncio.gather(*(act(workflow_id) for workflow_id in workflow_ids)))


async def _serve(address: str, namespace: str, task_queue: str) -> None:
    client = await Client.connect(address, namespace=namespace)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with build_bare_worker(client, task_queue):
        await stop.wait()


def main() -> None:
    """Entry point of ``python -m bench.bare``: run the anchor's worker until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(description="Worker of the bare anchor workflow of make bench")
    parser.add_argument("--address", required=True, help="Temporal frontend host:port")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--task-queue", required=True)
    args = parser.parse_args()
    asyncio.run(_serve(args.address, args.namespace, args.task_queue))


if __name__ == "__main__":
    main()
