"""The staff case page: the case file (every fact the decision rests on), the forms of the actions open to me now,
a confirmation before a decision that cannot be undone, and the case's documents."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import NotFound
from api.services import cases
from api.services.assignment import holds_hand_over, may_hand_over
from api.services.case_actions import actions_open_to
from api.services.case_file import NOT_FOUND, case_file
from api.services.institutions import offer_institution
from api.services.offer_draft import offer_values
from api.ui.action_forms import Confirmation, FailedForm, submit_form
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, PageStaffDep, csrf_token
from core.enums import CaseStatus, Role, Service
from core.formatting import number, rupiah
from core.i18n import INDONESIAN
from core.i18n import gettext as _
from core.models import Applicant, Case, Document, StaffAccount, Tariff
from core.settings import Settings

router = APIRouter(include_in_schema=False)


async def tariff_options(session: AsyncSession) -> list[tuple[str, str]]:
    """The active tariffs as the offer form's options, each with its base price."""
    rows = (await session.scalars(select(Tariff).where(Tariff.active.is_(True)).order_by(Tariff.name))).all()
    return [("", _("Pilih tarif"))] + [(row.code, f"{_(row.name)} ({_base_price(row)})") for row in rows]


def _base_price(tariff: Tariff) -> str:
    """``Rp50.000 sampai 50 halaman``: what the base price buys."""
    amount = f"{number(tariff.included)} {_(tariff.unit)}"
    return _("%(price)s sampai %(amount)s") % {"price": rupiah(tariff.base_price), "amount": amount}


async def examiner_options(session: AsyncSession, case: Case) -> list[tuple[str, str]]:
    """The office's active examiners, by name, for the supervisor's choice."""
    rows = (
        await session.scalars(
            select(StaffAccount)
            .where(
                StaffAccount.office_code == case.office_code,
                StaffAccount.role == Role.EXAMINER,
                StaffAccount.active.is_(True),
            )
            .order_by(StaffAccount.name)
        )
    ).all()
    return [("", _("Pilih pemeriksa"))] + [(row.email, row.name) for row in rows]


async def _drafts(session: AsyncSession, case: Case) -> dict[str, dict[str, str]]:
    """Forms that start filled in from the request (the offer, its items named in the applicant's language)."""
    if case.service != Service.SALE:
        return {}
    applicant = await session.get(Applicant, case.applicant_id) if case.applicant_id else None
    return {"offer": offer_values(case, applicant.language if applicant is not None else INDONESIAN)}


async def render_case(
    request: Request,
    session: AsyncSession,
    settings: Settings,
    staff: StaffAccount,
    case_id: str,
    error: str = "",
    status: int = 200,
    *,
    failed: FailedForm | None = None,
    confirm: Confirmation | None = None,
) -> Response:
    """The case page; a refused form comes back with its errors beside its fields and the input kept."""
    file = await case_file(session=session, staff=staff, case_id=case_id)
    case = file.case
    kept = (failed or FailedForm()).context()
    drafts = await _drafts(session, case)
    actions = actions_open_to(case, staff)
    names = {action.name for action in actions}
    values = {**drafts, **kept["form_values"]}
    assignee = await session.get(StaffAccount, case.assignee_id) if case.assignee_id else None
    return templates.TemplateResponse(
        request,
        "pages/case.html",
        {
            "file": file,
            "case": case,
            "staff": staff,
            "actions": actions,
            "post_to": f"/staff/cases/{case_id}/actions",
            "tariffs": await tariff_options(session) if "offer" in names else [],
            "offer_institution": await offer_institution(session=session, case=case) if "offer" in names else None,
            "examiners": await examiner_options(session, case) if "assign" in names else [],
            "error": error if failed is None or not failed.errors else "",  # field errors show beside the fields
            "field_errors": kept["field_errors"],
            "form_values": values,
            "confirm": confirm,
            "assignee": assignee.name if assignee is not None and holds_hand_over(case) else "",
            "can_reassign": may_hand_over(staff) and case.assignee_role is not None and case.status == CaseStatus.OPEN,
            "temporal_url": cases.temporal_url(settings, case.id) if staff.role == Role.ADMINISTRATOR else "",
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
            "done": request.query_params.get("done") == "1",
        },
        status_code=status,
    )


@router.get("/staff/cases/{case_id}", response_class=HTMLResponse)
async def case_page(
    request: Request, case_id: str, session: SessionDep, settings: SettingsDep, staff: PageStaffDep
) -> Response:
    return await render_case(request, session, settings, staff, case_id)


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
        raise NotFound(_(NOT_FOUND).format(case_id=case_id))
    form = dict((await request.form()).items())
    outcome = await submit_form(
        session=session, temporal=temporal, settings=settings, case=case, principal=staff, name=name, form=form
    )
    if outcome.confirm is not None:
        return await render_case(request, session, settings, staff, case_id, confirm=outcome.confirm)
    if outcome.failed is not None:
        return await render_case(
            request, session, settings, staff, case_id, outcome.message, outcome.status, failed=outcome.failed
        )
    return RedirectResponse(f"/staff/cases/{case_id}?done=1", status_code=303)


@router.get("/staff/cases/{case_id}/documents/{document_id}")
async def staff_document(
    case_id: str, document_id: int, session: SessionDep, settings: SettingsDep, staff: PageStaffDep
) -> FileResponse:
    case = await session.get(Case, case_id)
    if case is None:
        raise NotFound(_(NOT_FOUND).format(case_id=case_id))
    cases.ensure_same_office(staff, case)
    document = await session.get(Document, document_id)
    if document is None or document.case_id != case.id:
        raise NotFound(
            _("Dokumen #%(document_id)s bukan milik permintaan %(case_id)s.")
            % {"document_id": document_id, "case_id": case_id}
        )
    return FileResponse(settings.storage_dir / document.path, filename=document.filename)
