"""The trusted replay behind autograding, tested without nbgrader (see test_pipeline.py)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from chipcourse import answers, grading, replayer


def roundtrip(value):
    return answers.decode(json.loads(json.dumps(answers.encode(value))))


@pytest.mark.parametrize("value", [1, 2.5, "TSMC", None, True, [1, "a"], (1, 2), {"a": [1.5]},
                                   {1, 2}, float("nan"), float("inf"), ...])
def test_plain_values_survive(value):
    back = roundtrip(value)
    if isinstance(value, float) and value != value:
        assert back != back
    else:
        assert back == value and type(back) is type(value)


def test_complex_numbers_survive():
    assert roundtrip(1 + 2j) == 1 + 2j and type(roundtrip(1 + 2j)) is complex
    assert roundtrip(np.complex128(0.5 - 1j)) == 0.5 - 1j
    state = roundtrip(np.array([2 ** -0.5, 1j * 2 ** -0.5]))
    assert state.dtype == np.complex128 and np.allclose(state, [2 ** -0.5, 1j * 2 ** -0.5])


def test_one_unreadable_value_does_not_sink_the_rest():
    snapshot = json.dumps({"answer": 5, "broken": {"$ndarray": [{"$unsupported": "x"}], "dtype": "float64"}})
    verdict = replayer.replay("from chipcourse import checks\nchecks.check_number(answer, 5)", snapshot)
    assert verdict.passed


def test_numpy_and_pandas_survive():
    assert roundtrip(np.float64(2.5)) == 2.5
    arr = roundtrip(np.array([1.0, 2.0]))
    assert isinstance(arr, np.ndarray) and arr.tolist() == [1.0, 2.0]
    frame = pd.DataFrame({"node": ["N5", "N3"], "cpp_nm": [51.0, 48.0]})
    pd.testing.assert_frame_equal(roundtrip(frame), frame, check_dtype=False)
    series = pd.Series([1.0, 2.0], name="x")
    assert roundtrip(series).tolist() == [1.0, 2.0]


def test_tricky_objects_are_recorded_as_unsupported():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    class Frame(pd.DataFrame):
        pass

    class Truthy(int):
        def __eq__(self, other):
            return True

    assert isinstance(roundtrip(AlwaysEqual()), answers.Unsupported)
    assert isinstance(roundtrip(Frame({"a": [1]})), answers.Unsupported)
    assert type(roundtrip(Truthy(3))) is int and roundtrip(Truthy(3)) == 3
    assert isinstance(roundtrip(lambda: 1), answers.Unsupported)


def test_modules_are_reimported_fresh_and_only_known_ones():
    from chipcourse import checks

    import subprocess

    assert roundtrip(checks) is checks
    assert isinstance(roundtrip(subprocess), answers.Unsupported)


def test_referenced_names_skip_builtins():
    src = "checks.check_number(answer, len(data.load('x')))\nprint(other)"
    assert replayer.referenced_names(src) == ["checks", "answer", "data", "other"]
    assert replayer.referenced_names("this is not python(") == []


def snap(**values):
    return json.dumps({k: answers.encode(v) for k, v in values.items()})


TEST = "from chipcourse import checks\nchecks.check_number(answer, 5, what='answer')"


def test_replay_passes_a_right_answer_and_keeps_its_printout():
    verdict = replayer.replay(TEST, snap(answer=5))
    assert verdict.passed and "✓" in verdict.printed


def test_replay_fails_a_wrong_answer_with_the_checker_message():
    verdict = replayer.replay(TEST, snap(answer=7))
    assert not verdict.passed and "too large" in verdict.message


def test_replay_ignores_a_monkeypatched_checker_in_the_snapshot():
    # The learner's kernel had checks.check_number replaced; the snapshot only says
    # "the module chipcourse.checks", which the replay imports fresh.
    src = "checks.check_number(answer, 5)"
    from chipcourse import checks

    verdict = replayer.replay(src, snap(answer=7, checks=checks))
    assert not verdict.passed


def test_replay_reports_missing_names():
    verdict = replayer.replay(TEST, snap())
    assert not verdict.passed and "answer is not defined" in verdict.message


def test_replay_of_unsupported_answer_fails_with_a_sentence():
    class Liar:
        def __eq__(self, other):
            return True

    verdict = replayer.replay(TEST, snap(answer=Liar()))
    assert not verdict.passed and "cannot be graded" in verdict.message


def test_bare_assert_does_not_leak_test_code():
    verdict = replayer.replay("assert answer == 5", snap(answer=4))
    assert verdict.message == "A test did not pass."


def test_no_snapshot_is_an_explained_failure():
    verdict = replayer.replay(TEST, None)
    assert not verdict.passed and verdict.ename == "GradingError" and "kernel" in verdict.message


def test_warnings_in_a_passing_test_do_not_fail_it():
    src = "import warnings\nwarnings.warn('old', FutureWarning)\nassert answer == 5"
    assert replayer.replay(src, snap(answer=5)).passed


def test_verdict_outputs_carry_only_the_message():
    outputs = grading.verdict_outputs(replayer.Verdict(False, "Not quite.", "note\n"))
    assert [o.output_type for o in outputs] == ["stream", "error"]
    # no ANSI red: nbgrader's feedback shows it as 2.7:1 text on the pink error background
    assert outputs[1].traceback == ["✗ Not quite."]
    assert grading.verdict_outputs(replayer.Verdict(True)) == []


def test_snapshot_reads_the_ipython_namespace(monkeypatch):
    class Shell:
        user_ns = {"answer": 5, "model": pd.DataFrame({"a": [1]})}

    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    found = json.loads(answers.snapshot(["answer", "missing", "model"]))
    assert found["answer"] == 5 and "missing" not in found and "$dataframe" in found["model"]


def test_the_graded_kernels_own_output_stays_out_of_the_teachers_terminal(capfd, tmp_path):
    """ipykernel logs to its process's stderr (once, a ZMQ error while a kernel shut down
    printed a traceback in the middle of `make autograde`); that goes to a private log."""
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(
        "import os, sys\n"
        "from ipykernel.kernelapp import IPKernelApp\n"
        "IPKernelApp.instance().log.error('Traceback: kernel log line')\n"
        "fd = getattr(sys.stderr, '_original_stdstream_copy', None) or 2  # the process's stderr\n"
        "os.write(fd, b'Traceback: kernel process line\\n')\n"
        "print('answer printed')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executor = grading.TrustedExecute(sandbox=False, timeout=60)
    executed, _ = executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    terminal = capfd.readouterr()
    assert executed.cells[0].outputs[0]["text"] == "answer printed\n", "the learner's output still arrives"
    assert "kernel log line" not in terminal.err + terminal.out
    assert "kernel process line" not in terminal.err + terminal.out


def test_a_value_larger_than_the_budget_is_not_walked():
    """A 10-million-item answer is refused whole (before: every item was visited, and the
    snapshot held ten million 'too large' markers)."""
    assert answers.encode([0] * 10_000_000) == {"$unsupported": "too large"}
    assert answers.encode({i: i for i in range(200_000)}) == {"$unsupported": "too large"}
    assert answers.encode("x" * 6_000_000) == {"$unsupported": "too large"}
    nested = answers.encode([[0] * 150_000, [1] * 150_000])
    assert len(nested["$list"][0]["$list"]) == 150_000 and nested["$list"][1] == {"$unsupported": "too large"}
    array = roundtrip(np.zeros(150_000))
    assert isinstance(array, np.ndarray) and array.size == 150_000, "an array within the budget still travels"
