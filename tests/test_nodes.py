"""chipcourse.nodes: names, pitches and densities."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from chipcourse import data, nodes


@pytest.mark.parametrize("name, number", [("22nm", 22), ("N5", 5), ("Intel 7", 7), ("18A", 1.8),
                                          ("14LPP", 14), ("3GAE", 3), ("2nm", 2), ("N10", 10),
                                          ("Intel 4", 4), ("16nm", 16)])
def test_node_number_reads_the_label(name, number):
    assert nodes.node_number(name) == pytest.approx(number)


@pytest.mark.parametrize("bad", ["", "Gen X", None, 7])
def test_node_number_refuses_non_names(bad):
    with pytest.raises(ValueError):
        nodes.node_number(bad)


@pytest.fixture(scope="module")
def table():
    return data.load("nodes")


@pytest.fixture(scope="module")
def summary(table):
    return nodes.summary(table)


def test_summary_has_one_row_per_node_and_takes_the_median_of_the_sources(table, summary):
    """Where sources disagree, the summary takes the median of their figures (of two, the
    lower one): a figure some source gave, by a stated rule, never just the first row."""
    import statistics

    assert not summary.duplicated(["company", "node"]).any()
    assert len(summary) == len(table.drop_duplicates(["company", "node"]))
    for (company, node), group in table.groupby(["company", "node"]):
        row = nodes.find(summary, company, node)
        assert row["n_sources"] == len(group)
        for metric in nodes.METRICS:
            given = group[metric].dropna()
            if len(given):
                assert row[metric] == statistics.median_low(given), (company, node, metric)
                assert row[metric] in set(given), "the summary's figure is one a source gave"
            else:
                assert math.isnan(row[metric])
        density = group["density_mtr_mm2"].dropna()
        if len(density):
            assert (row["density_min_mtr_mm2"], row["density_max_mtr_mm2"]) == (density.min(), density.max())
            assert row["density_sources"].count(" from ") == len(density)
    assert "median" in nodes.SUMMARY_RULE


def test_summary_on_a_small_table():
    small = pd.DataFrame({"company": ["A"] * 3 + ["B"] * 2, "node": ["N3"] * 3 + ["N5"] * 2, "year": 2020,
                          "source": ["Low, 2020", "Mid, 2021", "High, 2022", "One, n.d.", "Two, n.d."],
                          **{m: [float("nan")] * 5 for m in nodes.METRICS}})
    small["density_mtr_mm2"] = [124.0, 215.0, 220.0, 250.0, 123.4]
    out = nodes.summary(small)
    a, b = nodes.find(out, "A", "N3"), nodes.find(out, "B", "N5")
    assert a["density_mtr_mm2"] == 215.0 and b["density_mtr_mm2"] == 123.4   # the median; of two, the lower
    assert (a["density_min_mtr_mm2"], a["density_max_mtr_mm2"]) == (124.0, 220.0)
    assert a["density_sources"] == "124 from Low; 215 from Mid; 220 from High"


def test_tsmc_n3_is_denser_than_n5_in_the_summary_as_in_its_sources(table, summary):
    """The lesson's density chart put N3 below N5 (the first N3 row, a high-performance-cell
    figure) while the same table gives N3 two higher figures."""
    n3, n5 = nodes.find(summary, "TSMC", "N3"), nodes.find(summary, "TSMC", "N5")
    n3_sources = table[(table["company"] == "TSMC") & (table["node"] == "N3")]["density_mtr_mm2"].dropna()
    assert (n3_sources > n5["density_mtr_mm2"]).sum() > len(n3_sources) / 2
    assert n3["density_mtr_mm2"] > n5["density_mtr_mm2"]
    assert n3["density_min_mtr_mm2"] < n5["density_mtr_mm2"] < n3["density_max_mtr_mm2"]


def test_disagreements_keep_every_source(table):
    found = nodes.disagreements(table)
    assert set(found.columns) == {"company", "node", "metric", "value", "source"}
    for (company, node, metric), group in found.groupby(["company", "node", "metric"]):
        assert group["value"].nunique() > 1 and group["source"].nunique() == len(group)


def test_disagreements_on_a_small_table():
    small = pd.DataFrame({"company": ["A", "A", "B"], "node": ["n1", "n1", "n2"],
                          "source": ["s1", "s2", "s3"], **{m: [1.0, 2.0, 3.0] for m in nodes.METRICS}})
    small["year"] = 2020
    found = nodes.disagreements(small)
    assert set(found["node"]) == {"n1"} and len(found) == 2 * len(nodes.METRICS)


def test_irds_label():
    assert nodes.irds_label(48, 24) == "G48M24"
    assert nodes.irds_label(47.6, 36.2, tiers=1) == "G48M36T1"
    for bad in [(0, 24), (48, -1), (math.nan, 24), ("48", 24)]:
        with pytest.raises(ValueError):
            nodes.irds_label(*bad)
    with pytest.raises(ValueError, match="tiers"):
        nodes.irds_label(48, 24, tiers=0)


def test_bohr_density_is_the_weighted_mean_in_mtr_per_mm2():
    # 4 transistors on 0.04 µm² = 100 per µm²; 24 on 0.4 µm² = 60 per µm² -> 0.6*100 + 0.4*60
    assert nodes.bohr_density(4, 0.04, 24, 0.4) == pytest.approx(84.0)
    with pytest.raises(ValueError, match="NAND2 cell area"):
        nodes.bohr_density(4, 0, 24, 0.4)


def test_chip_density():
    assert nodes.chip_density(11.8, 88) == pytest.approx(134.09, rel=1e-3)
    with pytest.raises(ValueError):
        nodes.chip_density(11.8, 0)


def test_density_equivalent_name_scales_with_square_root():
    assert nodes.density_equivalent_name(15.3, 22, 15.3) == pytest.approx(22)
    assert nodes.density_equivalent_name(4 * 15.3, 22, 15.3) == pytest.approx(11)


def test_name_vs_measure_ratio(summary):
    table = nodes.name_vs_measure(summary, "cpp_nm")
    assert (table["ratio"] > 1).all(), "every node's gate pitch is larger than its name"
    row = table[(table["company"] == "TSMC") & (table["node"] == "N5")].iloc[0]
    assert row["ratio"] == pytest.approx(row["cpp_nm"] / 5)
    with pytest.raises(ValueError, match="Choose a length"):
        nodes.name_vs_measure(summary, "density_mtr_mm2")


def test_describe_gap(summary):
    text = nodes.describe_gap(nodes.name_vs_measure(summary, "cpp_nm"), "cpp_nm")
    assert text.startswith("Across ") and "contacted gate pitch" in text and "Intel Intel" not in text
    assert "No node" in nodes.describe_gap(nodes.name_vs_measure(summary, "cpp_nm").iloc[0:0], "cpp_nm")


def test_find_and_full_name(summary):
    assert nodes.full_name("Intel", "Intel 7") == "Intel 7"
    assert nodes.full_name("TSMC", "N5") == "TSMC N5"
    with pytest.raises(ValueError, match="no TSMC N1 in the table"):
        nodes.find(summary, "TSMC", "N1")


def test_honest_name_finds_the_nearest_real_node(summary):
    n7 = nodes.find(summary, "TSMC", "N7")
    named = nodes.honest_name(n7["cpp_nm"], n7["mmp_nm"], summary)
    assert named.label == nodes.irds_label(n7["cpp_nm"], n7["mmp_nm"])
    assert named.nearest_distance_nm == 0 and named.label in named.sentence()
    with pytest.raises(ValueError):
        nodes.honest_name(-5, 20, summary)


def test_chip_vs_node(summary):
    table = nodes.chip_vs_node(data.load("chips"), summary, "Apple A14 Bionic")
    chip, node = table["density_mtr_mm2"]
    assert chip < node, "a real chip averages below its node's claimed density"
    with pytest.raises(ValueError, match="No chip"):
        nodes.chip_vs_node(data.load("chips"), summary, "Pentium 5")
