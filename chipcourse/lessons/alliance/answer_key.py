"""Answer key for notebooks/04-alliance-history.ipynb."""

from __future__ import annotations

from ... import checking, data
from .. import Question
from . import alliance

AGREEMENT_OPTIONS = [
    "a free-trade deal that removed barriers on both sides",
    "managed trade: price monitoring and a target for foreign chips' share of Japan's market",
    "a military technology-sharing pact",
]
BASIS_OPTIONS = [
    "chips sold by companies headquartered in Japan, wherever they were made",
    "chips made in factories located in Japan, whoever owned them",
]


def _agreement(answer):
    return checking.check_choice(
        answer, AGREEMENT_OPTIONS[1], AGREEMENT_OPTIONS, what="your description of the 1986 agreement",
        misconceptions={AGREEMENT_OPTIONS[0]: "1986-free-trade-deal"},
        success="Prices were watched and a market-share target was set: the opposite of free trade.")


def _leader_1989(answer):
    shares = data.load("market_share")
    rows = shares[(shares["year"] == 1989) & (shares["basis"] == "sales by company headquarters")
                  & shares["source"].str.contains("Dataquest")]
    leader = rows.loc[rows["share_pct"].idxmax(), "region"]
    other = rows.loc[rows["share_pct"].idxmin(), "region"]
    return checking.check_choice(
        answer, leader, list(rows["region"]), what="the region with the larger share in 1989",
        misconceptions={other: "japan-never-led"},
        success="Japanese companies outsold American ones at the end of the 1980s.")


def _basis(answer):
    return checking.check_choice(
        answer, BASIS_OPTIONS[0], BASIS_OPTIONS, what="what the share counts",
        misconceptions={BASIS_OPTIONS[1]: "share-counts-location"},
        success="Sales by company headquarters count the seller's nationality, not the factory's place.")


def _japan_change(answer):
    change = alliance.share_change(data.load("market_share"), "Japan", "sales by company headquarters",
                                   1990, 2020, source="Toyo Keizai")
    return checking.check_number(
        answer, change, abs_tol=0.5, what="the change in Japan's share (percentage points)",
        success="A fall of that size means Japan's makers sell a small fraction of what they once did.")


def _days_to_force(answer):
    timeline = data.load("timeline")
    announced = alliance.find_event(timeline, "proposed export licensing for 23 types")
    in_force = alliance.find_event(timeline, "export licensing for 23 types of advanced chipmaking equipment took effect")
    return checking.check_number(
        answer, alliance.days_between(announced, in_force), abs_tol=0.5,
        what="the number of days from proposal to entry into force",
        misconceptions={"announced-is-in-force": 0},
        success="Months pass between announcing a control and enforcing it.")


QUESTIONS = [
    Question("alliance_agreement_kind", "What kind of deal was the 1986 agreement?", _agreement,
             f"agreement_kind = {AGREEMENT_OPTIONS[1]!r}"),
    Question("alliance_leader_1989", "Which region had the larger share of chip sales in 1989?",
             _leader_1989, 'leader_1989 = "Japan"'),
    Question("alliance_share_basis", "What does Japan's share on the 'sales by company headquarters' basis count?",
             _basis, f"share_counts = {BASIS_OPTIONS[0]!r}"),
    Question("alliance_japan_change",
             "Change in Japan's share (Toyo Keizai series) from 1990 to 2020, in percentage points?",
             _japan_change,
             'japan_change = alliance.share_change(shares, "Japan", "sales by company headquarters", '
             '1990, 2020, source="Toyo Keizai")'),
    Question("alliance_days_to_force",
             "Days from Japan's proposal of export licensing for 23 chipmaking tools to its entry into force?",
             _days_to_force,
             'proposed = alliance.find_event(timeline, "proposed export licensing for 23 types")\n'
             'in_force = alliance.find_event(timeline, "export licensing for 23 types of advanced chipmaking '
             'equipment took effect")\n'
             'days_to_force = alliance.days_between(proposed, in_force)'),
]
