"""Command line for the Makefile's class targets: python -m chipcourse.classroom <command>."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chipcourse.classroom",
                                     description="Run a class with nbgrader (see docs/teaching.md).")
    parser.add_argument("--course", default=".", help="the course folder (holds nbgrader_config.py)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("release", help="student versions of every exercise set into release/")
    grade = sub.add_parser("autograde", help="grade every submission in submitted/")
    grade.add_argument("--assignment", default=None)
    grade.add_argument("--student", default=None)
    grade.add_argument("--jobs", type=int, default=None,
                       help="submissions graded at once (default: one per core, at most 2)")
    sub.add_parser("feedback", help="HTML feedback (no hidden tests) into feedback/")
    grades = sub.add_parser("grades", help="export grades to reports/grades.csv")
    grades.add_argument("--to", default=None)
    sub.add_parser("report", help="write reports/class-report.html")
    check = sub.add_parser("check", help="grade your own finished exercise notebook")
    check.add_argument("notebook")
    sub.add_parser("learner-copies", help="a learner's own copy of each exercise set in assignments/ "
                                          "(those already there are kept)")


    lms = sub.add_parser("export", help="the gradebook as the CSV an LMS imports (reports/<lms>-grades.csv)")
    lms.add_argument("--lms", default="canvas", help="canvas or moodle")
    lms.add_argument("--roster", default=None, help="the LMS's own student list (CSV), to match its ids")
    lms.add_argument("--to", default=None)
    demo = sub.add_parser("demo", help="make a synthetic class in submitted/ to try the pipeline")
    demo.add_argument("--assignment", default="00-warmup")
    demo.add_argument("--size", type=int, default=12)
    args = parser.parse_args(argv)

    from . import Course, autograde, class_report, feedback, release, self_check
    from .grade import grades as export_grades

    try:
        course = Course(Path(args.course))
        if args.command == "release":
            for name in release(course):
                print(f"released {name} -> {course.directory('release_directory') / name}")
        elif args.command == "autograde":
            outcomes = autograde(course, args.assignment, args.student, jobs=args.jobs)
            return 0 if outcomes is not None else 1
        elif args.command == "feedback":
            pages = feedback(course)
            print(f"{len(pages)} feedback page(s) in {course.directory('feedback_directory')}")
        elif args.command == "grades":
            print(f"grades written to {export_grades(course, args.to)}")
        elif args.command == "report":
            print(f"class report written to {class_report(course)}")
        elif args.command == "check":
            self_check(args.notebook, course.root)
        elif args.command == "learner-copies":
            from .learner import FOLDER, learner_copies

            made = learner_copies(course.root)
            if made:
                print(f"Your copies of {len(made)} exercise set(s), without the solutions, are in "
                      f"{FOLDER}/ (make check NB={FOLDER}/<set>/<set>-exercises.ipynb grades one).")


        elif args.command == "export":
            from .lms import export

            done = export(course, args.lms, Path(args.roster) if args.roster else None,
                          Path(args.to) if args.to else None)
            print(f"{args.lms} grades written to {done.path}")
            for problem in done.problems:
                print(f"  ! {problem}")
        elif args.command == "demo":
            from .synthetic import DEMO_PROBLEMS, make_cases, make_class

            release(course, [args.assignment])
            made = make_class(course.root, args.assignment, size=args.size)
            problems = make_cases(course.root, args.assignment, DEMO_PROBLEMS, prefix="problem-")
            print(f"{len(made)} synthetic submissions and {len(problems)} problem submissions "
                  f"({', '.join(problems.values())}) written to {course.directory('submitted_directory')}")
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"✗ {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
