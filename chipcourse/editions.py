"""Two editions built from the notebooks: a static HTML site and the teacher's answer key.

``make site`` (``python -m chipcourse.editions site``) writes ``site/``: every lesson run
top to bottom *as shipped* (no answers filled in, so each "Check yourself" shows its
one-line "You have not answered yet" and nothing is given away) and exported to HTML
with nbconvert, plus ``index.html``, a tour of the course. Charts are inline SVG
(``CHIPCOURSE_CHARTS=svg``); each widget shows the static HTML every course widget
carries next to its live view (:class:`chipcourse.widgets.Panel`); MathJax is copied from
the ``jupyter-server-mathjax`` package. Nothing is fetched from a CDN, so the pages open
from the file system with no Jupyter server and no network.

``make solutions`` (``python -m chipcourse.editions solutions``) writes ``solutions/``
for teachers: every lesson with its answer cells filled from its answer key
and run (every check passes), and every exercise set's worked solution made by
nbgrader's own ``generate_solution`` from the source in ``exercises/`` (the source is
the key: there is no second, hand-written copy). Each comes as a notebook and as HTML.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from . import notebooks, teaching

__all__ = ["build_site", "build_solutions", "execute", "export_html", "short_title", "main"]

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "static-edition"
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
COURSE = "Nodes & Nations"

SITE_NOTE = ("Static edition: every lesson as it looks after Run All, readable without Jupyter. "
             "Widgets show their starting state and answers cannot be checked here: to move the "
             "sliders and check your answers, open the lesson in JupyterLab (make lab).")
SOLUTIONS_NOTE = ("Answer key for teachers, made by make solutions from the lessons' answer keys "
                  "(chipcourse/lessons/<topic>/answer_key.py) and the nbgrader sources in "
                  "exercises/. Not for learners.")


@contextlib.contextmanager
def _environment(**values: str):
    """Set environment variables for this process and the kernels it starts."""
    saved = {key: os.environ.get(key) for key in [*values, "NBGRADER_EXECUTION"]}
    os.environ.pop("NBGRADER_EXECUTION", None)  # widgets show themselves, not the grading placeholder
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def execute(nb, cwd: Path, timeout: int = 300):
    """Run a notebook top to bottom with static charts; only ``raises-exception`` cells may fail."""
    from nbconvert.preprocessors import ExecutePreprocessor

    runner = ExecutePreprocessor(timeout=timeout, kernel_name="python3", store_widget_state=False)
    with _environment(CHIPCOURSE_CHARTS="svg"):
        runner.preprocess(nb, {"metadata": {"path": str(cwd)}})
    return nb


def short_title(title: str) -> str:
    """A lesson's title up to its colon or question mark: "Printing with light"."""
    return re.split(r"(?<=\?)\s|:\s", title, maxsplit=1)[0]


_LESSON_LINK = re.compile(r"\[([^\]]+)\]\((\d\d-[\w-]+)\.ipynb\)")
#: a lesson's link to the learner's copy of its exercise set (``make lab`` makes it; a page cannot open it)
_EXERCISE_LINK = re.compile(r"\[([^\]]+)\]\(\.\./assignments/[^)\s]+\.ipynb\)")


def _link_pages(nb, pages: set[str]):
    """Point links between lessons at their HTML pages; a lesson not built keeps its text only, and
    so does a link to the learner's exercise notebook (the text after it names the file)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _LESSON_LINK.sub(
                lambda m: f"[{m.group(1)}]({m.group(2)}.html)" if m.group(2) in pages else m.group(1),
                cell.source)
            cell.source = _EXERCISE_LINK.sub(lambda m: m.group(1), cell.source)
    return nb


def export_html(nb, title: str, nav: list[dict], note: str, mathjax_url: str | None = MATHJAX_URL) -> str:
    """The notebook as one HTML page with the static-edition template (nbconvert's lab template, offline)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)],
                            mathjax_url=mathjax_url or "")
    nb.metadata["title"] = f"{title} · {COURSE}"
    body, _ = exporter.from_notebook_node(nb, resources={"site_pages": nav, "site_note": note})
    return body


def _nav(entries: list[tuple[str, str]], current: str) -> list[dict]:
    return [{"href": href, "label": label, "current": href == current} for href, label in entries]


def _copy_mathjax(out: Path) -> None:
    import jupyter_server_mathjax

    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    shutil.copytree(static, out / "mathjax", dirs_exist_ok=True,
                    ignore=lambda folder, names: [n for n in names if Path(folder).name == "localization"
                                                  and n != "en"])


def _tour(lessons: list[Path]) -> str:
    """The front page: what the course is, how to use this edition, and each lesson."""
    parts = [f"# {COURSE}: the static edition\n\n"
             "An open course on chip process nodes and industrial policy: why a \"2 nanometre\" node "
             "name is a label and not a measurement, how lithography prints chips up to EUV, the basics "
             "of quantum computing, and the US–Japan technology alliance. Every number comes from a "
             "sourced table in the course's `data/` folder.\n\n"
             "These pages show each lesson as it looks after *Run All*: the text, the code, its tables "
             "and charts, and each widget at its starting settings. To move the widgets and get "
             "feedback on the \"Check yourself\" questions, run the course in JupyterLab: clone it and "
             "type `make lab`.\n\n## Lessons\n"]
    for path in lessons:
        head = teaching.header(path)
        objectives = "\n".join(f"{i}. {text}" for i, text in enumerate(head.objectives, 1))
        parts.append(f"### [{path.name[:2]} {head.title}]({path.stem}.html)\n\n*{head.hook}*\n\n"
                     f"**Time**: {head.time}.\n\n**After it you can**\n\n{objectives}\n")
    return "\n".join(parts)


def _page_for(markdown: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(markdown)]
    return nb


def build_site(out: Path, lessons: list[Path] | None = None, log=print) -> list[Path]:
    """Write the static edition into ``out``; returns the pages written, the tour first."""
    lessons = notebooks.lessons() if lessons is None else list(lessons)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    entries = [("index.html", "Course tour")] + [
        (f"{p.stem}.html", f"{p.name[:2]} {short_title(teaching.title(p))}") for p in lessons]
    stems = {p.stem for p in lessons}
    written = [out / "index.html"]
    written[0].write_text(export_html(_page_for(_tour(lessons)), "Course tour", _nav(entries, "index.html"),
                                      SITE_NOTE), encoding="utf-8")
    for path in lessons:
        log(f"running and exporting {path.name} ...")
        nb = execute(nbformat.read(path, as_version=4), path.parent)
        page = out / f"{path.stem}.html"
        page.write_text(export_html(_link_pages(nb, stems), teaching.title(path), _nav(entries, page.name),
                                    SITE_NOTE), encoding="utf-8")
        written.append(page)
    _copy_mathjax(out)
    return written


def _generate_exercise_solution(source: Path, dest_root: Path) -> Path:
    """nbgrader's ``generate_solution`` for one assignment, with a throwaway gradebook."""
    assignment = source.parent.name
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'gradebook.db'}"
        common = [f"--CourseDirectory.root={source.parent.parent.parent}", f"--CourseDirectory.db_url={db}",
                  "--log-level=WARN"]
        nbgrader = [sys.executable, "-m", "nbgrader"]
        # nbgrader runs `alembic` for its gradebook: the environment's own, also when it is not activated
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        for step in (["db", "assignment", "add", assignment],
                     ["generate_solution", assignment, "--force", f"--CourseDirectory.solution_directory={dest_root}"]):
            done = subprocess.run([*nbgrader, *step, *common], cwd=source.parent.parent.parent, env=env,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"nbgrader {' '.join(step[:2])} failed:\n{done.stdout}{done.stderr}")
    return dest_root / assignment / source.name


def build_solutions(out: Path, lessons: list[Path] | None = None, sets: list[Path] | None = None,
                    log=print) -> list[Path]:
    """Write the answer key into ``out``: filled lessons and exercise solutions, notebook and HTML.

    ``lessons`` and ``sets`` (lesson notebooks, exercise sources) default to all of them.
    """
    out = Path(out)
    (out / "lessons").mkdir(parents=True, exist_ok=True)
    lessons = notebooks.lessons() if lessons is None else list(lessons)
    sets = notebooks.exercises() if sets is None else list(sets)
    entries = [("../index.html", "Answer key")]
    written = []
    with _environment(CHIPCOURSE_CHARTS="svg"):
        for path in lessons:
            log(f"filling and running {path.name} ...")
            nb = execute(notebooks.with_answer_key(nbformat.read(path, as_version=4)), path.parent)
            target = out / "lessons" / path.name
            nbformat.write(nb, target)
            target.with_suffix(".html").write_text(
                export_html(nb, f"Answer key: {teaching.title(path)}", _nav(entries, ""), SOLUTIONS_NOTE,
                            mathjax_url="../" + MATHJAX_URL), encoding="utf-8")
            written += [target, target.with_suffix(".html")]
        for source in sets:
            log(f"nbgrader generate_solution {source.parent.name} ...")
            solved = _generate_exercise_solution(source, (out / "exercises").resolve())
            nb = nbformat.read(solved, as_version=4)
            solved.with_suffix(".html").write_text(
                export_html(nb, f"Solution: {teaching.title(solved)}", _nav([("../../index.html", "Answer key")], ""),
                            SOLUTIONS_NOTE, mathjax_url="../../" + MATHJAX_URL), encoding="utf-8")
            written += [solved, solved.with_suffix(".html")]
    items = "\n".join(f"- [{p.relative_to(out).with_suffix('')}]({p.relative_to(out)})"
                      for p in written if p.suffix == ".html")
    index = out / "index.html"
    index.write_text(export_html(_page_for(f"# Answer key\n\n{SOLUTIONS_NOTE}\n\n{items}\n"),
                                 "Answer key", [], SOLUTIONS_NOTE, mathjax_url=None), encoding="utf-8")
    _copy_mathjax(out)
    return [index, *written]


def main(argv: list[str] | None = None) -> int:
    """``python -m chipcourse.editions site|solutions [OUT]``."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in ("site", "solutions"):
        print("usage: python -m chipcourse.editions site|solutions [OUT]", file=sys.stderr)
        return 2
    out = Path(args[1] if len(args) > 1 else args[0]).resolve()
    build = build_site if args[0] == "site" else build_solutions
    pages = build(out)
    print(f"Wrote {len(pages)} files to {out}/; open {out / 'index.html'} in a browser.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
