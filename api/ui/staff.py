"""Staff pages: the inbox, and on the case page a form for each action open to me now."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import UploadFile
from temporalio.client import WorkflowUpdateFailedError

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import Invalid, NotFound, ServiceError, update_failure_message
from api.services import cases, dashboard, inbox, recommendations, reports
from api.services.uploads import store_upload
from api.ui.pages import templates
from api.ui.session import SESSION_COOKIE, CsrfDep, PageStaffDep, csrf_token
from contracts.case import Actor, CompletenessCheck
from contracts.complaint import ComplaintResolution
from contracts.documents import PriceLine
from contracts.recommendation import Examination, ExaminerAssignment
from contracts.sale import (
    AbstractReview,
    Delivery,
    FollowUpRecord,
    Offer,
    PaymentRecord,
    ReceiptIssue,
    SignedSppdReview,
    SppdReceived,
    TransferReview,
)
from core.enums import STEP_LABELS, Role, Service
from core.models import Case, Document, StaffAccount, Tariff, utcnow
from core.validators import validate_ntpn
from workflows.complaint import ComplaintWorkflow
from workflows.recommendation import RecommendationWorkflow
from workflows.sale import SaleWorkflow

router = APIRouter(include_in_schema=False)
Form = dict[str, Any]


@dataclass(frozen=True)
class Field:
    """One input of an action form."""

    name: str
    label: str
    kind: str = "text"  # text | textarea | number | date | select | checkbox | file
    options: tuple[tuple[str, str], ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Action:
    """An action a role may take on a case in a step, and how its form becomes a workflow Update."""

    name: str
    label: str
    service: str
    steps: frozenset[str]
    role: str
    send: Callable[[Form, Actor, Case, Any], Awaitable[None]]
    fields: tuple[Field, ...] = field(default_factory=tuple)


def _text(form: Form, name: str) -> str:
    return str(form.get(name, "") or "").strip()


async def _sale(context: Any, case: Case, update: Any, message: Any) -> None:
    await cases.act(
        session=context.session, temporal=context.temporal, case=case, update=update, message=message,
        idempotency_key=context.idempotency_key,
    )  # fmt: skip


async def _upload(context: Any, case: Case, actor: Actor, form: Form, name: str, kind: str) -> int:
    file = form.get(name)
    if not isinstance(file, UploadFile) or not file.filename:
        raise Invalid(f"Pilih berkas untuk '{name}'.")
    data = await file.read(context.settings.max_upload_bytes + 1)
    stored = await store_upload(
        session=context.session, temporal=context.temporal, settings=context.settings, case=case, actor=actor,
        kind=kind, filename=file.filename, data=data, allowed={kind}, attach=None,
    )  # fmt: skip
    return stored.id


async def _completeness(form: Form, actor: Actor, case: Case, context: Any) -> None:
    update = (
        SaleWorkflow.check_completeness if case.service == Service.SALE else RecommendationWorkflow.check_completeness
    )
    complete = _text(form, "decision") == "complete"
    await _sale(context, case, update, CompletenessCheck(actor, complete, _text(form, "missing")))


async def _abstract(form: Form, actor: Actor, case: Case, context: Any) -> None:
    message = AbstractReview(decision=_text(form, "decision"), actor=actor, reason=_text(form, "reason"))
    await _sale(context, case, SaleWorkflow.review_abstract, message)


async def _offer(form: Form, actor: Actor, case: Case, context: Any) -> None:
    try:
        quantity = int(_text(form, "quantity") or "0")
    except ValueError as error:
        raise Invalid("Jumlah harus bilangan bulat.") from error
    file = form.get("sample")
    sample = None
    if isinstance(file, UploadFile) and file.filename:
        sample = await _upload(context, case, actor, form, "sample", "sample")
    line = PriceLine(item=_text(form, "item"), tariff_code=_text(form, "tariff_code"), quantity=quantity)
    zero = bool(form.get("zero_rupiah"))
    message = Offer(actor, [line], sample, zero_rupiah=zero, institution=case.applicant_institution)
    await _sale(context, case, SaleWorkflow.make_offer, message)


async def _payment(form: Form, actor: Actor, case: Case, context: Any) -> None:
    ntpn = _text(form, "ntpn")
    try:
        ntpn = validate_ntpn(ntpn) if ntpn else ""
    except ValueError as error:
        raise Invalid(str(error)) from error
    method = "simponi" if ntpn else "cash"
    await _sale(context, case, SaleWorkflow.record_payment, PaymentRecord(actor, method, ntpn))


async def _transfer(form: Form, actor: Actor, case: Case, context: Any) -> None:
    message = TransferReview(actor, _text(form, "decision") == "accept", _text(form, "reason"))
    await _sale(context, case, SaleWorkflow.review_transfer, message)


async def _sppd(form: Form, actor: Actor, case: Case, context: Any) -> None:
    method = "on_site" if case.channel == "walk_in" else "post"
    message = SppdReceived(actor, method, _text(form, "received_on"), _text(form, "tracking_number"))
    await _sale(context, case, SaleWorkflow.record_sppd, message)


async def _signed_sppd(form: Form, actor: Actor, case: Case, context: Any) -> None:
    message = SignedSppdReview(actor, _text(form, "decision") == "accept", _text(form, "reason"))
    await _sale(context, case, SaleWorkflow.review_signed_sppd, message)


async def _receipt(form: Form, actor: Actor, case: Case, context: Any) -> None:
    await _sale(context, case, SaleWorkflow.issue_receipt, ReceiptIssue(actor))


async def _delivery(form: Form, actor: Actor, case: Case, context: Any) -> None:
    package = await _upload(context, case, actor, form, "package", "data_package")
    await _sale(context, case, SaleWorkflow.deliver, Delivery(actor, package))


async def _follow_up(form: Form, actor: Actor, case: Case, context: Any) -> None:
    await _sale(context, case, SaleWorkflow.record_follow_up, FollowUpRecord(actor, _text(form, "note")))


async def _assign(form: Form, actor: Actor, case: Case, context: Any) -> None:
    examiner = await recommendations.examiner_of(session=context.session, case=case, email=_text(form, "examiner"))
    await _sale(context, case, RecommendationWorkflow.assign_examiner, ExaminerAssignment(actor, examiner))


async def _examine(form: Form, actor: Actor, case: Case, context: Any) -> None:
    message = Examination(actor, _text(form, "decision") == "recommend", _text(form, "notes"))
    await _sale(context, case, RecommendationWorkflow.examine, message)


async def _resolve(form: Form, actor: Actor, case: Case, context: Any) -> None:
    message = ComplaintResolution(actor, _text(form, "response"))
    await _sale(context, case, ComplaintWorkflow.resolve, message)


DECIDE = Field("decision", "Keputusan", "select", required=True)
REASON = Field("reason", "Alasan (wajib bila ditolak; dikirim ke pemohon)", "textarea")
ACTIONS: tuple[Action, ...] = (
    Action("completeness", "Pemeriksaan kelengkapan", Service.SALE, frozenset({"completeness"}), Role.OFFICER,
           _completeness, (Field("decision", "Hasil", "select", (("complete", "Jelas dan lengkap"),
                                                                  ("incomplete", "Belum lengkap"))),
                           Field("missing", "Yang kurang (dikirim ke pemohon)", "textarea"))),
    Action("abstract", "Pemeriksaan abstraksi", Service.SALE, frozenset({"abstract_review"}), Role.OFFICER, _abstract,
           (Field("decision", "Keputusan", "select", (("approve", "Sesuai"), ("reject", "Tidak sesuai"))), REASON)),
    Action("offer", "Contoh data, invoice dan SPPD", Service.SALE, frozenset({"offer"}), Role.OFFICER, _offer,
           (Field("item", "Item (dataset/peta/publikasi)", required=True), Field("tariff_code", "Tarif", "select"),
            Field("quantity", "Jumlah (byte, halaman atau peta)", "number", required=True),
            Field("sample", "Contoh data (data mikro)", "file"), Field("zero_rupiah", "Penjualan Rp0", "checkbox"))),
    Action("payment", "Catat pembayaran", Service.SALE, frozenset({"payment"}), Role.TREASURER, _payment,
           (Field("ntpn", "NTPN (kosongkan bila tunai)"),)),
    Action("transfer", "Periksa bukti transfer", Service.SALE, frozenset({"payment"}), Role.TREASURER, _transfer,
           (Field("decision", "Keputusan", "select", (("accept", "Terima"), ("reject", "Tolak"))), REASON)),
    Action("sppd", "SPPD asli diterima", Service.SALE, frozenset({"sppd"}), Role.OFFICER, _sppd,
           (Field("received_on", "Tanggal terima", "date"), Field("tracking_number", "Nomor resi"))),
    Action("signed_sppd", "Periksa SPPD e-meterai", Service.SALE, frozenset({"sppd"}), Role.OFFICER, _signed_sppd,
           (Field("decision", "Keputusan", "select", (("accept", "Terima"), ("reject", "Tolak"))), REASON)),
    Action("receipt", "Terbitkan kuitansi", Service.SALE, frozenset({"receipt"}), Role.TREASURER, _receipt),
    Action("delivery", "Kirim data", Service.SALE, frozenset({"delivery"}), Role.OFFICER, _delivery,
           (Field("package", "Paket data", "file", required=True),)),
    Action("follow_up", "Catat tindak lanjut penilaian", Service.SALE, frozenset({"support"}), Role.OFFICER,
           _follow_up, (Field("note", "Tindak lanjut", "textarea", required=True),)),
    Action("resolve", "Tanggapi pengaduan", Service.COMPLAINT, frozenset({"response"}), Role.OFFICER, _resolve,
           (Field("response", "Tanggapan (dikirim ke pelapor)", "textarea", required=True),)),
    Action("resolve_supervisor", "Tanggapi pengaduan", Service.COMPLAINT, frozenset({"response"}), Role.SUPERVISOR,
           _resolve, (Field("response", "Tanggapan (dikirim ke pelapor)", "textarea", required=True),)),
    Action("rec_completeness", "Pemeriksaan kelengkapan FS3", Service.RECOMMENDATION, frozenset({"completeness"}),
           Role.OPERATOR, _completeness, (Field("decision", "Hasil", "select", (("complete", "Terekam lengkap"),
                                                                                ("incomplete", "Belum lengkap"))),
                                          Field("missing", "Yang kurang (dikirim ke instansi)", "textarea"))),
    Action("assign", "Tunjuk pemeriksa", Service.RECOMMENDATION, frozenset({"assignment"}), Role.SUPERVISOR, _assign,
           (Field("examiner", "Email pemeriksa", required=True),)),
    Action("examine", "Hasil pemeriksaan", Service.RECOMMENDATION, frozenset({"examination"}), Role.EXAMINER, _examine,
           (Field("decision", "Hasil", "select", (("recommend", "Layak: terbitkan rekomendasi"),
                                                  ("revise", "Perlu diperbaiki"))),
            Field("notes", "Catatan (wajib bila perlu diperbaiki)", "textarea"))),
)  # fmt: skip


def open_actions(case: Case, staff: StaffAccount, *, any_step: bool = False) -> list[Action]:
    """The actions my role may take on this case now, or in any step (nothing for another office)."""
    if staff.office_code != case.office_code:
        return []
    return [
        a for a in ACTIONS if a.service == case.service and (any_step or case.step in a.steps) and a.role == staff.role
    ]


@dataclass
class _Context:
    session: Any
    temporal: Any
    settings: Any
    idempotency_key: str | None = None


@router.get("/staff", response_class=HTMLResponse)
async def inbox_page(
    request: Request,
    session: SessionDep,
    staff: PageStaffDep,
    settings: SettingsDep,
    service: str = "",
    step: str = "",
    state: str = "",
    page: int = 1,
) -> Response:
    found = await inbox.inbox(session=session, staff=staff, service=service, step=step, state=state, page=page)
    return templates.TemplateResponse(
        request,
        "pages/inbox.html",
        {"inbox": found, "staff": staff, "filters": {"service": service, "step": step, "state": state},
         "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, ""))},
    )  # fmt: skip


async def tariff_options(session: Any) -> tuple[tuple[str, str], ...]:
    """The active tariffs as form options."""
    rows = (await session.scalars(select(Tariff).where(Tariff.active.is_(True)).order_by(Tariff.code))).all()
    return tuple((row.code, row.name) for row in rows)


async def render_case(
    request: Request, session: Any, settings: Any, staff: StaffAccount, case_id: str, error: str = "", status: int = 200
) -> Response:
    """The case page with the timeline and the forms of the actions open to me."""
    case_view = await cases.read_case(session=session, settings=settings, staff=staff, case_id=case_id)
    case = await session.get(Case, case_id)
    tariffs = await tariff_options(session)
    documents = (
        await session.scalars(select(Document).where(Document.case_id == case_id).order_by(Document.created_at))
    ).all()
    return templates.TemplateResponse(
        request,
        "pages/case.html",
        {"case": case_view, "staff": staff, "actions": open_actions(case, staff), "tariffs": tariffs, "error": error,
         "documents": documents,
         "csrf": csrf_token(settings, request.cookies.get(SESSION_COOKIE, "")),
         "done": request.query_params.get("done")},
        status_code=status,
    )  # fmt: skip


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
    key = str(form.get("idempotency_key", "") or "")
    # A form sent again with its key (a double click, a retry) may find the step already moved: Temporal then
    # answers the first result again under the same Update id, or its validator refuses a different one.
    action = next((a for a in open_actions(case, staff, any_step=bool(key)) if a.name == name), None)
    if action is None:
        message = "Aksi ini tidak tersedia untuk peran Anda pada tahap sekarang; muat ulang halaman."
        return await render_case(request, session, settings, staff, case_id, message, 409)
    actor = Actor(name=staff.email, role=staff.role, office_code=staff.office_code)
    try:
        context = _Context(session, temporal, settings, cases.checked_idempotency_key(key))
        await action.send(form, actor, case, context)
    except ServiceError as refused:
        return await render_case(request, session, settings, staff, case_id, refused.message, refused.status)
    except ValidationError as invalid:
        return await render_case(request, session, settings, staff, case_id, str(invalid), 422)
    except WorkflowUpdateFailedError as refused_update:
        reason = update_failure_message(refused_update)
        return await render_case(request, session, settings, staff, case_id, reason, 409)
    await session.refresh(case)
    return RedirectResponse(f"/staff/cases/{case_id}?done={STEP_LABELS.get(case.step, case.step)}", status_code=303)


@router.get("/staff/reports", response_class=HTMLResponse)
async def reports_page(request: Request, session: SessionDep, staff: PageStaffDep, month: str = "") -> Response:
    chosen = month or utcnow().strftime("%Y-%m")
    report = await reports.month_report(session=session, staff=staff, month=chosen)
    widest = max([row.submitted for row in report.services] + [1])
    return templates.TemplateResponse(
        request, "pages/reports.html", {"report": report, "widest": widest, "staff": staff}
    )


@router.get("/staff/dashboard", response_class=HTMLResponse)
async def dashboard_page(request: Request, session: SessionDep, staff: PageStaffDep) -> Response:
    board = await dashboard.dashboard(session=session, staff=staff)
    return templates.TemplateResponse(request, "pages/dashboard.html", {"board": board, "staff": staff})


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
