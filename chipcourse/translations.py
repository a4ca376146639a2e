"""The Japanese edition of the lessons and exercise sets, kept in step with the English.

Every lesson ``notebooks/NN-topic.ipynb`` has a twin ``notebooks/ja/NN-topic.ipynb`` and every
exercise source ``exercises/A/A-exercises.ipynb`` a twin ``exercises-ja/A/A-exercises.ipynb``.
A twin has the same cells, with the same ids, types and nbgrader metadata (grade_ids,
points), so nbgrader, the tests and the class report treat both editions as one. What may
differ, and what :func:`differences` checks:

* a **markdown** cell is the English cell's translation, and says which English text it
  translates: its metadata ``chipcourse.translates`` is :func:`fingerprint` of that text.
  When the English cell changes, the twin's cell is reported stale until a translator
  updates it and runs ``python -m chipcourse.translations sign <twin>``;
* a **code** cell is the English one, with its text in quotes translated where a learner
  reads it (a printed sentence, a label). The setup line imports ``chipcourse.ja``
  instead of ``chipcourse``. An exercise's **test cells** are the English ones exactly:
  nbgrader restores test cells from one source, so their phrases are translated when they
  run (:func:`chipcourse.i18n.phrase`).

``python -m chipcourse.translations status`` lists every twin's missing, stale and
untranslated cells; ``skeleton <English notebook>`` starts a twin (English text, to be
translated); ``sign <twin>`` records the English each translated cell now matches.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import re
import sys
from pathlib import Path

import nbformat

from . import notebooks

__all__ = ["EDITIONS", "twin_path", "english_path", "fingerprint", "skeleton", "sign", "differences",
           "untranslated", "status", "main"]

#: the languages with an edition of their own, and where their lessons and exercise sources live
EDITIONS = {lang: folders for lang, folders in notebooks.EDITION_FOLDERS.items() if lang != "en"}
_SETUP = re.compile(r"^from chipcourse import ")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def fingerprint(text: str) -> str:
    """A short digest of an English cell's text, kept in its translation's metadata."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def twin_path(path: Path, language: str = "ja", root: Path = notebooks.ROOT) -> Path:
    """The twin in ``language`` of an English lesson or exercise source."""
    lessons_dir, exercises_dir = EDITIONS[language]
    path = Path(path).resolve()
    rel = path.relative_to(Path(root).resolve())
    if rel.parts[0] == "notebooks":
        return Path(root) / lessons_dir / rel.name
    if rel.parts[0] == "exercises":
        return Path(root) / exercises_dir / Path(*rel.parts[1:])
    raise ValueError(f"{rel} is neither a lesson (notebooks/) nor an exercise source (exercises/).")


def english_path(twin: Path, language: str = "ja", root: Path = notebooks.ROOT) -> Path:
    """The English notebook a twin translates."""
    lessons_dir, exercises_dir = EDITIONS[language]
    rel = Path(twin).resolve().relative_to(Path(root).resolve()).as_posix()
    if rel.startswith(lessons_dir + "/"):
        return Path(root) / "notebooks" / rel[len(lessons_dir) + 1:]
    if rel.startswith(exercises_dir + "/"):
        return Path(root) / "exercises" / rel[len(exercises_dir) + 1:]
    raise ValueError(f"{rel} is not in a {language} edition's folder ({lessons_dir}/, {exercises_dir}/).")


def _translates(cell) -> str | None:
    return (cell.get("metadata", {}).get("chipcourse") or {}).get("translates")


def _setup(source: str, language: str) -> str:
    return _SETUP.sub(f"from chipcourse.{language} import ", source, count=1)


def skeleton(english, language: str = "ja"):
    """A new twin of ``english``: the same cells, English text still to translate."""
    twin = copy.deepcopy(english)
    for cell in twin.cells:
        if cell.cell_type == "markdown":
            cell.metadata.setdefault("chipcourse", {})["translates"] = fingerprint(cell.source)
        elif cell.cell_type == "code":
            cell.source = _setup(cell.source, language)
    return twin


def sign(twin, english) -> int:
    """Record, in each translated markdown cell of ``twin``, the English text it now matches;
    the number of cells signed. (Run after a translator has updated stale cells.)"""
    signed = 0
    by_id = {cell.get("id"): cell for cell in english.cells}
    for cell in twin.cells:
        source = by_id.get(cell.get("id"))
        if cell.cell_type == "markdown" and source is not None and source.cell_type == "markdown" \
                and not untranslated(cell, source):
            cell.metadata.setdefault("chipcourse", {})["translates"] = fingerprint(source.source)
            signed += 1
    return signed


def untranslated(cell, english_cell) -> bool:
    """Whether a twin's markdown cell still holds English that wants translating: it has no
    Japanese while the English has words (outside code, formulas and web addresses)."""
    words = re.sub(r"`[^`]*`|\$[^$]*\$|https?://\S+|\]\([^)]*\)", " ", english_cell.source)
    return not _JAPANESE.search(cell.source) and bool(re.search(r"[A-Za-z]{3,}", words))


def _code_shape(source: str) -> str:
    """The code with every text in quotes blanked, for comparing two editions' code."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = "…"
        elif isinstance(node, ast.JoinedStr):
            node.values = [v for v in node.values if not isinstance(v, ast.Constant)]
    return ast.dump(tree, annotate_fields=False)


def _meta(cell) -> dict:
    return {k: v for k, v in cell.get("metadata", {}).items() if k != "chipcourse"}


def differences(english, twin, language: str = "ja") -> list[str]:
    """Where ``twin`` does not match ``english`` in structure, or is stale or untranslated.
    An empty list means the twin is in step."""
    found = []
    if len(english.cells) != len(twin.cells):
        found.append(f"the English has {len(english.cells)} cells, the translation {len(twin.cells)}")
    for i, (en, tw) in enumerate(zip(english.cells, twin.cells)):
        where = f"cell {i} ({en.get('id')})"
        if en.get("id") != tw.get("id") or en.cell_type != tw.cell_type:
            found.append(f"{where}: the translation has {tw.cell_type} cell {tw.get('id')} here")
            continue
        if _meta(en) != _meta(tw):
            found.append(f"{where}: its metadata (nbgrader, tags) differs from the English")
        if en.cell_type == "markdown":
            if untranslated(tw, en):
                found.append(f"{where}: not translated yet")
            elif _translates(tw) != fingerprint(en.source):
                found.append(f"{where}: stale (the English changed since it was translated)")
        elif en.cell_type == "code":
            if notebooks.is_autograded_test(en) and en.source != tw.source:
                found.append(f"{where}: a test cell must be the English one exactly (nbgrader restores "
                             f"it from one source)")
            elif _code_shape(_setup(en.source, language)) != _code_shape(tw.source):
                found.append(f"{where}: its code differs from the English (only text in quotes may)")
    return found


def twins(language: str = "ja", root: Path = notebooks.ROOT) -> list[tuple[Path, Path]]:
    """(English, twin) for every lesson and exercise source."""
    return [(path, twin_path(path, language, root))
            for path in notebooks.lessons(root) + notebooks.exercises(root)]


def status(language: str = "ja", root: Path = notebooks.ROOT) -> dict[str, list[str]]:
    """For each twin (by its path in the course), what is missing, stale or untranslated."""
    report = {}
    for english, twin in twins(language, root):
        name = twin.relative_to(root).as_posix()
        if not twin.exists():
            report[name] = ["missing: python -m chipcourse.translations skeleton " +
                            english.relative_to(root).as_posix()]
            continue
        report[name] = differences(nbformat.read(english, as_version=4), nbformat.read(twin, as_version=4),
                                   language)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chipcourse.translations", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status", help="what in each Japanese twin is missing, stale or untranslated")
    start = sub.add_parser("skeleton", help="start the twin of an English lesson or exercise source")
    start.add_argument("english", type=Path)
    done = sub.add_parser("sign", help="record the English that a twin's translated cells now match")
    done.add_argument("twin", type=Path)
    args = parser.parse_args(argv)
    if args.command == "status":
        report = status()
        for name, problems in report.items():
            print(f"{name}: {'in step' if not problems else f'{len(problems)} to do'}")
            for problem in problems:
                print(f"  {problem}")
        return 0 if not any(report.values()) else 1
    if args.command == "skeleton":
        twin = twin_path(args.english)
        if twin.exists():
            print(f"{twin} exists already: edit it (nothing was written).", file=sys.stderr)
            return 2
        twin.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(skeleton(nbformat.read(args.english, as_version=4)), twin)
        print(f"Started {twin}: translate its markdown cells, then run sign on it.")
        return 0
    twin = nbformat.read(args.twin, as_version=4)
    count = sign(twin, nbformat.read(english_path(args.twin), as_version=4))
    nbformat.write(twin, args.twin)
    print(f"Signed {count} translated cells of {args.twin}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
