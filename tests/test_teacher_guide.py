"""The teacher guide agrees with the lessons, the exercise sets and the misconception catalogue.

The guide is prose written for teachers, but what it states about a module is read here from
the sources (:mod:`chipcourse.teaching`) and compared, so that a lesson cannot change its
objectives, time, widgets or exercise parts without the guide following. Lessons are taken
as they exist in notebooks/: a new lesson needs its own module section.
"""

from __future__ import annotations

import re

import pytest

from chipcourse import misconceptions, notebooks, teaching

from .conftest import ROOT, lesson_ids

GUIDE = ROOT / "docs" / "teacher-guide.md"
LESSONS = notebooks.lessons()
GENERAL = "Mistakes any lesson can show"


def _sections(text: str, level: int) -> dict[str, str]:
    """Heading text -> body, for the headings of one level."""
    marker = "#" * level + " "
    parts = re.split(rf"^{marker}(.+)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _module(guide: str, lesson) -> dict[str, str]:
    number = lesson.name[:2]
    found = {h: body for h, body in _sections(guide, 2).items() if re.match(rf"Module {number}\b", h)}
    assert len(found) == 1, f"the teacher guide needs one section '## Module {number}: ...' for {lesson.name}"
    (heading, body), = found.items()
    assert f"notebooks/{lesson.name}" in heading, f"the module {number} heading should name {lesson.name}"
    return _sections(body, 3)


def _entry(text: str, key: str) -> str:
    match = re.search(rf"^- \*\*`{re.escape(key)}`\*\*(.*?)(?=^- |^#|\Z)", text, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_ids(LESSONS))
def test_objectives_are_the_lessons_own(guide, lesson):
    section = _module(guide, lesson)["Objectives"]
    listed = re.findall(r"^\d+\.\s+(.*\S)\s*$", section, re.MULTILINE)
    assert listed == teaching.header(lesson).objectives


@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_ids(LESSONS))
def test_time_is_the_lessons_own(guide, lesson):
    section = _module(guide, lesson)["Time"]
    assert section.strip().startswith(teaching.header(lesson).time + "."), \
        f"the guide's Time for {lesson.name} should start with {teaching.header(lesson).time!r}"


def test_every_misconception_is_in_the_guide_under_its_lesson(guide):
    by_topic = {teaching.lesson_topic(p): p for p in LESSONS}
    general = _sections(guide, 2)[GENERAL]
    for entry in misconceptions.catalogue().values():
        if entry.topic == "general":
            where, text = GENERAL, general
        elif entry.topic in by_topic:
            where = f"module {by_topic[entry.topic].name[:2]}"
            text = _module(guide, by_topic[entry.topic])["Misconceptions and how they show up in answers"]
        else:  # a topic whose lesson is not written yet must still be in the guide somewhere
            where, text = "the guide", guide
        body = " ".join(_entry(text, entry.key).split())
        assert body, f"misconception {entry.key!r} needs an entry '- **`{entry.key}`**' in {where}"
        assert "shows up" in body, f"the entry for {entry.key!r} should say how it shows up in answers"


def test_each_misconception_entry_names_every_check_that_recognises_it(guide):
    for key, places in teaching.recognised_in().items():
        body = _entry(guide, key)
        missing = [p for p in places if f"`{p}`" not in body]
        assert not missing, f"the guide's entry for {key!r} should name where it is recognised: {missing}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_ids(LESSONS))
def test_every_widget_has_a_classroom_activity(guide, lesson):
    activities = _module(guide, lesson)["Classroom activities"]
    for name in teaching.widget_calls(lesson):
        assert f"`{name}`" in activities, f"no classroom activity in module {lesson.name[:2]} uses {name}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_ids(LESSONS))
def test_exercise_parts_and_points_are_listed(guide, lesson):
    source = teaching.exercise_for(lesson)
    assert source is not None, f"{lesson.name} has no exercise set"
    section = _module(guide, lesson)["What the exercise set assesses"]
    parts = teaching.exercise_parts(source)
    rows = {m.group(1): float(m.group(2))
            for m in re.finditer(r"^\|[^|]*\|\s*`([\w-]+)`\s*\|\s*([\d.]+)\s*\|", section, re.MULTILINE)}
    assert rows == {p.grade_id: p.points for p in parts}
    total = sum(p.points for p in parts)
    auto = sum(p.points for p in parts if not p.manual)
    assert f"`exercises/{source.parent.name}/`" in section
    assert f"**{total:g} points**, {auto:g} graded automatically and {total - auto:g} read by you" in section


def test_course_map_lists_every_lesson_with_its_time_and_points(guide):
    table = _sections(guide, 2)["Course map"]
    for lesson in LESSONS:
        head = teaching.header(lesson)
        source = teaching.exercise_for(lesson)
        total = sum(p.points for p in teaching.exercise_parts(source))
        row = next((line for line in table.splitlines() if line.startswith(f"| {lesson.name[:2]} |")), "")
        assert row, f"the course map has no row for {lesson.name}"
        assert f"{head.teaching_minutes} min" in row and f"| {head.exercise_minutes} min |" in row
        assert f"`exercises/{source.parent.name}/`, {total:g} points" in row


def test_the_answer_key_is_generated_not_written(guide, root):
    makefile = (root / "Makefile").read_text()
    assert re.search(r"^solutions:", makefile, re.MULTILINE) and re.search(r"^site:", makefile, re.MULTILINE)
    assert "make solutions" in guide and "make site" in guide
    assert "generate_solution" in guide and "chipcourse/lessons/<topic>/answer_key.py" in guide


def test_every_lesson_misconception_is_recognised_by_some_check():
    # "how it shows up in answers" describes what a real check matches, so each one must have one
    places = teaching.recognised_in()
    unrecognised = [key for key, m in misconceptions.catalogue().items() if m.topic != "general" and not places[key]]
    assert unrecognised == []
