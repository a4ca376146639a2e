"""chipcourse.policy: exchange rates, measures, normalisation, concentration, headline verdicts;
lesson 05's tables, answer key and misconceptions."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from chipcourse import lessons, charts, checks, data, fab, misconceptions, policy


# the tables most tests read (data.load returns copies; no test changes them)
fx, subsidies = data.load("fx_rates"), data.load("subsidies")


# --------------------------------------------------------------------------- exchange rates

def test_to_usd_uses_the_annual_rate_of_that_year():
    row = fx[(fx["currency"] == "JPY") & (fx["year"] == 2022) & (fx["period"] == "annual")].iloc[0]
    assert row["quote"] == policy.PER_USD
    assert policy.to_usd(70, "JPY", 2022, fx) == pytest.approx(70 / row["rate"])
    assert policy.to_usd(70, "JPY", 2022, fx) != pytest.approx(policy.to_usd(70, "JPY", 2023, fx))
    assert policy.to_usd(5, "USD", 1999, fx) == 5


def test_the_euro_is_stored_as_published_in_dollars_per_euro():
    eur = fx[fx["currency"] == "EUR"]
    assert (eur["quote"] == policy.USD_PER_UNIT).all() and eur["rate"].notna().all()
    rate = eur[eur["year"] == 2023]["rate"].iloc[0]
    assert policy.to_usd(10, "EUR", 2023, fx) == pytest.approx(10 * rate)   # multiply, not divide
    assert (fx[fx["currency"] != "EUR"]["quote"] == policy.PER_USD).all()


def test_a_missing_year_is_refused_not_guessed():
    with pytest.raises(ValueError, match=r"no annual average rate for JPY in 2025.*Do not use another year"):
        policy.to_usd(100, "JPY", 2025, fx)
    with pytest.raises(ValueError, match="no annual rates for GBP"):
        policy.to_usd(1, "GBP", 2022, fx)
    with pytest.raises(ValueError, match="whole number"):
        policy.to_usd(1, "JPY", "2022", fx)


def test_latest_rate_is_the_most_recent_row():
    latest = policy.latest_rate(fx, "JPY")
    jpy = fx[fx["currency"] == "JPY"]
    assert latest["period"] == max(p for p in jpy["period"] if p != "annual")
    assert policy.convert(100, latest) == pytest.approx(100 / latest["rate"])


def test_the_table_usd_column_is_what_policy_computes():
    for _, row in subsidies.iterrows():
        usd, rate, _quote, basis = policy.amount_usd(row, fx)
        assert basis == row["usd_basis"], row["measure"]
        if math.isnan(usd):
            assert pd.isna(row["amount_usd_bn"]), row["measure"]
        else:
            assert row["amount_usd_bn"] == pytest.approx(usd, abs=1e-4), row["measure"]
        if basis == "converted at annual average":
            assert row["fx_rate"] == pytest.approx(rate) and row["fx_quote"] in (
                f"{row['currency']} per USD", f"USD per {row['currency']}")
            assert row["fx_period"] == f"{row['year']} annual average"
        if basis == "as reported by source":
            assert row["amount_usd_bn"] == row["usd_reported_bn"]


# --------------------------------------------------------------------------- measures

def test_rows_of_one_measure_describe_the_same_thing():
    for measure, rows in subsidies.groupby("measure"):
        assert rows["country"].nunique() == 1 and rows["currency"].nunique() == 1, measure
        assert rows["recipient"].nunique() == 1 and rows["kind"].nunique() <= 2, measure


def test_distinct_measures_counts_each_once():
    distinct = policy.distinct_measures(subsidies)
    assert distinct["measure"].is_unique and set(distinct["measure"]) == set(subsidies["measure"])
    assert len(distinct) < len(subsidies)
    differing = policy.disagreements(subsidies)
    assert "jasm-fab2" in set(differing["measure"]) and differing["amount"].notna().all()


def test_measure_total_matches_a_hand_sum():
    distinct = policy.distinct_measures(subsidies)
    grants = distinct[(distinct["recipient"] == "Rapidus") & (distinct["kind"] == "grant")]
    assert policy.measure_total(subsidies, "Rapidus", ["grant"]) == pytest.approx(grants["amount"].sum())
    every_row = subsidies[(subsidies["recipient"] == "Rapidus") & (subsidies["kind"] == "grant")]["amount"].sum()
    assert every_row > policy.measure_total(subsidies, "Rapidus", ["grant"])
    # Jiji (nippon.com, 2025-03-31) put the cumulative grants at JPY 1,722.5 bn: the table must agree
    note = subsidies[subsidies["measure"] == "rapidus-fy2025"]["note"].iloc[0]
    assert "1,722.5" in note
    assert policy.measure_total(subsidies, "Rapidus", ["grant"]) == pytest.approx(1722.5)
    with pytest.raises(ValueError, match="No grant rows"):
        policy.measure_total(subsidies, "Nobody")


def test_share_of_investment():
    assert policy.share_of_investment(2, 8) == 25
    with pytest.raises(ValueError, match="more than 0"):
        policy.share_of_investment(1, 0)
    with pytest.raises(ValueError, match="cannot be negative"):
        policy.share_of_investment(-1, 5)


# --------------------------------------------------------------------------- normalisation

def test_per_capita_and_per_gdp_arithmetic():
    assert policy.per_capita(1, 100) == pytest.approx(10)        # $1 bn over 100 million people
    assert policy.per_gdp(5, 1000) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="population must be more than 0"):
        policy.per_capita(1, 0)
    with pytest.raises(ValueError, match="must be a number"):
        policy.per_gdp("lots", 1000)


def test_comparison_divides_by_one_reference_year():
    pg = data.load("population_gdp")
    year = policy.common_reference_year(pg)
    both = pg[pg["year"] == year].groupby("country").agg({"population_million": "first", "gdp_usd_bn": "first"})
    assert both.dropna().shape[0] >= 2
    chosen = ["Japan", "United States", "European Union"]
    kinds = ["grant", "award (final)", "budget package"]
    people, _, _ = policy.compare(subsidies, pg, chosen, kinds, "usd_per_person")
    for r in people.itertuples():      # the default year is the common one, and the first sourced row counts
        assert r.value == pytest.approx(r.amount_usd_bn * 1000 / both.loc[r.country, "population_million"])
    assert "European Union" in set(people["country"])
    rows, missing, no_usd = policy.compare(subsidies, pg, chosen, kinds, "pct_gdp", year)
    assert missing == ["European Union"], "the EU has a population but no sourced GDP"
    assert set(rows["country"]) == {"Japan", "United States"}
    for r in rows.itertuples():
        assert r.value == pytest.approx(100 * r.amount_usd_bn / both.loc[r.country, "gdp_usd_bn"])
    assert list(rows["value"]) == sorted(rows["value"], reverse=True)
    assert no_usd == sum(policy.distinct_measures(subsidies).query(
        "country in @chosen and kind in @kinds")["amount_usd_bn"].isna())
    sentence = policy.describe_comparison(rows, missing, "pct_gdp", no_usd)
    assert rows.iloc[0]["label"] in sentence and "European Union" in sentence


def test_compare_refuses_empty_choices():
    pg = data.load("population_gdp")
    with pytest.raises(ValueError, match="at least one country"):
        policy.compare(subsidies, pg, [], ["grant"])
    with pytest.raises(ValueError, match="at least one kind"):
        policy.compare(subsidies, pg, ["Japan"], [])
    with pytest.raises(ValueError, match="normalisation"):
        policy.compare(subsidies, pg, ["Japan"], ["grant"], "per_cow")


# --------------------------------------------------------------------------- concentration

def test_hhi_sums_squared_percentages():
    assert policy.hhi([30, 30, 20, 20]) == 2600
    assert policy.hhi([100]) == 10000
    with pytest.raises(ValueError, match="look like fractions"):
        policy.hhi([0.5, 0.3, 0.2])
    with pytest.raises(ValueError, match="more than the whole market"):
        policy.hhi([70, 60])
    with pytest.raises(ValueError, match="between 0 and 100"):
        policy.hhi([-5, 50])


def test_hhi_rounding_allowance_can_be_widened_for_a_source_that_rounds_up():
    # CSET rounds shares below 1% up to 1%: 96 + 3 + 1 + 1 + 1 is 102, not two sources mixed
    with pytest.raises(ValueError, match="add up to 102"):
        policy.hhi([96, 3, 1, 1, 1])
    assert policy.hhi([96, 3, 1, 1, 1], max_total=104) == 96 ** 2 + 9 + 3
    with pytest.raises(ValueError, match="add up to 110"):
        policy.hhi([96, 10, 4], max_total=104)


def test_foundry_hhi_uses_one_source_one_quarter_and_no_others():
    shares = data.load("foundry_share")
    value, rows = policy.foundry_hhi(shares, "Counterpoint", 2024, "Q4")
    assert "Others" not in set(rows["company"]) and rows["source"].str.contains("Counterpoint").all()
    assert value == pytest.approx((rows["share_pct"] ** 2).sum())
    trend, trows = policy.foundry_hhi(shares, "TrendForce", 2023, "Q4")
    assert trows["company"].is_unique and (trows["year"] == 2023).all()
    with pytest.raises(ValueError, match="No foundry shares"):
        policy.foundry_hhi(shares, "TrendForce", 2023, "Q1")


def test_concentration_bands():
    bands = data.load("concentration_bands")
    assert policy.concentration_band(4000, bands, "2023 Merger Guidelines") == "highly concentrated"
    assert policy.concentration_band(1800, bands, "2023 Merger Guidelines") == "moderately concentrated"
    assert policy.concentration_band(2000, bands, "2010 Horizontal Merger Guidelines") == "moderately concentrated"
    assert policy.concentration_band(500, bands, "2023 Merger Guidelines").startswith("below the")
    with pytest.raises(ValueError, match="No bands"):
        policy.concentration_band(10, bands, "1968 guidelines")


# --------------------------------------------------------------------------- headline verdicts

def _claims_and_tables():
    claims = data.load("headline_claims")
    return claims, {name: data.load(name) for name in set(claims["evidence_table"])}


def test_every_claim_points_at_real_rows():
    claims, tables = _claims_and_tables()
    for row in claims.itertuples():
        table = tables[row.evidence_table]
        assert {row.evidence_key_column, row.evidence_column} <= set(table.columns), row.claim_id
        assert (table[row.evidence_key_column] == row.evidence_key).any(), row.claim_id


def test_the_67bn_claim_is_not_in_any_source():
    claims, tables = _claims_and_tables()
    verdicts = policy.verdict_table(claims, tables).set_index("claim_id")
    why = verdicts.loc["japan-67bn", "why"]
    assert verdicts.loc["japan-67bn", "verdict"] == "partly holds"
    assert why.startswith("No source in the table gives $67 bn") and "¥10,000 bn" in why and "$65" in why
    reported = tables["subsidies"].query("measure == 'japan-chip-ai-framework-fy2030'")["usd_reported_bn"].dropna()
    assert 67 not in set(reported.round())
    assert verdicts.loc["rapidus-2nm-2027", "verdict"] == "partly holds"          # a target, not an achievement
    assert "target" in verdicts.loc["rapidus-2nm-2027", "why"]
    assert set(verdicts["verdict"]) <= {"holds", "partly holds", "does not hold"}


def _claim(**kw):
    base = {"claim_id": "t", "unit": "USD bn", "evidence_table": "t", "evidence_key_column": "k",
            "evidence_key": "a", "evidence_column": "v", "comparison": "about", "precision": 1.0,
            "claimed_value": 10.0}
    return pd.Series({**base, **kw})


@pytest.mark.parametrize("values, claimed, verdict", [
    ([10.2, 11.0], 10, "holds"),           # 10.2 rounds to 10
    ([10.6], 10, "partly holds"),          # 6% off
    ([20.0], 10, "does not hold"),
])
def test_judge_claim_rules(values, claimed, verdict):
    table = pd.DataFrame({"k": ["a"] * len(values), "v": values, "source": ["S, t"] * len(values)})
    assert policy.judge_claim(_claim(claimed_value=claimed), {"t": table}).verdict == verdict


def test_judge_claim_targets_at_least_and_exists():
    table = pd.DataFrame({"k": ["a", "a"], "v": [2027.0, 2027.0], "status": ["target", "target"],
                          "source": ["A, x", "B, y"]})
    result = policy.judge_claim(_claim(claimed_value=2027, unit="year"), {"t": table})
    assert result.verdict == "partly holds" and "target" in result.why
    table["status"] = ["achieved", "target"]
    assert policy.judge_claim(_claim(claimed_value=2027, unit="year"), {"t": table}).verdict == "holds"
    assert policy.judge_claim(_claim(comparison="at least", claimed_value=2000), {"t": table}).verdict == "holds"
    assert policy.judge_claim(_claim(comparison="at least", claimed_value=3000), {"t": table}).verdict == "does not hold"
    assert policy.judge_claim(_claim(comparison="exists", evidence_key="zz"), {"t": table}).verdict == "does not hold"
    with pytest.raises(ValueError, match="was not given"):
        policy.judge_claim(_claim(), {})


# --------------------------------------------------------------------------- charts

def test_subsidy_and_foundry_charts(monkeypatch):
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "svg")
    table = policy.comparison_table(data.load("subsidies"), data.load("population_gdp"), 2022)
    chart = charts.subsidy_chart(table, ["Japan"], ["grant"], "pct_gdp")
    spec = chart.to_dict()
    assert {p["name"]: p["value"] for p in spec["params"]} == {"countries": ["Japan"], "kinds": ["grant"],
                                                                 "how": "pct_gdp"}
    assert chart.usermeta["tables"] == ["subsidies", "fx_rates", "population_gdp"]
    value, rows = policy.foundry_hhi(data.load("foundry_share"), "TrendForce", 2024, "Q4")
    bars = charts.foundry_share_chart(rows, value)
    assert f"{value:,.0f}" in bars.to_dict()["title"]
    for c in (chart, bars):
        assert "<svg" in charts.show(c).svg


# --------------------------------------------------------------------------- misconceptions and checks

REQUIRED = {"yield-linear-in-area", "subsidy-is-whole-investment", "todays-exchange-rate"}


def test_the_issues_misconceptions_are_catalogued():
    keys = {m.key for m in misconceptions.by_topic("policy")}
    assert REQUIRED <= keys and len(keys) >= 3


def _misconception_cases():
    p = data.load("yield_params")
    m1 = data.load("chips").query("chip == 'Apple M1'").dropna(subset=["die_area_mm2"]).iloc[0]
    area, d0, big = m1["die_area_mm2"], fab.param(p, "defect_density_TSMC_N5"), fab.param(p, "reticle_limit_area")
    hhi, _ = policy.foundry_hhi(data.load("foundry_share"), "TrendForce", 2024, "Q4")
    first = subsidies[subsidies["measure"] == "rapidus-2022-first-tranche"].iloc[0]
    return [
        ("policy_m1_dies_per_wafer", fab.wafer_area(300) / area, "no-edge-loss"),
        ("policy_reticle_die_yield", 1 - (1 - fab.poisson_yield(area, d0)) * big / area, "yield-linear-in-area"),
        ("policy_rapidus_first_usd", policy.convert(first["amount"], policy.latest_rate(fx, "JPY")),
         "todays-exchange-rate"),
        ("policy_jasm_subsidy_share", 100, "subsidy-is-whole-investment"),
        ("policy_foundry_hhi", hhi / 10000, "hhi-shares-as-fractions"),
    ]


@pytest.mark.parametrize("question, wrong, key", _misconception_cases())
def test_lesson_checks_name_the_misconceptions(question, wrong, key):
    with pytest.raises(checks.CheckFailed) as info:
        checks.check(question, wrong)
    assert info.value.misconception == key and misconceptions.named_in(str(info.value)) == [key]


def test_lesson_checks_refuse_nonsense():
    with pytest.raises(checks.Unanswered):
        checks.check("policy_m1_dies_per_wafer", ...)
    with pytest.raises(checks.CheckFailed, match="not one of the options"):
        checks.check("policy_verdict_67bn", "maybe")
    with pytest.raises(checks.CheckFailed, match="wants a single number"):
        checks.check("policy_foundry_hhi", [1, 2])


def test_answer_key_solutions_pass():
    chips = data.load("chips")
    env = {"fab": fab, "policy": policy, "data": data, "fx": fx, "shares": data.load("foundry_share"),
           "m1": chips[chips["chip"] == "Apple M1"].dropna(subset=["die_area_mm2"]).iloc[0],
           "yield_params": data.load("yield_params"), "wafer_mm": 300.0,
           "d0_n5": fab.param(data.load("yield_params"), "defect_density_TSMC_N5"),
           "first_tranche": subsidies[subsidies["measure"] == "rapidus-2022-first-tranche"].iloc[0],
           "jasm_grant": subsidies[subsidies["measure"] == "jasm-fab1"].iloc[0],
           "jasm_cost_usd_bn": data.load("fab_cost").query("fab == 'JASM Kumamoto Fab 1'").iloc[0]["cost_usd_bn"]}
    questions = lessons.questions("05-industrial-policy")
    assert len(questions) >= 3
    for q in questions.values():
        scope = dict(env)
        exec(q.solution, scope)
        name = q.solution.strip().splitlines()[-1].split("=")[0].strip().split(",")[0]
        assert q.check(scope[name]).startswith("✓"), q.id
