"""Industrial policy by the numbers: subsidies compared fairly, concentration, headline checks.

Pure functions over the ``subsidies``, ``fx_rates``, ``population_gdp``, ``foundry_share``,
``concentration_bands``, ``milestones`` and ``headline_claims`` tables.

Money: subsidy amounts are in **billions of the original currency** (``amount`` with
``currency``); ``amount_usd_bn`` is billions of US dollars. A past amount is converted with
the annual average exchange rate **of the year it was announced** (:func:`to_usd`), never
with a later rate: ¥70 billion in 2022 bought what 2022's dollars bought.

Exchange rates (``fx_rates``) are stored as published, and ``quote`` says which way:
``currency units per USD`` (yen per dollar, 140.5) or ``USD per currency unit`` (the
Federal Reserve quotes the euro that way, 1.0817 dollars per euro).

The ``subsidies`` table keeps one row per measure *and source*, so two sources that
disagree both stay visible; ``measure`` names the measure they report.
:func:`distinct_measures` keeps the first row of each measure, so nothing is counted twice.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import pandas as pd

from ...units import finite_number, positive_number

__all__ = [
    "PER_USD", "USD_PER_UNIT", "annual_rate", "convert", "to_usd", "latest_rate", "amount_usd", "distinct_measures",
    "disagreements", "measure_total", "reference_values", "per_capita", "per_gdp", "NORMALISATIONS",
    "comparison_table", "common_reference_year", "compare", "describe_comparison", "hhi", "foundry_hhi", "concentration_band",
    "PARTLY_TOLERANCE", "Verdict", "judge_claim", "verdict_table", "share_of_investment",
]

#: the two ways an exchange rate is quoted in ``fx_rates``
PER_USD = "currency units per USD"
USD_PER_UNIT = "USD per currency unit"


# --------------------------------------------------------------------------- currencies

def annual_rate(fx_rates: pd.DataFrame, currency: str, year: int) -> pd.Series:
    """The row of ``fx_rates`` with the annual average rate of ``currency`` in ``year``.

    When two sources give that year (the table keeps both), the first row in table order
    is used: the Federal Reserve's G.5A release, listed first. A sentence names the years
    available when the year is missing.
    """
    if not isinstance(currency, str) or not currency.strip():
        raise ValueError("A currency is a three-letter code such as 'JPY'.")
    currency = currency.strip().upper()
    if isinstance(year, bool) or not isinstance(year, numbers.Real) or pd.isna(year) or int(year) != year:
        raise ValueError(f"The year must be a whole number such as 2022; you gave {year!r}.")
    annual = fx_rates[(fx_rates["currency"] == currency) & (fx_rates["period"] == "annual")]
    if annual.empty:
        known = sorted(set(fx_rates["currency"]))
        raise ValueError(f"The table has no annual rates for {currency}; it has {', '.join(known)} (and USD).")
    rows = annual[annual["year"] == int(year)]
    if rows.empty:
        years = sorted(int(y) for y in annual["year"].unique())
        raise ValueError(f"There is no annual average rate for {currency} in {int(year)} in fx_rates "
                         f"(it has {', '.join(map(str, years))}). Do not use another year's rate: "
                         f"use the USD figure the source reported, and say so.")
    return rows.iloc[0]


def _apply(amount: float, rate: float, quote: str) -> float:
    if quote == PER_USD:
        return amount / rate
    if quote == USD_PER_UNIT:
        return amount * rate
    raise ValueError(f"Unknown quote {quote!r}: expected {PER_USD!r} or {USD_PER_UNIT!r}.")


def convert(amount: float, rate_row: pd.Series) -> float:
    """``amount`` in USD at one row of ``fx_rates`` (any period), read the way its ``quote`` says."""
    return _apply(finite_number(amount, "amount"), float(rate_row["rate"]), rate_row["quote"])


def to_usd(amount: float, currency: str, year: int, fx_rates: pd.DataFrame) -> float:
    """``amount`` of ``currency`` in US dollars at the annual average rate of ``year``.

    The result is in the same scale as ``amount`` (billions in, billions out). USD amounts
    come back unchanged.
    """
    amount = finite_number(amount, "amount")
    if isinstance(currency, str) and currency.strip().upper() == "USD":
        return amount
    return convert(amount, annual_rate(fx_rates, currency, year))


def latest_rate(fx_rates: pd.DataFrame, currency: str) -> pd.Series:
    """The most recent rate of ``currency`` in the table, annual or monthly ("today's" rate).

    The lesson uses it to show what goes wrong when a past amount is converted at a
    rate from years later.
    """
    rows = fx_rates[fx_rates["currency"] == str(currency).strip().upper()]
    if rows.empty:
        raise ValueError(f"The table has no rates for {currency!r}.")
    # a month ("2024-06") sorts after the annual figure of its year; "annual" is taken as mid-year
    key = rows["period"].where(rows["period"] != "annual", rows["year"].astype(str) + "-06-30")
    return rows.loc[key.sort_values(kind="stable").index[-1]]


def amount_usd(row: pd.Series, fx_rates: pd.DataFrame) -> tuple[float, float | None, str | None, str]:
    """How one ``subsidies`` row is put in USD: (USD bn, rate used, its quote, basis).

    The basis is ``"USD amount"``, ``"converted at annual average"`` (the year's rate from
    ``fx_rates``), ``"as reported by source"`` (no sourced rate for that year: the source's
    own USD figure is used) or ``"not converted"`` (neither; the USD value is NaN).
    """
    amount, currency, year = row["amount"], row["currency"], row["year"]
    if pd.isna(amount):
        return math.nan, None, None, "not converted"
    if currency == "USD":
        return float(amount), None, None, "USD amount"
    if not pd.isna(year):
        try:
            rate = annual_rate(fx_rates, currency, int(year))
        except ValueError:
            rate = None
        if rate is not None:
            return (_apply(float(amount), float(rate["rate"]), rate["quote"]), float(rate["rate"]),
                    rate["quote"], "converted at annual average")
    if not pd.isna(row.get("usd_reported_bn", math.nan)):
        return float(row["usd_reported_bn"]), None, None, "as reported by source"
    return math.nan, None, None, "not converted"


# --------------------------------------------------------------------------- measures

def distinct_measures(subsidies: pd.DataFrame) -> pd.DataFrame:
    """One row per measure: the first source's row (table order), so nothing is counted twice."""
    return subsidies.drop_duplicates("measure", keep="first").reset_index(drop=True)


def disagreements(subsidies: pd.DataFrame) -> pd.DataFrame:
    """Rows of the measures whose sources give different amounts (the disagreement stays visible)."""
    counts = subsidies.groupby("measure", sort=False)["amount"].nunique()
    differing = counts[counts > 1].index
    return subsidies[subsidies["measure"].isin(differing)][
        ["measure", "amount", "currency", "usd_reported_bn", "source"]].reset_index(drop=True)


def measure_total(subsidies: pd.DataFrame, recipient: str, kinds=("grant",), column: str = "amount") -> float:
    """Sum of ``column`` over the distinct measures for ``recipient`` of the given ``kinds``.

    Each measure counts once (:func:`distinct_measures`); all rows must share one
    currency when ``column`` is ``"amount"``.
    """
    rows = distinct_measures(subsidies)
    rows = rows[(rows["recipient"] == recipient) & rows["kind"].isin(list(kinds))]
    if rows.empty:
        raise ValueError(f"No {', '.join(kinds)} rows for {recipient!r}.")
    if column == "amount" and rows["currency"].nunique() > 1:
        raise ValueError(f"{recipient}'s rows are in several currencies ({sorted(set(rows['currency']))}): "
                         f"convert them to USD first (column 'amount_usd_bn').")
    return float(rows[column].sum())


def share_of_investment(subsidy_usd_bn: float, investment_usd_bn: float) -> float:
    """A subsidy as a percentage of the total investment it supports (both in USD bn)."""
    subsidy = finite_number(subsidy_usd_bn, "subsidy")
    total = positive_number(investment_usd_bn, "total investment", "USD bn")
    if subsidy < 0:
        raise ValueError("A subsidy cannot be negative.")
    return 100 * subsidy / total


# --------------------------------------------------------------------------- normalisation

def reference_values(population_gdp: pd.DataFrame, country: str, year: int) -> tuple[float, float]:
    """(population in millions, GDP in USD bn) of ``country`` in ``year``; NaN where not sourced.

    Each comes from the first row of that country and year that gives it.
    """
    rows = population_gdp[(population_gdp["country"] == country) & (population_gdp["year"] == year)]
    pop = rows["population_million"].dropna()
    gdp = rows["gdp_usd_bn"].dropna()
    return (float(pop.iloc[0]) if len(pop) else math.nan, float(gdp.iloc[0]) if len(gdp) else math.nan)


def per_capita(amount_usd_bn: float, population_million: float) -> float:
    """USD per person: USD bn × 10⁹ / (population in millions × 10⁶)."""
    amount = finite_number(amount_usd_bn, "amount")
    people = positive_number(population_million, "population", "million")
    return amount * 1000 / people


def per_gdp(amount_usd_bn: float, gdp_usd_bn: float) -> float:
    """The amount as a percentage of one year's GDP (both in USD bn)."""
    amount = finite_number(amount_usd_bn, "amount")
    gdp = positive_number(gdp_usd_bn, "GDP", "USD bn")
    return 100 * amount / gdp


#: normalisation key -> (label for the drop-down, unit of the result)
NORMALISATIONS = {
    "usd_bn": ("USD at the year's exchange rate", "USD bn"),
    "usd_per_person": ("USD per person (population of the reference year)", "USD per person"),
    "pct_gdp": ("Share of one year's GDP (reference year)", "% of GDP"),
}


def comparison_table(subsidies: pd.DataFrame, population_gdp: pd.DataFrame, reference_year: int) -> pd.DataFrame:
    """Every distinct measure with a USD value, with its value under each normalisation.

    Adds ``label`` and one column per key of :data:`NORMALISATIONS` (``value_usd_bn``,
    ``value_usd_per_person``, ``value_pct_gdp``). Per person and per GDP divide by the
    population and GDP of ``reference_year`` for every country, so all are divided by the
    same year's figures; they are NaN for a country ``population_gdp`` has no figure for.
    """
    rows = distinct_measures(subsidies).dropna(subset=["amount_usd_bn"]).copy()
    rows["label"] = rows["recipient"] + ": " + rows["program"] + " (" + rows["year"].astype(str) + ")"
    refs = {c: reference_values(population_gdp, c, reference_year) for c in rows["country"].unique()}
    rows["value_usd_bn"] = rows["amount_usd_bn"]
    rows["value_usd_per_person"] = [math.nan if math.isnan(refs[c][0]) else per_capita(a, refs[c][0])
                                    for a, c in zip(rows["amount_usd_bn"], rows["country"])]
    rows["value_pct_gdp"] = [math.nan if math.isnan(refs[c][1]) else per_gdp(a, refs[c][1])
                             for a, c in zip(rows["amount_usd_bn"], rows["country"])]
    return rows.reset_index(drop=True)


def common_reference_year(population_gdp: pd.DataFrame) -> int:
    """The year in which the most countries have both a population and a GDP (the latest, on a tie)."""
    both = [(c, y) for (c, y), g in population_gdp.groupby(["country", "year"])
            if g["population_million"].notna().any() and g["gdp_usd_bn"].notna().any()]
    if not both:
        raise ValueError("No country has both a population and a GDP for the same year.")
    counts = pd.Series([y for _, y in both]).value_counts()
    return int(max(counts[counts == counts.max()].index))


def compare(subsidies: pd.DataFrame, population_gdp: pd.DataFrame, countries, kinds, how: str = "usd_bn",
            reference_year: int | None = None) -> tuple[pd.DataFrame, list[str], int]:
    """The distinct measures of ``countries`` and ``kinds``, normalised, largest first.

    Populations and GDPs are those of ``reference_year`` (by default the
    :func:`common_reference_year`). Returns the rows (with ``label``, ``value`` and
    ``unit``), the countries left out for want of population or GDP data, and how many
    matching measures have no USD value.
    """
    if how not in NORMALISATIONS:
        raise ValueError(f"Choose a normalisation among {list(NORMALISATIONS)}; you gave {how!r}.")
    if not countries:
        raise ValueError("Choose at least one country (Ctrl- or Cmd-click to pick several).")
    if not kinds:
        raise ValueError("Choose at least one kind of support (Ctrl- or Cmd-click to pick several).")
    chosen = distinct_measures(subsidies)
    chosen = chosen[chosen["country"].isin(list(countries)) & chosen["kind"].isin(list(kinds))]
    no_usd = int(chosen["amount_usd_bn"].isna().sum())
    if reference_year is None:
        reference_year = common_reference_year(population_gdp)
    rows = comparison_table(chosen, population_gdp, reference_year)
    rows["value"], rows["unit"] = rows[f"value_{how}"], NORMALISATIONS[how][1]
    missing = sorted(set(rows.loc[rows["value"].isna(), "country"]))
    rows = rows.dropna(subset=["value"])
    return rows.sort_values("value", ascending=False, kind="stable").reset_index(drop=True), missing, no_usd


def describe_comparison(rows: pd.DataFrame, missing: list[str], how: str, no_usd: int = 0) -> str:
    """One sentence on a :func:`compare` result: the largest measure, and what was left out."""
    unit = NORMALISATIONS[how][1]
    if rows.empty:
        text = "No measure with a USD value matches this choice."
    else:
        top = rows.iloc[0]
        shown = f"{top['value']:,.1f} {unit}" if how != "pct_gdp" else f"{top['value']:.3f} {unit}"
        text = (f"Largest of {len(rows)} measures ({NORMALISATIONS[how][0]}): {top['label']}, "
                f"{top['country']}, {shown} ({top['usd_basis']}; {top['source']}).")
    if no_usd:
        text += f" {no_usd} matching measure(s) have no USD value (no sourced rate for their year) and are not shown."
    if missing:
        lacking = {"usd_per_person": "population", "pct_gdp": "GDP"}.get(how, "population or GDP")
        text += f" Left out, no sourced {lacking} for the reference year: {', '.join(missing)}."
    return text


# --------------------------------------------------------------------------- concentration

def hhi(shares, *, max_total: float = 101) -> float:
    """Herfindahl–Hirschman index on the 0–10,000 scale: the sum of squared shares in percent.

    Shares are percentages (67.1, not 0.671). Firms not listed add nothing, so a list of
    the top firms gives a lower bound. Raises a sentence for a negative share, a share
    above 100, or shares adding up to more than ``max_total`` (101: one point for rounding;
    a source that rounds many small shares up may need more).
    """
    values = [finite_number(s, "market share") for s in shares]
    if not values:
        raise ValueError("Give at least one market share, in percent.")
    if any(v < 0 or v > 100 for v in values):
        raise ValueError("Each market share is a percentage between 0 and 100.")
    if sum(values) > max_total:
        raise ValueError(f"The shares add up to {sum(values):g} %, more than the whole market: "
                         f"did you mix two sources or two periods?")
    if sum(values) <= 1.01 and max(values) < 1:
        raise ValueError("These look like fractions (0 to 1): the HHI uses percentages, so write 67.1, not 0.671.")
    return sum(v * v for v in values)


def foundry_hhi(foundry_share: pd.DataFrame, source: str, year: int, quarter: str) -> tuple[float, pd.DataFrame]:
    """HHI of one source's foundry shares in one quarter, and the rows used.

    ``source`` is part of the source's name (``"TrendForce"``, ``"Counterpoint"``); an
    "Others" row is left out, because it lumps many firms together and is not one firm.
    """
    rows = foundry_share[foundry_share["source"].str.contains(source, case=False, regex=False)
                         & (foundry_share["year"] == year) & (foundry_share["quarter"] == quarter)]
    rows = rows.drop_duplicates("company", keep="first")
    rows = rows[rows["company"] != "Others"]
    if rows.empty:
        raise ValueError(f"No foundry shares from a source matching {source!r} for {quarter} {year}.")
    return hhi(rows["share_pct"]), rows.reset_index(drop=True)


def concentration_band(value: float, bands: pd.DataFrame, guidelines: str) -> str:
    """Which band of ``guidelines`` (a row group in ``concentration_bands``) an HHI falls in."""
    value = finite_number(value, "HHI")
    rows = bands[bands["guidelines"] == guidelines].sort_values("hhi_min")
    if rows.empty:
        raise ValueError(f"No bands for {guidelines!r}; the table has {sorted(set(bands['guidelines']))}.")
    for row in rows.itertuples():
        if row.hhi_min < value <= row.hhi_max:
            return row.band
    if value <= rows["hhi_min"].min():
        return f"below the {rows.iloc[0]['band']} band"
    raise ValueError(f"An HHI of {value:g} is above 10,000, which no market can reach.")


# --------------------------------------------------------------------------- headline checks

#: a sourced figure within this relative distance of a claim makes it "partly hold"
PARTLY_TOLERANCE = 0.10


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim and the sentence that explains it."""

    claim_id: str
    verdict: str
    why: str


def _fmt(value: float, unit: str) -> str:
    if unit == "year":
        return str(int(value))
    if unit.startswith("USD"):
        return f"${value:,.3g} bn"
    if unit.startswith("JPY"):
        return f"¥{value:,.6g} bn"
    return f"{value:,.4g} {unit}"


def _publishers(rows: pd.DataFrame, most: int = 3) -> str:
    names = list(dict.fromkeys(s.split(",")[0] for s in rows["source"]))
    more = f"; and {len(names) - most} more" if len(names) > most else ""
    return "; ".join(names[:most]) + more


def _what(rows: pd.DataFrame) -> str:
    """ " for ¥10,000 bn" when the evidence rows carry an amount in a currency, else ""."""
    if {"amount", "currency"} <= set(rows.columns):
        amounts = rows.dropna(subset=["amount"])
        if not amounts.empty:
            first = amounts.iloc[0]
            return f" for {_fmt(float(first['amount']), first['currency'] + ' bn')}"
    return ""


def judge_claim(claim: pd.Series, tables: dict[str, pd.DataFrame]) -> Verdict:
    """Judge one row of ``headline_claims`` against the table it names.

    ``comparison`` says how: ``about`` (the claim holds if a sourced value, rounded to
    the claim's ``precision``, equals it; partly holds if the nearest sourced value is
    within :data:`PARTLY_TOLERANCE`; otherwise it does not hold), ``at least`` (holds if
    some sourced value reaches it) or ``exists`` (holds if the table has such a row).
    A match with a row whose ``status`` is ``target`` only partly holds: a plan is not a fact.
    """
    cid, unit = claim["claim_id"], claim["unit"]
    table = tables.get(claim["evidence_table"])
    if table is None:
        raise ValueError(f"Claim {cid}: the table {claim['evidence_table']!r} was not given.")
    rows = table[table[claim["evidence_key_column"]] == claim["evidence_key"]]
    comparison = claim["comparison"]
    if comparison == "exists":
        if rows.empty:
            return Verdict(cid, "does not hold", "No row in the table supports it.")
        return Verdict(cid, "holds", f"{len(rows)} row(s) in {claim['evidence_table']} support it "
                                     f"({_publishers(rows)}).")
    values = rows.dropna(subset=[claim["evidence_column"]])
    if values.empty:
        return Verdict(cid, "does not hold", f"No source in {claim['evidence_table']} gives a value for it.")
    claimed = float(claim["claimed_value"])
    sourced = values[claim["evidence_column"]].astype(float)
    if comparison == "at least":
        reaching = values[sourced >= claimed]
        if reaching.empty:
            return Verdict(cid, "does not hold", f"No sourced value reaches {_fmt(claimed, unit)}; the largest "
                                                 f"is {_fmt(sourced.max(), unit)}.")
        return Verdict(cid, "holds", f"{len(reaching)} of {len(values)} sourced values are "
                                     f"{_fmt(claimed, unit)} or more, up to {_fmt(sourced.max(), unit)} "
                                     f"({_publishers(reaching)}).")
    if comparison != "about":
        raise ValueError(f"Claim {cid}: unknown comparison {comparison!r}.")
    step = float(claim["precision"])
    matches = values[((sourced / step).round() * step - claimed).abs() < step * 1e-6]
    if not matches.empty:
        targets = matches[matches["status"] == "target"] if "status" in matches else matches.iloc[0:0]
        if len(targets) == len(matches):
            return Verdict(cid, "partly holds",
                           f"{_fmt(claimed, unit)} matches {len(matches)} source(s) ({_publishers(matches)}), "
                           f"but as a stated target, not something achieved.")
        return Verdict(cid, "holds", f"{_fmt(claimed, unit)} matches {len(matches)} source(s) "
                                     f"({_publishers(matches)}) to the precision the claim is written in.")
    nearest = values.loc[(sourced - claimed).abs().idxmin()]
    gap = (claimed - float(nearest[claim["evidence_column"]])) / float(nearest[claim["evidence_column"]])
    lo, hi = sourced.min(), sourced.max()
    spread = _fmt(lo, unit) if lo == hi else f"{_fmt(lo, unit)} to {_fmt(hi, unit)}"
    found = (f"No source in the table gives {_fmt(claimed, unit)}: {len(values)} source(s) report "
             f"{spread}{_what(values)}; the nearest, {_fmt(float(nearest[claim['evidence_column']]), unit)} "
             f"({nearest['source'].split(',')[0]}), is {abs(gap):.1%} {'below' if gap > 0 else 'above'} the claim.")
    return Verdict(cid, "partly holds" if abs(gap) <= PARTLY_TOLERANCE else "does not hold", found)


def verdict_table(claims: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every claim with its computed verdict and the sentence explaining it."""
    judged = [judge_claim(row, tables) for _, row in claims.iterrows()]
    out = claims[["claim_id", "claim", "publication", "claimed_value", "unit"]].copy()
    out["verdict"] = [v.verdict for v in judged]
    out["why"] = [v.why for v in judged]
    return out.reset_index(drop=True)
