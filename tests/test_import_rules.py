"""Who may import whom (DESIGN.md): core imports nothing of the project; contracts only core's enums;
activities only core and contracts; nothing imports the tests. A violation names the file and the import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"core", "contracts", "workflows", "activities", "api", "devstack", "migrations", "worker", "cli", "tests"}
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "contracts": {"contracts", "core.enums"},
    "activities": {"activities", "core", "contracts"},
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return [name for name in names if name.split(".")[0] in PROJECT]


def _allowed(name: str, allowed: set[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in allowed)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_what_it_may(package: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in _imports(path)
        if not _allowed(name, ALLOWED[package])
    ]
    assert wrong == []


def test_the_rule_catches_an_activity_that_imports_a_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from workflows.sale import SaleWorkflow\nimport json\nfrom core.db import SessionFactory\n")
    assert [name for name in _imports(bad) if not _allowed(name, ALLOWED["activities"])] == ["workflows.sale"]
