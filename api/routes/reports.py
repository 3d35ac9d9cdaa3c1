"""Monthly office reports (JSON and CSV)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from api.deps import SessionDep, StaffDep
from api.services import reports

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.get("/{month}", summary="Supervisor: the office's month (YYYY-MM): requests, SLA, revenue, complaints, IKM")
async def month(month: str, session: SessionDep, staff: StaffDep, format: str = Query("json")) -> Any:
    report = await reports.month_report(session=session, staff=staff, month=month)
    if format == "csv":
        return PlainTextResponse(reports.report_csv(report), media_type="text/csv")
    body = asdict(report)
    for row, data in zip(report.services, body["services"], strict=True):
        data.update(compliance=row.compliance, median_days=row.median_days)
        del data["working_days"]
    return body
