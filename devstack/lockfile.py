"""Writes requirements.lock: every package the application needs at run time (the ``[project] dependencies`` of
pyproject.toml and what they require, markers evaluated for this Python on Linux), pinned to the version installed
in this virtualenv. The Docker image installs exactly these, in a layer of their own, before the project's code.

    .venv/bin/python -m devstack.lockfile > requirements.lock
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from core.settings import PROJECT_ROOT


def _closure(roots: list[Requirement]) -> dict[str, str]:
    """Name → installed version of every distribution ``roots`` need, with the extras they ask for."""
    pinned: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    pending = [(requirement, frozenset(requirement.extras)) for requirement in roots]
    while pending:
        requirement, extras = pending.pop()
        name = canonicalize_name(requirement.name)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        distribution = metadata.distribution(requirement.name)
        pinned[name] = distribution.version
        for line in distribution.requires or []:
            needed = Requirement(line)
            wanted = needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in (extras or {""})
            )
            if wanted:
                pending.append((needed, frozenset(needed.extras)))
    return pinned


def main() -> int:
    """Print the lock file."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    pinned = _closure([Requirement(line) for line in project["dependencies"]])
    print("# The application's run-time packages, pinned (written by: python -m devstack.lockfile > requirements.lock)")
    for name in sorted(pinned):
        print(f"{name}=={pinned[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
