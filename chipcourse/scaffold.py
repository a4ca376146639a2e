"""``make new-lesson NAME=06-my-topic TITLE="..."``: a new lesson that passes the suite at once.

It writes, for a lesson ``NN-words`` with topic ``words`` (hyphens become underscores):

* ``chipcourse/lessons/<topic>/``: ``lesson.toml`` (its notebook, exercise set and one
  misconception), ``<topic>.py`` (the model: pure functions over the lesson's table),
  ``charts.py`` (one chart), ``widgets.py`` (one widget over one pure function) and
  ``answer_key.py`` (three "Check yourself" questions);
* ``notebooks/<NAME>.ipynb``: objectives, time, prerequisites, the one-line setup, the
  widget, the chart, three questions, key points and further reading;
* ``exercises/<NAME>/<NAME>-exercises.ipynb``: six autograded parts with visible and
  hidden tests, and one written answer;
* ``data/<topic>.csv`` (a real, sourced example table: the SI prefixes, which the author
  replaces) and its resource in ``data/datapackage.json``;
* ``tests/test_<topic>.py``: unit tests of the model and the widget;
* its module section and course-map row in ``docs/teacher-guide.md``.

Every part is an example to replace; docs/adding-a-lesson.md says how, and which rules the
tests hold each part to. Bad input (a name that exists, a malformed name, an empty
title) gets one sentence and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from . import notebooks, syllabus

__all__ = ["ScaffoldError", "Plan", "plan", "create", "main"]

#: names a lesson's model may not take: they are the package's own modules
_SHARED = {"data", "checks", "charts", "widgets", "units", "checking", "charting", "panel", "lessons",
           "syllabus", "misconceptions", "answers", "notebooks", "teaching", "editions", "doctor",
           "labserver", "grading", "sandbox", "classroom", "scaffold"}
SOURCE = "Bureau International des Poids et Mesures, The International System of Units (SI Brochure), 9th edition, 2019, Table 7 (SI prefixes)"
SOURCE_URL = "https://www.bipm.org/en/publications/si-brochure"
#: the example table: SI prefixes and their powers of ten (from the SI Brochure)
PREFIXES = [("kilo", "k", 3), ("milli", "m", -3), ("micro", "µ", -6), ("nano", "n", -9), ("pico", "p", -12)]


class ScaffoldError(ValueError):
    """The lesson cannot be made as asked; the message says why, and nothing was written."""


@dataclass(frozen=True)
class Plan:
    """What :func:`create` writes for one new lesson."""

    root: Path
    name: str        # "06-my-topic": the notebook's stem and the exercise set's name
    title: str
    topic: str       # "my_topic": the lesson's package and its model module

    @property
    def number(self) -> str:
        return self.name[:2]

    @property
    def package_dir(self) -> Path:
        return self.root / "chipcourse" / "lessons" / self.topic

    @property
    def notebook(self) -> Path:
        return self.root / "notebooks" / f"{self.name}.ipynb"

    @property
    def exercise(self) -> Path:
        return self.root / "exercises" / self.name / f"{self.name}-exercises.ipynb"

    @property
    def table(self) -> Path:
        return self.root / "data" / f"{self.topic}.csv"

    @property
    def tests(self) -> Path:
        return self.root / "tests" / f"test_{self.topic}.py"

    def files(self) -> list[Path]:
        return [self.package_dir, self.notebook, self.exercise.parent, self.table, self.tests]


def plan(name: str, title: str, root: Path = notebooks.ROOT) -> Plan:
    """Check ``name`` and ``title`` and say what would be written; raise :class:`ScaffoldError`."""
    name, title = (name or "").strip(), " ".join((title or "").split())
    if not syllabus.NOTEBOOK_NAME.match(name):
        raise ScaffoldError(f"NAME={name!r} is not a lesson name: use two digits, a hyphen and lower-case "
                            f"words joined by hyphens, e.g. NAME=06-chokepoints.")
    if not title:
        raise ScaffoldError('TITLE is empty: give the lesson a title, e.g. TITLE="Who holds the chokepoints?".')
    if '"' in title or "\\" in title:
        raise ScaffoldError("TITLE may not contain double quotes or backslashes.")
    topic = name[3:].replace("-", "_")
    if not topic.isidentifier() or keyword.iskeyword(topic):
        raise ScaffoldError(f"NAME={name!r} gives the package name {topic!r}, which Python cannot import: "
                            f"start the words after the number with a letter.")
    if topic in _SHARED:
        raise ScaffoldError(f"NAME={name!r} would make a lesson package called {topic!r}, which is one of "
                            f"chipcourse's shared modules: choose other words.")
    result = Plan(Path(root), name, title, topic)
    lessons_dir = result.root / "chipcourse" / "lessons"
    if list(lessons_dir.glob(f"*/{topic}.py")):
        raise ScaffoldError(f"A lesson already has a model called {topic!r} (notebooks import it as "
                            f"`from chipcourse import {topic}`): choose other words.")
    for path in result.files():
        if path.exists():
            raise ScaffoldError(f"{path.relative_to(root)} exists already: the lesson {name!r} (or one with "
                                f"the same topic) is there. Choose another NAME.")
    for toml in lessons_dir.glob("*/lesson.toml"):
        text = toml.read_text(encoding="utf-8")
        for key in ("notebook", "exercise"):
            if re.search(rf'^{key}\s*=\s*"{re.escape(name)}"', text, re.MULTILINE):
                raise ScaffoldError(f"{toml.relative_to(root)} already declares {key} = {name!r}.")
    number = name[:2]
    taken = [p.name for p in (result.root / "notebooks").glob(f"{number}-*.ipynb")]
    if taken:
        raise ScaffoldError(f"Lesson number {number} is taken by notebooks/{taken[0]}: choose the next free "
                            f"number.")
    return result


# ------------------------------------------------------------------------------------ files

def _py(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def _package_files(p: Plan) -> dict[Path, str]:
    t, title = p.topic, p.title
    mistake = f"{t.replace('_', '-')}-exponent-sign"
    return {
        p.package_dir / "__init__.py": f'"""Lesson {p.number}, {title}: its model, charts, widgets and answer key."""\n',
        p.package_dir / "lesson.toml": _py(f'''
            # Lesson {p.number}, {title}. What this folder holds: docs/adding-a-lesson.md.
            notebook = "{p.name}"   # notebooks/{p.name}.ipynb
            exercise = "{p.name}"   # exercises/{p.name}/{p.name}-exercises.ipynb

            # The mistakes this lesson's checks recognise (keys are stable: they appear in class reports).
            [misconceptions.{mistake}]
            title = "You gave the power of ten of a {title} prefix with the wrong sign"
            explanation = "Prefixes for small quantities (milli, micro, nano) have negative powers of ten: a nanometre is 10⁻⁹ m, not 10⁹ m. Check whether the prefix makes the unit smaller or larger."
            '''),
        p.package_dir / f"{t}.py": _py(f'''
            """Lesson {p.number}, {title}: the model, pure functions over the ``{t}`` table.

            (Made by ``make new-lesson`` as an example: SI prefixes. Replace it with the
            lesson's own functions; each gets a unit test in tests/test_{t}.py.)
            """

            from __future__ import annotations

            import pandas as pd

            from ...units import finite_number

            __all__ = ["exponent", "convert"]


            def exponent(table: pd.DataFrame, prefix: str) -> int:
                """The power of ten of an SI ``prefix`` (``"nano"`` -> -9), from ``table``."""
                rows = table[table["prefix"] == str(prefix).strip().lower()]
                if rows.empty:
                    raise ValueError(f"There is no prefix {{prefix!r}} in the table. Choose one of: "
                                     f"{{', '.join(table['prefix'])}}.")
                return int(rows["exponent"].iloc[0])


            def convert(table: pd.DataFrame, value: float, from_prefix: str, to_prefix: str) -> float:
                """``value`` in ``from_prefix`` units, in ``to_prefix`` units (2 micro -> 2000 nano)."""
                number = finite_number(value, "value")
                return number * 10.0 ** (exponent(table, from_prefix) - exponent(table, to_prefix))
            '''),
        p.package_dir / "charts.py": _py(f'''
            """Charts for lesson {p.number}, {title}."""

            from __future__ import annotations

            import altair as alt

            from ...charting import described


            def {t}_chart(table) -> alt.Chart:
                """Each prefix's power of ten, as a bar."""
                chart = alt.Chart(table).mark_bar().encode(
                    x=alt.X("exponent:Q", title="Power of ten"),
                    y=alt.Y("prefix:N", sort="-x", title=None),
                    tooltip=["prefix:N", "symbol:N", "exponent:Q"],
                ).properties(width=420, height=180, title="SI prefixes and their powers of ten")
                return described(chart, "A bar for each SI prefix, from pico (the most negative power of "
                                        "ten) to kilo (the only positive one).", ["{t}"])
            '''),
        p.package_dir / "widgets.py": _py(f'''
            """Widgets for lesson {p.number}, {title}."""

            from __future__ import annotations

            import html

            import ipywidgets

            from ... import data
            from ...charting import show
            from ...panel import STYLE, as_widget, grading, panel, placeholder, report_errors, slider
            from . import charts, {t}


            def {t}_explorer(value: float = 2.0) -> ipywidgets.Widget:
                """Convert a value between two SI prefixes and see the powers of ten."""
                title = "From one prefix to another"
                if grading():
                    return placeholder(title)
                table = data.load("{t}")
                amount = slider(ipywidgets.FloatSlider, "Value", value=value, min=0.0, max=1000.0, step=0.5)
                choices = list(table["prefix"])
                source = ipywidgets.Dropdown(options=choices, value="micro", description="From", style=STYLE)
                target = ipywidgets.Dropdown(options=choices, value="nano", description="To", style=STYLE)
                result = ipywidgets.HTML()
                chart = as_widget(show(charts.{t}_chart(table)))

                def update(_change=None):
                    with report_errors(result):
                        converted = {t}.convert(table, amount.value, source.value, target.value)
                        result.value = (f"<p aria-live='polite'>{{amount.value:g}} {{html.escape(source.value)}} units "
                                        f"are {{converted:.6g}} {{html.escape(target.value)}} units.</p>")

                for control in (amount, source, target):
                    control.observe(update, "value")
                update()
                return panel(title, "Pick a value and two prefixes: the sentence converts between them.",
                             [amount, source, target], [result, chart])
            '''),
        p.package_dir / "answer_key.py": _py(f'''
            """Answer key for notebooks/{p.name}.ipynb."""

            from __future__ import annotations

            from ... import checking, data
            from .. import Question
            from . import {t}


            def _table():
                return data.load("{t}")


            def _nano_exponent(answer):
                power = {t}.exponent(_table(), "nano")
                return checking.check_number(
                    answer, power, what="the power of ten of nano",
                    misconceptions={{"{mistake}": -power}},
                    success="Nano is 10⁻⁹: a billionth.",
                )


            def _micro_in_nano(answer):
                return checking.check_number(
                    answer, {t}.convert(_table(), 1, "micro", "nano"), rel_tol=0.001,
                    what="the number of nano units in one micro unit",
                    success="A micrometre is a thousand nanometres.",
                )


            def _largest_prefix(answer):
                table = _table()
                largest = str(table.loc[table["exponent"].idxmax(), "prefix"])
                return checking.check_text(
                    answer, largest, what="the prefix with the largest power of ten",
                    success="Kilo is the only prefix in the table above one.",
                )


            QUESTIONS = [
                Question("{t}_nano_exponent", "What is the power of ten of the prefix nano?",
                         _nano_exponent, 'nano_power = {t}.exponent(prefixes, "nano")'),
                Question("{t}_micro_in_nano", "How many nano units are in one micro unit?",
                         _micro_in_nano, 'nano_per_micro = {t}.convert(prefixes, 1, "micro", "nano")'),
                Question("{t}_largest_prefix", "Which prefix in the table has the largest power of ten?",
                         _largest_prefix, 'largest = prefixes.sort_values("exponent")["prefix"].iloc[-1]'),
            ]
            '''),
    }


def _tests(p: Plan) -> str:
    t = p.topic
    return _py(f'''
        """chipcourse.{t} (lesson {p.number}), its widget and its answer key: made by make new-lesson,
        to be replaced with the lesson's own tests."""

        from __future__ import annotations

        import ipywidgets
        import pytest

        from chipcourse import checks, data, lessons, widgets, {t}


        @pytest.fixture
        def table():
            return data.load("{t}")


        def test_exponent_reads_the_table(table):
            nano = table.loc[table["prefix"] == "nano", "exponent"].item()
            assert {t}.exponent(table, "Nano ") == nano


        def test_convert_multiplies_by_the_difference_of_powers(table):
            assert {t}.convert(table, 2, "micro", "nano") == pytest.approx(2000)
            assert {t}.convert(table, 2000, "nano", "micro") == pytest.approx(2)


        def test_bad_input_is_a_sentence(table):
            with pytest.raises(ValueError, match="no prefix 'mega'"):
                {t}.exponent(table, "mega")
            with pytest.raises(ValueError, match="must be a number"):
                {t}.convert(table, "two", "micro", "nano")


        def test_widget_updates_its_sentence(live_widgets):
            app = widgets.{t}_explorer()
            value = next(w for w in widgets.descendants(app, ipywidgets.FloatSlider))
            text = next(w for w in widgets.descendants(app, ipywidgets.HTML) if "aria-live" in w.value)
            before = text.value
            value.value = 7.5
            assert text.value != before and "7.5 micro" in text.value


        def test_answer_key_passes_and_names_its_mistake(table, capsys):
            for question in lessons.questions("{p.name}").values():
                namespace = {{"prefixes": table, "{t}": {t}}}
                exec(question.solution, namespace)
                answer = namespace[question.solution.split("=")[0].strip()]
                assert question.check(answer).startswith("✓")
            with pytest.raises(checks.CheckFailed, match="Common mistake"):
                checks.check("{t}_nano_exponent", -{t}.exponent(table, "nano"))
        ''')


def _table_csv(p: Plan) -> str:
    rows = ["prefix,symbol,exponent,source,source_url,note"]
    rows += [f'{name},{symbol},{power},"{SOURCE}",{SOURCE_URL},Example table made by make new-lesson: replace it.'
             for name, symbol, power in PREFIXES]
    return "\n".join(rows) + "\n"


def _resource(p: Plan) -> dict:
    def field(name, kind, title, description, **more):
        return {"name": name, "type": kind, "title": title, "description": description, **more}

    return {
        "name": p.topic.replace("_", "-"),
        "path": f"{p.topic}.csv",
        "title": f"Lesson {p.number} example table: SI prefixes",
        "description": ("An example table made by make new-lesson for the lesson "
                        f"'{p.title}': the SI prefixes from kilo to pico with their powers of ten. "
                        "Replace it with the lesson's own sourced table."),
        "format": "csv",
        "encoding": "utf-8",
        "schema": {"fields": [
            field("prefix", "string", "Prefix", "The prefix's name", constraints={"required": True, "unique": True}),
            field("symbol", "string", "Symbol", "The prefix's symbol", constraints={"required": True}),
            field("exponent", "integer", "Power of ten", "The power of ten the prefix stands for",
                  constraints={"required": True, "minimum": -30, "maximum": 30}),
            field("source", "string", "Source", "Citation: publisher or author, title, date",
                  constraints={"required": True}),
            field("source_url", "string", "Source URL",
                  "Web address of the source (blank only where the source is not online)",
                  constraints={"required": False}, format="uri"),
            field("note", "string", "Note", "Caveats, derivations, disagreements", constraints={"required": False}),
        ]},
        "sources": [{"title": SOURCE, "path": SOURCE_URL}],
    }


def _lesson_notebook(p: Plan):
    t = p.topic
    code, md = new_code_cell, new_markdown_cell

    def question(qid: str, number: int, text: str, variable: str):
        return [md(f"**Question {number}.** {text}"),
                code(f"{variable} = ...", metadata={"nbgrader": _meta(f"{qid}_answer", solution=True)}),
                code(f'checks.check("{qid}", {variable})',
                     metadata={"nbgrader": _meta(qid, grade=True, points=1), "tags": ["raises-exception"]})]

    cells = [
        md(f"# {p.title}\n\n"
           f"*One sentence that makes a learner want to read on (made by make new-lesson: replace it).*\n\n"
           "**Questions this lesson answers**\n"
           "- How are SI prefixes turned into powers of ten?\n\n"
           "**Objectives**: after this lesson you can\n"
           "1. read a power of ten from the course's prefix table;\n"
           "2. convert a value from one prefix to another;\n"
           "3. find a row in a table with pandas.\n\n"
           "**Time**: 20 minutes teaching, 20 minutes exercises. "
           "**Prerequisites**: [00 Start here](00-start-here.ipynb)."),
        md("Run the one-line setup first (select it and press **Shift+Enter**)."),
        code(f"from chipcourse import data, charts, widgets, checks, {t}"),
        md("## The table\n\nEvery number in this lesson comes from this table; each row names its source."),
        code(f'prefixes = data.load("{t}")\nprefixes'),
        md(f"The lesson's model reads the table for you: `{t}.exponent` gives a prefix's power of ten."),
        code(f'{t}.exponent(prefixes, "kilo")'),
        md("## Try it\n\nPick a value and two prefixes: the widget converts between them."),
        code(f"widgets.{t}_explorer()"),
        md("Each bar is one prefix's power of ten. Hover over a bar to see its symbol."),
        code(f"charts.show(charts.{t}_chart(prefixes))"),
        md("## Check yourself\n\nReplace `...` with your answer, run the cell, then run the check below it."),
        *question(f"{t}_nano_exponent", 1, "What is the power of ten of the prefix **nano**? Use "
                  f"`{t}.exponent(prefixes, ...)` or read it from the table.", "nano_power"),
        *question(f"{t}_micro_in_nano", 2, "How many nano units are in one micro unit?", "nano_per_micro"),
        *question(f"{t}_largest_prefix", 3, "Which prefix in the table has the largest power of ten? "
                  "Answer with its name in quotes.", "largest"),
        md("## Key points\n\n"
           "- Each SI prefix stands for a power of ten; the small ones have negative powers.\n"
           "- Converting between prefixes multiplies by ten to the difference of their powers.\n\n"
           "## Further reading\n\n"
           f"- {SOURCE}: {SOURCE_URL}.\n\n"
           f"**Exercises**: [your copy of the exercise set](../assignments/{p.name}/{p.name}-exercises.ipynb), "
           "without the solutions (`make lab` puts it in `assignments/`). When you have finished it, grade "
           f"it, hidden tests included, in a terminal: `make check NB=assignments/{p.name}/{p.name}-exercises.ipynb`."),
    ]
    return notebooks.normalise(new_notebook(cells=cells))


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, points: float | None = None,
          locked: bool | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": (not solution) if locked is None else locked,
            "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


#: the exercise set's autograded parts: (grade_id, points, task, solution, visible test, hidden test)
def _parts(t: str) -> list[tuple]:
    mistake = f"{t.replace('_', '-')}-exponent-sign"
    return [
        ("kilo_exponent", 1, "What is the power of ten of **kilo**? Store it in `kilo_power`.",
         f'kilo_power = {t}.exponent(prefixes, "kilo")',
         'checks.check_is_number(kilo_power, what="kilo_power")',
         f'checks.check_number(kilo_power, {t}.exponent(data.load("{t}"), "kilo"),\n'
         f'                    what="the power of ten of kilo", misconceptions={{"{mistake}": '
         f'-{t}.exponent(data.load("{t}"), "kilo")}})'),
        ("pico_exponent", 1, "What is the power of ten of **pico**? Store it in `pico_power`.",
         f'pico_power = {t}.exponent(prefixes, "pico")',
         'checks.check_is_number(pico_power, what="pico_power")',
         f'checks.check_number(pico_power, {t}.exponent(data.load("{t}"), "pico"),\n'
         f'                    what="the power of ten of pico", misconceptions={{"{mistake}": '
         f'-{t}.exponent(data.load("{t}"), "pico")}})'),
        ("micro_to_nano", 2, "Convert 2.5 micro units to nano units and store the number in `in_nano`.",
         f'in_nano = {t}.convert(prefixes, 2.5, "micro", "nano")',
         'checks.check_is_number(in_nano, what="in_nano")',
         f'checks.check_number(in_nano, {t}.convert(data.load("{t}"), 2.5, "micro", "nano"), what="2.5 micro in nano")'),
        ("milli_per_micro", 1, "How many micro units are in one milli unit? Store it in `micro_per_milli`.",
         f'micro_per_milli = {t}.convert(prefixes, 1, "milli", "micro")',
         'checks.check_is_number(micro_per_milli, what="micro_per_milli")',
         f'checks.check_number(micro_per_milli, {t}.convert(data.load("{t}"), 1, "milli", "micro"),\n'
         f'                    what="the micro units in one milli unit")'),
        ("negative_prefixes", 2, "Make a DataFrame `small` with the columns `prefix` and `exponent` of every "
         "prefix with a **negative** power of ten, sorted from the most negative.",
         'small = prefixes.loc[prefixes["exponent"] < 0, ["prefix", "exponent"]].sort_values("exponent")',
         'checks.check_is_table(small, columns=["prefix", "exponent"], what="small")',
         f'_table = data.load("{t}")\n'
         '_expected = _table.loc[_table["exponent"] < 0, ["prefix", "exponent"]].sort_values("exponent")\n'
         'checks.check_table(small.reset_index(drop=True), _expected.reset_index(drop=True), what="small")'),
        ("prefix_count", 1, "How many prefixes does the table hold? Store the number in `how_many`.",
         "how_many = len(prefixes)",
         'checks.check_is_number(how_many, what="how_many")',
         f'checks.check_number(how_many, len(data.load("{t}")), what="the number of prefixes")'),
    ]


def _exercise_notebook(p: Plan):
    t = p.topic
    parts = _parts(t)
    auto = sum(points for _, points, *_ in parts)
    md, code = new_markdown_cell, new_code_cell
    cells = [
        md(f"# {p.title}: exercises\n\n"
           f"This set is worth **{auto + 2} points**: {auto} graded automatically and 2 for a written answer "
           "your teacher reads.\n\n"
           "**How to work**: write your answer where a cell says `# YOUR CODE HERE` (delete the "
           "`raise NotImplementedError()` line), then run the test cell below it. The tests you see are not "
           "all the tests: when the set is graded, hidden tests check your values too."),
        code(f'from chipcourse import data, checks, {t}\nprefixes = data.load("{t}")\nprefixes'),
    ]
    for letter, (grade_id, points, task, solution, visible, hidden) in zip("ABCDEFGH", parts):
        cells += [
            md(f"## Part {letter} ({points} point{'s' if points != 1 else ''})\n\n{task}"),
            code(f"### BEGIN SOLUTION\n{solution}\n### END SOLUTION",
                 metadata={"nbgrader": _meta(f"{grade_id}_answer", solution=True)}),
            code(f"{visible}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS",
                 metadata={"nbgrader": _meta(grade_id, grade=True, points=points)}),
        ]
    letter = "ABCDEFGH"[len(parts)]
    cells += [
        md(f"## Part {letter} (2 points, read by your teacher)\n\n"
           "In two or three sentences: why does every row of the table carry its source?"),
        md("A source lets a reader check each number and see where it was defined; without it a "
           "wrong row could not be told from a right one.",
           metadata={"nbgrader": _meta("why_a_source", grade=True, solution=True, points=2, locked=False)}),
    ]
    return notebooks.normalise(new_notebook(cells=cells))


def _guide_section(p: Plan) -> str:
    t = p.topic
    mistake = f"{t.replace('_', '-')}-exponent-sign"
    parts = _parts(t)
    auto = sum(points for _, points, *_ in parts)
    written = "ABCDEFGH"[len(parts)]
    lines = [
        f"## Module {p.number}: {p.title} (`notebooks/{p.name}.ipynb`)", "",
        "### Objectives", "",
        "1. read a power of ten from the course's prefix table;",
        "2. convert a value from one prefix to another;",
        "3. find a row in a table with pandas.", "",
        "### Time", "",
        "20 minutes teaching, 20 minutes exercises.", "",
        "### Misconceptions and how they show up in answers", "",
        f"- **`{mistake}`** (a power of ten with the wrong sign): shows up as `9` for the power of ten of",
        f"  nano (`{t}_nano_exponent`), and as the negative of kilo's or pico's power in the exercise set",
        "  (`kilo_exponent`, `pico_exponent`).", "",
        "### Classroom activities", "",
        f"1. **Convert on the projector (`{t}_explorer`).** Ask the room for the number of nano units in",
        "   a micro unit before moving the drop-downs, then check it with the widget.", "",
        "### What the exercise set assesses", "",
        f"`exercises/{p.name}/`: **{auto + 2} points**, {auto} graded automatically and 2 read by you.", "",
        "| part | grade_id | points | assesses |",
        "|---|---|---|---|",
        *(f"| {letter} | `{gid}` | {points:g} | (say what this part assesses) |"
          for letter, (gid, points, *_) in zip("ABCDEFGH", parts)),
        f"| {written} | `why_a_source` | 2 | written: why every row carries a source (read by you) |",
    ]
    return "\n".join(lines) + "\n"


def _with_guide(text: str, p: Plan) -> str:
    """The teacher guide with the new module's course-map row and section added."""
    row = (f"| {p.number} | {p.title} | 20 min | 20 min | `exercises/{p.name}/`, "
           f"{sum(points for _, points, *_ in _parts(p.topic)) + 2} points |")
    lines = text.splitlines()
    start = lines.index("## Course map")
    last_row = max(i for i in range(start, len(lines)) if re.match(r"^\| \d\d \|", lines[i])
                   and all(not lines[j].startswith("## ") for j in range(start + 1, i)))
    lines.insert(last_row + 1, row)
    return "\n".join(lines).rstrip("\n") + "\n\n" + _guide_section(p).rstrip("\n") + "\n"


# ------------------------------------------------------------------------------------ writing

def create(p: Plan) -> list[Path]:
    """Write every file of the plan; on any failure remove what was written and re-raise."""
    written: list[Path] = []
    package_file = p.root / "data" / "datapackage.json"
    guide_file = p.root / "docs" / "teacher-guide.md"
    originals = {package_file: package_file.read_text(encoding="utf-8"),
                 guide_file: guide_file.read_text(encoding="utf-8")}
    try:
        for path, text in _package_files(p).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
        p.table.write_text(_table_csv(p), encoding="utf-8")
        written.append(p.table)
        p.tests.write_text(_tests(p), encoding="utf-8")
        written.append(p.tests)
        nbformat.write(_lesson_notebook(p), p.notebook)
        written.append(p.notebook)
        p.exercise.parent.mkdir(parents=True)
        nbformat.write(_exercise_notebook(p), p.exercise)
        written.append(p.exercise)
        package = json.loads(originals[package_file])
        package["resources"].append(_resource(p))
        package_file.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        guide_file.write_text(_with_guide(originals[guide_file], p), encoding="utf-8")
    except BaseException:
        for path in reversed(written):
            path.unlink(missing_ok=True)
        for folder in (p.package_dir, p.exercise.parent):
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
        raise
    return written + [package_file, guide_file]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make new-lesson", description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the lesson's name, e.g. 06-chokepoints")
    parser.add_argument("title", help='its title, e.g. "Who holds the chokepoints?"')
    parser.add_argument("--root", type=Path, default=notebooks.ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        made = create(plan(args.name, args.title, args.root))
    except ScaffoldError as exc:
        print(f"make new-lesson: {exc} Nothing was written.", file=sys.stderr)
        return 2
    print(f"Made lesson {args.name} ({args.title}):")
    for path in made:
        print(f"  {path.relative_to(args.root)}")
    print("Next: docs/adding-a-lesson.md (replace each example part; `make test` holds you to the rules).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
