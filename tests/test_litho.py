"""chipcourse.litho, its tables, charts, misconceptions and answer key."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from chipcourse import lessons, charts, checks, data, litho, misconceptions, nodes


@pytest.fixture(scope="module")
def gens():
    return litho.generations(data.load("lithography"))


@pytest.fixture(scope="module")
def facts():
    return data.load("litho_facts")


@pytest.fixture(scope="module")
def summary():
    return nodes.summary(data.load("nodes"))


# --------------------------------------------------------------------------- tables

def test_every_generation_the_issue_names_is_in_the_table(gens):
    assert list(gens["technology"]) == litho.TECHNOLOGIES
    assert gens["wavelength_nm"].notna().all()
    wavelengths = dict(zip(gens["technology"], gens["wavelength_nm"]))
    assert wavelengths["ArF dry"] == wavelengths["ArF immersion"], "immersion keeps the ArF wavelength"
    assert wavelengths["EUV"] == wavelengths["High-NA EUV"]
    order = [wavelengths[t] for t in ["g-line", "i-line", "KrF", "ArF dry", "EUV"]]
    assert order == sorted(order, reverse=True), "each generation has a shorter wavelength"


def test_generations_take_the_highest_na_and_the_earliest_year(gens):
    table = data.load("lithography")
    for tech in ("ArF immersion", "EUV", "High-NA EUV"):
        row = litho.generation(gens, tech)
        rows = table[table["technology"] == tech]
        assert row["na"] == rows["na"].max()
        assert row["year"] == rows["year"].min()
        assert row["n_sources"] == rows["source"].nunique()
    assert litho.generation(gens, "ArF immersion")["immersion"]
    assert not litho.generation(gens, "EUV")["immersion"]
    assert pd.isna(litho.generation(gens, "KrF")["na"]), "no sourced NA stays blank"
    with pytest.raises(ValueError, match="Choose one of"):
        litho.generation(gens, "X-ray")


def test_physical_limits_come_from_litho_facts(facts):
    lim = litho.limits()
    assert lim.k1_min == litho.fact(facts, "k1_min_single_exposure") == 0.25
    assert lim.na_max == litho.fact(facts, "water_index_193nm")
    assert lim.na_max_dry == litho.fact(facts, "air_index") == 1
    # the immersion tools' NA sits below water's index, the dry tools' below air's
    assert litho.fact(facts, "na_max_immersion_arf") < lim.na_max
    assert litho.fact(facts, "na_max_dry_arf") < lim.na_max_dry
    with pytest.raises(ValueError, match="no fact 'speed_of_light'"):
        litho.fact(facts, "speed_of_light")


def test_weak_sources_say_so():
    for table in ("litho_tools", "litho_facts", "euv_layers"):
        frame = data.load(table)
        for host in ("szyunze", "hk-jlx", "statementdog", "goodreads", "semiwiki.com/forum", "philosophersston"):
            rows = frame[frame["source_url"].str.contains(host, regex=False)]
            assert rows["note"].str.contains("eak source").all(), (table, host)
    assert not data.load("litho_tools")["source_url"].str.contains("compendium").any()
    assert not data.load("lithography")["source_url"].str.contains("xtreview").any()


def test_euv_tables_keep_their_disagreements():
    ship = data.load("euv_shipments")
    y2022 = ship[ship["year"] == 2022]
    assert set(y2022["basis"]) == {"shipped", "revenue-recognised"} and y2022["euv_systems"].nunique() == 2
    layers = data.load("euv_layers")
    n5 = layers[(layers["company"] == "TSMC") & (layers["node"] == "N5")]
    assert n5["euv_layers"].nunique() > 1 and n5["source"].nunique() == len(n5)


# --------------------------------------------------------------------------- formulas

def test_rayleigh_half_pitch_and_pitch():
    assert litho.rayleigh_half_pitch(193, 1.35, 0.25) == pytest.approx(35.74, rel=1e-3)
    assert litho.rayleigh_half_pitch(13.5, 0.33, 0.25) == pytest.approx(10.227, rel=1e-3)
    assert litho.min_pitch(13.5, 0.55, 0.25) == pytest.approx(2 * 0.25 * 13.5 / 0.55)
    assert litho.rayleigh_half_pitch(np.float64(193), np.float64(1.35), 0.3) == pytest.approx(0.3 * 193 / 1.35)


def test_depth_of_focus_scales_with_one_over_na_squared():
    assert litho.depth_of_focus(13.5, 0.33, 1.0) == pytest.approx(13.5 / 0.33 ** 2)
    ratio = litho.depth_of_focus(13.5, 0.55, 0.7) / litho.depth_of_focus(13.5, 0.33, 0.7)
    assert ratio == pytest.approx((0.33 / 0.55) ** 2)
    with pytest.raises(ValueError, match="k2"):
        litho.depth_of_focus(13.5, 0.33, 0)


@pytest.mark.parametrize("k1", [0.2, 0.1, 0.249])
def test_k1_below_the_single_exposure_limit_is_refused(k1):
    with pytest.raises(ValueError, match="below 0.25, the limit for a single exposure"):
        litho.rayleigh_half_pitch(193, 1.35, k1)


def test_k1_outside_the_course_range_is_explained():
    with pytest.raises(ValueError, match="not a percentage"):
        litho.rayleigh_half_pitch(193, 1.35, 25)
    assert litho.rayleigh_half_pitch(193, 1.35, litho.K1_MAX) == pytest.approx(193 / 1.35)


@pytest.mark.parametrize("na, match", [(0, "must be positive"), (-0.5, "must be positive"),
                                       (1.5, "cannot exceed the refractive index"),
                                       (math.nan, "finite"), (math.inf, "finite"),
                                       ("1.35", "must be a number"), (True, "must be a number")])
def test_impossible_na_is_refused(na, match):
    with pytest.raises(ValueError, match=match):
        litho.rayleigh_half_pitch(193, na, 0.25)


def test_na_above_one_needs_immersion():
    assert litho.rayleigh_half_pitch(193, 1.35, 0.25, immersion=True) > 0
    assert litho.rayleigh_half_pitch(193, 1.44, 0.25) > 0, "NA may reach water's index"
    with pytest.raises(ValueError, match="impossible without immersion"):
        litho.rayleigh_half_pitch(13.5, 1.2, 0.25, immersion=False)


@pytest.mark.parametrize("bad", [0, -193, math.nan, None, "193 nm"])
def test_bad_wavelength_is_refused(bad):
    with pytest.raises(ValueError, match="wavelength"):
        litho.rayleigh_half_pitch(bad, 1.35, 0.25)


def test_numerical_aperture_is_n_sin_theta():
    assert litho.numerical_aperture(1.0, 90) == pytest.approx(1.0)
    assert litho.numerical_aperture(1.44, 30) == pytest.approx(0.72)
    with pytest.raises(ValueError, match="between 0° and 90°"):
        litho.numerical_aperture(1.44, 120)


def test_k1_needed_inverts_rayleigh():
    half = litho.rayleigh_half_pitch(193, 1.35, 0.31)
    assert litho.k1_needed(half, 193, 1.35) == pytest.approx(0.31)
    assert litho.k1_needed(14, 193, 1.35) < 0.25, "not checked against the limit: that is the question"


@pytest.mark.parametrize("target, smallest, n", [(28, 71.5, 3), (23, 71.5, 4), (80, 71.5, 1),
                                                 (35.75, 71.5, 2), (71.5, 71.5, 1), (10, 20.45, 3)])
def test_exposures_needed_rounds_up(target, smallest, n):
    assert litho.exposures_needed(target, smallest) == n


def test_exposures_needed_is_exact_at_whole_ratios():
    smallest = litho.min_pitch(193, 1.35, 0.25)
    assert litho.exposures_needed(smallest / 2, smallest) == 2
    assert litho.exposures_needed(smallest / 3, smallest) == 3
    with pytest.raises(ValueError, match="target pitch"):
        litho.exposures_needed(0, smallest)


def test_split_lines_interleave_the_masks():
    lines = litho.split_lines(28, 3, lines=9)
    assert list(lines["mask"]) == [1, 2, 3] * 3
    assert list(lines["x_nm"]) == [28.0 * i for i in range(9)]
    assert (lines["mask_pitch_nm"] == 84).all()
    for mask, group in lines.groupby("mask"):
        assert set(group["x_nm"].diff().dropna()) == {84.0}, "each mask prints at n times the target"
    for bad in (0, 1.5, True):
        with pytest.raises(ValueError, match="whole number"):
            litho.split_lines(28, bad)


# --------------------------------------------------------------------------- nodes against tools

def test_node_pitches_come_from_the_nodes_summary(summary):
    mmp = litho.node_pitches(summary, "mmp_nm")
    n5 = mmp[mmp["name"] == "TSMC N5"].iloc[0]
    assert n5["pitch_nm"] == nodes.find(summary, "TSMC", "N5")["mmp_nm"]
    assert len(mmp) == summary["mmp_nm"].notna().sum()
    with pytest.raises(ValueError, match="Compare with a pitch"):
        litho.node_pitches(summary, "density_mtr_mm2")


def test_n5_metal_pitch_needs_more_than_one_arf_exposure_but_one_euv(summary, gens):
    pitch = nodes.find(summary, "TSMC", "N5")["mmp_nm"]
    arf, euv = litho.generation(gens, "ArF immersion"), litho.generation(gens, "EUV")
    said = litho.verdict(arf["wavelength_nm"], arf["na"], 0.25, pitch, "N5's metal pitch")
    assert not said.single_exposure and said.exposures == 3 and said.k1_needed < 0.25
    assert said.sentence().startswith("No:") and "below the single-exposure limit" in said.sentence()
    said = litho.verdict(euv["wavelength_nm"], euv["na"], 0.25, pitch, "N5's metal pitch")
    assert said.single_exposure and said.sentence().startswith("Yes:")
    said = litho.verdict(euv["wavelength_nm"], euv["na"], 0.5, pitch, "N5's metal pitch")
    assert said.exposures == 2 and "a process with a lower k1 could" in said.sentence()


def test_node_verdicts(summary):
    table = litho.node_verdicts(litho.node_pitches(summary), 193, 1.35, 0.25)
    assert set(table.columns) >= {"name", "pitch_nm", "k1_needed", "exposures", "single_exposure"}
    assert (table["single_exposure"] == (table["pitch_nm"] >= litho.min_pitch(193, 1.35, 0.25))).all()
    assert (table["exposures"] >= 1).all()


# --------------------------------------------------------------------------- charts

def test_resolution_timeline_draws_every_tool_with_an_na(gens, summary):
    chart = charts.resolution_timeline(gens, summary, 0.25)
    spec = chart.to_dict()
    rows = [r for ds in spec["datasets"].values() for r in ds]
    drawn = {r["technology"] for r in rows if "technology" in r}
    assert drawn == set(gens.dropna(subset=["na"])["technology"])
    arf = next(r for r in rows if r.get("technology") == "ArF immersion")
    assert arf["min_pitch_nm"] == pytest.approx(litho.min_pitch(193, 1.35, 0.25))
    assert {r["name"] for r in rows if "name" in r} >= {"TSMC N5", "Intel 22nm"}
    assert chart.usermeta["tables"] == ["lithography", "nodes"]
    assert isinstance(charts.show(chart), (charts.Figure, object))


def test_pattern_split_carries_its_parameters():
    spec = charts.pattern_split(28, 3).to_dict()
    assert {p["name"]: p["value"] for p in spec["params"]} == {"pitch_nm": 28.0, "exposures": 3}


def test_charts_render_to_svg(gens, summary, monkeypatch):
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "svg")
    for chart in (charts.resolution_timeline(gens, summary, 0.25), charts.pattern_split(28, 3),
                  charts.euv_shipments_chart(data.load("euv_shipments"))):
        figure = charts.show(chart)
        assert "<svg" in figure.svg and figure.source.startswith("Source: ")


# --------------------------------------------------------------------------- misconceptions and checks

REQUIRED = {"immersion-shortens-wavelength", "resolution-equals-wavelength", "euv-is-xray-lithography",
            "k1-below-quarter-single-exposure"}


def test_the_issues_misconceptions_are_catalogued():
    keys = {m.key for m in misconceptions.by_topic("litho")}
    assert REQUIRED <= keys and len(keys) >= 4


def _mistake(question, answer):
    with pytest.raises(checks.CheckFailed) as info:
        checks.check(question, answer)
    return info.value.misconception


def test_lesson_checks_name_the_misconceptions(gens, facts):
    water = litho.fact(facts, "water_index_193nm")
    assert _mistake("litho_arf_immersion_half_pitch", 193) == "resolution-equals-wavelength"
    assert _mistake("litho_arf_immersion_half_pitch", 0.25 * 193 / water / 1.35) == "immersion-shortens-wavelength"
    assert _mistake("litho_arf_immersion_half_pitch", "71.5 nm") == "pitch-vs-half-pitch"
    assert _mistake("litho_immersion_wavelength", 193 / water) == "immersion-shortens-wavelength"
    assert _mistake("litho_n5_exposures_arf", 2) == "exposures-round-down"
    assert _mistake("litho_n5_single_exposure_arf", "yes") == "k1-below-quarter-single-exposure"
    assert _mistake("litho_euv_optics", "none: a 1:1 shadow of the mask") == "euv-is-xray-lithography"
    assert _mistake("litho_high_na_dof_ratio", (0.55 / 0.33) ** 2) == "ratio-inverted"


def test_lesson_checks_accept_units_and_refuse_nonsense():
    assert "Correct" in checks.check("litho_arf_immersion_half_pitch", "0.03574 µm")
    assert "Correct" in checks.check("litho_immersion_wavelength", 193)
    with pytest.raises(checks.CheckFailed, match="measures a time"):
        checks.check("litho_immersion_wavelength", "193 s")
    with pytest.raises(checks.Unanswered):
        checks.check("litho_n5_exposures_arf", ...)
    with pytest.raises(checks.CheckFailed, match="not one of the options"):
        checks.check("litho_euv_optics", "X-rays")


def test_answer_key_solutions_pass():
    gens_ = litho.generations(data.load("lithography"))
    env = {"litho": litho, "nodes": nodes, "data": data, "gens": gens_, "facts": data.load("litho_facts"),
           "summary": nodes.summary(data.load("nodes"))}
    questions = lessons.questions("02-lithography-euv")
    assert len(questions) >= 3
    for q in questions.values():
        scope = dict(env)
        exec(q.solution, scope)
        name = q.solution.strip().splitlines()[-1].split("=")[0].strip()
        assert "Correct" in q.check(scope[name]), q.id

