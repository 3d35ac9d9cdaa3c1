"""A corrected delivery inside its step's transaction (seed 004, walk-in step 12): the corrected package is checked
to be the case's own data package, and a walk-in guest without an account gets the receipt reprinted with a new
download code. The new link is written by the step's link effect; the earlier links stop serving the earlier
package because the newest link of the case names the corrected one (api/services/downloads.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.exceptions import ApplicationError

from activities.documents import DocumentWriter
from contracts.documents import CorrectionRequest
from core.models import Document

DATA_PACKAGE = "data_package"


async def record_correction(
    session: AsyncSession, documents: DocumentWriter, request: CorrectionRequest
) -> dict[str, str]:
    """Check the corrected package and reprint a guest's receipt with a new code; what the step's mails may name."""
    package = await session.get(Document, request.document_id)
    if package is None or package.case_id != request.case_id or package.kind != DATA_PACKAGE:
        raise ApplicationError(
            f"Dokumen #{request.document_id} bukan paket data permintaan {request.case_id}", non_retryable=True
        )
    reprinted = await documents.receipt_with_new_code(session, request.case_id, request.sequence)
    return {"reprinted_receipt": reprinted}
