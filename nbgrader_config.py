"""nbgrader configuration for Nodes & Nations (standard course layout, source in exercises/).

Everything here is nbgrader's own machinery with these course changes:

* autograding runs each test cell twice, in the learner's kernel and again outside it
  (chipcourse.grading.TrustedExecute), so a submission cannot change its own verdict;
* the graded kernel and that replay run confined by the operating system (bubblewrap:
  chipcourse.confinement), so a submission cannot change the course, the gradebook or
  anyone else's files; where bubblewrap cannot run, grading refuses and says why;
* a file that is not a readable notebook scores 0 with the reason (chipcourse.intake);
* a copy-pasted graded cell (a duplicate grade_id) is graded as an ordinary cell
  instead of stopping the class, and a graded cell missing from a submission scores 0
  instead of waiting forever for a manual grade;
* feedback returned to learners has the hidden tests removed (nbgrader keeps them by
  default), loads nothing from the internet, and marks written answers that await a
  teacher;
* the grade export says which sets were not submitted or not released instead of 0.
"""

import os

from chipcourse.feedback_pages import template_basedirs

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nodes-and-nations"
# nbgrader's exchange (where release_assignment puts a set and students' Submit puts their
# work) is a folder all users share on JupyterHub, set there by the hub's own config. On one
# machine `make teach` sets CHIPCOURSE_EXCHANGE to a course-local exchange/ folder, so the
# formgrader finds one instead of warning that none exists (docs/teaching.md).
if os.environ.get("CHIPCOURSE_EXCHANGE"):
    c.Exchange.root = os.environ["CHIPCOURSE_EXCHANGE"]
c.CourseDirectory.source_directory = "exercises"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# Data and helper files are installed with the package, not copied into each release.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".git"]

c.Autograde.exporter_class = "chipcourse.intake.SubmissionExporter"
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "chipcourse.grading.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "chipcourse.grading.TrustedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "chipcourse.grading.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Execute.timeout = 60              # seconds per cell; a hung kernel is stopped, not waited on
c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]  # no start-up chatter per student
c.TrustedExecute.notebook_timeout = 600  # seconds per notebook in total
c.TrustedExecute.memory_limit_mb = 4096  # the graded kernel's memory cap
# "bubblewrap": each submission in its own read-only sandbox (docs/teaching.md, "What a
# submission can and cannot do"). Only where bubblewrap cannot run, and knowing that a
# submission can then write to the course, the gradebook and other students' files,
# set "audit-hooks-only".
c.TrustedExecute.confinement = "bubblewrap"
c.TrustedExecute.max_output_bytes = 1_000_000            # per cell, besides nbgrader's 1000 lines
c.TrustedExecute.max_notebook_output_bytes = 10_000_000  # per notebook

c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "chipcourse.feedback_pages.MarkAwaitingTeacher",
    "chipcourse.grading.FeedbackClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# Feedback pages from the course's copy of nbgrader's template: nothing from a CDN, and a
# written answer not yet graded says it awaits a teacher (chipcourse/feedback_pages.py).
c.HTMLExporter.extra_template_basedirs = template_basedirs()

# reports/grades.csv says which sets were not submitted or not released, instead of a 0.
c.ExportApp.plugin_class = "chipcourse.classroom.gradesheet.CourseExportPlugin"
