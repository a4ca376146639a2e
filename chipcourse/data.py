"""Load the course's data tables, typed and checked against ``data/datapackage.json``.

Every table is a CSV file described by a resource in the Frictionless Data Package
``data/datapackage.json``: its fields, their types, units and constraints, and its
sources. :func:`load` reads a table, converts each column to its declared type and
checks every constraint; a broken table raises :class:`DataError` naming the file,
the line, the row and the field. Tables are cached, and each call returns a copy, so a
learner who edits a DataFrame cannot change what the next cell sees.

>>> from chipcourse import data
>>> nodes = data.load("nodes")          # doctest: +SKIP
>>> data.units("nodes")["cpp_nm"]       # doctest: +SKIP
'nm'
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "DataError",
    "data_dir",
    "package",
    "tables",
    "resource",
    "load",
    "table_html",
    "units",
    "sources",
    "citation",
    "show",
    "FullText",
]

#: Columns every table must have: where each row's facts come from.
PROVENANCE_FIELDS = ("source", "source_url")


class DataError(ValueError):
    """A table does not match its description in ``datapackage.json``."""


def data_dir() -> Path:
    """The folder holding the CSV tables and ``datapackage.json``.

    ``CHIPCOURSE_DATA`` overrides it (used by the tests to load a broken copy);
    otherwise it is ``data/`` at the top of the course checkout.
    """
    override = os.environ.get("CHIPCOURSE_DATA")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parent.parent / "data"


@functools.lru_cache(maxsize=8)
def _package(folder: str) -> dict:
    path = Path(folder) / "datapackage.json"
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise DataError(f"{path} is missing: the course data cannot be found.") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path} is not valid JSON (line {exc.lineno}): {exc.msg}") from None


def package() -> dict:
    """The parsed Data Package descriptor (``datapackage.json``)."""
    return _package(str(data_dir()))


def tables() -> list[str]:
    """Names of all tables (their CSV file names without ``.csv``), in package order."""
    return [Path(r["path"]).stem for r in package()["resources"]]


def resource(name: str) -> dict:
    """The descriptor of one table: title, description, path, schema, sources."""
    for res in package()["resources"]:
        if name in (res["name"], Path(res["path"]).stem):
            return res
    known = ", ".join(tables())
    raise DataError(f"There is no table called {name!r}. The tables are: {known}.")


def units(name: str) -> dict[str, str]:
    """Map each field of table ``name`` that has a unit to that unit (e.g. ``'nm'``)."""
    return {f["name"]: f["unit"] for f in resource(name)["schema"]["fields"] if f.get("unit")}


def sources(name: str) -> list[str]:
    """The distinct citations used by the rows of table ``name``, in first-seen order."""
    frame = load(name)
    return list(dict.fromkeys(s for s in frame["source"].dropna() if s))


def citation(name: str, max_sources: int = 3) -> str:
    """A one-line "Source: ..." caption for a chart or a table built from ``name``."""
    cited = sources(name)
    text = "; ".join(cited[:max_sources])
    if len(cited) > max_sources:
        text += f"; and {len(cited) - max_sources} more (see data/{resource(name)['path']})"
    return f"Source: {text}"


# --------------------------------------------------------------------------- parsing

_BOOL = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse(value: str, ftype: str) -> Any:
    """Convert one CSV cell to its declared Frictionless type; raise ValueError if it cannot."""
    if ftype == "string":
        return value
    if ftype in ("integer", "year"):
        number = float(value)
        if not number.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(number)
    if ftype == "number":
        number = float(value)
        if math.isnan(number):
            raise ValueError("NaN is not allowed; leave the cell empty instead")
        return number
    if ftype == "boolean":
        try:
            return _BOOL[value.strip().lower()]
        except KeyError:
            raise ValueError(f"{value!r} is not true or false") from None
    if ftype == "date":
        if not _DATE.match(value):
            raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
        return pd.Timestamp(value)
    raise ValueError(f"the descriptor declares an unsupported type {ftype!r}")


def _describe_type(ftype: str) -> str:
    return {"integer": "a whole number", "year": "a year", "number": "a number",
            "boolean": "true or false", "date": "a date (YYYY-MM-DD)"}.get(ftype, ftype)


def _check_constraints(value: Any, constraints: dict) -> str | None:
    """Return a sentence if ``value`` breaks one of ``constraints``, else None."""
    if "minimum" in constraints and value < _bound(constraints["minimum"], value):
        return f"{value!r} is below the minimum {constraints['minimum']!r}"
    if "maximum" in constraints and value > _bound(constraints["maximum"], value):
        return f"{value!r} is above the maximum {constraints['maximum']!r}"
    if "enum" in constraints and value not in constraints["enum"]:
        return f"{value!r} is not one of {constraints['enum']!r}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        return f"{value!r} does not match the pattern {constraints['pattern']!r}"
    return None


def _bound(bound: Any, value: Any) -> Any:
    return pd.Timestamp(bound) if isinstance(value, pd.Timestamp) else bound


_DTYPES = {"integer": "Int64", "year": "Int64", "number": "float64",
           "boolean": "boolean", "string": "str"}


def _read(folder: str, name: str) -> pd.DataFrame:
    res = resource(name)
    path = Path(folder) / res["path"]
    label = f"data/{res['path']}"
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{label} is missing (it is listed in datapackage.json).") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{label} cannot be read as UTF-8 CSV: {exc}") from None

    fields = res["schema"]["fields"]
    declared = [f["name"] for f in fields]
    if list(raw.columns) != declared:
        missing = [c for c in declared if c not in raw.columns]
        extra = [c for c in raw.columns if c not in declared]
        raise DataError(
            f"{label}: the header does not match datapackage.json "
            f"(missing: {missing or 'none'}; not described: {extra or 'none'}; "
            f"expected order: {declared})."
        )

    columns: dict[str, list] = {}
    for field in fields:
        fname, ftype = field["name"], field.get("type", "string")
        constraints = field.get("constraints", {})
        parsed: list = []
        for i, cell in enumerate(raw[fname]):
            where = f"{label}, line {i + 2} (row {i + 1}), field {fname!r}"
            if cell.strip() == "":
                if constraints.get("required"):
                    raise DataError(f"{where}: a value is required but the cell is empty.")
                parsed.append(None)
                continue
            try:
                value = _parse(cell, ftype)
            except ValueError as exc:
                raise DataError(f"{where}: {cell!r} is not {_describe_type(ftype)} ({exc}).") from None
            problem = _check_constraints(value, constraints)
            if problem:
                raise DataError(f"{where}: {problem}.")
            parsed.append(value)
        if constraints.get("unique"):
            seen = [v for v in parsed if v is not None]
            if len(seen) != len(set(seen)):
                raise DataError(f"{label}, field {fname!r}: values must be unique.")
        if ftype == "date":
            columns[fname] = pd.Series([pd.NaT if v is None else v for v in parsed],
                                       dtype="datetime64[ns]")
        else:
            missing = float("nan") if ftype == "number" else pd.NA
            columns[fname] = pd.Series([missing if v is None else v for v in parsed],
                                       dtype=_DTYPES.get(ftype, "str"))
    frame = pd.DataFrame(columns)
    frame.attrs["name"] = name
    frame.attrs["units"] = units(name)
    return frame


@functools.lru_cache(maxsize=64)
def _cached(folder: str, name: str) -> pd.DataFrame:
    return _read(folder, name)


def load(name: str) -> pd.DataFrame:
    """Table ``name`` (e.g. ``"nodes"``) as a typed DataFrame; units are in ``df.attrs['units']``.

    Raises :class:`DataError` with the file, line and field when the table is broken.
    """
    if not isinstance(name, str):
        raise DataError(f"A table name is text such as 'nodes'; got {type(name).__name__}.")
    _tables_hold_dollars_not_maths()
    _tables_scroll_from_the_keyboard()
    return _cached(str(data_dir()), name).copy()


def _tables_hold_dollars_not_maths() -> None:
    """Show tables without MathJax: a cell reading "$8 billion" next to one reading
    "$6 billion" would otherwise be typeset in JupyterLab as one formula. (Set when a table
    is first loaded, not at import: importing chipcourse changes nothing.)"""
    if pd.get_option("display.html.use_mathjax") or pd.get_option("styler.html.mathjax"):
        pd.set_option("display.html.use_mathjax", False)
        pd.set_option("styler.html.mathjax", False)


def table_html(frame: pd.DataFrame) -> str | None:
    """A table as HTML in a box that takes keyboard focus, so a table wider than the page can
    be scrolled with the arrow keys (WCAG 2.1.1; axe's scrollable-region-focusable). The box
    has no role or name of its own: the same table shown twice must not make two landmarks
    with one name, and a screen reader announces the table inside it."""
    inner = frame._repr_html_()
    if inner is None:
        return None
    return f'<div class="chipcourse-table" tabindex="0">{inner}</div>'


def _tables_scroll_from_the_keyboard() -> None:
    """In IPython, show DataFrames through :func:`table_html` (set when a table is first
    loaded, like the MathJax setting above)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["text/html"]
    if formatter.type_printers.get(pd.DataFrame) is not table_html:
        formatter.for_type(pd.DataFrame, table_html)


class FullText:
    """A table displayed with every character of its text: pandas cuts a cell's text at 50
    characters and ends it with "…", which hides the notes a lesson asks learners to read.

    Only the display changes (pandas' ``display.max_colwidth``, for this table and nothing
    else); the table itself is :attr:`frame`.
    """

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def _repr_html_(self) -> str | None:
        frame = self.frame.to_frame() if isinstance(self.frame, pd.Series) else self.frame
        with pd.option_context("display.max_colwidth", None):
            return table_html(frame)

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None):
            return repr(self.frame)


def show(frame: pd.DataFrame) -> FullText:
    """``frame`` for display in full, notes and all (see :class:`FullText`): the last line of
    a cell, ``data.show(table[["event", "source", "note"]])``."""
    if not isinstance(frame, (pd.DataFrame, pd.Series)):
        raise TypeError(f"data.show shows a pandas table; this is a {type(frame).__name__}.")
    return FullText(frame)
