"""chipcourse.chokepoints (lesson 06): shares by series, concentration with lesson 05's HHI, the
"could halt" rule, the disruption model; its charts, widgets, answer key and misconceptions."""

from __future__ import annotations

import html
import math

import ipywidgets
import pandas as pd
import pytest

from chipcourse import charting, charts, checks, chokepoints, data, lessons, misconceptions, policy, teaching, widgets
from chipcourse.checking import misconceptions_named_by
from chipcourse.lessons.chokepoints import charts as lesson_charts

SHARES = chokepoints.chain_shares(data.load("supply_chain_shares"), data.load("critical_inputs"))
LAYERS = data.load("supply_chain_layers")
BANDS = data.load("concentration_bands")


def _frame(rows) -> pd.DataFrame:
    """A small shares table in the columns of supply_chain_shares, for tests that need exact numbers."""
    base = {"layer": "tools", "segment": "widgets", "holder_kind": "firm", "share_pct_high": math.nan,
            "share_kind": "reported", "metric": "revenue", "year": 2025, "source": "Test source, 2025",
            "source_url": "", "note": "", "source_strength": "primary"}
    return pd.DataFrame([{**base, **row} for row in rows])


#: a chain of four layers: tools feed fab and packaging, fab feeds packaging, packaging feeds nothing
CHAIN = pd.DataFrame({"layer": ["tools", "materials", "fab", "packaging"],
                      "name": ["Tools", "Materials", "Fabrication", "Packaging"],
                      "feeds": ["fab;packaging", "fab", "packaging", math.nan]})


# --------------------------------------------------------------------------- rows and series

def test_chain_shares_adds_only_world_shares_of_layers_the_shares_table_lacks():
    inputs = data.load("critical_inputs")
    extra = SHARES[SHARES["table"] == "critical_inputs"]
    assert set(extra["layer"]) == {"gases_chemicals"}
    assert "gases_chemicals" not in set(data.load("supply_chain_shares")["layer"])
    assert not extra["metric"].str.contains("imports").any()
    assert len(SHARES) == len(data.load("supply_chain_shares")) + len(extra)
    neon = extra[extra["segment"] == "semiconductor-grade neon"].iloc[0]
    assert neon["country"] == "Ukraine" and neon["holder"].startswith("Ukraine (")
    # the Korea Times photoresist row belongs to a layer that supply_chain_shares covers itself
    assert (inputs["layer"] == "photoresists").any() and not (extra["layer"] == "photoresists").any()


def test_bounds_reads_ranges_and_single_numbers():
    rows = _frame([{"holder": "A", "share_pct": 75, "share_pct_high": 90, "share_kind": "range"},
                   {"holder": "B", "share_pct": 60, "share_kind": "lower bound"}])
    low, high = chokepoints.bounds(rows)
    assert list(low) == [75, 60] and list(high) == [90, 60]


def test_the_hhi_is_lesson_05s_function_not_a_copy():
    assert chokepoints.hhi is policy.hhi and chokepoints.concentration_band is policy.concentration_band


def test_series_hhi_squares_named_holders_and_bounds_the_unnamed_rest():
    rows = _frame([{"holder": "A", "share_pct": 60}, {"holder": "B", "share_pct": 30},
                   {"holder": "Other firms", "holder_kind": "other", "share_pct": 10}])
    low, high = chokepoints.series_hhi(rows)
    assert low == policy.hhi([60, 30])            # the lumped row is not one firm
    assert high == policy.hhi([60, 30]) + 10 ** 2  # at most: the rest is one more firm
    one = _frame([{"holder": "TOK", "share_pct": 25}])
    assert chokepoints.series_hhi(one) == (625, 625 + 75 ** 2)
    with pytest.raises(ValueError, match="lump many suppliers"):
        chokepoints.series_hhi(_frame([{"holder": "Other", "holder_kind": "other", "share_pct": 100}]))


def test_a_series_rounded_up_by_its_source_still_has_an_hhi():
    eda = chokepoints.series_rows(SHARES, "cset2019-eda-country")
    assert eda["share_pct"].sum() > 101          # CSET rounds shares below 1% up to 1%
    low, _ = chokepoints.series_hhi(eda)
    assert low == pytest.approx((eda["share_pct"] ** 2).sum())


def test_series_table_has_one_row_per_series_with_its_band():
    table = chokepoints.series_table(SHARES, BANDS)
    named = SHARES[SHARES["holder_kind"] != "other"]
    assert set(table["series"]) == set(named["series"])
    assert table["label"].is_unique
    tracks = table.set_index("series").loc["cset2025-track-firm"]
    firms = named[named["series"] == "cset2025-track-firm"]["share_pct"].sort_values(ascending=False)
    assert tracks["top_holder"] == "Tokyo Electron" and tracks["top1_pct"] == firms.iloc[0]
    assert tracks["top3_pct"] == pytest.approx(firms.iloc[:3].sum())
    assert tracks["band"] == policy.concentration_band(tracks["hhi"], BANDS, chokepoints.GUIDELINES)
    weak = table[table["source_strength"] == "weak"]
    assert len(weak) and weak["label"].str.endswith("(weak source)").all()
    assert (table["hhi"] <= table["hhi_high"]).all() and (table["hhi_high"] <= 10_000).all()


def test_top_n_share_adds_the_largest():
    assert chokepoints.top_n_share([10, 50, 30], 2) == 80
    assert chokepoints.top_n_share([10], 3) == 10
    with pytest.raises(ValueError, match="whole number"):
        chokepoints.top_n_share([10], 0)
    with pytest.raises(ValueError, match="must be a number"):
        chokepoints.top_n_share(["ten"], 1)


def test_series_rows_names_an_unknown_series():
    with pytest.raises(ValueError, match="no series 'nope'"):
        chokepoints.series_rows(SHARES, "nope")


# --------------------------------------------------------------------------- countries and the rule

def test_country_shares_from_firms_is_a_range_and_counts_only_when_most_firms_are_named():
    table = chokepoints.country_shares(SHARES).set_index(["series", "country"])
    semi = SHARES[SHARES["series"] == "semi2021-wafer-firm"]
    japan = semi[semi["country"] == "Japan"]["share_pct"].sum()
    row = table.loc[("semi2021-wafer-firm", "Japan")]
    assert row["low"] == pytest.approx(japan)
    assert row["high"] == pytest.approx(japan + 100 - semi["share_pct"].sum())
    assert row["counts"] and row["basis"] == "its named firms"
    assert not table.loc[("toyokeizai2025-resist-firm", "Japan")]["counts"]   # one firm with a quarter
    assert table.loc[("cset2019-wafer-country", "Japan")]["basis"] == "the source's country figure"


def test_halt_rule_needs_every_counting_source_at_the_threshold():
    rows = pd.concat([
        _frame([{"holder": "Japan", "holder_kind": "country", "country": "Japan", "share_pct": 95,
                 "series": "s1"}]),
        _frame([{"holder": "Japan", "holder_kind": "country", "country": "Japan", "share_pct": 75,
                 "share_pct_high": 90, "share_kind": "range", "series": "s2"}]),
        _frame([{"holder": "Acme", "country": "Japan", "share_pct": 20, "series": "s3"}]),   # names too little
        _frame([{"holder": "Korea", "holder_kind": "country", "country": "Korea", "share_pct": 5,
                 "series": "s1"}]),
    ], ignore_index=True)
    table = chokepoints.halt_table(rows, 90).set_index("country")
    assert table.loc["Japan", "status"] == "sources disagree" and table.loc["Japan", "sources"] == 2
    assert table.loc["Korea", "status"] == ""
    assert chokepoints.halt_table(rows, 75).set_index("country").loc["Japan", "status"] == "could halt"
    assert chokepoints.halt_table(rows, 96).set_index("country").loc["Japan", "status"] == ""
    for bad in (0, 101, "ninety", math.nan):
        with pytest.raises(ValueError, match="threshold"):
            chokepoints.halt_table(rows, bad)


def test_on_the_data_the_netherlands_japan_and_the_us_hold_chokepoints():
    halts = chokepoints.could_halt(SHARES)
    pairs = set(zip(halts["segment"], halts["country"]))
    assert ("EUV lithography scanners", "Netherlands") in pairs
    assert ("resist processing tools (coater/developers, 'tracks')", "Japan") in pairs
    assert ("EDA software", "United States") in pairs
    assert set(halts["country"]) <= {"Netherlands", "Japan", "United States"}
    weak_only = halts[halts["weak_only"]]
    assert len(weak_only) and all(
        (SHARES[(SHARES["segment"] == seg)]["source_strength"] == "weak").all() for seg in weak_only["segment"])
    resists = chokepoints.halt_table(SHARES).query("segment == 'photoresists, all types' and country == 'Japan'")
    assert resists["status"].item() == "sources disagree"   # TECHCET's 75-90% against Toyo Keizai's 90%
    fab = chokepoints.halt_table(SHARES, 50).query("layer == 'fabrication'")
    assert (fab["status"] == "").all()                       # nobody holds half of chip making


def test_source_spread_keeps_every_source_and_marks_weak_ones():
    spread = chokepoints.source_spread(SHARES).set_index(["segment", "holder"])
    resists = spread.loc[("photoresists, all types", "Japan")]
    assert resists["sources"] == 2 and resists["low"] == 75 and resists["high"] == 90
    assert "75-90%" in resists["each"] and "90%" in resists["each"]
    assert not spread["weak"].any() or spread.loc[spread["weak"], "each"].str.contains("weak source").all()


# --------------------------------------------------------------------------- the chain and disruption

def test_downstream_follows_feeds_to_the_end_at_the_shortest_distance():
    found = chokepoints.downstream(CHAIN, "materials")
    assert list(found["layer"]) == ["fab", "packaging"] and list(found["depth"]) == [1, 2]
    assert found.iloc[1]["via"] == "Materials → Fabrication → Packaging"
    assert list(chokepoints.downstream(CHAIN, "tools")["depth"]) == [1, 1]   # packaging is fed directly too
    assert chokepoints.downstream(CHAIN, "packaging").empty
    assert list(chokepoints.downstream(CHAIN, "fabrication")["layer"]) == ["packaging"]   # by name
    with pytest.raises(ValueError, match="no layer 'glue'"):
        chokepoints.downstream(CHAIN, "glue")
    real = chokepoints.downstream(LAYERS, "coater_developer")
    assert real.set_index("layer")["depth"].to_dict() == {
        "fabrication": 1, "fabrication_advanced_logic": 1, "assembly_test_packaging": 2}


TOOLS = pd.concat([
    _frame([{"holder": "Acme", "country": "Japan", "share_pct": 70, "series": "firms"},
            {"holder": "Bolt", "country": "Japan", "share_pct": 20, "series": "firms"},
            {"holder": "Core", "country": "Korea", "share_pct": 5, "series": "firms"},
            {"holder": "Other firms", "holder_kind": "other", "share_pct": 5, "series": "firms"}]),
    _frame([{"holder": "Japan", "holder_kind": "country", "country": "Japan", "share_pct": 93, "series": "countries"},
            {"holder": "Korea", "holder_kind": "country", "country": "Korea", "share_pct": 7, "series": "countries"}]),
    _frame([{"holder": "Acme", "country": "Japan", "share_pct": 40, "series": "partial", "year": 2020}]),
], ignore_index=True)


def test_disruption_of_a_country_uses_every_source_that_counts():
    found = chokepoints.disruption(TOOLS, CHAIN, "Japan", "tools")
    losses = found.losses.set_index("series")
    assert losses.loc["countries", "lost_low"] == 93
    assert losses.loc["firms", "lost_low"] == 90 and losses.loc["firms", "lost_high"] == 95  # + the lumped 5
    assert not losses.loc["partial", "counts"]   # names 40% of the market: listed, not counted
    segment = found.by_segment.iloc[0]
    assert (segment["sources"], segment["lost_low"], segment["lost_high"]) == (2, 90, 95)
    assert found.halted == ["widgets"]
    assert list(found.exposed["layer"]) == ["fab", "packaging"]
    text = found.sentence()
    assert "90% to 95% of widgets (2 sources)" in text and "halts: widgets" in text
    assert "Exposed downstream: Fabrication, Packaging directly." in text


def test_disruption_of_a_firm_reads_only_firm_series():
    found = chokepoints.disruption(TOOLS, CHAIN, "Core", "tools", threshold=50)
    assert list(found.losses["series"]) == ["firms"] and found.kind == "firm"
    assert found.halted == [] and "the firm Core" in found.sentence() and "5% of widgets" in found.sentence()


def test_disruption_says_what_it_cannot_do():
    with pytest.raises(ValueError, match="No source names 'Zeta'.*you can remove Japan, Korea, Acme"):
        chokepoints.disruption(TOOLS, CHAIN, "Zeta", "tools")
    with pytest.raises(ValueError, match="no segment 'gadgets'"):
        chokepoints.disruption(TOOLS, CHAIN, "Japan", "tools", "gadgets")
    with pytest.raises(ValueError, match="no shares for packaging"):
        chokepoints.disruption(TOOLS, CHAIN, "Japan", "packaging")
    with pytest.raises(ValueError, match="Say whom to remove"):
        chokepoints.disruption(TOOLS, CHAIN, " ", "tools")
    with pytest.raises(ValueError, match="threshold"):
        chokepoints.disruption(TOOLS, CHAIN, "Japan", "tools", threshold=0)


def test_a_loss_no_counting_source_shows_takes_nothing_and_exposes_nobody():
    # the only source for gadgets names one firm with 1% of them: it is listed, but counts for nothing
    rows = pd.concat([TOOLS, _frame([{"holder": "Dyne", "country": "Chile", "share_pct": 1, "series": "tiny",
                                      "segment": "gadgets"}])], ignore_index=True)
    found = chokepoints.disruption(rows, CHAIN, "Chile", "tools", "gadgets")
    assert list(found.losses["counts"]) == [False] and found.by_segment.empty
    assert found.exposed.empty and "takes away nothing" in found.sentence()


def test_on_the_data_the_neon_halt_and_lasertec():
    neon = chokepoints.disruption(SHARES, LAYERS, "Ukraine", "gases_chemicals", "semiconductor-grade neon")
    row = data.load("critical_inputs").query("input == 'semiconductor-grade neon'").iloc[0]
    assert (neon.segment_rows[0]["lost_low"], neon.segment_rows[0]["lost_high"]) == (row["share_pct"],
                                                                                   row["share_pct_high"])
    assert "assembly_test_packaging" in set(neon.exposed["layer"])   # gases feed packaging directly
    lasertec = chokepoints.disruption(SHARES, LAYERS, "Lasertec", "inspection_metrology").by_segment
    assert lasertec.set_index("segment").loc["mask-blank defect inspection tools", "lost_low"] == 100
    assert lasertec["lost_low"].min() < 10    # its share of all process-control tools is small


def test_removable_lists_countries_then_firms():
    assert chokepoints.removable(TOOLS, "tools") == [("Japan", "country"), ("Korea", "country"), ("Acme", "firm"),
                                                    ("Bolt", "firm"), ("Core", "firm")]


def test_country_name_reads_in_a_sentence():
    assert [chokepoints.country_name(c) for c in ("Netherlands", "United States", "Japan")] == [
        "the Netherlands", "the United States", "Japan"]


# --------------------------------------------------------------------------- charts

def _charts():
    table = chokepoints.series_table(SHARES, BANDS)
    return {"layer_shares_chart": charts.layer_shares_chart(SHARES, LAYERS, table),
            "hhi_chart": charts.hhi_chart(table, LAYERS, BANDS),
            "lever_timeline": charts.lever_timeline(data.load("timeline"))}


def test_every_chart_has_a_description_and_its_tables():
    for name, chart in _charts().items():
        assert isinstance(chart.description, str) and len(chart.description) > 80, name
        assert chart.usermeta["tables"] and all(t in data.tables() for t in chart.usermeta["tables"]), name
        assert charting.svg(charting.prepare(chart, chart.description)).lstrip().startswith("<svg"), name


def test_weak_sources_are_marked_in_the_charts_not_only_in_a_note():
    built = _charts()
    shares = built["layer_shares_chart"].to_dict()
    rows = next(iter(shares["datasets"].values()))
    weak = [r for r in rows if r["weak"]]
    assert weak and all(r["label"].endswith("(weak source)") and r["source_strength"] == "weak" for r in weak)
    encoding = shares["spec"]["layer"][0]["encoding"]
    assert encoding["opacity"]["condition"]["test"] == "datum.weak"
    assert encoding["strokeDash"]["condition"]["test"] == "datum.weak"
    points = built["hhi_chart"].to_dict()["layer"][2]["encoding"]
    assert points["fillOpacity"]["condition"] == {"test": "datum.weak", "value": 0.0}   # hollow
    assert "weak source" in built["hhi_chart"].description


def test_the_lever_timeline_filters_the_timeline_it_does_not_copy_it():
    timeline = data.load("timeline")
    rows = charts.lever_events(timeline)
    wanted = timeline[timeline["category"].isin(lesson_charts.LEVER_CATEGORIES)]
    assert set(zip(rows["date"], rows["event"])) == set(zip(wanted["date"], wanted["event"]))
    assert len(rows) == wanted["countries"].str.split(";").str.len().sum()   # one row per country involved
    assert set(rows["category"]) == {"export-control", "supply-shock"}
    with pytest.raises(ValueError, match="Unknown categories"):
        charts.lever_timeline(timeline, categories=["nope"])
    # its caption cites the events it draws, not the first rows of the whole timeline
    caption = charting._source_of(charts.lever_timeline(timeline))
    first = rows.sort_values("date")["source"].iloc[0]
    assert caption.startswith("Source: ") and first in caption
    assert timeline["source"].iloc[0] not in caption


def test_chart_colours_come_from_the_course_palette():
    colours = set(lesson_charts.COUNTRY_COLOURS.values())
    assert colours <= set(charting.PALETTE) and len(colours) == len(lesson_charts.COUNTRY_COLOURS)


# --------------------------------------------------------------------------- widgets

def _live(app) -> str:
    return next(w.value for w in widgets.descendants(app, ipywidgets.HTML) if "aria-live" in w.value)


def _all_html(app) -> str:
    return "".join(w.value for w in widgets.descendants(app, ipywidgets.HTML))


def _controls(app, kind):
    return [w for w in widgets.descendants(app, kind)]


@pytest.mark.usefixtures("live_widgets")
def test_chokepoint_map_shows_a_layer_or_a_country_and_follows_the_rule():
    app = widgets.chokepoint_map()
    choice, = _controls(app, ipywidgets.Dropdown)
    cut, = _controls(app, ipywidgets.IntSlider)
    assert choice.description and cut.description.startswith("Could halt at")
    assert (cut.min, cut.max, cut.value) == (50, 100, chokepoints.HALT_THRESHOLD)
    assert "Resist processing tools" in _live(app) and "⚠ weak source" in _all_html(app)
    choice.value = "country:Japan"
    strong = chokepoints.could_halt(SHARES, country="Japan")
    text = html.unescape(_live(app))
    assert f"could halt {len(strong)}" in text and "mask-blank defect inspection tools" in text
    cut.value = 100
    assert "at least 100%" in html.unescape(_live(app))
    cut.value = 50
    assert f"could halt {len(chokepoints.could_halt(SHARES, 50, 'Japan'))}" in html.unescape(_live(app))
    choice.value = "layer:fabrication"
    assert "No country reaches 50%" in html.unescape(_live(app))
    for _label, value in choice.options:          # every choice gives a sentence, never an error
        choice.value = value
        assert "role='alert'" not in _all_html(app), value


@pytest.mark.usefixtures("live_widgets")
def test_disruption_simulator_is_the_model_in_words_for_every_choice():
    app = widgets.disruption_simulator()
    layer, segment, remove = _controls(app, ipywidgets.Dropdown)
    assert [c.description for c in (layer, segment, remove)] == ["Layer", "Segment", "Remove"]
    layer.value = "litho_equipment"
    assert set(v for _, v in segment.options) == {"", *SHARES.query("layer == 'litho_equipment'")["segment"]}
    segment.value = "EUV lithography scanners"
    assert [v for _, v in remove.options] == [name for name, _ in
                                              chokepoints.removable(SHARES, "litho_equipment", segment.value)]
    remove.value = "Netherlands"
    expected = chokepoints.disruption(SHARES, LAYERS, "Netherlands", "litho_equipment", segment.value).sentence()
    assert html.unescape(_live(app)) == f"<p aria-live='polite'>{expected}</p>"
    assert "simplifications" in _all_html(app) and "Exposed downstream" in _all_html(app)
    before = _live(app)
    layer.value = "photoresists"
    assert _live(app) != before and segment.value == ""
    assert "⚠ weak source" in _all_html(app)                       # fintos' EUV resist row
    for layer_id in [v for _, v in layer.options]:
        layer.value = layer_id
        for _, seg in list(segment.options):
            segment.value = seg
            for _, who in list(remove.options):
                remove.value = who
                assert "role='alert'" not in _all_html(app), (layer_id, seg, who)


def test_placeholders_while_grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    for factory in (widgets.chokepoint_map, widgets.disruption_simulator):
        widget = factory()
        assert isinstance(widget, ipywidgets.HTML) and "JupyterLab" in widget.value


# --------------------------------------------------------------------------- answer key and misconceptions

def _namespace():
    return {"shares": SHARES, "layers": LAYERS, "bands": BANDS, "chokepoints": chokepoints}


def test_answer_key_solutions_pass():
    questions = lessons.questions("06-chokepoints")
    assert len(questions) >= 4
    for question in questions.values():
        namespace = _namespace()
        exec(question.solution, namespace)
        answer = namespace[question.solution.splitlines()[-1].split("=")[0].split(",")[0].strip()]
        assert question.check(answer).startswith("✓"), question.id


@pytest.mark.parametrize("question_id, wrong, key", [
    ("chokepoints_japan_halts", 0, "few-chips-little-leverage"),
    ("chokepoints_lasertec_blanks", "process control tools (inspection and metrology)", "share-is-irreplaceability"),
    ("chokepoints_resist_top_firm", "Japan", "country-share-is-one-firm"),
    ("chokepoints_wafer_hhi", "cset2019-wafer-country", "country-share-is-one-firm"),
    ("chokepoints_euv_lost", "eetj2024-litho-units-firm", "share-is-irreplaceability"),
    ("chokepoints_exposed_later", "none", "shortage-stops-at-next-layer"),
])
def test_a_wrong_answer_names_its_mistake(question_id, wrong, key):
    # the wrong answer a learner gives, read from the tables: Lasertec's share of a broad segment,
    # Japan's country share, the countries' HHI, ASML's share of all lithography tools by units
    if question_id == "chokepoints_lasertec_blanks":
        wrong = SHARES.query("holder == 'Lasertec' and segment == @wrong")["share_pct"].item()
    elif question_id == "chokepoints_resist_top_firm":
        wrong = SHARES.query("holder == 'Japan' and segment == 'photoresists, all types'")["share_pct"].max()
    elif question_id == "chokepoints_wafer_hhi":
        wrong = chokepoints.series_hhi(chokepoints.series_rows(SHARES, wrong))[0]
    elif question_id == "chokepoints_euv_lost":
        wrong = chokepoints.series_rows(SHARES, wrong).query("holder == 'ASML'")["share_pct"].item()
    with pytest.raises(checks.CheckFailed) as failed:
        checks.check(question_id, wrong)
    assert failed.value.misconception == key
    assert misconceptions.get(key).title in str(failed.value)


def test_every_misconception_of_the_lesson_is_named_by_a_check():
    ours = [m.key for m in misconceptions.catalogue().values() if m.topic == "chokepoints"]
    assert len(ours) >= 4
    in_lesson = {key for q in lessons.questions("06-chokepoints").values()
                 for key in misconceptions_named_by(q.check)}
    # the three, at least, are named in the lesson itself; every one somewhere (lesson or exercise set)
    assert {"few-chips-little-leverage", "share-is-irreplaceability", "country-share-is-one-firm"} <= in_lesson
    places = teaching.recognised_in()
    assert all(places[key] for key in ours), {key: places[key] for key in ours}
