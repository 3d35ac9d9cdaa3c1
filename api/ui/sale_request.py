"""The applicant's sale request form: what they ask of which office, and the abstract of its use."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import UploadFile

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import ServiceError, validation_summary
from api.schemas import SaleCreate
from api.services import sales
from api.ui.pages import templates
from api.ui.portal import own_case, upload_document
from api.ui.session import SESSION_COOKIE, CsrfDep, PageApplicantDep, csrf_token
from core.models import Office

router = APIRouter(include_in_schema=False)


@router.get("/portal/new", response_class=HTMLResponse)
async def new_request_page(
    request: Request, session: SessionDep, settings: SettingsDep, applicant: PageApplicantDep, error: str = ""
) -> Response:
    offices = (await session.scalars(select(Office).order_by(Office.code))).all()
    return templates.TemplateResponse(
        request,
        "pages/sale/request_form.html",
        {"offices": offices, "error": error, "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, ""))},
        status_code=422 if error else 200,
    )


@router.post("/portal/new", response_class=HTMLResponse, response_model=None)
async def submit_request(
    request: Request,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    applicant: PageApplicantDep,
    _csrf: CsrfDep,
) -> Response:
    form = dict((await request.form()).items())
    item: dict[str, Any] = {"kind": form.get("kind", ""), "name": form.get("item", "")}
    if item["kind"] == "map":
        item["level"] = form.get("level") or None
    try:
        sale = SaleCreate.model_validate(
            {"office_code": form.get("office_code", ""), "items": [item], "abstract": form.get("abstract", "")}
        )
        submitted = await sales.submit_sale(
            session=session, temporal=temporal, settings=settings, request=sale, staff=None, applicant=applicant
        )
        case = await own_case(session, applicant, submitted.id)
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            try:
                await upload_document(
                    "abstract", form, case, applicant, session=session, temporal=temporal, settings=settings
                )
            except ServiceError as refused:  # the request is stored: its page says so, and why the file is not
                done = f"{submitted.message} Abstraksi belum terunggah: {refused.message} Unggah dari halaman ini."
                return RedirectResponse(f"/portal/cases/{submitted.id}?done={quote(done)}", status_code=303)
    except ValidationError as invalid:
        message = validation_summary(invalid.errors())
        return await new_request_page(request, session, settings, applicant, message)
    except ServiceError as refused:
        return await new_request_page(request, session, settings, applicant, refused.message)
    return RedirectResponse(f"/portal/cases/{submitted.id}?done={quote(submitted.message)}", status_code=303)
