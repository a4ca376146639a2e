"""Each lesson's code is found from its lesson.toml, and a missing name is a sentence, not a KeyError."""

from __future__ import annotations

import pytest

from chipcourse import charts, checks, lessons, misconceptions, notebooks, syllabus, teaching, widgets
from chipcourse.checking import misconceptions_named_by


def test_every_lesson_notebook_has_one_lesson_package():
    stems = [p.stem for p in notebooks.lessons()]
    assert [lesson.notebook for lesson in syllabus.lessons()] == stems
    for lesson in syllabus.lessons():
        assert (lesson.folder / "lesson.toml").exists() and (lesson.folder / "answer_key.py").exists()
        assert (notebooks.ROOT / "exercises" / lesson.exercise / f"{lesson.exercise}-exercises.ipynb").exists()


def test_every_call_in_a_lesson_is_found():
    for path in notebooks.lessons():
        for name in teaching.widget_calls(path):
            assert callable(getattr(widgets, name)), name
        assert lessons.questions(path.stem), f"{path.stem} has no questions"


def test_models_are_importable_by_their_short_names():
    from chipcourse import fab, nodes, quantum

    assert nodes.__name__ == "chipcourse.lessons.nodes.nodes"
    assert fab.__name__ == "chipcourse.lessons.policy.fab"
    assert callable(quantum.probabilities)
    files = {path.stem for lesson in syllabus.lessons() for path in lesson.folder.glob("*.py")
             if not path.stem.startswith("_") and path.stem not in lessons.RESERVED}
    assert set(lessons.models()) == files and {"nodes", "fab", "policy", "scale"} <= files


def test_a_misspelt_widget_or_chart_says_where_to_add_it():
    with pytest.raises(AttributeError, match=r"No lesson has a widget called 'node_explorr'.*"
                                             r"chipcourse/lessons/<topic>/widgets.py"):
        widgets.node_explorr()
    with pytest.raises(AttributeError, match=r"No lesson has a chart builder called 'densty'.*charts.py"):
        charts.densty
    assert getattr(widgets, "not_a_widget", None) is None  # still an AttributeError for getattr/hasattr


def test_a_misspelt_model_says_which_exist():
    known = ", ".join(sorted(lessons.models()))
    with pytest.raises(ImportError, match=rf"no module called 'nodez'.*known: {known}\)"):
        from chipcourse import nodez  # noqa: F401


def test_a_misspelt_question_is_a_check_failure_with_a_sentence():
    with pytest.raises(checks.CheckFailed, match=r"There is no question called 'nodes_nope'.*chipcourse/lessons/<topic>/"):
        checks.check("nodes_nope", 1)


def test_a_misspelt_misconception_or_lesson_names_the_file():
    with pytest.raises(KeyError) as info:
        misconceptions.get("no-such-mistake")
    assert "lesson.toml" in str(info.value) and not str(info.value).startswith("'")
    with pytest.raises(syllabus.SyllabusError, match=r"No lesson is called '07-nothing'.*make new-lesson"):
        syllabus.lesson_for("07-nothing")


def test_a_lesson_folder_needs_an_init(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "lesson.toml").write_text('notebook = "06-mine"\nexercise = "06-mine"\n')
    with pytest.raises(syllabus.SyllabusError, match="no __init__.py"):
        syllabus._lessons(str(tmp_path))


def test_a_broken_lesson_toml_is_a_sentence(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "__init__.py").write_text("")
    (tmp_path / "mine" / "lesson.toml").write_text('notebook = "06-mine"\n')
    with pytest.raises(syllabus.SyllabusError, match="must say exercise"):
        syllabus._lessons(str(tmp_path))
    (tmp_path / "mine" / "lesson.toml").write_text('notebook = "06-mine"\nexercise = "06-mine"\n'
                                                   '[misconceptions.x]\ntitle = "only a title"\n')
    with pytest.raises(syllabus.SyllabusError, match="misconception 'x' needs a title and an explanation"):
        syllabus._lessons(str(tmp_path))
    (tmp_path / "mine" / "lesson.toml").write_text("notebook = \n")
    with pytest.raises(syllabus.SyllabusError, match="is not valid TOML"):
        syllabus._lessons(str(tmp_path))


def test_two_lessons_may_not_claim_one_notebook(tmp_path):
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
        (tmp_path / name / "lesson.toml").write_text('notebook = "06-same"\nexercise = "06-' + name + '"\n')
    with pytest.raises(syllabus.SyllabusError, match="Two lessons declare notebook = '06-same'"):
        syllabus._lessons(str(tmp_path))


def test_a_question_lists_the_mistakes_it_names_without_reading_source():
    named = {q.id: misconceptions_named_by(q.check) for q in lessons.questions().values()}
    assert named["nodes_ibm_gate_length"] == ["node-name-is-gate-length"]
    assert "pitch-vs-half-pitch" in named["litho_arf_immersion_half_pitch"]
    assert named["start_euv_wavelength_um"] == []
