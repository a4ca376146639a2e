"""chipcourse.fab: dies per wafer, yield models, cost per good die, the wafer map; lesson 05's fab charts."""

from __future__ import annotations

import math

import pytest

from chipcourse import charts, data, fab


@pytest.fixture(scope="module")
def params():
    return data.load("yield_params")


# --------------------------------------------------------------------------- dies per wafer

def test_dies_per_wafer_is_the_sourced_formula_rounded_down():
    for area in (10, 88, 120.4, 400, 858):
        d = 300
        expected = math.pi * d ** 2 / (4 * area) - math.pi * d / math.sqrt(2 * area)
        assert fab.dies_per_wafer(area, d) == math.floor(expected)


def test_edge_loss_and_edge_exclusion_remove_dies():
    area = 120.4
    assert fab.dies_per_wafer(area) < fab.wafer_area(300) / area
    assert fab.dies_per_wafer(area, 300, edge_exclusion_mm=3) < fab.dies_per_wafer(area, 300)
    areas = [20, 50, 100, 200, 400, 800]
    counts = [fab.dies_per_wafer(a) for a in areas]
    assert counts == sorted(counts, reverse=True)


def test_wafer_geometry_agrees_with_the_table(params):
    d = fab.param(params, "wafer_diameter")
    assert fab.wafer_area(d) == pytest.approx(fab.param(params, "wafer_area_300mm"), rel=1e-4)


@pytest.mark.parametrize("area, message", [
    (0, "more than 0 mm²"),
    (-5, "more than 0 mm²"),
    (90000, "between 0 and the wafer's area"),
    ("big", "must be a number"),
    (float("nan"), "finite number"),
])
def test_bad_die_area_gets_a_sentence(area, message):
    with pytest.raises(ValueError, match=message):
        fab.dies_per_wafer(area)


def test_bad_wafer_and_edge_get_sentences():
    with pytest.raises(ValueError, match="at most 450 mm"):
        fab.dies_per_wafer(100, 1000)
    with pytest.raises(ValueError, match="edge exclusion must be between 0 and half"):
        fab.dies_per_wafer(100, 300, edge_exclusion_mm=200)


# --------------------------------------------------------------------------- yield

def test_yield_models_match_the_sources_worked_example(params):
    # yield_params cites UC Berkeley IEOR 130: A·D = 1 gives 0.3679 (Poisson) and 0.3996 (Murphy)
    note = params[params["parameter"] == "yield_model_murphy"]["note"].iloc[0]
    assert "0.3996" in note
    assert fab.poisson_yield(100, 1.0) == pytest.approx(0.3679, abs=1e-4)   # 100 mm² = 1 cm²
    assert fab.murphy_yield(100, 1.0) == pytest.approx(0.3996, abs=1e-4)


def test_yield_is_not_linear_in_area():
    y1 = fab.poisson_yield(100, 0.1)
    assert fab.poisson_yield(200, 0.1) == pytest.approx(y1 ** 2)      # exponential: areas add, yields multiply
    straight = 1 - 2 * (1 - y1)
    assert fab.poisson_yield(200, 0.1) > straight
    for area in (50, 200, 800):
        assert 0 < fab.poisson_yield(area, 0.3) < fab.murphy_yield(area, 0.3) < 1


def test_no_defects_means_every_die_works():
    assert fab.poisson_yield(500, 0) == 1.0 and fab.murphy_yield(500, 0) == 1.0


def test_yield_for_reads_the_model_name():
    assert fab.yield_for(" murphy ", 100, 0.2) == fab.murphy_yield(100, 0.2)
    assert fab.yield_for("POISSON", 100, 0.2) == fab.poisson_yield(100, 0.2)
    with pytest.raises(ValueError, match="Poisson, Murphy"):
        fab.yield_for("Seeds", 100, 0.2)
    with pytest.raises(ValueError, match="cannot be negative"):
        fab.poisson_yield(100, -0.1)


# --------------------------------------------------------------------------- cost

def test_good_dies_and_cost_per_good_die():
    good = fab.good_dies_per_wafer(120.4, 0.1, "Murphy")
    assert good == pytest.approx(fab.dies_per_wafer(120.4) * fab.murphy_yield(120.4, 0.1))
    assert fab.cost_per_good_die(17000, good) == pytest.approx(17000 / good)
    die = fab.cost_per_good_die(17000, good)
    assert fab.cost_per_billion_transistors(die, 16) == pytest.approx(die / 16)
    assert fab.cost_per_transistor(die, 16e9) == pytest.approx(die / 16e9)
    with pytest.raises(ValueError, match="no good dies"):
        fab.cost_per_good_die(17000, 0)
    with pytest.raises(ValueError, match="cannot be negative"):
        fab.cost_per_good_die(-1, 10)


def test_cost_per_good_die_grows_faster_than_area():
    small = fab.cost_per_good_die(17000, fab.good_dies_per_wafer(100, 0.2))
    big = fab.cost_per_good_die(17000, fab.good_dies_per_wafer(400, 0.2))
    assert big / small > 4


def test_simulate_says_everything_in_one_sentence():
    run = fab.simulate(120.4, 0.1, 16988, "Murphy")
    text = run.sentence()
    assert run.dies_per_wafer == fab.dies_per_wafer(120.4)
    assert f"{run.dies_per_wafer:,}" in text and "Murphy model" in text and "$16,988" in text
    assert f"${run.cost_per_good_die_usd:,.2f}" in text
    hopeless = fab.simulate(858, 50, 16988)
    assert hopeless.cost_per_good_die_usd is None and "no die works at these settings" in hopeless.sentence()


@pytest.mark.parametrize("area, d0", [(858, 1.0), (858, 0.75), (600, 1.0)])
def test_a_wafer_with_no_working_die_is_not_priced(area, d0):
    """"About 0 dies work", then "each good die costs about $1,804,781.53": the price of a fraction of
    a die. Below half a good die per wafer, the simulator says no die works and gives no price."""
    run = fab.simulate(area, d0, 20000)
    assert 0 < run.good_dies < 0.5
    text = run.sentence()
    assert run.cost_per_good_die_usd is None
    assert "no die works at these settings" in text and "about 0 dies" not in text and "costs about $" not in text
    assert f"one wafer in {1 / run.good_dies:,.0f} has a working die" in text


def test_one_working_die_is_singular():
    run = fab.simulate(858, 0.5, 20000)
    assert round(run.good_dies) == 1 and "about 1 die works" in run.sentence()
    assert run.cost_per_good_die_usd == pytest.approx(20000 / run.good_dies)


# --------------------------------------------------------------------------- the wafer map

def test_wafer_map_draws_the_formula_count_inside_the_wafer():
    for area in (25, 120.4, 600):
        dies = fab.wafer_map(area, 0.2, seed=3)
        assert len(dies) == fab.dies_per_wafer(area)
        corners_x = [dies["x_mm"], dies["x_mm"] + dies["side_mm"]]
        corners_y = [dies["y_mm"], dies["y_mm"] + dies["side_mm"]]
        for x in corners_x:
            for y in corners_y:
                assert ((x ** 2 + y ** 2) ** 0.5 <= 150 + 1e-9).all()


def test_wafer_map_is_reproducible_and_follows_the_yield():
    a, b = fab.wafer_map(20, 0.5, seed=7), fab.wafer_map(20, 0.5, seed=7)
    assert a.equals(b)
    assert not a["good"].equals(fab.wafer_map(20, 0.5, seed=8)["good"])
    assert a["good"].mean() == pytest.approx(fab.poisson_yield(20, 0.5), abs=0.03)
    with pytest.raises(ValueError, match="whole number"):
        fab.wafer_map(20, 0.5, seed="x")


# --------------------------------------------------------------------------- tables

def test_presets_list_every_sourced_wafer_price():
    prices = data.load("wafer_cost")
    presets = fab.wafer_presets(prices)
    assert sorted(presets.values()) == sorted(prices["wafer_price_usd"])
    assert all(("$" in label and "(" in label) for label in presets)


def test_one_fab_costs_keep_one_fab_only():
    costs = data.load("fab_cost")
    rows = fab.one_fab_costs(costs)
    assert len(rows) and (rows["scope"] == "one fab").all() and (rows["segment"] == "leading-edge logic").all()
    assert len(fab.one_fab_costs(costs, segment=None)) > len(rows)
    with pytest.raises(ValueError, match="Unknown segment"):
        fab.one_fab_costs(costs, "quantum")


def test_param_names_the_known_parameters(params):
    assert fab.param(params, "reticle_limit_area") > fab.param(params, "wafer_diameter")
    with pytest.raises(ValueError, match="wafer_diameter"):
        fab.param(params, "wafer_radius")


# --------------------------------------------------------------------------- charts

def test_fab_charts_carry_their_tables_and_render(monkeypatch):
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "svg")
    costs = data.load("fab_cost")
    chart = charts.fab_cost_chart(costs)
    assert chart.usermeta["tables"] == ["fab_cost"]
    rows = [r for ds in chart.to_dict()["datasets"].values() for r in ds]
    assert len(rows) == costs["cost_usd_bn"].notna().sum()
    curves = charts.yield_curves({"mature": 0.1, "early": 0.33}, 858)
    drawn = [r for ds in curves.to_dict()["datasets"].values() for r in ds]
    assert {r["model"] for r in drawn} == set(fab.MODELS) and len({r["process"] for r in drawn}) == 2
    d0 = {"mature (0.1/cm²)": 0.1, "early (0.33/cm²)": 0.33}
    assert all(abs(r["yield_pct"] - 100 * fab.yield_for(r["model"], r["die_area_mm2"], d0[r["process"]])) < 1e-9
               for r in drawn)
    with pytest.raises(ValueError, match="at least one defect density"):
        charts.yield_curves({})
    for c in (chart, curves):
        figure = charts.show(c)
        assert "<svg" in figure.svg and figure.source.startswith("Source: ")


def test_wafer_svg_is_not_colour_alone_and_has_a_text_alternative():
    dies = fab.wafer_map(120.4, 0.4, seed=1)
    svg = charts.wafer_svg(dies, 300, summary="Wafer map: test")
    assert svg.startswith("<svg") and "<title>Wafer map: test</title>" in svg
    good, bad = int(dies["good"].sum()), int((~dies["good"]).sum())
    filled = svg.split('<path d="')[1].split('"')[0]
    crossed = svg.split('<path d="')[2].split('"')[0]
    assert filled.count("M") == good and crossed.count("M") == bad
    assert crossed.count("l") == 2 * bad   # every bad die is crossed, not only coloured
