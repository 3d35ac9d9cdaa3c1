"""Staff pages: on the case page a form for each action open to me now."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import NotFound
from api.services import cases
from api.services.case_actions import actions_open_to
from api.ui.action_forms import FailedForm, submit_form
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, PageStaffDep, csrf_token
from core.enums import STEP_LABELS
from core.models import Case, Document, StaffAccount, Tariff

router = APIRouter(include_in_schema=False)


async def tariff_options(session: Any) -> tuple[tuple[str, str], ...]:
    """The active tariffs as form options."""
    rows = (await session.scalars(select(Tariff).where(Tariff.active.is_(True)).order_by(Tariff.code))).all()
    return tuple((row.code, row.name) for row in rows)


async def render_case(
    request: Request,
    session: Any,
    settings: Any,
    staff: StaffAccount,
    case_id: str,
    error: str = "",
    status: int = 200,
    *,
    failed: FailedForm | None = None,
) -> Response:
    """The case page with the timeline and the forms of the actions open to me (a refused one with its errors
    beside its fields and the input kept)."""
    case_view = await cases.read_case(session=session, settings=settings, staff=staff, case_id=case_id)
    case = await session.get(Case, case_id)
    tariffs = await tariff_options(session)
    documents = (
        await session.scalars(select(Document).where(Document.case_id == case_id).order_by(Document.created_at))
    ).all()
    return templates.TemplateResponse(
        request,
        "pages/case.html",
        {
            "case": case_view,
            "staff": staff,
            "actions": actions_open_to(case, staff),
            "post_to": f"/staff/cases/{case_id}/actions",
            "tariffs": tariffs,
            "error": error,
            **(failed or FailedForm()).context(),
            "documents": documents,
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
            "done": request.query_params.get("done"),
        },
        status_code=status,
    )


@router.post("/staff/cases/{case_id}/actions/{name}", response_class=HTMLResponse, response_model=None)
async def take_action(
    request: Request,
    case_id: str,
    name: str,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    staff: PageStaffDep,
    _csrf: CsrfDep,
) -> Response:
    case = await session.get(Case, case_id)
    if case is None:
        return await render_case(request, session, settings, staff, case_id)
    form = dict((await request.form()).items())
    outcome = await submit_form(
        session=session, temporal=temporal, settings=settings, case=case, principal=staff, name=name, form=form
    )
    if outcome.failed is not None:
        return await render_case(
            request, session, settings, staff, case_id, outcome.message, outcome.status, failed=outcome.failed
        )
    await session.refresh(case)
    return RedirectResponse(f"/staff/cases/{case_id}?done={STEP_LABELS.get(case.step, case.step)}", status_code=303)


@router.get("/staff/cases/{case_id}/documents/{document_id}")
async def staff_document(
    case_id: str, document_id: int, session: SessionDep, settings: SettingsDep, staff: PageStaffDep
) -> FileResponse:
    case = await session.get(Case, case_id)
    if case is None:
        raise NotFound(f"Permintaan {case_id} tidak ditemukan.")
    cases.ensure_same_office(staff, case)
    document = await session.get(Document, document_id)
    if document is None or document.case_id != case.id:
        raise NotFound(f"Dokumen #{document_id} bukan milik {case_id}.")
    return FileResponse(settings.storage_dir / document.path, filename=document.filename)


@router.get("/staff/cases/{case_id}", response_class=HTMLResponse)
async def case_page(
    request: Request, case_id: str, session: SessionDep, settings: SettingsDep, staff: PageStaffDep
) -> Response:
    return await render_case(request, session, settings, staff, case_id)
