"""Answer key for notebooks/06-chokepoints.ipynb.

Every expected value is computed from the tables, as the lesson computes it; the solutions
use the names the lesson defines (``shares``, ``layers``, ``bands``, ``chokepoints``).
"""

from __future__ import annotations

from ... import checking, data
from .. import Question
from ..policy.policy import concentration_band
from . import chokepoints


def _shares():
    return chokepoints.chain_shares(data.load("supply_chain_shares"), data.load("critical_inputs"))


def _layers():
    return data.load("supply_chain_layers")


def _share(shares, holder: str, segment: str) -> float:
    rows = shares[(shares["holder"] == holder) & (shares["segment"] == segment)]
    return float(rows["share_pct"].max())


def _japan_halts(answer):
    halts = chokepoints.could_halt(_shares(), country="Japan")
    strong = halts[~halts["weak_only"]]
    return checking.check_number(
        answer, len(strong), rel_tol=0, what="the number of segments Japan could halt (not on weak sources alone)",
        misconceptions={"few-chips-little-leverage": 0},
        success=f"Japan could halt {'; '.join(strong['segment'])}: its leverage is in tools and materials, "
                f"not in chips.")


def _lasertec_blanks(answer):
    shares = _shares()
    return checking.check_number(
        answer, _share(shares, "Lasertec", "mask-blank defect inspection tools"), rel_tol=0.001,
        what="Lasertec's share of mask-blank defect inspection tools (%)",
        misconceptions={"share-is-irreplaceability":
                        _share(shares, "Lasertec", "process control tools (inspection and metrology)")},
        success="A small share of all process-control tools hides the whole of one tool that nobody else makes.")


def _resist_top_firm(answer):
    shares = _shares()
    resists = shares[shares["segment"] == "photoresists, all types"]
    firms = resists[resists["holder_kind"] == "firm"]
    top = firms.loc[firms["share_pct"].idxmax()]
    japan = float(resists[resists["holder"] == "Japan"]["share_pct"].max())
    return checking.check_number(
        answer, float(top["share_pct"]), rel_tol=0.001, what="the largest share one firm holds (%)",
        misconceptions={"country-share-is-one-firm": japan},
        success=f"{top['holder']}: several Japanese firms share the country's lead, none holds most of it.")


def _wafer_hhi(answer):
    shares = _shares()
    firms, _ = chokepoints.series_hhi(chokepoints.series_rows(shares, "semi2021-wafer-firm"))
    countries, _ = chokepoints.series_hhi(chokepoints.series_rows(shares, "cset2019-wafer-country"))
    band = concentration_band(firms, data.load("concentration_bands"), chokepoints.GUIDELINES)
    return checking.check_number(
        answer, firms, rel_tol=0.005, what="the HHI of the SEMI 2021 wafer makers' shares",
        misconceptions={"hhi-shares-as-fractions": firms / 10_000, "country-share-is-one-firm": countries},
        success=f"{band.capitalize()} by the {chokepoints.GUIDELINES}, but far from one firm: "
                f"the countries' index is {countries:,.0f}.")


def _euv_lost(answer):
    shares, layers = _shares(), _layers()
    lost = chokepoints.disruption(shares, layers, "Netherlands", "litho_equipment", "EUV lithography scanners")
    row = lost.segment_rows[0]
    # ASML's share of all lithography tools counted in units: what a learner who reads the broad market gives
    units = float(chokepoints.series_rows(shares, "eetj2024-litho-units-firm").query("holder == 'ASML'")
                  ["share_pct"].iloc[0])
    return checking.check_number(
        answer, row["lost_low"], rel_tol=0.001, what="the share of EUV scanners lost (%)",
        misconceptions={"share-is-irreplaceability": units},
        success="Every source agrees: only ASML, in the Netherlands, makes EUV scanners.")


def _exposed_later(answer):
    layers = _layers()
    later = chokepoints.downstream(layers, "coater_developer")
    expected = list(later.loc[later["depth"] > 1, "layer"])
    return checking.check_choice(
        answer, expected, [*layers["layer"], "none"], what="the layer exposed only through another one",
        misconceptions={"none": "shortage-stops-at-next-layer"},
        success="A fab short of coater/developers makes fewer wafers, so the packaging lines after it run short too.")


QUESTIONS = [
    Question("chokepoints_japan_halts",
             "How many segments could Japan halt on the lesson's rule, not counting those on weak sources alone?",
             _japan_halts,
             'japan = chokepoints.could_halt(shares, country="Japan")\n'
             'japan_halts = int((~japan["weak_only"]).sum())'),
    Question("chokepoints_lasertec_blanks", "What share of mask-blank defect inspection tools does Lasertec hold?",
             _lasertec_blanks,
             'lasertec_blanks = shares.query("holder == \'Lasertec\' and segment == '
             '\'mask-blank defect inspection tools\'")["share_pct"].max()'),
    Question("chokepoints_resist_top_firm", "What is the largest share of all photoresists that one firm holds?",
             _resist_top_firm,
             'resists = shares[(shares["segment"] == "photoresists, all types") & (shares["holder_kind"] == "firm")]\n'
             'resist_top_firm = resists["share_pct"].max()'),
    Question("chokepoints_wafer_hhi", "What is the HHI of the SEMI 2021 silicon-wafer makers' shares?", _wafer_hhi,
             'wafer_hhi, _ = chokepoints.series_hhi(chokepoints.series_rows(shares, "semi2021-wafer-firm"))'),
    Question("chokepoints_euv_lost", "What share of EUV scanners is lost if the Netherlands stops supplying them?",
             _euv_lost,
             'euv = chokepoints.disruption(shares, layers, "Netherlands", "litho_equipment", '
             '"EUV lithography scanners")\n'
             'euv_lost = euv.by_segment["lost_low"].iloc[0]'),
    Question("chokepoints_exposed_later",
             "Which layer do Japan's coater/developers reach only through another layer?", _exposed_later,
             'exposed = chokepoints.downstream(layers, "coater_developer")\n'
             'exposed_later = exposed.loc[exposed["depth"] > 1, "layer"].iloc[0]'),
]
