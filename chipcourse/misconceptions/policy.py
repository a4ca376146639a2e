"""Misconceptions: Lesson 05, Industrial policy by the numbers (fab economics and subsidies)."""

from . import Misconception

ENTRIES = [
    Misconception(
        "yield-linear-in-area", "policy",
        "You assumed yield falls in a straight line as the die grows",
        "Yield is the chance that a die has no killer defect, and that chance shrinks exponentially with "
        "area: Poisson gives Y = exp(-A·D0). Scaling up the loss of a small die in proportion to area "
        "overstates the loss for a large die, and can even give a yield below zero.",
    ),
    Misconception(
        "no-edge-loss", "policy",
        "You divided the wafer's area by the die's area",
        "Square dies do not tile a round wafer: the partial dies around the edge are lost. Dies per wafer is "
        "π·d²/(4·S) minus π·d/√(2·S); the second term is the edge loss, larger for big dies.",
    ),
    Misconception(
        "subsidy-is-whole-investment", "policy",
        "You took the subsidy for the whole investment",
        "A government grant pays a part of a fab's cost; the company (and its lenders) pay the rest. "
        "Compare the subsidies table with fab_cost: the support is usually well under half of the investment.",
    ),
    Misconception(
        "todays-exchange-rate", "policy",
        "You converted a past yen amount at a later exchange rate",
        "An amount announced in one year is worth what that year's dollars bought: convert it with that "
        "year's average rate from fx_rates (policy.to_usd does). The yen fell a long way after 2021, so a "
        "later rate makes past Japanese subsidies look smaller than they were.",
    ),
    Misconception(
        "double-counting-sources", "policy",
        "You added up rows that report the same measure",
        "The subsidies table keeps one row per source, so one measure can appear two or three times (see the "
        "measure column). Count each measure once: policy.distinct_measures keeps the first row of each.",
    ),
    Misconception(
        "hhi-shares-as-fractions", "policy",
        "You computed the HHI with fractions instead of percentages",
        "The Herfindahl-Hirschman index squares shares written in percent, so it runs from near 0 to 10,000 "
        "(one firm with 100 %). With fractions (0.671 instead of 67.1) the result is 10,000 times smaller "
        "and cannot be read against the agencies' bands.",
    ),
]
