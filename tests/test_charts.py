from __future__ import annotations

import ipywidgets
import pytest

from chipcourse import charts, data


@pytest.fixture
def chart():
    return charts.length_scales(data.load("length_scales"), marker_nm=20.0)


def test_builder_has_the_movable_marker(chart):
    spec = chart.to_dict()
    assert {"name": "marker_nm", "value": 20.0} in spec["params"]


def test_svg_mode_gives_a_labelled_figure(chart, monkeypatch):
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "svg")
    fig = charts.show(chart, description="Objects by size.", source=data.citation("length_scales"))
    html = fig._repr_html_()
    assert html.startswith('<figure class="chipcourse-chart"')
    assert '<svg role="img" aria-label="Objects by size."' in html  # the picture's text alternative
    assert "<svg" in html and "Source: " in html and "Chart in words" in html
    assert "http" not in html.split("<svg", 1)[0]  # nothing loaded from the network
    assert f'<figcaption class="{charts.NO_MATHS}"' in html  # "$8 bn ... $6 bn" in a source is not maths


def test_interactive_mode_is_an_offline_widget(chart, monkeypatch):
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "interactive")
    box = charts.show(chart, description="Objects by size.", source="Source: test")
    assert isinstance(box, ipywidgets.VBox)
    import altair as alt

    assert isinstance(box.chart, alt.JupyterChart)
    assert alt.JupyterChart._is_offline
    assert "cdn.jsdelivr" not in alt.JupyterChart._esm and len(alt.JupyterChart._esm) > 100_000
    assert box.chart.spec["description"] == "Objects by size."
    assert box.chart.spec["config"]["range"]["category"] == charts.PALETTE


def test_grading_forces_svg(monkeypatch):
    monkeypatch.delenv("CHIPCOURSE_CHARTS", raising=False)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert charts.mode() == "svg"
    monkeypatch.delenv("NBGRADER_EXECUTION")
    assert charts.mode() == "interactive"


@pytest.mark.parametrize("kwargs, match", [({"description": "", "source": "s"}, "description"),
                                           ({"description": "d", "source": ""}, "source")])
def test_source_and_description_are_required(chart, kwargs, match):
    with pytest.raises(charts.ChartError, match=match):
        charts.show(chart, **kwargs)


def test_offline_bundle_is_cached_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    charts.offline_bundle.cache_clear()
    try:
        first = charts.offline_bundle()
        cached = list((tmp_path / "chipcourse").glob("jupyterchart-*.js"))
        assert len(cached) == 1 and cached[0].read_text(encoding="utf-8") == first
    finally:
        charts.offline_bundle.cache_clear()


def test_with_rows_redraws_a_compiled_chart_with_other_rows():
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame({"year": [2001, 2002, 2003], "value": [1.0, 2.0, 3.0], "extra": ["a", "b", "c"]})
    chart = alt.Chart(frame[["year", "value"]]).mark_point().encode(x="year:Q", y="value:Q").properties(
        description="Points.")
    spec = charts.compiled(chart)
    redrawn = charts.with_rows(spec, frame[frame["year"] > 2001])
    (rows,) = redrawn["datasets"].values()
    assert rows == [{"year": 2002, "value": 2.0}, {"year": 2003, "value": 3.0}]   # only the chart's columns
    assert {k: v for k, v in redrawn.items() if k != "datasets"} == {k: v for k, v in spec.items() if k != "datasets"}
    assert len(next(iter(spec["datasets"].values()))) == 3                          # the original is untouched
    with pytest.raises(ValueError):
        charts.with_rows(spec, pd.DataFrame({"other": [1]}))


def test_described_source_replaces_the_tables_caption(chart, monkeypatch):
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "svg")
    from html import escape

    cited = escape(data.citation("length_scales"))
    from_tables = charts.show(charts.described(chart, "Objects by size.", ["length_scales"]))
    assert cited in from_tables._repr_html_()
    own = charts.show(charts.described(chart, "Objects by size.", ["length_scales"], source="Source: these rows"))
    assert "Source: these rows" in own._repr_html_() and cited not in own._repr_html_()


def test_density_chart_shows_where_sources_disagree():
    """A line from the lowest to the highest figure for each disputed node, with each source in
    its tooltip; the point is the summary's (median) figure."""
    from chipcourse import nodes

    summary = nodes.summary(data.load("nodes"))
    spec = charts.compiled(charts.density_by_company(summary))
    rules = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "rule"
             or layer.get("mark") == "rule"]
    assert len(rules) == 1
    rule = rules[0]
    assert rule["encoding"]["y"]["field"] == "density_min_mtr_mm2"
    assert rule["encoding"]["y2"]["field"] == "density_max_mtr_mm2"
    assert "density_sources" in [t["field"] for t in rule["encoding"]["tooltip"]]
    rows = spec["datasets"][rule["data"]["name"]]
    disputed = summary[summary["density_max_mtr_mm2"] > summary["density_min_mtr_mm2"]]
    assert {(r["company"], r["node"]) for r in rows} == set(zip(disputed["company"], disputed["node"]))
    assert ("TSMC", "N3") in {(r["company"], r["node"]) for r in rows}
    n3 = next(r for r in rows if r["node"] == "N3")
    assert n3["density_sources"].count(" from ") == 3
    assert "median" in spec["description"]


def test_dodge_sets_overlapping_markers_side_by_side():
    from chipcourse.chart_layout import Axis, dodge

    x_axis, y_axis = Axis((2015.0, 2026.0), 330), Axis((1.0, 10_000.0), 300, log=True, reverse=True)
    shown = dodge([2023, 2023, 2023, 2019], [1121, 1180, 133, 53], x_axis, y_axis, size_px=12, order=[0, 1, 0, 0])
    assert shown[2] == 2023 and shown[3] == 2019                       # nothing near them: they stay
    assert shown[0] < 2023 < shown[1]                                   # Condor and Atom Computing, apart
    assert abs(x_axis.to_px(shown[1]) - x_axis.to_px(shown[0])) >= 12


def test_place_labels_keeps_clear_of_markers_and_labels():
    from chipcourse.chart_layout import LEADER_PLACES, marker_box, place_labels, text_box

    markers = [(100, 100), (70, 100), (100, 80)]           # a neighbour on the left and one above
    places = place_labels([(100, 100, "Nighthawk")], markers, 400, 300)
    box = text_box(100, 100, "Nighthawk", places[0])
    assert places[0] == "right"
    assert not any(min(box[2], m[2]) > max(box[0], m[0]) and min(box[3], m[3]) > max(box[1], m[1])
                   for m in (marker_box(x, y) for x, y in markers))
    # boxed in on every side nearby: a place further out, joined by a line
    crowd = [(100 + dx, 100 + dy) for dx in (-20, -10, 0, 10, 20) for dy in (-12, 0, 12)]
    assert place_labels([(100, 100, "Hummingbird")], crowd, 400, 300)[0] in LEADER_PLACES


def test_log_domain_is_tight():
    from chipcourse.chart_layout import log_domain

    assert log_domain(5, 1225) == (5, 2000) and log_domain(1, 1000) == (1, 1000)
    low, high = log_domain(20, 20)
    assert low < 20 < high
