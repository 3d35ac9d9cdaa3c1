"""One action layer: every person's action on a case is a ``CaseAction``.

A ``CaseAction`` has one Pydantic input model, read from the JSON body by its route and from the HTML form
by ``parse_form`` (same field names, so a form error and an API 422 name the same fields with the same
messages), and one service function that builds the workflow message and sends the Update. Who may take
it in which step is the workflow's own ``ActionRule`` (contracts), so the pages offer what the validators
accept. ``perform`` checks the person first, then calls the service function.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.errors import Conflict, Forbidden
from api.sale_schemas import ActionRead
from api.services.cases import act, ensure_open, ensure_same_office
from contracts.case import ActionRule, Actor
from core.enums import ActorKind
from core.i18n import gettext as _
from core.models import Applicant, Case, StaffAccount
from core.people import applicant_ref, staff_ref
from core.settings import Settings

Principal = StaffAccount | Applicant
FORM_ONLY_FIELDS = {"csrf", "idempotency_key", "confirmed", "revise"}  # the form's own, not the model's


@dataclass
class ActionContext:
    """What taking an action needs besides the case and the person: the session, Temporal, the settings, the
    request's idempotency key."""

    session: AsyncSession
    temporal: Client
    settings: Settings
    idempotency_key: str | None


@dataclass
class ActionCall:
    """What a service function of an action gets: the case, who acts, the validated input and the key."""

    session: AsyncSession
    temporal: Client
    settings: Settings
    case: Case
    actor: Actor
    body: Any
    idempotency_key: str | None
    on_closed: bool = False  # the action is taken on a closed case (a supervisor's reopen)

    async def send(self, update: Any, message: Any) -> ActionRead:
        """Send ``message`` to the case's workflow as the Update ``update``, under the call's idempotency key."""
        return await act(
            session=self.session,
            temporal=self.temporal,
            case=self.case,
            update=update,
            message=message,
            idempotency_key=self.idempotency_key,
            on_closed=self.on_closed,
        )


@dataclass(frozen=True)
class Consequence:
    """What a decision that cannot be undone will do, shown for the person to confirm before it is sent: the
    answers as given, what follows, and the words of the button that confirms."""

    consequence: str
    button: str
    answers: list[tuple[str, str]] = field(default_factory=list)
    total: str = ""  # e.g. an offer's total in Rupiah


class Confirm(Protocol):
    """Whether ``body`` on ``case`` is a decision to confirm first, and what it will do (None: send at once)."""

    def __call__(self, *, session: AsyncSession, case: Case, body: Any) -> Awaitable[Consequence | None]: ...


class Send(Protocol):
    """The service function of an action: builds the workflow message from ``call.body`` and sends the Update."""

    def __call__(self, *, call: ActionCall) -> Awaitable[ActionRead]: ...


@dataclass(frozen=True)
class CaseAction:
    """A person's action on a case of one service: its form, its input model, its rule and its service function."""

    name: str  # in the URL of its form, e.g. "completeness"
    label: str  # the heading of its form
    service: str
    rule: ActionRule  # the workflow's rule for the Update it sends
    model: type[BaseModel]
    send: Send
    applies: Callable[[Case], bool] = field(default=lambda case: True)  # what else the case must be
    uploads: tuple[tuple[str, str], ...] = ()  # (form field, document kind): a file stored first, then its id
    guard: Callable[[Case], None] = field(default=lambda case: None)  # raises a clearer refusal first
    confirm: Confirm | None = None  # a page asks the person to confirm what cannot be undone
    on_closed: bool = False  # taken on a closed case (a supervisor's reopen): the case need not be open

    def open_to(self, case: Case, role: str) -> bool:
        """Whether ``role`` may take this action on ``case`` now."""
        return case.service == self.service and self.rule.allows(case.step, role) and self.applies(case)


def actor_of(principal: Principal, case: Case) -> Actor:
    """The actor a person is on ``case``: staff of its office, or the applicant whose case it is."""
    if isinstance(principal, StaffAccount):
        ensure_same_office(principal, case)
        return Actor(name=staff_ref(principal.id), role=principal.role, office_code=principal.office_code)
    if case.applicant_id != principal.id:
        raise Forbidden(_("Permintaan ini bukan milik akun Anda."))
    return Actor(name=applicant_ref(principal.id), role=ActorKind.APPLICANT, office_code=case.office_code)


def role_of(principal: Principal) -> str:
    """The role a person acts in: a staff role, or the applicant."""
    return principal.role if isinstance(principal, StaffAccount) else ActorKind.APPLICANT


def open_actions(actions: tuple[CaseAction, ...], case: Case, principal: Principal) -> list[CaseAction]:
    """The actions of ``actions`` that the person may take on the case now (none on another office's case)."""
    if isinstance(principal, StaffAccount) and principal.office_code != case.office_code:
        return []
    if isinstance(principal, Applicant) and case.applicant_id != principal.id:
        return []
    return [action for action in actions if action.open_to(case, role_of(principal))]


async def perform(
    action: CaseAction, *, context: ActionContext, case: Case, principal: Principal, body: BaseModel
) -> ActionRead:
    """Take ``action`` on ``case`` as ``principal``: check who may act now, then send its Update.

    A request sent again with its idempotency key goes through even if the step has moved on: Temporal answers
    the first result again under the same Update id.
    """
    actor = actor_of(principal, case)
    action.guard(case)
    if not action.on_closed:  # a closed case says so, in words, before a step's refusal
        await ensure_open(session=context.session, case=case)
    if not context.idempotency_key and not action.open_to(case, actor.role):
        refusal = action.rule.refusal(case.id, case.step, actor.role)
        raise Conflict(refusal or _("Aksi ini tidak berlaku untuk permintaan ini pada tahap sekarang."))
    key = context.idempotency_key
    call = ActionCall(context.session, context.temporal, context.settings, case, actor, body, key, action.on_closed)
    return await action.send(call=call)


def parse_form(model: type[BaseModel], form: dict[str, Any]) -> BaseModel:
    """The action's input model from an HTML form whose field names are the model's (``lines.0.item`` for a
    nested field); raises pydantic's ValidationError with the same locations as the JSON body's."""
    data: dict[str, Any] = {}
    for name, value in form.items():
        if name in FORM_ONLY_FIELDS or value is None or value == "":
            continue
        _put(data, name.split("."), value)
    return model.model_validate(_lists(data))


def _put(data: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def _lists(node: Any) -> Any:
    """Dicts keyed 0, 1, 2… (from ``lines.0.item``) become lists."""
    if not isinstance(node, dict):
        return node
    converted = {key: _lists(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted
