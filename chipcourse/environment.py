"""The course's declared dependencies and the versions installed here.

``make test-lowest`` and ``make test-newest`` run the suite in environments resolved afresh
(the lowest and the newest versions the bounds in ``pyproject.toml`` allow); they print
what they installed with ``python -m chipcourse.environment``, one line per direct
dependency, so the README can record the versions each run tested.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

__all__ = ["split_requirement", "requirements_of", "declared", "installed", "table"]

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def split_requirement(spec: str) -> tuple[str, str]:
    """``'vl_convert-Python >=1.9,<2'`` -> ``('vl-convert-python', '>=1.9,<2')``."""
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$", spec)
    if not match:
        raise ValueError(f"{spec!r} is not a requirement such as 'numpy>=1.26,<3'")
    name, bounds = match.groups()
    return re.sub(r"[-_.]+", "-", name).lower(), bounds.split(";")[0].replace(" ", "")


def requirements_of(project: dict, extras: tuple[str, ...] = (), base: bool = True) -> dict[str, str]:
    """Name -> bounds of the ``[project]`` table's dependencies (if ``base``) and ``extras``."""
    specs = list(project.get("dependencies", [])) if base else []
    for extra in extras:
        specs += project.get("optional-dependencies", {}).get(extra, [])
    return dict(split_requirement(s) for s in specs)


def declared(pyproject: Path = PYPROJECT, extras: tuple[str, ...] = ("test",)) -> dict[str, str]:
    """Each direct dependency (and those of ``extras``) with its bounds, as pyproject states them."""
    project = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["project"]
    return requirements_of(project, extras)


def installed(names) -> dict[str, str | None]:
    """The version of each distribution installed in this environment (None if missing)."""
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def table(pyproject: Path = PYPROJECT) -> str:
    """One line per direct dependency: its name, the version installed here, its bounds."""
    wanted = declared(pyproject)
    versions = installed(wanted)
    width = max(len(n) for n in wanted)
    lines = [f"Python {sys.version.split()[0]}"]
    lines += [f"{name:<{width}}  {versions[name] or 'MISSING':<12}  {bounds}"
              for name, bounds in wanted.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
