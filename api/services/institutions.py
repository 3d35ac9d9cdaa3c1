"""The institution of an applicant or a case (resolved from the name given, or picked by the officer), what the
offer form shows of it (its type, NPWP and earlier Rp0 grants), and the Rp0 check of an offer, beside its field."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import FieldInvalid
from api.sale_schemas import OfferIn
from core.enums import InstitutionKind
from core.institutions import REQUEST_LETTER, grant_in_words, grants_of, resolve_institution, zero_rupiah_refusal
from core.models import Applicant, Case, Document, Institution

KIND_LABELS: dict[str, str] = {
    InstitutionKind.GOVERNMENT: "Instansi pemerintah",
    InstitutionKind.EDUCATION: "Lembaga pendidikan",
    InstitutionKind.PRIVATE: "Swasta",
    InstitutionKind.INTERNATIONAL: "Lembaga internasional / perwakilan asing",
}
MAX_CHOICES = 200  # the officer's list of institutions of the same type


async def link_applicant(session: AsyncSession, applicant: Applicant) -> Institution | None:
    """The applicant's institution, resolved from what the applicant entered and linked (the caller commits)."""
    if applicant.institution_id is not None:
        return await session.get(Institution, applicant.institution_id)
    institution = await resolve_institution(
        session, name=applicant.institution, segment=applicant.segment, npwp=applicant.npwp
    )
    applicant.institution_id = institution.id if institution is not None else None
    return institution


async def institution_id_for(
    session: AsyncSession, *, applicant: Applicant | None, name: str, segment: str, npwp: str = ""
) -> int | None:
    """The institution a new request speaks for: the account's, or the one a walk-in applicant named."""
    if applicant is not None:
        institution = await link_applicant(session, applicant)
    else:
        institution = await resolve_institution(session, name=name, segment=segment, npwp=npwp)
    return institution.id if institution is not None else None


async def case_institution(session: AsyncSession, case: Case) -> Institution | None:
    """The institution of the case, linked on first need for a case stored before institutions were records."""
    if case.institution_id is None:
        applicant = await session.get(Applicant, case.applicant_id) if case.applicant_id is not None else None
        npwp = str(case.details.get("npwp", "")) if isinstance(case.details, dict) else ""
        case.institution_id = await institution_id_for(
            session, applicant=applicant, name=case.applicant_institution, segment=case.segment, npwp=npwp
        )
        if case.institution_id is None:
            return None
        await session.commit()
    return await session.get(Institution, case.institution_id)


@dataclass
class OfferInstitution:
    """What the offer form shows for Rp0: the institution matched to the applicant, its earlier grants, and the
    institutions of its type for the officer to pick another."""

    matched: Institution | None
    kind: str = ""
    grants: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)
    letter: str = ""  # the request letter already stored on the case, by file name


async def offer_institution(*, session: AsyncSession, case: Case) -> OfferInstitution:
    """The Rp0 part of the offer form of ``case``."""
    matched = await case_institution(session, case)
    letter = await _latest_letter(session, case)
    if matched is None:
        return OfferInstitution(None, letter=letter.filename if letter else "")
    grants = [await grant_in_words(session, grant) for grant in await grants_of(session, matched.id)]
    others = await session.scalars(
        select(Institution)
        .where(Institution.kind == matched.kind, Institution.id != matched.id)
        .order_by(Institution.name)
        .limit(MAX_CHOICES)
    )
    choices = [(str(row.id), _label(row)) for row in [matched, *others.all()]]
    return OfferInstitution(
        matched, KIND_LABELS.get(matched.kind, matched.kind), grants, choices, letter.filename if letter else ""
    )


def _label(institution: Institution) -> str:
    return institution.name + (f" (NPWP {institution.npwp})" if institution.npwp else "")


async def _latest_letter(session: AsyncSession, case: Case) -> Document | None:
    return await session.scalar(
        select(Document)
        .where(Document.case_id == case.id, Document.kind == REQUEST_LETTER)
        .order_by(Document.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class ZeroRupiahOffer:
    """A Rp0 offer as checked: the institution (by id) and its request letter (a document of the case)."""

    institution_id: int
    request_letter_id: int


async def check_zero_rupiah(*, session: AsyncSession, case: Case, body: OfferIn) -> ZeroRupiahOffer | None:
    """None for a priced offer; for Rp0 the institution the officer confirmed (it becomes the case's) and the
    letter, or FieldInvalid beside the field at fault (no letter, an ineligible institution, an earlier grant)."""
    if not body.zero_rupiah:
        return None
    institution_id = body.institution_id
    if institution_id is None:
        matched = await case_institution(session, case)
        institution_id = matched.id if matched is not None else None
    letter_id = body.request_letter_document_id
    if letter_id is None:
        letter = await _latest_letter(session, case)
        letter_id = letter.id if letter is not None else None
    refusal = await zero_rupiah_refusal(
        session,
        case_id=case.id,
        institution_id=institution_id,
        datasets=[line.item for line in body.lines],
        request_letter_id=letter_id,
    )
    if refusal is not None:
        raise FieldInvalid(refusal.field, refusal.message)
    assert institution_id is not None and letter_id is not None
    if case.institution_id != institution_id:
        case.institution_id = institution_id  # the officer's pick is the case's institution from now on
        await session.commit()
    return ZeroRupiahOffer(institution_id, letter_id)
