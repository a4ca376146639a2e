"""The Japanese edition stays in step with the English (chipcourse.translations)."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from chipcourse import notebooks, translations


def english():
    grade = {"grade": True, "grade_id": "density_ratio", "locked": True, "points": 1, "schema_version": 3,
             "solution": False, "task": False}
    return new_notebook(cells=[
        new_markdown_cell("# What's in a nanometer?\n\nA node name is a label."),
        new_code_cell("from chipcourse import data, checks, nodes"),
        new_code_cell('print(f"{len(data.load(\'nodes\'))} nodes in the table")'),
        new_code_cell('checks.check_number(ratio, 2.0, what="the density ratio")', metadata={"nbgrader": grade}),
    ])


def translated(nb):
    twin = translations.skeleton(nb)
    twin.cells[0].source = "# 1ナノメートルに何がある？\n\nノード名はラベルです。"
    twin.cells[2].source = 'print(f"表には {len(data.load(\'nodes\'))} のノードがあります")'
    return twin


def test_a_skeleton_has_the_structure_but_still_wants_translating():
    nb = english()
    twin = translations.skeleton(nb)
    assert twin.cells[1].source == "from chipcourse.ja import data, checks, nodes"
    assert translations.differences(nb, twin) == ["cell 0 (%s): not translated yet" % nb.cells[0].id]


def test_a_translated_twin_is_in_step_and_a_changed_english_cell_makes_it_stale():
    nb = english()
    twin = translated(nb)
    assert translations.differences(nb, twin) == []
    nb.cells[0].source += " It measures nothing."
    assert translations.differences(nb, twin) == [f"cell 0 ({nb.cells[0].id}): stale (the English changed "
                                                  f"since it was translated)"]
    assert translations.sign(twin, nb) == 1 and translations.differences(nb, twin) == []


def test_code_may_differ_only_in_quoted_text_and_tests_not_at_all():
    nb = english()
    twin = translated(nb)
    twin.cells[2].source = "print(len(data.load('nodes')) + 1)"
    twin.cells[3].source = 'checks.check_number(ratio, 2.0, what="密度の比")'
    problems = translations.differences(nb, twin)
    assert any("cell 2" in p and "its code differs" in p for p in problems), problems
    assert any("cell 3" in p and "must be the English one exactly" in p for p in problems), problems


def test_structure_and_metadata_must_match():
    nb = english()
    twin = translated(nb)
    twin.cells[3].metadata["nbgrader"]["points"] = 2
    del twin.cells[2]
    problems = translations.differences(nb, twin)
    assert problems[0] == "the English has 4 cells, the translation 3"
    assert any("metadata" in p or "here" in p for p in problems)


def test_twin_paths_mirror_the_english():
    root = notebooks.ROOT
    lesson = root / "notebooks" / "01-node-names.ipynb"
    source = root / "exercises" / "01-node-names" / "01-node-names-exercises.ipynb"
    assert translations.twin_path(lesson) == root / "notebooks" / "ja" / "01-node-names.ipynb"
    assert translations.twin_path(source) == root / "exercises-ja" / "01-node-names" / "01-node-names-exercises.ipynb"
    assert translations.english_path(translations.twin_path(source)) == source


def test_every_existing_twin_is_in_step():
    report = {name: problems for name, problems in translations.status().items()
              if not problems or not problems[0].startswith("missing")}
    assert {name: problems for name, problems in report.items() if problems} == {}
    for name in report:
        nb = nbformat.read(notebooks.ROOT / name, as_version=4)
        assert notebooks.hygiene_problems(nb) == [], name
