"""Running a class with nbgrader: release, autograde, feedback, grades, self-check, report.

Every command here is a thin layer over nbgrader's own apps, driven by the course's
``nbgrader_config.py`` on the standard layout (source in ``exercises/``, submissions in
``submitted/<student>/<assignment>/``, gradebook in ``gradebook.db``). What the layer
adds is what a teacher needs around them:

* :func:`autograde` hands nbgrader **each submission on its own** (two at once on a
  machine with two cores), so a broken submission cannot
  stop the rest of the class; it shows a progress bar, and ends with a summary (graded,
  not gradable and why, grading failures and why, the mean per assignment), also written
  to ``reports/autograde-summary.csv``;
* :func:`self_check` lets a learner grade a finished exercise notebook with the same
  tests, hidden ones included, and prints only the verdicts;
* :func:`class_report` writes ``reports/class-report.html``: score distribution,
  question difficulty, the misconceptions the class hit most and who needs help.

Command line: ``python -m chipcourse.classroom --help`` (the Makefile targets call it).
"""

from .course import Course
from .grade import Outcome, autograde, feedback, grade_submission, grades, release, summarise
from .report import class_report
from .selfcheck import self_check

__all__ = ["Course", "Outcome", "autograde", "grade_submission", "summarise", "release",
           "feedback", "grades", "self_check", "class_report"]
