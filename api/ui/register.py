"""Registration of applicants in the browser (the same service as POST /api/v1/applicants)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from api.applicant_schemas import ApplicantRegister
from api.deps import SessionDep, SettingsDep
from api.errors import ServiceError, validation_errors
from api.services.applicants import register_applicant
from api.ui.cookies import set_cookie
from api.ui.login import LOGIN_COOKIE
from api.ui.pages import templates
from api.ui.session import CsrfDep, csrf_token
from core.enums import Segment

router = APIRouter(include_in_schema=False)
SEGMENTS = [
    (Segment.INDIVIDUAL, "Perorangan / mahasiswa"),
    (Segment.EDUCATION, "Lembaga pendidikan"),
    (Segment.GOVERNMENT, "Instansi pemerintah"),
    (Segment.PRIVATE, "Swasta (wajib NPWP)"),
    (Segment.FOREIGN, "Asing / lembaga internasional"),
]


def _page(
    request: Request, settings: SettingsDep, *, errors: dict[str, str] | None = None, done: str = "", status: int = 200
) -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "pages/register.html",
        {
            "csrf": csrf_token(settings, token),
            "segments": SEGMENTS,
            "errors": errors or {},
            "done": done,
            "values": {} if done else dict(getattr(request.state, "form", {})),
        },
        status_code=status,
    )
    set_cookie(response, settings, LOGIN_COOKIE, token)
    return response


@router.get("/register", response_class=HTMLResponse)
async def register_page(request: Request, settings: SettingsDep) -> Response:
    return _page(request, settings)


@router.post("/register", response_class=HTMLResponse)
async def register(request: Request, session: SessionDep, settings: SettingsDep, _csrf: CsrfDep) -> Response:
    form = {key: str(value) for key, value in (await request.form()).items() if key not in ("csrf", "password")}
    request.state.form = form
    try:
        data = dict(await request.form())
        account = ApplicantRegister.model_validate({**data, "abroad": data.get("abroad") == "1"})
        created = await register_applicant(session=session, settings=settings, request=account)
    except ValidationError as invalid:
        errors = {item["field"] or "form": item["message"] for item in validation_errors(invalid.errors())}
        return _page(request, settings, errors=errors, status=422)
    except ServiceError as refused:
        return _page(request, settings, errors={"email": refused.message}, status=refused.status)
    return _page(request, settings, done=f"Akun dibuat. Buka tautan verifikasi yang kami kirim ke {created.email}.")
