"""Nodes & Nations: the helper package every lesson imports in one line.

    from chipcourse import data, charts, widgets, checks, nodes

``data``, ``charts``, ``widgets`` and ``checks`` are shared by every lesson. A name such
as ``nodes`` is a lesson's own model: the file ``chipcourse/lessons/nodes/nodes.py``
(each lesson's code lives in ``chipcourse/lessons/<topic>/``; see
docs/adding-a-lesson.md). Importing the package does nothing else.
"""

from pathlib import Path as _Path

_HERE = _Path(__file__).resolve().parent


def __getattr__(name: str):
    # Only for names that are not modules of this package: those the import system loads.
    if name.startswith("_") or (_HERE / f"{name}.py").exists() or (_HERE / name / "__init__.py").exists():
        raise AttributeError(f"module 'chipcourse' has no attribute {name!r}")
    from .lessons import model

    return model(name)
