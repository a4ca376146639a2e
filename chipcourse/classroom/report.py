"""The class report: one offline HTML page a teacher reads after autograding.

It answers four questions: how did the class score, which questions were hardest, which
misconceptions did the checker name most often, and who needs help. Charts are SVG
drawn by vl-convert from altair specs, so the page needs no JavaScript and no network.
"""

from __future__ import annotations

import csv
import datetime as _dt
import html
import textwrap
from pathlib import Path

import pandas as pd

from .course import Course
from ..notebooks import autograded_tests, nbgrader_meta
from .grade import FAILED, NOT_GRADABLE, checker_words, read_notebook

__all__ = ["collect", "misconceptions_hit", "needs_help", "class_report", "HELP_THRESHOLD"]

#: a student below this share of the autograded points on an assignment needs help
HELP_THRESHOLD = 0.5


def collect(course: Course) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(grades, feedback): one row per student, assignment and graded cell; and the checker's
    words per autograded test cell."""
    from nbgrader.api import Gradebook

    rows, words = [], []
    with Gradebook(course.db_url) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        manual = grade.cell.cell_type == "markdown"
                        rows.append({
                            "assignment": assignment.name, "student": submission.student_id,
                            "grade_id": grade.name, "kind": "written" if manual else "autograded",
                            "score": grade.score if not (manual and grade.needs_manual_grade) else None,
                            "max_score": grade.max_score})
                    path = (course.directory("autograded_directory") / submission.student_id
                            / assignment.name / f"{notebook.name}.ipynb")
                    nb, _ = read_notebook(path) if path.exists() else (None, None)
                    for cell in autograded_tests(nb) if nb is not None else []:
                        words.append({"assignment": assignment.name,
                                      "student": submission.student_id,
                                      "grade_id": nbgrader_meta(cell).get("grade_id"),
                                      "feedback": checker_words(cell)})
    grades = pd.DataFrame(rows, columns=["assignment", "student", "grade_id", "kind", "score", "max_score"])
    feedback = pd.DataFrame(words, columns=["assignment", "student", "grade_id", "feedback"])
    return grades, feedback


def misconceptions_hit(feedback: pd.DataFrame) -> pd.DataFrame:
    """How many students' answers the checker matched to each catalogued misconception."""
    from .. import misconceptions

    hits = []
    for row in feedback.itertuples(index=False):
        for key in misconceptions.named_in(row.feedback):
            hits.append({"key": key, "student": row.student, "grade_id": row.grade_id})
    if not hits:
        return pd.DataFrame(columns=["key", "title", "students", "questions"])
    table = pd.DataFrame(hits)
    out = (table.groupby("key")
           .agg(students=("student", "nunique"), questions=("grade_id", lambda s: ", ".join(sorted(set(s)))))
           .reset_index())
    titles = {m.key: m.title for m in misconceptions.catalogue().values()}
    out["title"] = out["key"].map(lambda k: titles.get(k, k))
    return out.sort_values(["students", "key"], ascending=[False, True])[["key", "title", "students", "questions"]]


def _totals(grades: pd.DataFrame) -> pd.DataFrame:
    auto = grades[grades["kind"] == "autograded"]
    totals = (auto.groupby(["assignment", "student"])
              .agg(score=("score", "sum"), max_score=("max_score", "sum")).reset_index())
    totals["share"] = totals["score"] / totals["max_score"].where(totals["max_score"] > 0)
    return totals


def needs_help(grades: pd.DataFrame, summary: pd.DataFrame | None = None,
               threshold: float = HELP_THRESHOLD, totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Students below ``threshold`` of the autograded points, or whose submission failed.

    ``totals`` (from ``_totals(grades)``) is computed here when not given."""
    totals = _totals(grades) if totals is None else totals
    low = totals[totals["share"] < threshold].copy()
    auto = grades[grades["kind"] == "autograded"]
    reasons = []
    for row in low.itertuples(index=False):
        mine = auto[(auto["assignment"] == row.assignment) & (auto["student"] == row.student)]
        missed = mine[mine["score"].fillna(0) < mine["max_score"]]["grade_id"].tolist()
        reasons.append(f"{row.score:g} of {row.max_score:g} points; missed " + ", ".join(missed[:6])
                       + (" …" if len(missed) > 6 else ""))
    low["why"] = reasons
    low = low[["assignment", "student", "why"]]
    if summary is not None and len(summary):
        problems = summary[summary["status"] != "graded"]
        extra = pd.DataFrame({"assignment": problems["assignment"], "student": problems["student"],
                              "why": problems["status"] + ": " + problems["notes"].fillna("")})
        low = pd.concat([low[~low.set_index(["assignment", "student"]).index.isin(
            extra.set_index(["assignment", "student"]).index)], extra], ignore_index=True)
    return low.sort_values(["assignment", "student"]).reset_index(drop=True)


def _charts(grades: pd.DataFrame, hits: pd.DataFrame, totals: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """name -> (svg, text alternative)."""
    import altair as alt

    from .. import charts

    out = {}
    totals = totals.dropna(subset=["share"])
    if len(totals):
        totals = totals.assign(percent=(totals["share"] * 100).round(0))
        chart = alt.Chart(totals).mark_bar().encode(
            x=alt.X("percent:Q", bin=alt.Bin(step=10, extent=[0, 100]), title="autograded score (%)"),
            y=alt.Y("count():Q", title="students"),
            color=alt.Color("assignment:N", title="assignment"),
        ).properties(width=460, height=220, title="Score distribution")
        text = "; ".join(f"{a}: median {g['percent'].median():.0f}% over {len(g)} students"
                         for a, g in totals.groupby("assignment"))
        out["scores"] = (charts.svg(charts.prepare(chart, text)), text)
    auto = grades[grades["kind"] == "autograded"].dropna(subset=["score"])
    if len(auto):
        difficulty = (auto.groupby(["assignment", "grade_id"])
                      .apply(lambda g: g["score"].sum() / g["max_score"].sum() * 100, include_groups=False)
                      .rename("percent").reset_index().sort_values("percent"))
        chart = alt.Chart(difficulty).mark_bar().encode(
            y=alt.Y("grade_id:N", sort="x", title=None),
            x=alt.X("percent:Q", title="points earned by the class (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("assignment:N", title="assignment"),
            tooltip=["assignment", "grade_id", alt.Tooltip("percent:Q", format=".0f")],
        ).properties(width=460, height=max(120, 18 * len(difficulty)), title="Question difficulty")
        hardest = difficulty.head(3)
        text = "Hardest questions: " + "; ".join(f"{r.grade_id} ({r.percent:.0f}% of points earned)"
                                                 for r in hardest.itertuples())
        out["difficulty"] = (charts.svg(charts.prepare(chart, text)), text)
    if len(hits):
        # the whole title, wrapped onto lines of about 40 characters (Vega cuts an axis label at
        # 180 px with "…", which left most titles unreadable); one row per misconception
        shown = hits.head(12).assign(label=[textwrap.fill(t, 40) for t in hits.head(12)["title"]])
        lines = max(label.count("\n") + 1 for label in shown["label"])
        chart = alt.Chart(shown).mark_bar().encode(
            y=alt.Y("label:N", sort="-x", title=None,
                    axis=alt.Axis(labelLimit=0, labelExpr="split(datum.label, '\\n')", labelLineHeight=14)),
            x=alt.X("students:Q", title="students whose answer showed it", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("title:N", title="misconception"), "students:Q"],
        ).properties(width=460, height=max(80, (8 + 14 * lines) * len(shown)), title="Misconceptions named by the checker")
        text = "Most common: " + "; ".join(f"{r.title} ({r.students} students)" for r in hits.head(3).itertuples())
        out["misconceptions"] = (charts.svg(charts.prepare(chart, text)), text)
    return out


def _table(frame: pd.DataFrame, caption: str) -> str:
    if frame.empty:
        return f"<p>{html.escape(caption)}: none.</p>"
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return (f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _figure(svg: str, text: str) -> str:
    return (f"<figure role='img' aria-label='{html.escape(text, quote=True)}'>{svg}"
            f"<figcaption>{html.escape(text)}</figcaption></figure>")


def _read_summary(course: Course) -> pd.DataFrame:
    path = course.root / "reports" / "autograde-summary.csv"
    if not path.exists():
        return pd.DataFrame(columns=["assignment", "student", "status", "notes"])
    with open(path, encoding="utf-8") as handle:
        return pd.DataFrame(list(csv.DictReader(handle)))


def class_report(course: Course, path: Path | None = None) -> Path:
    """Write the class report (HTML, offline) and return its path."""
    grades, feedback = collect(course)
    if grades.empty:
        raise ValueError("The gradebook has no graded submissions yet: run make autograde first.")
    summary = _read_summary(course)
    hits = misconceptions_hit(feedback)
    totals = _totals(grades)
    help_table = needs_help(grades, summary, totals=totals)
    figures = _charts(grades, hits, totals)
    overview = (totals.groupby("assignment")
                .agg(students=("student", "nunique"), mean_percent=("share", lambda s: round(s.mean() * 100, 1)))
                .reset_index())
    failed = int((summary["status"] == FAILED).sum()) if len(summary) else 0
    ungradable = int((summary["status"] == NOT_GRADABLE).sum()) if len(summary) else 0
    problems = summary[(summary["status"] != "graded") | (summary.get("notes", "") != "")] if len(summary) else summary
    when = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    sections = [
        "<h2>Overview</h2>", _table(overview.rename(columns={"mean_percent": "mean (% of autograded points)"}),
                                    "Submissions per assignment"),
        f"<p>Could not be graded: {ungradable} submission{'s' * (ungradable != 1)} that "
        f"{'were' if ungradable != 1 else 'was'} not a readable notebook (scored 0), and {failed} "
        f"where grading failed; each is listed with its reason in the last section.</p>",
        "<h2>How the class scored</h2>", _figure(*figures["scores"]) if "scores" in figures else "<p>No scores yet.</p>",
        "<h2>Which questions were hardest</h2>",
        _figure(*figures["difficulty"]) if "difficulty" in figures else "<p>No autograded questions yet.</p>",
        "<h2>Misconceptions the class hit most</h2>",
        "<p>Counted from the checker's feedback: each wrong answer that matched a known mistake names it.</p>",
        _figure(*figures["misconceptions"]) if "misconceptions" in figures else "",
        _table(hits.rename(columns={"key": "misconception", "students": "students"}), "Misconceptions named"),
        "<h2>Students who need help</h2>",
        f"<p>Below {HELP_THRESHOLD:.0%} of the autograded points on an assignment, or a submission "
        f"that could not be graded.</p>",
        _table(help_table, "Students to follow up"),
        "<h2>Grading problems and notes</h2>",
        _table(problems[[c for c in ["assignment", "student", "status", "notes"] if c in problems]],
               "Submissions with notes from the autograder") if len(problems) else "<p>None.</p>",
    ]
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Class report: Nodes &amp; Nations</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }}
table {{ border-collapse: collapse; margin: 1rem 0; }} caption {{ text-align: left; font-weight: 600; }}
th, td {{ border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top; }}
figure {{ margin: 1rem 0; }} figcaption {{ font-size: .9rem; color: #333; }}
</style></head>
<body><main>
<h1>Class report</h1>
<p>Generated {when} from the gradebook and the autograded notebooks. Written answers are not
included until a teacher grades them.</p>
{''.join(sections)}
</main></body></html>
"""
    out = Path(path or course.reports() / "class-report.html")
    out.write_text(page, encoding="utf-8")
    return out
