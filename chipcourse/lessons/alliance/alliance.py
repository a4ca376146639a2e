"""The US–Japan technology alliance: events on a timeline and market shares over time.

Pure functions over the ``timeline`` and ``market_share`` tables. Dates are pandas
Timestamps; a date whose ``date_precision`` is ``month`` is stored as the first of that
month. Shares are percentages of the world total on the row's ``basis``: sales by the
selling company's headquarters country, or capacity by factory location, which are
different things (the lesson's main warning about headlines).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "countries", "involves", "filter_events", "find_event", "days_between", "QuizPair",
    "quiz_pair", "judge_order", "share_series", "share_change", "peak_share", "MILESTONES",
    "milestones",
]

#: events the market-share chart marks, found in the timeline by a phrase of their text
MILESTONES = {
    "Arrangement concerning Trade in Semiconductor Products was signed": "Chip agreement signed",
    "expired.": "Agreement expires",
    "filed for court protection": "Elpida bankruptcy",
    "signed the CHIPS and Science Act": "CHIPS and Science Act",
    "IBM and Rapidus announced a partnership": "IBM–Rapidus partnership",
}


def countries(timeline: pd.DataFrame) -> list[str]:
    """Every country named in the ``countries`` column, most frequent first."""
    counts = timeline["countries"].str.split(";").explode().str.strip().value_counts()
    return list(counts.index)


def involves(timeline: pd.DataFrame, country: str) -> pd.Series:
    """True for the events whose ``countries`` list includes ``country``."""
    return timeline["countries"].str.split(";").apply(lambda names: country in [n.strip() for n in names])


def _as_date(value, end: bool = False) -> pd.Timestamp:
    if isinstance(value, bool):
        raise ValueError("A date is a year such as 1986 or text such as '1986-09-02'.")
    if isinstance(value, int):
        return pd.Timestamp(year=value, month=12, day=31) if end else pd.Timestamp(year=value, month=1, day=1)
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"{value!r} is not a date: write a year (1986) or 'YYYY-MM-DD'.") from None


def filter_events(timeline: pd.DataFrame, countries=None, categories=None, start=None, end=None) -> pd.DataFrame:
    """Events involving any of ``countries``, in any of ``categories``, between two dates.

    ``start`` and ``end`` are years (inclusive) or 'YYYY-MM-DD' dates; None means open.
    The result is sorted by date.
    """
    mask = pd.Series(True, index=timeline.index)
    if countries:
        mask &= pd.concat([involves(timeline, c) for c in countries], axis=1).any(axis=1)
    if categories:
        known = set(timeline["category"])
        unknown = [c for c in categories if c not in known]
        if unknown:
            raise ValueError(f"Unknown categories {unknown}; the timeline has {sorted(known)}.")
        mask &= timeline["category"].isin(list(categories))
    if start is not None:
        mask &= timeline["date"] >= _as_date(start)
    if end is not None:
        mask &= timeline["date"] <= _as_date(end, end=True)
    if start is not None and end is not None and _as_date(start) > _as_date(end, end=True):
        raise ValueError("The start of the window is after its end.")
    return timeline[mask].sort_values("date", kind="stable")


def find_event(timeline: pd.DataFrame, phrase: str) -> pd.Series:
    """The one event whose text contains ``phrase`` (any case); a sentence if not exactly one."""
    if not isinstance(phrase, str) or not phrase.strip():
        raise ValueError("Give a few words of the event's description.")
    hits = timeline[timeline["event"].str.contains(phrase, case=False, regex=False)]
    if hits.empty:
        raise ValueError(f"No event mentions {phrase!r}.")
    if hits["event"].nunique() > 1 or len(hits) > 1:
        shown = "; ".join(hits["event"].str.slice(0, 60).head(4))
        raise ValueError(f"{len(hits)} events mention {phrase!r} ({shown}...): use more words.")
    return hits.iloc[0]


def days_between(first: pd.Series, second: pd.Series) -> int:
    """Days from event ``first`` to event ``second`` (negative if ``second`` came first)."""
    return int((second["date"] - first["date"]).days)


@dataclass(frozen=True)
class QuizPair:
    """Two events for the "before or after?" quiz: did ``first`` happen before ``second``?"""

    first: pd.Series
    second: pd.Series

    @property
    def answer(self) -> str:
        return "before" if self.first["date"] < self.second["date"] else "after"

    def question(self) -> str:
        return (f"Did this happen before or after the second event?\n"
                f"1. {self.first['event']}\n2. {self.second['event']}")


def quiz_pair(timeline: pd.DataFrame, seed: int, min_days: int = 60) -> QuizPair:
    """A reproducible pair of day-precision events at least ``min_days`` apart."""
    dated = timeline[timeline["date_precision"] == "day"].drop_duplicates("event").reset_index(drop=True)
    if len(dated) < 2:
        raise ValueError("The timeline needs at least two dated events for a quiz.")
    rng = random.Random(seed)
    for _ in range(1000):
        i, j = rng.sample(range(len(dated)), 2)
        if abs((dated.loc[i, "date"] - dated.loc[j, "date"]).days) >= min_days:
            return QuizPair(dated.loc[i], dated.loc[j])
    raise ValueError("No two events are far enough apart for a quiz.")


def judge_order(pair: QuizPair, answer: str) -> tuple[bool, str]:
    """Whether ``answer`` ("before" or "after") is right, and the dates that show it."""
    if not isinstance(answer, str) or answer.strip().lower() not in ("before", "after"):
        raise ValueError("Answer 'before' or 'after'.")
    correct = answer.strip().lower() == pair.answer
    a, b = pair.first, pair.second
    explanation = (f"Event 1 ({a['date_kind']}) is dated {a['date']:%d %B %Y} ({a['source']}); "
                   f"event 2 ({b['date_kind']}) is dated {b['date']:%d %B %Y} ({b['source']}). "
                   f"So event 1 came {pair.answer} event 2.")
    return correct, explanation


def share_series(market_share: pd.DataFrame, region: str, basis: str, source: str | None = None) -> pd.DataFrame:
    """Reported shares of one region on one basis (optionally one source), by year."""
    rows = market_share[(market_share["region"] == region) & (market_share["basis"] == basis)
                        & (market_share["kind"] == "reported")]
    if source is not None:
        rows = rows[rows["source"].str.contains(source, case=False, regex=False)]
    if rows.empty:
        raise ValueError(f"No reported {basis!r} shares for {region!r}"
                         + (f" from a source matching {source!r}." if source else "."))
    return rows.sort_values("year", kind="stable")[["year", "share_pct", "source"]].reset_index(drop=True)


def share_change(market_share: pd.DataFrame, region: str, basis: str, start: int, end: int,
                 source: str | None = None) -> float:
    """Change in share, in percentage points, from year ``start`` to year ``end`` (end − start).

    Both years must come from the same series (region, basis and, if given, source); a
    sentence lists the years available when one is missing.
    """
    series = share_series(market_share, region, basis, source)
    by_year = series.drop_duplicates("year").set_index("year")["share_pct"]
    missing = [y for y in (start, end) if y not in by_year.index]
    if missing:
        raise ValueError(f"No {region} share on this basis for {missing}; years available: "
                         f"{list(by_year.index)}.")
    return float(by_year[end] - by_year[start])


def peak_share(market_share: pd.DataFrame, region: str, basis: str) -> pd.Series:
    """The row with the highest reported share of ``region`` on ``basis``."""
    series = share_series(market_share, region, basis)
    return series.loc[series["share_pct"].idxmax()]


def milestones(timeline: pd.DataFrame) -> pd.DataFrame:
    """The events in :data:`MILESTONES` with a short label, for annotating charts."""
    rows = []
    for phrase, label in MILESTONES.items():
        hits = timeline[timeline["event"].str.contains(phrase, case=False, regex=False)]
        if not hits.empty:
            first = hits.sort_values("date").iloc[0]
            rows.append({"date": first["date"], "label": label, "event": first["event"],
                         "source": first["source"]})
    return pd.DataFrame(rows, columns=["date", "label", "event", "source"])
