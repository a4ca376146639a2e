"""chipcourse.alliance: the timeline and the market shares."""

from __future__ import annotations

import pandas as pd
import pytest

from chipcourse import alliance, data


@pytest.fixture(scope="module")
def timeline():
    return data.load("timeline")


@pytest.fixture(scope="module")
def shares():
    return data.load("market_share")


def small_timeline():
    return pd.DataFrame({
        "date": pd.to_datetime(["1986-09-02", "1987-04-17", "2022-08-09", "2023-07-23"]),
        "date_precision": ["day"] * 4,
        "event": ["agreement signed", "tariffs imposed", "act signed", "controls took effect"],
        "countries": ["US;Japan", "US;Japan", "US", "Japan"],
        "category": ["trade", "trade", "policy", "export-control"],
        "date_kind": ["signed", "in force", "signed", "in force"],
        "source": ["s1", "s2", "s3", "s4"],
    })


def test_timeline_has_enough_sourced_events(timeline):
    assert timeline["event"].nunique() >= 30
    assert timeline["date"].min().year <= 1986 and timeline["date"].max().year >= 2025


def test_countries_and_involves():
    t = small_timeline()
    assert alliance.countries(t)[:2] == ["US", "Japan"] or alliance.countries(t)[:2] == ["Japan", "US"]
    assert alliance.involves(t, "Japan").tolist() == [True, True, False, True]


def test_filter_events_by_country_category_and_years():
    t = small_timeline()
    assert alliance.filter_events(t, countries=["US"])["event"].tolist() == [
        "agreement signed", "tariffs imposed", "act signed"]
    assert alliance.filter_events(t, categories=["trade"], start=1987)["event"].tolist() == ["tariffs imposed"]
    assert alliance.filter_events(t, start="2022-08-09", end=2022)["event"].tolist() == ["act signed"]
    with pytest.raises(ValueError, match="Unknown categories"):
        alliance.filter_events(t, categories=["sports"])
    with pytest.raises(ValueError, match="after its end"):
        alliance.filter_events(t, start=2000, end=1990)
    with pytest.raises(ValueError, match="not a date"):
        alliance.filter_events(t, start="last year")


def test_find_event_and_days_between():
    t = small_timeline()
    a, b = alliance.find_event(t, "AGREEMENT"), alliance.find_event(t, "tariffs")
    assert alliance.days_between(a, b) == 227 and alliance.days_between(b, a) == -227
    with pytest.raises(ValueError, match="No event"):
        alliance.find_event(t, "moon landing")
    with pytest.raises(ValueError, match="use more words"):
        alliance.find_event(t, "signed")


def test_real_export_control_delay(timeline):
    proposed = alliance.find_event(timeline, "proposed export licensing for 23 types")
    in_force = alliance.find_event(timeline, "export licensing for 23 types of advanced chipmaking equipment took effect")
    assert proposed["date_kind"] == "announced" and in_force["date_kind"] == "in force"
    assert alliance.days_between(proposed, in_force) > 0


def test_quiz_pair_is_reproducible_and_judged():
    t = small_timeline()
    pair = alliance.quiz_pair(t, seed=5, min_days=30)
    again = alliance.quiz_pair(t, seed=5, min_days=30)
    assert pair.first["event"] == again.first["event"] and pair.second["event"] == again.second["event"]
    right, why = alliance.judge_order(pair, pair.answer.upper())
    assert right and pair.first["source"] in why
    wrong = "after" if pair.answer == "before" else "before"
    assert alliance.judge_order(pair, wrong)[0] is False
    with pytest.raises(ValueError, match="before' or 'after"):
        alliance.judge_order(pair, "yes")
    with pytest.raises(ValueError):
        alliance.quiz_pair(t.head(1), seed=1)


def test_share_series_and_change(shares):
    series = alliance.share_series(shares, "Japan", "sales by company headquarters", source="Toyo Keizai")
    assert series["year"].is_monotonic_increasing and series["source"].nunique() == 1
    first, last = series.iloc[0], series.iloc[-1]
    change = alliance.share_change(shares, "Japan", "sales by company headquarters",
                                   int(first["year"]), int(last["year"]), source="Toyo Keizai")
    assert change == pytest.approx(last["share_pct"] - first["share_pct"]) and change < 0
    with pytest.raises(ValueError, match="years available"):
        alliance.share_change(shares, "Japan", "sales by company headquarters", 1900, 2020,
                              source="Toyo Keizai")
    with pytest.raises(ValueError, match="No reported"):
        alliance.share_series(shares, "Atlantis", "sales by company headquarters")


def test_projections_stay_out_of_reported_series(shares):
    projected = shares[shares["kind"] == "projection"]
    assert not projected.empty and projected["note"].str.contains("(?i)project|forecast").all()
    series = alliance.share_series(shares, "United States", "manufacturing capacity by location")
    assert 2032 in set(projected["year"]) and 2032 not in set(series["year"])


def test_japan_led_on_the_headquarters_basis(shares):
    peak = alliance.peak_share(shares, "Japan", "sales by company headquarters")
    same_year = shares[(shares["year"] == peak["year"]) & (shares["source"] == peak["source"])]
    assert peak["share_pct"] == same_year["share_pct"].max()


def test_milestones_are_found(timeline):
    marks = alliance.milestones(timeline)
    assert len(marks) == len(alliance.MILESTONES)
    assert marks["date"].is_monotonic_increasing
