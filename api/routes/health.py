"""GET /healthz."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.services.health import check_health

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    summary="State of the database, Temporal and SMTP; 503 when one is down",
    responses={
        503: {
            "description": "A part is down: the same body, with status degraded and the part's reason",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def healthz(session: SessionDep, temporal: TemporalDep, settings: SettingsDep) -> JSONResponse:
    parts = await check_health(session=session, temporal=temporal, settings=settings)
    healthy = all(state == "ok" for state in parts.values())
    return JSONResponse(
        status_code=200 if healthy else 503, content={"status": "ok" if healthy else "degraded", **parts}
    )
