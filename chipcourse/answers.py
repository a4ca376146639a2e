"""Answers as plain data: what the grader may look at of a learner's answer.

:class:`Unsupported` stands for an answer that is not plain data (numbers, text, lists,
tables), so the checkers (:mod:`chipcourse.checking`) and the grader
(:mod:`chipcourse.grading`) can both name it without either importing the other.
"""

from __future__ import annotations

__all__ = ["Unsupported"]


class Unsupported:
    """Stands in, during replay, for an answer that is not plain data."""

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self) -> str:
        return f"<an object of type {self.kind}, which cannot be graded: answer with a number, text, a list or a table>"
