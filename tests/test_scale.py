from __future__ import annotations

import math

import pandas as pd
import pytest

from chipcourse import scale

TABLE = pd.DataFrame({"object": ["atom", "virus", "hair"], "size_nm": [0.5, 100.0, 75000.0]})


def test_between_two_objects():
    c = scale.compare_length(10.0, TABLE)
    assert (c.smaller, c.larger) == ("atom", "virus")
    assert c.times_smaller_object == pytest.approx(20.0)
    assert c.times_larger_object == pytest.approx(10.0)
    assert "20× atom" in c.sentence() and "1/10 of virus" in c.sentence()


def test_at_the_ends():
    low = scale.compare_length(0.1, TABLE)
    assert low.smaller is None and low.larger == "atom"
    high = scale.compare_length(1e6, TABLE)
    assert high.larger is None and high.smaller == "hair"
    assert high.sentence().startswith("1 mm is")


def test_exact_size_counts_as_smaller_neighbour():
    assert scale.compare_length(100.0, TABLE).smaller == "virus"
    assert scale.compare_length(10 ** 2 - 1e-12, TABLE).smaller == "virus"  # float noise


@pytest.mark.parametrize("bad", [0, -1, math.inf, math.nan, "10", True])
def test_impossible_lengths_are_refused(bad):
    with pytest.raises(ValueError, match="nanometres"):
        scale.compare_length(bad, TABLE)


@pytest.mark.parametrize("value, unit, nm", [(1, "µm", 1000), (1, "um", 1000), (2, "mm", 2e6),
                                              (1, "m", 1e9), (500, "pm", 0.5)])
def test_to_nm(value, unit, nm):
    assert scale.to_nm(value, unit) == pytest.approx(nm)


def test_to_nm_refuses_unknown_units():
    with pytest.raises(ValueError, match="furlong"):
        scale.to_nm(1, "furlong")


@pytest.mark.parametrize("nm, text", [(13.5, "13.5 nm"), (1500, "1.5 µm"), (0.5, "500 pm"),
                                       (75000, "75 µm"), (2e9, "2 m")])
def test_format_length(nm, text):
    assert scale.format_length(nm) == text


def test_nearly_equal_sizes_read_naturally():
    # a log slider snaps 13.5 to 13.49: say "about the size of", never "1/1 of"
    sentence = scale.compare_length(99.9, TABLE).sentence()
    assert "about the size of virus" in sentence and "1/1 " not in sentence
