"""Registration of applicants in the browser (the same service as POST /api/v1/applicants)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from api.applicant_schemas import PASSWORD_MIN_LENGTH, ApplicantRegister
from api.deps import SessionDep, SettingsDep
from api.errors import ServiceError, validation_errors
from api.services.applicants import register_applicant
from api.ui.cookies import set_cookie
from api.ui.login import LOGIN_COOKIE
from api.ui.pages import templates
from api.ui.session import CsrfDep, csrf_token
from core.enums import Segment
from core.i18n import N_, Labels
from core.verification import VERIFY_VALID_FOR

router = APIRouter(include_in_schema=False)
SEGMENTS = Labels(
    {
        Segment.INDIVIDUAL: N_("Perorangan / mahasiswa"),
        Segment.EDUCATION: N_("Lembaga pendidikan"),
        Segment.GOVERNMENT: N_("Instansi pemerintah"),
        Segment.PRIVATE: N_("Swasta (wajib NPWP)"),
        Segment.FOREIGN: N_("Asing / lembaga internasional"),
    }
)
# What to do, beside the field, when pydantic's own words would be vague ("wajib diisi", "terlalu pendek").
FIELD_MESSAGES = Labels(
    {
        "name": N_("Isi nama lengkap Anda (paling sedikit 2 huruf)."),
        "password": N_("Isi kata sandi paling sedikit 10 karakter dan paling banyak 200 karakter."),
        "segment": N_("Pilih segmen pemohon."),
        "institution": N_("Nama instansi paling banyak 200 karakter, dalam satu baris."),
    }
)
FIELDS = ("name", "email", "password", "institution", "segment", "npwp")


def field_errors(invalid: ValidationError) -> dict[str, str]:
    """Each invalid field of the form with its message, in the order of the form."""
    found: dict[str, str] = {}
    for item in validation_errors(invalid.errors()):
        name = item["field"].split(".")[0]
        if name in FIELDS and name not in found:
            found[name] = FIELD_MESSAGES[name] if name in FIELD_MESSAGES else item["message"]
    return {name: found[name] for name in FIELDS if name in found}


def _page(
    request: Request,
    settings: SettingsDep,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    done: str = "",
    status: int = 200,
) -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "pages/register.html",
        {
            "csrf": csrf_token(settings, token),
            "segments": [(segment, SEGMENTS[segment]) for segment in SEGMENTS],
            "errors": errors or {},
            "done": done,
            "values": values or {},
            "min_length": PASSWORD_MIN_LENGTH,
            "valid_hours": int(VERIFY_VALID_FOR.total_seconds() // 3600),
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
    data = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    kept = {key: value for key, value in data.items() if key not in ("csrf", "password")}  # never the password
    try:
        account = ApplicantRegister.model_validate({**data, "abroad": data.get("abroad") == "1"})
        created = await register_applicant(session=session, settings=settings, request=account)
    except ValidationError as invalid:
        return _page(request, settings, values=kept, errors=field_errors(invalid), status=422)
    except ServiceError as refused:
        return _page(request, settings, values=kept, errors={"email": refused.message}, status=refused.status)
    return _page(request, settings, done=created.email)
