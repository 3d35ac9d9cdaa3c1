"""Roles and text at the edges: only the officer uploads the data an applicant receives; text fields refuse invisible
control and bidi-override characters with a message beside the field (and store nothing); an uploaded file's name
is cleaned before it is stored or shown."""

from __future__ import annotations

import importlib
import re
from typing import Any

import httpx
import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Connection, func, select, update
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.models import Case, Document
from core.text import REFUSED_BIDI, REFUSED_CONTROL, REFUSED_LINE_BREAK, check_line, check_lines, clean_filename
from tests.api.conftest import SALE_REQUEST, WALK_IN_REQUEST, form_csrf, submit_online
from tests.helpers import TokenAuth

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "Budi\u202efdp.exe" reads as "Budiexe.pdf"
BIDI_AND_CONTROL = ["\x00", "\x07", "\x1b", "\x7f", "\x85", *(chr(code) for code in range(0x202A, 0x202F))]
BIDI_AND_CONTROL += [chr(code) for code in range(0x2066, 0x206A)]


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize("char", BIDI_AND_CONTROL)
def test_one_line_and_multi_line_texts_refuse_control_and_bidi_characters(char: str) -> None:
    for check in (check_line, check_lines):
        with pytest.raises(ValueError) as refused:
            check(f"Budi{char}Santoso")
        assert str(refused.value) in (REFUSED_BIDI, REFUSED_CONTROL)


def test_multi_line_texts_keep_line_breaks_and_tabs_one_line_texts_do_not() -> None:
    text = "Baris pertama\r\nBaris kedua\n\tmenjorok"
    assert check_lines(text) == text
    with pytest.raises(ValueError, match=REFUSED_LINE_BREAK):
        check_line(text)
    assert (
        check_line("Bappeda Kab. Belitung Timur — ok, ékspor “kutip”")
        == "Bappeda Kab. Belitung Timur — ok, ékspor “kutip”"
    )


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("../../../../evil.pdf", "evil.pdf"),
        ("..\\..\\Windows\\System32\\evil.pdf", "evil.pdf"),
        ("/etc/passwd", "passwd"),
        (f"laporan{RLO}fdp.exe", "laporanfdp.exe"),
        ("nul\x00byte\x1f.pdf", "nulbyte.pdf"),
        ("  ..hidden.pdf ", "hidden.pdf"),
        ("../..", "abstract.bin"),
        ("", "abstract.bin"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_upload_names_are_cleaned(given: str, cleaned: str) -> None:
    assert clean_filename(given, "abstract.bin") == cleaned


# ---------------------------------------------------------------- the API and the pages


async def _cases(session_factory: SessionFactory) -> int:
    async with session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(Case)) or 0)


@pytest.mark.parametrize("name", ["Budi\x00Santoso", f"Budi{RLO}fdp.exe", "Budi\u2066Santoso"])
async def test_a_name_with_nul_or_bidi_override_is_refused_and_nothing_stored(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory, name: str
) -> None:
    before = await _cases(session_factory)
    request = {**WALK_IN_REQUEST, "applicant": {**WALK_IN_REQUEST["applicant"], "name": name}}  # type: ignore[dict-item]
    response = await api.post("/api/v1/sales", json=request, auth=login("6202", "officer"))

    assert response.status_code == 422, response.text
    fields = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert fields["applicant.name"] in (REFUSED_BIDI, REFUSED_CONTROL)
    assert await _cases(session_factory) == before


async def test_a_multi_line_abstract_keeps_its_lines_but_not_a_bidi_override(
    api: httpx.AsyncClient, applicant_auth: TokenAuth
) -> None:
    abstract = "Skripsi tentang kemiskinan.\r\n\tBab 1: rumah tangga di Kotawaringin Timur tahun 2025."
    refused = await api.post("/api/v1/sales", json={**SALE_REQUEST, "abstract": abstract + RLO}, auth=applicant_auth)
    accepted = await api.post("/api/v1/sales", json={**SALE_REQUEST, "abstract": abstract}, auth=applicant_auth)

    assert refused.status_code == 422
    assert {error["field"]: error["message"] for error in refused.json()["errors"]} == {"abstract": REFUSED_BIDI}
    assert accepted.status_code == 201, accepted.text


async def test_the_guest_book_says_beside_the_name_what_is_wrong(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    before = await _cases(session_factory)
    form = await api.get("/desk/6202")
    answer = await api.post(
        "/desk/6202",
        data={
            "csrf": form_csrf(form.text),
            "name": f"Ani{RLO}inA",
            "contact": "0812 1111 2222",
            "purpose": "Konsultasi data kemiskinan",
            "service": "consultation",
        },
    )

    assert answer.status_code == 422
    beside = re.search(r'id="guest-name-error"[^>]*>(.*?)</', answer.text, re.DOTALL)
    assert beside is not None and "pembalik arah tulisan" in answer.text[beside.start() : beside.start() + 400]
    assert await _cases(session_factory) == before


# ---------------------------------------------------------------- uploads


@pytest.mark.parametrize("role", ["treasurer", "examiner", "supervisor", "administrator", "operator"])
@pytest.mark.parametrize("kind", ["sample", "data_package"])
async def test_only_the_officer_uploads_a_sample_or_a_data_package(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    applicant_auth: TokenAuth,
    login: Any,
    session_factory: SessionFactory,
    role: str,
    kind: str,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)

    async def upload(as_role: str) -> httpx.Response:
        return await api.post(
            f"/api/v1/sales/{case_id}/documents",
            params={"kind": kind},
            files={"file": (f"{kind}.zip", b"PK\x03\x04data")},
            auth=login("6202", as_role),
        )

    refused = await upload(role)
    async with session_factory() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Document).where(Document.case_id == case_id, Document.kind == kind)
        )
    accepted = await upload("officer")

    assert refused.status_code == 403
    assert "hanya diunggah oleh petugas PST" in refused.json()["detail"]
    assert stored == 0
    assert accepted.status_code == 201, accepted.text


async def test_an_uploaded_file_name_is_stored_and_shown_without_its_path_or_bidi_characters(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    applicant_auth: TokenAuth,
    login: Any,
    session_factory: SessionFactory,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    traversal = await api.post(
        f"/api/v1/sales/{case_id}/documents",
        params={"kind": "sample"},
        files={"file": ("../../../../evil.pdf", b"PK\x03\x04data")},
        auth=login("6202", "officer"),
    )
    disguised = await api.post(
        f"/api/v1/sales/{case_id}/documents",
        params={"kind": "sample"},
        files={"file": (f"contoh{RLO}piz.exe", b"PK\x03\x04more")},
        auth=login("6202", "officer"),
    )
    async with session_factory() as session:
        names = set((await session.scalars(select(Document.filename).where(Document.case_id == case_id))).all())
        paths = set((await session.scalars(select(Document.path).where(Document.case_id == case_id))).all())
    page = (await api.get(f"/staff/cases/{case_id}", auth=login("6202", "officer"))).text

    assert traversal.status_code == disguised.status_code == 201
    assert traversal.json()["filename"] == "evil.pdf" and disguised.json()["filename"] == "contohpiz.exe"
    assert {"evil.pdf", "contohpiz.exe"} <= names
    assert not any(".." in path or RLO in path for path in paths)
    assert ">evil.pdf</a>" in page and ">contohpiz.exe</a>" in page  # shown as stored, in the case's file list
    assert "../" not in page and RLO not in page


async def test_names_stored_before_the_cleaning_are_cleaned_by_the_migration(
    api: httpx.AsyncClient, dev_env: WorkflowEnvironment, applicant_auth: TokenAuth, session_factory: SessionFactory
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    migration = importlib.import_module("migrations.versions.0013_clean_upload_names")

    def upgrade(connection: Connection) -> None:
        with Operations.context(MigrationContext.configure(connection)):
            migration.upgrade()

    async with session_factory() as session:
        await session.execute(
            update(Document).where(Document.case_id == case_id).values(filename=f"../../../../abs{RLO}fdp.exe")
        )
        await session.commit()
        await (await session.connection()).run_sync(upgrade)
        await session.commit()
        names = (await session.scalars(select(Document.filename).where(Document.case_id == case_id))).all()

    assert names == ["absfdp.exe"]
