"""The applicant portal: my requests, their timeline, and the steps that are mine (same services as the API)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import UploadFile
from temporalio.client import WorkflowUpdateFailedError

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import Invalid, NotFound, ServiceError, update_failure_message, validation_errors
from api.recommendation_schemas import RecommendationCreate
from api.services import complaints, recommendations, sales
from api.services.actions import actor_of
from api.services.case_actions import actions_open_to
from api.services.uploads import store_upload
from api.ui.action_forms import INVALID, FailedForm, submit_form
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, PageApplicantDep, csrf_token
from contracts.sale import documents_taken_in
from core.case_details import sale_details
from core.enums import STEP_LABELS, CaseStatus, PaymentMethod, PaymentStatus, SaleStep, Service
from core.formatting import dates_in_words, time_in_words
from core.i18n import N_
from core.i18n import gettext as _
from core.models import Applicant, AuditEntry, Case, Document, DownloadLink, Office, Payment, utcnow
from workflows.sale import SaleWorkflow

router = APIRouter(include_in_schema=False)

# (service, step) → the applicant's uploads there (the other actions come from the action layer)
DONE = {
    "sample": N_("Tersimpan."),
    "rating": N_("Terima kasih atas penilaian Anda."),
    "resubmit": N_("FS3 dikirim ulang."),
}


def _uploads_open(case: Case) -> tuple[str, ...]:
    """The documents the applicant may upload now: those the sale's workflow takes in the case's step; a transfer
    proof only from a payer abroad (one at home pays the SIMPONI billing code)."""
    if case.service != Service.SALE:
        return ()
    abroad = sale_details(case).abroad
    return tuple(kind for kind in documents_taken_in(case.step) if kind != "transfer_proof" or abroad)


# The timeline's marks of a staff mail that went to a stand-in or was not written (activities/mailer.py): the office's
# business, not the applicant's.
STAFF_ONLY_ACTIONS = ("mail_stand_in", "mail_not_written")


def _transfer_being_checked(entries: Sequence[AuditEntry]) -> bool:
    """Whether the last transfer proof sent is still with the treasurer (not yet accepted or rejected)."""
    moves = [entry.action for entry in entries if entry.action in ("transfer_proof", "transfer_rejected")]
    return bool(moves) and moves[-1] == "transfer_proof"


async def own_case(session: Any, applicant: Applicant, case_id: str) -> Case:
    case: Case | None = await session.get(Case, case_id)
    if case is None or case.applicant_id != applicant.id:
        raise NotFound(_("Permintaan %(case)s tidak ditemukan di akun Anda.") % {"case": case_id})
    return case


@router.get("/portal", response_class=HTMLResponse)
async def my_requests(
    request: Request, session: SessionDep, settings: SettingsDep, applicant: PageApplicantDep
) -> Response:
    rows = (
        await session.scalars(select(Case).where(Case.applicant_id == applicant.id).order_by(Case.created_at.desc()))
    ).all()
    offices = (await session.scalars(select(Office))).all()
    return templates.TemplateResponse(
        request,
        "pages/portal.html",
        {
            "applicant": applicant,
            "cases": rows,
            "office_names": {office.code: office.name for office in offices},
            "office_zones": {office.code: office.timezone for office in offices},
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
        },
    )


async def render_portal_case(
    request: Request,
    session: Any,
    settings: Any,
    applicant: Applicant,
    case_id: str,
    error: str = "",
    status: int = 200,
    *,
    failed: FailedForm | None = None,
) -> Response:
    """My case: where it stands, its timeline in office time, what I can do now."""
    case = await own_case(session, applicant, case_id)
    office = await session.get(Office, case.office_code)
    entries = (
        await session.scalars(
            select(AuditEntry)
            .where(AuditEntry.case_id == case.id, AuditEntry.action.not_in(STAFF_ONLY_ACTIONS))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    ).all()
    documents = (
        await session.scalars(
            select(Document)
            .where(Document.case_id == case.id, Document.kind.in_(VISIBLE_DOCUMENTS))
            .order_by(Document.created_at)
        )
    ).all()
    now = utcnow()
    billing = await session.scalar(
        select(Payment).where(
            Payment.case_id == case.id,
            Payment.method == PaymentMethod.SIMPONI,
            Payment.status == PaymentStatus.PENDING,
        )
    )
    links = (
        await session.scalars(
            select(DownloadLink).where(DownloadLink.case_id == case.id).order_by(DownloadLink.created_at.desc())
        )
    ).all()
    checking = _transfer_being_checked(entries)
    timeline = [
        {
            "at": time_in_words(entry.at, office.timezone),
            "label": STEP_LABELS.get(entry.step, entry.step),
            "note": dates_in_words(entry.note),
            "action": entry.action,
        }
        for entry in entries
        if not entry.action.startswith("sla_")
    ]
    return templates.TemplateResponse(
        request,
        "pages/portal_case.html",
        {
            "case": case,
            "office": office,
            "timeline": timeline,
            "step_label": STEP_LABELS.get(case.step, case.step),
            "uploads": [kind for kind in _uploads_open(case) if not (kind == "transfer_proof" and checking)],
            "transfer_checking": checking,
            "actions": actions_open_to(case, applicant),
            "post_to": f"/portal/cases/{case.id}/actions",
            **(failed or FailedForm()).context(),
            "error": error,
            "deadline": time_in_words(case.sla_deadline, office.timezone) if case.sla_deadline else "",
            "abroad": case.service == Service.SALE and sale_details(case).abroad,
            "SaleStep": SaleStep,
            "CaseStatus": CaseStatus,
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
            "documents": documents,
            "billing": billing,
            "billing_expires": time_in_words(billing.expires_at, office.timezone)
            if billing and billing.expires_at
            else "",
            "done": request.query_params.get("done", ""),
            # Only the links of the current package: a corrected delivery replaces the earlier one (issue 14).
            "links": [
                link
                for link in links
                if link.document_id == links[0].document_id
                and link.expires_at > now
                and link.downloads < link.max_downloads
            ],
        },
        status_code=status,
    )


FS3_TEXT_FIELDS = (
    ("title", N_("Judul kegiatan")),
    ("year", N_("Tahun")),
    ("unit", N_("Unit kerja penyelenggara (eselon II)")),
    ("organiser_address", N_("Alamat unit")),
    ("organiser_phone", N_("Telepon unit")),
    ("organiser_email", N_("Email unit")),
    ("regency", N_("Kabupaten/kota")),
    ("province", N_("Provinsi")),
    ("contact_name", N_("Narahubung: nama")),
    ("contact_phone", N_("Narahubung: telepon")),
    ("contact_email", N_("Narahubung: email")),
    ("manager_name", N_("Penanggung jawab: nama")),
    ("manager_phone", N_("Penanggung jawab: telepon")),
    ("manager_email", N_("Penanggung jawab: email")),
    ("frequency", N_("Frekuensi (bila berulang)")),
    ("sector", N_("Sektor")),
    ("schedule_start", N_("Jadwal mulai (YYYY-MM-DD)")),
    ("schedule_end", N_("Jadwal selesai (YYYY-MM-DD)")),
    ("variable_name", N_("Variabel")),
    ("variable_concept", N_("Konsep variabel")),
    ("variable_definition", N_("Definisi variabel")),
    ("variable_period", N_("Periode rujukan variabel")),
)


def fs3_from_form(form: dict[str, Any]) -> dict[str, Any]:
    """The FS3 blocks of the portal form, in the shape of the API's FS3 form."""
    value = {key: str(form.get(key, "")).strip() for key, _label in FS3_TEXT_FIELDS}
    return {
        "title": value["title"],
        "year": value["year"],
        "organiser_unit": value["unit"],
        "organiser_address": value["organiser_address"],
        "organiser_phone": value["organiser_phone"],
        "organiser_email": value["organiser_email"],
        "regency": value["regency"],
        "province": value["province"],
        "contact_person": {
            "name": value["contact_name"],
            "phone": value["contact_phone"],
            "email": value["contact_email"],
        },
        "survey_manager": {
            "name": value["manager_name"],
            "phone": value["manager_phone"],
            "email": value["manager_email"],
        },
        "occurrence": form.get("occurrence", ""),
        "frequency": value["frequency"],
        "collection_type": form.get("collection_type", ""),
        "method": form.get("method", ""),
        "sector": value["sector"],
        "objectives": str(form.get("objectives", "")),
        "schedule_start": value["schedule_start"],
        "schedule_end": value["schedule_end"],
        "variables": [
            {
                "name": value["variable_name"],
                "concept": value["variable_concept"],
                "definition": value["variable_definition"],
                "reference_period": value["variable_period"],
            }
        ],
    }


FIELD_HELP = {
    "email": N_("Isi alamat email yang benar, misalnya nama@contoh.id."),
    "schedule": N_("Isi tanggal dengan format TTTT-BB-HH, misalnya 2027-03-01."),
}


def fs3_field(location: str) -> str:
    """The portal form's field of an FS3 error (``fs3.contact_person.name`` → ``contact_name``); "form" when the
    error is about the form as a whole (a schedule that ends before it starts)."""
    parts = location.split(".")
    parts = parts[1:] if parts[:1] == ["fs3"] else parts
    head = parts[0] if parts and parts[0] else "form"
    if head in ("contact_person", "survey_manager") and len(parts) > 1:
        return f"{'contact' if head == 'contact_person' else 'manager'}_{parts[1]}"
    if head == "variables":
        name = parts[-1] if len(parts) > 2 else "name"
        return "variable_period" if name == "reference_period" else f"variable_{name}"
    return "unit" if head == "organiser_unit" else head


def form_errors(invalid: ValidationError, field_of: Any) -> dict[str, str]:
    """Each invalid field of a portal form with its message (the first one), as a sentence."""
    errors: dict[str, str] = {}
    for item in validation_errors(invalid.errors()):
        name = field_of(item["field"] if item["field"] != "body" else "")
        message = item["message"]
        if name.endswith("email"):
            message = _(FIELD_HELP["email"])
        elif name.startswith("schedule_"):
            message = _(FIELD_HELP["schedule"])
        errors.setdefault(name, message[:1].upper() + message[1:])
    return errors


@router.get("/portal/new-recommendation", response_class=HTMLResponse)
async def new_recommendation_page(
    request: Request, session: SessionDep, settings: SettingsDep, applicant: PageApplicantDep, error: str = ""
) -> Response:
    offices = (await session.scalars(select(Office).order_by(Office.code))).all()
    return templates.TemplateResponse(
        request,
        "pages/recommendation/request_form.html",
        {
            "offices": offices,
            "fields": FS3_TEXT_FIELDS,
            "error": error,
            "errors": getattr(request.state, "errors", {}),
            "values": getattr(request.state, "form", {}),
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
        },
        status_code=422 if error else 200,
    )


@router.post("/portal/new-recommendation", response_class=HTMLResponse, response_model=None)
async def submit_fs3(
    request: Request,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    applicant: PageApplicantDep,
    _csrf: CsrfDep,
) -> Response:
    form = dict((await request.form()).items())
    request.state.form = {key: str(value) for key, value in form.items() if key != "csrf"}
    try:
        fs3_request = RecommendationCreate.model_validate(
            {"office_code": form.get("office_code", ""), "unit": form.get("unit", ""), "fs3": fs3_from_form(form)}
        )
        submitted = await recommendations.submit_recommendation(
            session=session, temporal=temporal, settings=settings, request=fs3_request, staff=None, applicant=applicant
        )
    except ValidationError as invalid:
        request.state.errors = form_errors(invalid, fs3_field)
        return await new_recommendation_page(request, session, settings, applicant, _(INVALID))
    except ServiceError as refused:
        return await new_recommendation_page(request, session, settings, applicant, refused.message)
    return RedirectResponse(f"/portal/cases/{submitted.id}?done={quote(submitted.message)}", status_code=303)


@router.get("/portal/complaint", response_class=HTMLResponse)
async def complaint_page(
    request: Request, session: SessionDep, settings: SettingsDep, applicant: PageApplicantDep, error: str = ""
) -> Response:
    offices = (await session.scalars(select(Office).order_by(Office.code))).all()
    mine = (
        await session.scalars(select(Case).where(Case.applicant_id == applicant.id, Case.service != "complaint"))
    ).all()
    return templates.TemplateResponse(
        request,
        "pages/complaint/complaint_form.html",
        {
            "offices": offices,
            "cases": mine,
            "error": error,
            "errors": getattr(request.state, "errors", {}),
            "values": getattr(request.state, "form", {}),
            "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
        },
        status_code=422 if error else 200,
    )


@router.post("/portal/complaint", response_class=HTMLResponse, response_model=None)
async def file_complaint(
    request: Request,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    applicant: PageApplicantDep,
    _csrf: CsrfDep,
) -> Response:
    form = dict((await request.form()).items())
    request.state.form = {key: str(value) for key, value in form.items() if key != "csrf"}
    try:
        complaint = complaints.ComplaintCreate.model_validate(
            {
                "office_code": form.get("office_code", ""),
                "channel": "portal",
                "text": form.get("text", ""),
                "case_id": form.get("case_id", ""),
            }
        )
        filed = await complaints.file_complaint(
            session=session, temporal=temporal, settings=settings, request=complaint, staff=None, applicant=applicant
        )
    except ValidationError as invalid:
        request.state.errors = form_errors(invalid, lambda location: location or "form")
        return await complaint_page(request, session, settings, applicant, _(INVALID))
    except ServiceError as refused:
        return await complaint_page(request, session, settings, applicant, refused.message)
    return RedirectResponse(f"/portal/cases/{filed.id}?done={quote(filed.message)}", status_code=303)


@router.get("/portal/cases/{case_id}", response_class=HTMLResponse)
async def portal_case(
    request: Request, case_id: str, session: SessionDep, settings: SettingsDep, applicant: PageApplicantDep
) -> Response:
    return await render_portal_case(request, session, settings, applicant, case_id)


async def upload_document(
    name: str, form: dict[str, Any], case: Case, applicant: Applicant, *, session: Any, temporal: Any, settings: Any
) -> None:
    """Store the applicant's PDF of kind ``name`` and tell the workflow."""
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise Invalid(_("Pilih berkas PDF yang akan diunggah."))
    data = await file.read(settings.max_upload_bytes + 1)
    await store_upload(
        session=session,
        temporal=temporal,
        settings=settings,
        case=case,
        actor=actor_of(applicant, case),
        kind=name,
        filename=file.filename,
        data=data,
        allowed=sales.APPLICANT_UPLOADS,
        attach=SaleWorkflow.attach_document,
        idempotency_key=str(form.get("idempotency_key") or "") or None,
    )


VISIBLE_DOCUMENTS = {"invoice", "sppd_draft", "sample", "receipt", "recommendation_letter"}


@router.get("/portal/cases/{case_id}/documents/{document_id}")
async def portal_document(
    case_id: str, document_id: int, session: SessionDep, settings: SettingsDep, applicant: PageApplicantDep
) -> FileResponse:
    case = await own_case(session, applicant, case_id)
    document = await sales.document_of(session=session, case=case, document_id=document_id, kinds=VISIBLE_DOCUMENTS)
    return FileResponse(sales.document_path(settings, document), filename=document.filename)


@router.post("/portal/cases/{case_id}/actions/{name}", response_class=HTMLResponse, response_model=None)
async def portal_action(
    request: Request,
    case_id: str,
    name: str,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    applicant: PageApplicantDep,
    _csrf: CsrfDep,
) -> Response:
    case = await own_case(session, applicant, case_id)
    form = dict((await request.form()).items())
    if name in sales.APPLICANT_UPLOADS:
        if name not in _uploads_open(case):
            message = _("Aksi ini tidak tersedia pada tahap sekarang; muat ulang halaman.")
            return await render_portal_case(request, session, settings, applicant, case_id, message, 409)
        try:
            await upload_document(name, form, case, applicant, session=session, temporal=temporal, settings=settings)
        except ServiceError as refused:
            return await render_portal_case(
                request, session, settings, applicant, case_id, refused.message, refused.status
            )
        except WorkflowUpdateFailedError as refused_update:
            reason = update_failure_message(refused_update)
            return await render_portal_case(request, session, settings, applicant, case_id, reason, 409)
        return RedirectResponse(f"/portal/cases/{case_id}?done={quote(_('Dokumen terkirim.'))}", status_code=303)
    outcome = await submit_form(
        session=session, temporal=temporal, settings=settings, case=case, principal=applicant, name=name, form=form
    )
    if outcome.failed is not None:
        return await render_portal_case(
            request, session, settings, applicant, case_id, outcome.message, outcome.status, failed=outcome.failed
        )
    done = _(DONE.get(name, N_("Tersimpan.")))
    if name == "new_link" and outcome.result is not None:
        done = _("Tautan baru: %(link)s") % {"link": f"{settings.public_base_url}/unduh/{outcome.result.detail}"}
    return RedirectResponse(f"/portal/cases/{case_id}?done={quote(done)}", status_code=303)
