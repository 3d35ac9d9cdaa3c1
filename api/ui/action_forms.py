"""The HTML form of a case action: parsed into the action's input model, sent through the action layer; a
refusal comes back with each error beside its field and the person's input kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_origin

from annotated_types import MaxLen, MinLen
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile
from temporalio.client import Client, WorkflowUpdateFailedError

from api.errors import FieldInvalid, Invalid, ServiceError, update_failure_message, validation_errors
from api.sale_schemas import ActionRead
from api.services import cases
from api.services.actions import (
    FORM_ONLY_FIELDS,
    ActionContext,
    CaseAction,
    Consequence,
    Principal,
    actor_of,
    parse_form,
    perform,
    role_of,
)
from api.services.case_actions import action_named
from api.services.uploads import store_upload
from core.i18n import N_
from core.i18n import gettext as _
from core.models import Case, StaffAccount
from core.settings import Settings

NOT_OPEN_TO_STAFF = N_("Aksi ini tidak tersedia untuk peran Anda pada tahap sekarang; muat ulang halaman.")
NOT_OPEN_TO_APPLICANT = N_("Aksi ini tidak tersedia pada tahap sekarang; muat ulang halaman.")
INVALID = N_("Ada isian yang belum benar; perbaiki yang ditandai lalu kirim lagi.")
UNANSWERED = N_("Pilih salah satu jawaban.")


@dataclass
class FailedForm:
    """A refused form: which action, the message of each field, what the person typed."""

    action: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    def context(self) -> dict[str, Any]:
        """What the page template reads: errors and values by action name."""
        if not self.action:
            return {"field_errors": {}, "form_values": {}}
        return {"field_errors": {self.action: self.errors}, "form_values": {self.action: self.values}}


@dataclass
class Confirmation:
    """A decision that cannot be undone, held for the person to confirm: what it will do, and the form as sent
    (the same idempotency key, so confirming twice acts once)."""

    action: str
    label: str
    consequence: Consequence
    values: dict[str, str]


@dataclass
class FormOutcome:
    """The answer of the action, why the form was refused (message and HTTP status), or what to confirm first."""

    result: ActionRead | None = None
    failed: FailedForm | None = None
    message: str = ""
    status: int = 200
    confirm: Confirmation | None = None


async def submit_form(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    case: Case,
    principal: Principal,
    name: str,
    form: dict[str, Any],
) -> FormOutcome:
    """Take the action ``name`` of the case from its HTML form, as the JSON route would from its body."""
    values = {key: str(value) for key, value in form.items() if not isinstance(value, UploadFile)}
    values = {key: value for key, value in values.items() if key not in FORM_ONLY_FIELDS}
    failed = FailedForm(name, {}, values)
    if form.get("revise"):  # "Ubah jawaban" on the confirmation: the form again, as the person filled it
        return FormOutcome(failed=failed, status=200)
    try:
        action = action_named(case.service, name)
        key = cases.checked_idempotency_key(str(form.get("idempotency_key", "") or "") or None)
        if not action.on_closed:  # a closed case says so in words, not "not available" (a reopen is taken on one)
            await cases.ensure_open(session=session, case=case)
        # A form sent again with its key may find the step moved on: Temporal answers the first result again.
        if not key and not action.open_to(case, role_of(principal)):
            message = _(NOT_OPEN_TO_STAFF if isinstance(principal, StaffAccount) else NOT_OPEN_TO_APPLICANT)
            return FormOutcome(failed=failed, message=message, status=409)
        files = {field: form[field] for field, _kind in action.uploads if _chosen(form.get(field))}
        parse_form(action.model, {**values, **dict.fromkeys(files, "1")})  # other fields first; "1" stands in for an id
        stored = await _store(
            action, files, key, session=session, temporal=temporal, settings=settings, case=case, principal=principal
        )
        body = parse_form(action.model, {**values, **stored})
        if action.confirm is not None and not form.get("confirmed"):
            # Files are stored (once per key) before the question, so the confirmation carries their ids.
            consequence = await action.confirm(session=session, case=case, body=body)
            if consequence is not None:
                kept = {**values, **stored, "idempotency_key": key or ""}
                return FormOutcome(confirm=Confirmation(action.name, action.label, consequence, kept))
        context = ActionContext(session, temporal, settings, key)
        result = await perform(action, context=context, case=case, principal=principal, body=body)
    except ValidationError as invalid:
        errors = {item["field"]: item["message"] for item in validation_errors(invalid.errors())}
        failed.errors = _with_unanswered(action.model, values, errors)
        return FormOutcome(failed=failed, message=_(INVALID), status=422)
    except FieldInvalid as refused_field:
        failed.errors = {refused_field.field: refused_field.message}
        return FormOutcome(failed=failed, message=_(INVALID), status=refused_field.status)
    except ServiceError as refused:
        return FormOutcome(failed=failed, message=refused.message, status=refused.status)
    except WorkflowUpdateFailedError as refused_update:
        return FormOutcome(failed=failed, message=update_failure_message(refused_update), status=409)
    return FormOutcome(result=result)


def _fixed_lists(model: type[BaseModel]) -> dict[str, int]:
    """The model's list fields of a fixed length (the nine elements of a rating): name → length."""
    fixed: dict[str, int] = {}
    for name, info in model.model_fields.items():
        if get_origin(info.annotation) is not list:
            continue
        low = next((rule.min_length for rule in info.metadata if isinstance(rule, MinLen)), None)
        high = next((rule.max_length for rule in info.metadata if isinstance(rule, MaxLen)), None)
        if low is not None and low == high:
            fixed[name] = low
    return fixed


def _with_unanswered(model: type[BaseModel], values: dict[str, str], errors: dict[str, str]) -> dict[str, str]:
    """The errors of a refused form with one message beside each element of a fixed-length list left unanswered
    (``scores.3``) instead of one for the whole list: a form drops an unchosen radio, so the list came short."""
    for name, length in _fixed_lists(model).items():
        unanswered = [index for index in range(length) if not values.get(f"{name}.{index}", "").strip()]
        if unanswered:
            errors.pop(name, None)
            errors |= {f"{name}.{index}": _(UNANSWERED) for index in unanswered}
    return errors


def _chosen(value: Any) -> bool:
    return isinstance(value, UploadFile) and bool(value.filename)


async def _store(
    action: CaseAction,
    files: dict[str, UploadFile],
    key: str | None,
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    case: Case,
    principal: Principal,
) -> dict[str, str]:
    """Store the form's files as documents of the case, once per form key; each field becomes its document's id."""
    kinds = dict(action.uploads)
    stored: dict[str, str] = {}
    for name, file in files.items():
        data = await file.read(settings.max_upload_bytes + 1)
        try:
            document = await store_upload(
                session=session,
                temporal=temporal,
                settings=settings,
                case=case,
                actor=actor_of(principal, case),
                kind=kinds[name],
                filename=file.filename or name,
                data=data,
                allowed={kinds[name]},
                attach=None,
                idempotency_key=f"{key}:{name}" if key else None,
            )
        except Invalid as refused:  # e.g. not a PDF: said beside the file's field
            raise FieldInvalid(name, refused.message) from refused
        stored[name] = str(document.id)
    return stored
