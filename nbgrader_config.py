"""nbgrader configuration for Nodes & Nations (standard course layout, source in exercises/).

Everything here is nbgrader's own machinery with two course changes:

* autograding runs each test cell twice, in the learner's kernel and again outside it
  (chipcourse.grading.TrustedExecute), so a submission cannot change its own verdict;
* feedback returned to learners has the hidden tests removed (nbgrader keeps them by
  default).
"""

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nodes-and-nations"
c.CourseDirectory.source_directory = "exercises"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# Data and helper files are installed with the package, not copied into each release.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".git"]

c.Autograde.autograde_preprocessors = [
    "chipcourse.grading.TrustedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Execute.timeout = 60

c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "chipcourse.grading.FeedbackClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
