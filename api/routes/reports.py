"""Monthly office reports (JSON, or the spreadsheet's CSV with ``?format=csv``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import SessionDep, StaffDep
from api.openapi_errors import SIGNED_IN
from api.services import reports

router = APIRouter(prefix="/api/v1/reports", tags=["reports"], responses=SIGNED_IN)


def csv_download(report: reports.MonthReport) -> Response:
    """The report as a CSV file the browser saves under its name (``laporan-pst-6202-2026-03.csv``)."""
    return Response(
        reports.report_csv(report).encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{report.filename}"'},
    )


@router.get(
    "/{month}",
    summary="Supervisor: the office's month (YYYY-MM): requests, SLA, revenue, complaints, IKM",
    responses={
        200: {
            "description": "The month as JSON, or with `?format=csv` the spreadsheet's CSV",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def month(month: str, session: SessionDep, staff: StaffDep, format: str = Query("json")) -> Any:
    report = await reports.month_report(session=session, staff=staff, month=month)
    if format == "csv":
        return csv_download(report)
    return reports.report_as_dict(report)
