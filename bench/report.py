"""The numbers of ``make bench``: percentiles, counts from a history, and the plain-text table."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

COUNTED_EVENTS = {
    "Updates accepted": EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    "signals": EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
    "activities scheduled": EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    "workflow tasks completed": EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    "timers started": EventType.EVENT_TYPE_TIMER_STARTED,
    "child workflows started": EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
}


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..100) of ``values``; 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]


def spread(seconds: Sequence[float]) -> dict[str, float]:
    """n, p50, p95 and max, in milliseconds."""
    return {
        "n": len(seconds),
        "p50_ms": round(percentile(seconds, 50) * 1000, 1),
        "p95_ms": round(percentile(seconds, 95) * 1000, 1),
        "max_ms": round(max(seconds, default=0.0) * 1000, 1),
    }


def by_step(timings: Iterable[tuple[str, float]]) -> dict[str, dict[str, float]]:
    """The spread of every step, in the order the steps first happened."""
    grouped: dict[str, list[float]] = {}
    for name, seconds in timings:
        grouped.setdefault(name, []).append(seconds)
    return {name: spread(values) for name, values in grouped.items()}


def count_events(history: WorkflowHistory) -> dict[str, int]:
    """The events of one lifecycle that cost: Updates, signals, activities, workflow tasks, timers, all events."""
    counts = {name: sum(1 for e in history.events if e.event_type == kind) for name, kind in COUNTED_EVENTS.items()}
    counts["events (total)"] = len(history.events)
    return counts


def activity_types(history: WorkflowHistory) -> dict[str, int]:
    """How many activities of each type one lifecycle scheduled, most first."""
    names = Counter(
        event.activity_task_scheduled_event_attributes.activity_type.name
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    )
    return dict(names.most_common())


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, 0 when the denominator is 0."""
    return round(numerator / denominator, 3) if denominator else 0.0


def _load(load: Sequence[float]) -> str:
    return " ".join(f"{value:.2f}" for value in load)


def render(numbers: dict[str, Any]) -> str:
    """The plain-text table of a run (``numbers`` as written to --json)."""
    machine, sales, bare = numbers["machine"], numbers["sales"], numbers["bare"]
    lines = [
        f"PST Flow benchmark, {numbers['date']}: {machine['cpus']} CPUs, load average (1/5/15 min) "
        f"{_load(machine['load_start'])} at start, {_load(machine['load_end'])} at end",
        "Temporal dev server (SQLite file), API (uvicorn, 1 process), PST worker (1 process), bare worker "
        "(1 process), SMTP sink; SQLite app database",
        "",
        f"{'lifecycles':<34}{'n':>5}{'conc':>6}{'wall s':>9}{'per s':>9}{'p50 s':>9}{'p95 s':>9}",
    ]
    for label, run in (("online sale via HTTP API", sales), ("bare workflow (anchor)", bare)):
        lines.append(
            f"{label:<34}{run['completed']:>5}{run['concurrency']:>6}{run['wall_seconds']:>9.1f}"
            f"{run['per_second']:>9.2f}{run['p50_ms'] / 1000:>9.2f}{run['p95_ms'] / 1000:>9.2f}"
        )
    lines.append(
        f"sale / bare lifecycles per second: {numbers['sale_to_bare']:.3f} "
        f"(the bare workflow does {ratio(1, numbers['sale_to_bare']):.1f}x as many)"
    )
    for label, run in (("sales", sales), ("bare lifecycles", bare)):
        if run["failures"]:
            lines.append(f"FAILED {label}: {len(run['failures'])}, first: {run['failures'][0]}")

    cpu = numbers["cpu_ms_per_lifecycle"]
    names = list(cpu["sale"])
    lines += ["", f"{'CPU ms per lifecycle, by process':<34}" + "".join(f"{name:>10}" for name in names)]
    for label, key in (("online sale via HTTP API", "sale"), ("bare workflow (anchor)", "bare")):
        lines.append(f"{label:<34}" + "".join(f"{cpu[key].get(name, 0.0):>10.0f}" for name in names))

    lines += ["", f"{'per step of a sale (ms)':<48}{'n':>6}{'p50':>9}{'p95':>9}{'max':>9}"]
    for title, steps in (("", numbers["sale_steps"]), ("bare lifecycle: ", numbers["bare_steps"])):
        for name, step in steps.items():
            p50, p95, top = step["p50_ms"], step["p95_ms"], step["max_ms"]
            lines.append(f"{title + name:<48}{step['n']:>6}{p50:>9.1f}{p95:>9.1f}{top:>9.1f}")

    history = numbers["history"]
    lines += ["", f"{'per lifecycle, counted from one history':<44}{'sale':>8}{'bare':>8}"]
    for name in history["sale"]:
        lines.append(f"{name:<44}{history['sale'][name]:>8}{history['bare'].get(name, 0):>8}")
    lines.append("(the sale's history up to delivery: it then waits 30 days in the support window)")
    kinds = ", ".join(f"{name} {count}" for name, count in numbers["sale_activity_types"].items())
    lines.append(f"the sale's activities: {kinds}")

    lines.append(
        f"one argon2 password check: {numbers['password_check_ms']:.0f} ms of CPU (paid at registration and at "
        "sign-in only: the API takes bearer tokens)"
    )

    burst = numbers["burst"]
    lines += ["", f"{burst['size']} concurrent actions (ms){'':<22}{'p50':>9}{'p95':>9}{'max':>9}"]
    for label, key in (("officer: POST /sales/{id}/completeness", "officer"), ("bare Update", "bare")):
        row = burst[key]
        lines.append(f"{label:<46}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['max_ms']:>9.1f}")
    lines.append(f"officer / bare p95: {burst['p95_ratio']:.1f}x")
    return "\n".join(lines)
