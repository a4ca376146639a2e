"""Answers as plain data: what the grader may look at of a learner's answer.

The graded kernel imports only this module (no nbgrader, no checks): just before a test
cell runs, :func:`snapshot` turns the values the test reads into plain data (numbers,
text, lists, tables; anything else only as its type name), and the replay
(:mod:`chipcourse.replayer`) turns them back with :func:`decode`. :class:`Unsupported`
stands for an answer that is not plain data, so the checkers (:mod:`chipcourse.checking`)
and the replay can both name it.
"""

from __future__ import annotations

import importlib
import io
import json
import math
import warnings

__all__ = ["Unsupported", "encode", "decode", "snapshot", "MARK"]

#: printed by the kernel in front of a snapshot, so the grader finds it among other output
MARK = "<<chipcourse-snapshot>>"
_MAX_ITEMS = 200_000
_MAX_CHARS = 5_000_000  # characters of text in one snapshot
#: modules a snapshot may name; the replay imports its own fresh copy of each
_MODULES = ("chipcourse", "numpy", "pandas", "math", "statistics", "fractions", "decimal",
            "re", "json", "datetime", "altair", "collections", "itertools", "functools")


class Unsupported:
    """Stands in, during replay, for an answer that is not plain data."""

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self) -> str:
        return f"<an object of type {self.kind}, which cannot be graded: answer with a number, text, a list or a table>"


def encode(value, _depth: int = 0, _budget: list | None = None):
    """``value`` as JSON-ready plain data; unknown kinds become ``{"$unsupported": type}``.

    Subclasses of built-in types are reduced to their base values, so overridden
    ``__eq__``/``__float__`` methods do not travel. A value larger than the snapshot's
    budget (items, and characters of text) is not walked at all.
    """
    budget = _budget if _budget is not None else [_MAX_ITEMS, _MAX_CHARS]
    budget[0] -= 1
    if budget[0] < 0 or _depth > 20:
        return {"$unsupported": "too large"}
    kind = type(value)
    module = kind.__module__.split(".")[0]
    if value is None or value is Ellipsis:
        return {"$ellipsis": True} if value is Ellipsis else None
    if isinstance(value, bool):
        return bool.__bool__(value) if kind is bool else {"$unsupported": kind.__name__}
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        number = float.__float__(value)
        return number if math.isfinite(number) else {"$float": repr(number)}
    if isinstance(value, complex):
        return {"$complex": [encode(value.real, _depth + 1, budget), encode(value.imag, _depth + 1, budget)]}
    if isinstance(value, str):
        if len(value) > budget[1]:
            return {"$unsupported": "too large"}
        budget[1] -= len(value)
        return str.__str__(value)
    if module == "numpy":
        import numpy as np

        if isinstance(value, np.complexfloating):
            return encode(complex(value.item()), _depth + 1, budget)
        if isinstance(value, np.generic):
            return encode(value.item(), _depth + 1, budget)
        if isinstance(value, np.ndarray):
            if value.size > budget[0]:
                return {"$unsupported": "too large"}
            return {"$ndarray": encode(value.tolist(), _depth + 1, budget), "dtype": str(value.dtype)}
    if module == "pandas" and kind.__name__ in ("DataFrame", "Series"):
        import pandas as pd

        if kind not in (pd.DataFrame, pd.Series):
            return {"$unsupported": kind.__name__}
        if value.size > budget[0]:
            return {"$unsupported": "too large"}
        budget[0] -= int(value.size)
        return {"$" + kind.__name__.lower(): value.to_json(orient="table", date_format="iso",
                                                           default_handler=str)}
    if module == "pint" and hasattr(value, "magnitude"):
        return {"$quantity": [encode(value.magnitude, _depth + 1, budget), str(value.units)]}
    if kind in (list, tuple, set, frozenset, dict) and len(value) * (1 + (kind is dict)) > budget[0]:
        return {"$unsupported": "too large"}  # stop here, not after walking every item
    if kind in (list, tuple, set, frozenset):
        tag = {list: "$list", tuple: "$tuple", set: "$set", frozenset: "$set"}[kind]
        return {tag: [encode(v, _depth + 1, budget) for v in value]}
    if kind is dict:
        return {"$dict": [[encode(k, _depth + 1, budget), encode(v, _depth + 1, budget)]
                          for k, v in value.items()]}
    if kind.__name__ == "module" and isinstance(getattr(value, "__name__", None), str):
        return {"$module": value.__name__}
    return {"$unsupported": kind.__name__}


def snapshot(names: list[str]) -> str:
    """Called inside the graded kernel: the learner's values of ``names`` as JSON text."""
    from IPython import get_ipython

    shell = get_ipython()
    user_ns = shell.user_ns if shell is not None else {}
    found = {}
    for name in names:
        if name in user_ns:
            try:
                found[name] = encode(user_ns[name])
            except Exception as exc:  # a hostile object: record it as unsupported
                found[name] = {"$unsupported": f"unreadable ({type(exc).__name__})"}
    return json.dumps(found)


def decode(obj):
    """Inverse of :func:`encode` (tables come back as pandas objects)."""
    if isinstance(obj, list):
        return [decode(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "$ellipsis" in obj:
        return Ellipsis
    if "$float" in obj:
        return float(obj["$float"])
    if "$complex" in obj:
        real, imag = (decode(part) for part in obj["$complex"])
        return complex(real, imag)
    if "$list" in obj:
        return [decode(v) for v in obj["$list"]]
    if "$tuple" in obj:
        return tuple(decode(v) for v in obj["$tuple"])
    if "$set" in obj:
        return {decode(v) for v in obj["$set"]}
    if "$dict" in obj:
        return {decode(k): decode(v) for k, v in obj["$dict"]}
    if "$ndarray" in obj:
        import numpy as np

        return np.array(decode(obj["$ndarray"]), dtype=obj.get("dtype"))
    if "$dataframe" in obj or "$series" in obj:
        import pandas as pd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pd.read_json(io.StringIO(obj.get("$dataframe") or obj["$series"]), orient="table")
        if "$series" in obj:
            return frame.iloc[:, 0]
        return frame
    if "$quantity" in obj:
        from .units import quantity

        magnitude, unit = obj["$quantity"]
        return quantity(decode(magnitude), unit)
    if "$module" in obj:
        name = obj["$module"]
        if name.split(".")[0] in _MODULES:
            return importlib.import_module(name)
        return Unsupported(f"module {name}")
    if "$unsupported" in obj:
        return Unsupported(str(obj["$unsupported"]))
    return {k: decode(v) for k, v in obj.items()}
