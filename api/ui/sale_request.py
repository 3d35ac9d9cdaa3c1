"""The applicant's sale request: choose the office, then from its catalogue datasets (whole or by variables), maps
(area and level) and publications; the abstract as text and as a PDF; check the answers with the price estimate,
then submit. And the one revision of the request at sample review, in the same item editor."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import UploadFile

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import FieldInvalid, ServiceError, validation_errors
from api.schemas import SaleCreate, catalogue_items_from_form
from api.services import sales
from api.services.case_actions import actions_open_to
from api.ui.action_forms import submit_form
from api.ui.pages import templates
from api.ui.portal import own_case, upload_document
from api.ui.session import SESSION_COOKIE, CsrfDep, PageApplicantDep, csrf_token
from core.case_details import sale_details
from core.catalogue import dataset_bytes, dataset_title, office_catalogue
from core.i18n import gettext as _
from core.models import Applicant, Case, Office
from workflows.sale import ZERO_RUPIAH_SEGMENTS

router = APIRouter(include_in_schema=False)
FORM_FIELDS = ("office_code", "abstract", "idempotency_key")  # beside the item editor's own fields
CHOICE_PREFIXES = ("dataset-", "var-", "map-", "publication-")


def item_errors(values: dict[str, str], errors: dict[str, str]) -> dict[str, str]:
    """Errors keyed by where they stand on the item editor: ``items.2.variables`` beside the third item chosen
    (``dataset-7``), ``items`` above the editor, any other field by its own name."""
    chosen = catalogue_items_from_form(values)
    placed: dict[str, str] = {}
    for field, message in errors.items():
        parts = field.split(".")
        if parts[0] == "items" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(chosen):
            item = chosen[int(parts[1])]
            anchor = {"microdata": "dataset", "map": "map", "publication": "publication"}[item["kind"]]
            number = item.get("dataset_id") or item.get("map_id") or item.get("publication_id")
            placed.setdefault(f"{anchor}-{number}", message)
        else:
            placed.setdefault(parts[0], message)
    return placed


async def _office(session: Any, code: str) -> Office | None:
    return await session.get(Office, code) if code.isdigit() and len(code) == 4 else None


def _token(request: Request, settings: Any) -> str:
    return csrf_token(settings, request.cookies.get(SESSION_COOKIE, ""))


async def _form_page(
    request: Request,
    session: Any,
    settings: Any,
    applicant: Applicant,
    office: Office,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    values = values or {}
    catalogue = await office_catalogue(session, office.code)
    return templates.TemplateResponse(
        request,
        "pages/sale/request_form.html",
        {
            "office": office,
            "catalogue": catalogue,
            "values": values,
            "errors": item_errors(values, errors or {}),
            "csrf": _token(request, settings),
            "dataset_title": dataset_title,
            "dataset_bytes": dataset_bytes,
        },
        status_code=status,
    )


@router.get("/portal/new", response_class=HTMLResponse)
async def new_request_page(
    request: Request, session: SessionDep, settings: SettingsDep, applicant: PageApplicantDep, office: str = ""
) -> Response:
    chosen = await _office(session, office)
    if chosen is not None:
        return await _form_page(request, session, settings, applicant, chosen)
    offices = (await session.scalars(select(Office).order_by(Office.name))).all()
    error = _("Pilih kantor BPS yang Anda mintai data.") if office else ""
    return templates.TemplateResponse(
        request,
        "pages/sale/request_office.html",
        {"offices": offices, "error": error},
        status_code=422 if error else 200,
    )


def _errors_of(invalid: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for item in validation_errors(invalid.errors()):
        field = item["field"]
        if field == "items":
            errors.setdefault("items", _("Pilih paling sedikit satu dataset, peta atau publikasi."))
        elif field == "abstract":
            errors.setdefault(
                "abstract", _("Tulis abstraksi penggunaan data paling sedikit 20 karakter: untuk apa data ini.")
            )
        else:
            errors.setdefault(field, item["message"])
    return errors


async def _checked(session: Any, values: dict[str, str]) -> tuple[SaleCreate, list[Any], list[Any]] | dict[str, str]:
    """The request as the form has it, with its items resolved and priced; or the errors by field."""
    try:
        sale = SaleCreate.model_validate(
            {
                "office_code": values.get("office_code", ""),
                "items": catalogue_items_from_form(values),
                "abstract": values.get("abstract", ""),
            }
        )
        items, priced = await sales.price_estimate(session=session, office_code=sale.office_code, items=sale.items)
    except ValidationError as invalid:
        return _errors_of(invalid)
    except FieldInvalid as refused:
        return {refused.field: refused.message}
    except ServiceError as refused:
        return {"items": refused.message}
    return sale, items, priced


async def _values(request: Request) -> tuple[dict[str, str], Any]:
    form = await request.form()
    values = {key: str(value) for key, value in form.items() if not isinstance(value, UploadFile) and key != "csrf"}
    return values, form.get("file")


@router.post("/portal/new/check", response_class=HTMLResponse, response_model=None)
async def check_request(
    request: Request, session: SessionDep, settings: SettingsDep, applicant: PageApplicantDep, _csrf: CsrfDep
) -> Response:
    """Check your answers: the items, the abstract and the price estimate, before the request is sent."""
    values, _file = await _values(request)
    office = await _office(session, values.get("office_code", ""))
    if office is None:
        return await new_request_page(request, session, settings, applicant, office="-")
    if values.get("change"):  # "Ubah" on the check page: the editor again, as filled
        return await _form_page(request, session, settings, applicant, office, values=values)
    checked = await _checked(session, values)
    if isinstance(checked, dict):
        return await _form_page(
            request, session, settings, applicant, office, values=values, errors=checked, status=422
        )
    _sale, items, priced = checked
    kept = {key: value for key, value in values.items() if key in FORM_FIELDS or key.startswith(CHOICE_PREFIXES)}
    return templates.TemplateResponse(
        request,
        "pages/sale/request_check.html",
        {
            "office": office,
            "lines": list(zip(items, priced, strict=True)),
            "total": sum(line.amount for line in priced),
            "abstract": values.get("abstract", ""),
            "kept": kept,
            "may_be_free": applicant.segment in ZERO_RUPIAH_SEGMENTS,
            "csrf": _token(request, settings),
        },
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
    values, upload = await _values(request)
    office = await _office(session, values.get("office_code", ""))
    if office is None:
        return await new_request_page(request, session, settings, applicant, office="-")
    checked = await _checked(session, values)
    if isinstance(checked, dict):
        return await _form_page(
            request, session, settings, applicant, office, values=values, errors=checked, status=422
        )
    sale = checked[0]
    try:
        submitted = await sales.submit_sale(
            session=session,
            temporal=temporal,
            settings=settings,
            request=sale,
            staff=None,
            applicant=applicant,
            idempotency_key=values.get("idempotency_key") or None,
        )
    except FieldInvalid as refused:
        errors = {refused.field: refused.message}
        return await _form_page(request, session, settings, applicant, office, values=values, errors=errors, status=422)
    except ServiceError as refused:
        errors = {"items": refused.message}
        return await _form_page(
            request, session, settings, applicant, office, values=values, errors=errors, status=refused.status
        )
    done = submitted.message
    if isinstance(upload, UploadFile) and upload.filename:
        case = await own_case(session, applicant, submitted.id)
        try:
            await upload_document(
                "abstract", {"file": upload}, case, applicant, session=session, temporal=temporal, settings=settings
            )
        except ServiceError as refused:  # the request is stored: its page says so, and why the file is not
            done = _("%(done)s Abstraksi belum terunggah: %(why)s Unggah dari halaman ini.") % {
                "done": submitted.message,
                "why": refused.message,
            }
    return RedirectResponse(f"/portal/cases/{submitted.id}?done={quote(done)}", status_code=303)


# ---------------------------------------------------------------- the one revision, at sample review


def _current_choices(case: Case) -> dict[str, str]:
    """The item editor's fields as the sale's items stand now (the revision starts from them)."""
    values: dict[str, str] = {}
    for item in sale_details(case).items:
        if item.dataset_id is not None:
            if item.variables:
                values |= {f"var-{item.dataset_id}-{code}": "1" for code in item.variables}
            else:
                values[f"dataset-{item.dataset_id}"] = "full"
        elif item.map_id is not None:
            values[f"map-{item.map_id}"] = item.level or "kecamatan"
        elif item.publication_id is not None:
            values[f"publication-{item.publication_id}"] = "1"
    return values


def _revision_open(case: Case, applicant: Applicant) -> bool:
    return any(action.name == "sample" for action in actions_open_to(case, applicant))


async def _revision_page(
    request: Request,
    session: Any,
    settings: Any,
    case: Case,
    *,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    message: str = "",
    status: int = 200,
) -> Response:
    office = await session.get(Office, case.office_code)
    return templates.TemplateResponse(
        request,
        "pages/sale/revision.html",
        {
            "case": case,
            "office": office,
            "items": sale_details(case).items,
            "catalogue": await office_catalogue(session, case.office_code),
            "values": values,
            "errors": item_errors(values, errors or {}),
            "message": message,
            "csrf": _token(request, settings),
            "dataset_title": dataset_title,
            "dataset_bytes": dataset_bytes,
        },
        status_code=status,
    )


@router.get("/portal/cases/{case_id}/revision", response_class=HTMLResponse, response_model=None)
async def revision_page(
    request: Request, case_id: str, session: SessionDep, settings: SettingsDep, applicant: PageApplicantDep
) -> Response:
    case = await own_case(session, applicant, case_id)
    if not _revision_open(case, applicant):
        return RedirectResponse(f"/portal/cases/{case_id}", status_code=303)
    return await _revision_page(request, session, settings, case, values=_current_choices(case))


@router.post("/portal/cases/{case_id}/revision", response_class=HTMLResponse, response_model=None)
async def submit_revision(
    request: Request,
    case_id: str,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    applicant: PageApplicantDep,
    _csrf: CsrfDep,
) -> Response:
    """The one revision: the items as edited (and why, in words) go to the officer, who drafts a new offer."""
    case = await own_case(session, applicant, case_id)
    values, _file = await _values(request)
    if not catalogue_items_from_form(values):
        errors = {"items": _("Pilih paling sedikit satu dataset, peta atau publikasi.")}
        return await _revision_page(request, session, settings, case, values=values, errors=errors, status=422)
    form = {**values, "accept": "false"}
    outcome = await submit_form(
        session=session, temporal=temporal, settings=settings, case=case, principal=applicant, name="sample", form=form
    )
    if outcome.failed is not None:
        errors = outcome.failed.errors
        message = "" if errors else outcome.message
        return await _revision_page(
            request, session, settings, case, values=values, errors=errors, message=message, status=outcome.status
        )
    done = _("Revisi permintaan terkirim. Petugas menyiapkan penawaran baru untuk item yang Anda ubah.")
    return RedirectResponse(f"/portal/cases/{case_id}?done={quote(done)}", status_code=303)
