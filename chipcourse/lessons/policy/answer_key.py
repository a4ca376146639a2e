"""Answer key for notebooks/05-industrial-policy.ipynb."""

from __future__ import annotations

from ... import checking, data
from .. import Question
from . import fab, policy

VERDICTS = ["holds", "partly holds", "does not hold"]


def _m1():
    chips = data.load("chips")
    return chips[chips["chip"] == "Apple M1"].dropna(subset=["die_area_mm2"]).iloc[0]


def _wafer_mm():
    return fab.param(data.load("yield_params"), "wafer_diameter")


def _d0_n5():
    return fab.param(data.load("yield_params"), "defect_density_TSMC_N5")


def _m1_dies(answer):
    area, d = _m1()["die_area_mm2"], _wafer_mm()
    return checking.check_number(
        answer, fab.dies_per_wafer(area, d), rel_tol=0, abs_tol=1, what="the M1's dies per wafer",
        misconceptions={"no-edge-loss": fab.wafer_area(d) / area},
        success="The second term of the formula removed the dies that would hang over the edge.")


def _reticle_yield(answer):
    yp = data.load("yield_params")
    big, small, d0 = fab.param(yp, "reticle_limit_area"), _m1()["die_area_mm2"], _d0_n5()
    straight = 1 - (1 - fab.poisson_yield(small, d0)) * big / small
    expected = fab.poisson_yield(big, d0)
    return checking.check_number(
        answer, expected, rel_tol=0.02, what="the Poisson yield of a reticle-sized die",
        misconceptions={"yield-linear-in-area": straight},
        success=f"About {expected:.0%} of such dies work, against {fab.poisson_yield(small, d0):.0%} for the "
                f"M1: the curve bends, it is not a straight line.")


def _first_tranche_usd(answer):
    fx = data.load("fx_rates")
    today = policy.latest_rate(fx, "JPY")
    rows = data.load("subsidies").query("measure == 'rapidus-2022-first-tranche'")
    first, printed = rows.iloc[0], rows["usd_reported_bn"].dropna()
    return checking.check_number(
        answer, policy.to_usd(first["amount"], first["currency"], first["year"], fx), rel_tol=0.01,
        what="Rapidus's first tranche in USD billions",
        misconceptions={"todays-exchange-rate": policy.convert(first["amount"], today)},
        success=f"The sources of the time printed ${printed.min():.3g} bn to ${printed.max():.3g} bn: "
                f"close, because they used that season's rate.")


def _jasm_share(answer):
    subsidies, costs = data.load("subsidies"), data.load("fab_cost")
    grant = subsidies[subsidies["measure"] == "jasm-fab1"].iloc[0]
    total = costs[costs["fab"] == "JASM Kumamoto Fab 1"].iloc[0]["cost_usd_bn"]
    share = policy.share_of_investment(policy.to_usd(grant["amount"], grant["currency"], grant["year"],
                                                     data.load("fx_rates")), total)
    return checking.check_number(
        answer, share, rel_tol=0.02, what="the subsidy's share of the fab's cost (%)",
        misconceptions={"subsidy-is-whole-investment": 100},
        success="The government paid a large part, not the whole: the companies paid the rest.")


def _foundry_hhi(answer):
    value, _rows = policy.foundry_hhi(data.load("foundry_share"), "TrendForce", 2024, "Q4")
    band = policy.concentration_band(value, data.load("concentration_bands"), "2023 Merger Guidelines")
    return checking.check_number(
        answer, value, rel_tol=0.01, what="the HHI of TrendForce's 4Q24 foundry shares",
        misconceptions={"hhi-shares-as-fractions": value / 10000},
        success=f"By the bands of the 2023 Merger Guidelines that market is {band}.")


def _claims_and_tables():
    claims = data.load("headline_claims")
    tables = {name: data.load(name) for name in set(claims["evidence_table"])}
    return claims, tables


def _verdict_67bn(answer):
    claims, tables = _claims_and_tables()
    verdict = policy.judge_claim(claims[claims["claim_id"] == "japan-67bn"].iloc[0], tables)
    return checking.check_choice(answer, verdict.verdict, VERDICTS, what="your verdict on the $67 billion claim",
                               success=verdict.why)


QUESTIONS = [
    Question("policy_m1_dies_per_wafer", "How many Apple M1 dies fit on one 300 mm wafer?", _m1_dies,
             'm1_dies = fab.dies_per_wafer(m1["die_area_mm2"], wafer_mm)'),
    Question("policy_reticle_die_yield",
             "Poisson yield of a reticle-limit die at TSMC N5's defect density?", _reticle_yield,
             "reticle_yield = fab.poisson_yield(fab.param(yield_params, \"reticle_limit_area\"), d0_n5)"),
    Question("policy_rapidus_first_usd", "Rapidus's first ¥70 billion in USD billions, at 2022's rate?",
             _first_tranche_usd,
             'rapidus_first_usd = policy.to_usd(first_tranche["amount"], first_tranche["currency"], '
             'first_tranche["year"], fx)'),
    Question("policy_jasm_subsidy_share", "What share (%) of JASM fab 1's cost did Japan's subsidy cover?",
             _jasm_share,
             'jasm_grant_usd = policy.to_usd(jasm_grant["amount"], jasm_grant["currency"], jasm_grant["year"], fx)\n'
             'jasm_share = policy.share_of_investment(jasm_grant_usd, jasm_cost_usd_bn)'),
    Question("policy_foundry_hhi", "HHI of TrendForce's 4Q24 foundry shares?", _foundry_hhi,
             'foundry_hhi_4q24, _rows = policy.foundry_hhi(shares, "TrendForce", 2024, "Q4")'),
    Question("policy_verdict_67bn", "Does the '$67 billion' headline hold?", _verdict_67bn,
             'verdict_67bn = "partly holds"'),
]
