"""Who holds the chokepoints? Shares, concentration and disruption in the chip supply chain.

Pure functions over ``supply_chain_layers`` (the layers and which layers each one feeds),
``supply_chain_shares`` (who holds each segment of a layer, by source), ``critical_inputs``
(single inputs that one country dominates) and lesson 05's ``concentration_bands``.

Rules the functions keep, from the tables' descriptors:

* A **series** is one source, segment, year and kind of holder. Shares are summed, squared
  or compared only within one series, never across two.
* Rows whose ``holder_kind`` is ``other`` lump many suppliers ("Other firms"): they are
  never one holder, so they stay out of every HHI and top-N share.
* A range is ``share_pct`` (low end) to ``share_pct_high``; a lower bound ("over 60%") is
  its ``share_pct``. :func:`bounds` turns each row into a low and a high end.

The concentration index is lesson 05's: :func:`chipcourse.lessons.policy.policy.hhi` and
:func:`~chipcourse.lessons.policy.policy.concentration_band`, imported, not rewritten.

The disruption model (:func:`disruption`) is deliberately simple, and the lesson says so:
a share is not capacity, nobody else steps in (no substitution), nobody has a stockpile, and
everything happens within the one year each source describes.

(Inside, the functions work on plain rows (:func:`_rows`) rather than on pandas operations
per series: a widget calls them on every change and must answer within milliseconds.)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from ...units import finite_number
from ..policy.policy import concentration_band, hhi

__all__ = [
    "HALT_THRESHOLD", "GUIDELINES", "COVERAGE_PCT", "WORLD_METRICS", "chain_shares", "bounds", "holders",
    "series_rows", "top_n_share", "series_hhi", "short_source", "series_table", "country_shares", "source_spread",
    "country_summary", "halt_table", "could_halt", "layer_names", "downstream", "removable", "country_name", "Disruption",
    "disruption",
]

#: the lesson's rule for "one country could halt a segment": it holds at least this share (%)
#: of the segment in every source that counts the segment whole (see :func:`halt_table`)
HALT_THRESHOLD = 90
#: the antitrust bands the lesson reads an HHI against (a ``guidelines`` value of concentration_bands)
GUIDELINES = "2023 Merger Guidelines"
#: a firm-level series tells a country's share only if its named firms hold at least this much (%)
COVERAGE_PCT = 90
#: the critical_inputs metrics that are shares of the world's supply (not of one country's imports)
WORLD_METRICS = ("share of world supply", "share of world market", "share of world production")

_COLUMNS = ["layer", "segment", "holder", "holder_kind", "country", "share_pct", "share_pct_high", "share_kind",
            "metric", "year", "series", "source", "source_url", "note", "source_strength"]


# --------------------------------------------------------------------------- the rows

def chain_shares(shares: pd.DataFrame, critical_inputs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows the lesson computes with: ``supply_chain_shares``, and the ``critical_inputs``
    rows for the layers that table has no figures for (the gases and chemicals), in the same columns.

    A critical input becomes a segment of its layer (``"semiconductor-grade neon"`` in
    ``gases_chemicals``), and its ``producer`` the holder; a country's firms named in brackets
    ("Ukraine (Ingas and Cryoin)") stay in the holder's name, and the country is the part
    before them. Only shares of the world's supply count (:data:`WORLD_METRICS`): shares of one
    country's imports, inputs outside the layers (gallium, germanium) and inputs of a layer that
    ``supply_chain_shares`` already covers with its own sources (photoresist) are left out. A
    column ``table`` says where each row comes from.
    """
    rows = shares[_COLUMNS].copy()
    rows["table"] = "supply_chain_shares"
    if critical_inputs is None or critical_inputs.empty:
        return rows.reset_index(drop=True)
    extra = critical_inputs[critical_inputs["layer"].notna() & ~critical_inputs["layer"].isin(set(rows["layer"]))
                            & critical_inputs["metric"].isin(WORLD_METRICS)]
    extra = extra.rename(columns={"input": "segment", "producer": "holder", "producer_kind": "holder_kind"})
    extra = extra.assign(country=extra["holder"].str.split(" (", regex=False).str[0],
                         table="critical_inputs")
    return pd.concat([rows, extra[[*_COLUMNS, "table"]]], ignore_index=True)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _rows(frame: pd.DataFrame) -> list[dict]:
    """The table's rows as dicts, each with its ``low`` and ``high`` end (see :func:`bounds`)."""
    out = frame.to_dict("records")
    for row in out:
        row["low"] = float(row["share_pct"])
        row["high"] = row["low"] if _missing(row.get("share_pct_high")) else float(row["share_pct_high"])
        if _missing(row.get("country")):
            row["country"] = None
        if _missing(row.get("year")):
            row["year"] = None
    return out


def _by_series(rows: list[dict]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["series"], []).append(row)
    return groups


def _named(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["holder_kind"] != "other"]


def bounds(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The low and high end of each row's share (%): a range gives both ends, anything else
    gives its one number twice (a lower bound is its bound; the rest is not known)."""
    low = rows["share_pct"].astype(float)
    high = rows["share_pct_high"].astype(float).where(rows["share_pct_high"].notna(), low)
    return low, high


def holders(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows that are one holder each: without the lumped ``other`` rows."""
    return rows[rows["holder_kind"] != "other"]


def series_rows(shares: pd.DataFrame, series: str) -> pd.DataFrame:
    """Every row of one series (the lumped ``other`` rows too), largest share first."""
    rows = shares[shares["series"] == series]
    if rows.empty:
        known = ", ".join(sorted(set(shares["series"]))[:6])
        raise ValueError(f"There is no series {series!r} in the table; series look like {known}, ...")
    return rows.sort_values("share_pct", ascending=False, kind="stable")


def top_n_share(values, n: int = 1) -> float:
    """The combined share (%) of the ``n`` largest holders among ``values`` (shares in percent)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n is how many of the largest holders to add up: a whole number from 1; you gave {n!r}.")
    numbers = sorted((finite_number(v, "share") for v in values), reverse=True)
    if not numbers:
        raise ValueError("Give at least one share, in percent.")
    return float(sum(numbers[:n]))


def _hhi_bounds(rows: list[dict]) -> tuple[float, float]:
    named = _named(rows)
    if not named:
        raise ValueError("This series names no single holder: its only rows lump many suppliers together.")
    low, high = [r["low"] for r in named], [r["high"] for r in named]
    # CSET rounds shares between 0 and 1% up to 1%, so a series can add up to a little over 100:
    # each share written as exactly 1% may be up to one point too large
    allow = 101 + sum(1 for v in low if v == 1)
    least = hhi(low, max_total=allow)
    rest = max(0.0, 100.0 - sum(high))
    most = hhi(high, max_total=allow) + rest ** 2
    return least, max(least, min(10_000.0, most))


def series_hhi(rows: pd.DataFrame) -> tuple[float, float]:
    """(lowest, highest) HHI that one series' rows allow, with lesson 05's :func:`hhi`.

    The lowest squares the named holders' shares (low ends): every supplier not named can
    only add to it. The highest takes each named share at its high end and puts everything
    not named (the lumped ``other`` rows included) in one more supplier. For a series that
    names every supplier with an exact share the two are equal.
    """
    return _hhi_bounds(_rows(rows))


def short_source(source: str) -> str:
    """A source's publisher, short enough for a chart label ("CSET", "EE Times Japan", "CSET citing SIA")."""
    name = source.split(",")[0].split(" (")[0].split(":")[0].strip()
    name = name.replace("CSET Emerging Technology Observatory", "CSET")
    cited = re.search(r"citing (?:the )?[^(]*\((\w+)\)", source)
    return f"{name} citing {cited.group(1)}" if cited else name


def _is_firms(named: list[dict]) -> bool:
    return any(r["holder_kind"] == "firm" for r in named)


def series_table(shares: pd.DataFrame, bands: pd.DataFrame, guidelines: str = GUIDELINES) -> pd.DataFrame:
    """One row per series: what it counts, its largest holder, top-1 and top-3 shares and HHI.

    Columns: ``series``, ``layer``, ``segment``, ``kind`` (``firm`` or ``country``: a series of
    countries may include a region such as Europe), ``metric``, ``year``, ``source``,
    ``source_strength``, ``label`` (for charts; unique: two series that would read alike add their
    metric), ``named`` (holders named), ``named_pct`` (their combined share), ``top_holder``,
    ``top1_pct``, ``top3_pct``, ``hhi`` and ``hhi_high`` (:func:`series_hhi`), ``band`` and
    ``band_high`` (their bands in ``guidelines``, by lesson 05's ``concentration_band``).
    """
    out = []
    for series, rows in _by_series(_rows(shares)).items():
        named = sorted(_named(rows), key=lambda r: -r["low"])
        if not named:
            continue
        first = rows[0]
        least, most = _hhi_bounds(rows)
        kind = "firm" if _is_firms(named) else "country"
        year = "" if first["year"] is None else f" {int(first['year'])}"
        weak = " (weak source)" if first["source_strength"] == "weak" else ""
        out.append({
            "series": series, "layer": first["layer"], "segment": first["segment"], "kind": kind,
            "metric": first["metric"], "year": first["year"], "source": first["source"],
            "source_strength": first["source_strength"],
            "label": f"{first['segment']}: {'firms' if kind == 'firm' else 'countries'}, "
                     f"{short_source(first['source'])}{year}{weak}",
            "named": len(named), "named_pct": sum(r["low"] for r in named),
            "top_holder": named[0]["holder"], "top1_pct": named[0]["low"],
            "top3_pct": top_n_share([r["low"] for r in named], 3),
            "hhi": least, "hhi_high": most,
            "band": concentration_band(least, bands, guidelines),
            "band_high": concentration_band(most, bands, guidelines),
        })
    table = pd.DataFrame(out)
    twice = table["label"].duplicated(keep=False)
    table.loc[twice, "label"] = table.loc[twice, "label"] + " (" + table.loc[twice, "metric"] + ")"
    table["year"] = table["year"].astype("Int64")
    return table


# --------------------------------------------------------------------------- countries

def _covers(rows: list[dict]) -> bool:
    return sum(r["low"] for r in _named(rows)) >= COVERAGE_PCT


def _country_rows(series: str, rows: list[dict]) -> list[dict]:
    first = rows[0]
    common = {"series": series, "layer": first["layer"], "segment": first["segment"], "metric": first["metric"],
              "year": first["year"], "source": first["source"], "source_strength": first["source_strength"]}
    named = _named(rows)
    if not named:
        return []
    if not _is_firms(named):
        return [{**common, "country": r["holder"], "kind": r["holder_kind"], "basis": "the source's country figure",
                 "firms": "", "low": r["low"], "high": r["high"], "counts": True} for r in named]
    unnamed = max(0.0, 100.0 - sum(r["high"] for r in named))
    counts = _covers(rows)
    by_country: dict[str, list[dict]] = {}
    for r in named:
        if r["country"] is not None:
            by_country.setdefault(r["country"], []).append(r)
    return [{**common, "country": country, "kind": "country", "basis": "its named firms",
             "firms": ", ".join(f["holder"] for f in firms), "low": sum(f["low"] for f in firms),
             "high": min(100.0, sum(f["high"] for f in firms) + unnamed), "counts": counts}
            for country, firms in by_country.items()]


_COUNTRY_COLUMNS = ["series", "layer", "segment", "metric", "year", "source", "source_strength", "country", "kind",
                    "basis", "firms", "low", "high", "counts"]


def country_shares(shares: pd.DataFrame) -> pd.DataFrame:
    """Each country's (or region's) share of a segment in each series, with its low and high end.

    A series of countries gives the share directly (``basis`` "the source's country figure").
    A series of firms gives it as the sum of the country's named firms (``basis`` "its named
    firms"): the low end is that sum, the high end adds every share the series does not name
    (those suppliers could be from the same country). Such a series ``counts`` toward the
    lesson's rules only if its named firms hold at least :data:`COVERAGE_PCT` % of the segment;
    one naming a single firm with a quarter of a market says little about its country.
    """
    out = [row for series, rows in _by_series(_rows(shares)).items() for row in _country_rows(series, rows)]
    table = pd.DataFrame(out, columns=_COUNTRY_COLUMNS)
    table["year"] = table["year"].astype("Int64")
    return table


def source_spread(shares: pd.DataFrame) -> pd.DataFrame:
    """How far the sources disagree: one row per layer, segment and holder named by two or more series.

    Columns ``layer``, ``segment``, ``holder``, ``kind``, ``sources`` (how many series), ``low``
    (the lowest low end) and ``high`` (the highest high end), ``each`` (every series' figure,
    weak ones marked) and ``weak`` (True if any of them is a weak source).
    """
    groups: dict[tuple, list[dict]] = {}
    for row in _named(_rows(shares)):
        groups.setdefault((row["layer"], row["segment"], row["holder"]), []).append(row)
    out = []
    for (layer, segment, holder), rows in groups.items():
        if len({r["series"] for r in rows}) < 2:
            continue
        each = "; ".join(
            f"{short_source(r['source'])} {'' if r['year'] is None else int(r['year'])}: "
            f"{r['low']:g}{'' if r['high'] == r['low'] else '-' + format(r['high'], 'g')}%"
            f"{' (weak source)' if r['source_strength'] == 'weak' else ''}" for r in rows)
        out.append({"layer": layer, "segment": segment, "holder": holder, "kind": rows[0]["holder_kind"],
                    "sources": len({r["series"] for r in rows}), "low": min(r["low"] for r in rows),
                    "high": max(r["high"] for r in rows), "each": each,
                    "weak": any(r["source_strength"] == "weak" for r in rows)})
    return pd.DataFrame(out, columns=["layer", "segment", "holder", "kind", "sources", "low", "high", "each", "weak"])


def _threshold(threshold) -> float:
    value = finite_number(threshold, "threshold")
    if not 0 < value <= 100:
        raise ValueError(f"The threshold is a share of world supply between 0 and 100 %; you gave {value:g}.")
    return value


def country_summary(shares: pd.DataFrame) -> pd.DataFrame:
    """For each layer, segment and country: what the sources that count the segment whole say.

    Columns ``layer``, ``segment``, ``country``, ``sources`` (how many count), ``low`` (their
    lowest low end), ``high`` (their highest high end) and ``weak_only`` (every one of them is
    a weak source). Built from :func:`country_shares`; regions (Europe) are not one country and
    are left out. :func:`halt_table` reads a threshold against it.
    """
    groups: dict[tuple, list[dict]] = {}
    for series, rows in _by_series(_rows(shares)).items():
        for row in _country_rows(series, rows):
            if row["kind"] == "country" and row["counts"]:
                groups.setdefault((row["layer"], row["segment"], row["country"]), []).append(row)
    out = [{"layer": layer, "segment": segment, "country": country, "sources": len(rows),
            "low": min(r["low"] for r in rows), "high": max(r["high"] for r in rows),
            "weak_only": all(r["source_strength"] == "weak" for r in rows)}
           for (layer, segment, country), rows in groups.items()]
    return pd.DataFrame(out, columns=["layer", "segment", "country", "sources", "low", "high", "weak_only"])


def halt_table(shares: pd.DataFrame, threshold: float = HALT_THRESHOLD,
               summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each layer, segment and country: the share the sources give it, and whether it could halt it.

    The rule: a country **could halt** a segment when every source that counts the segment
    whole (:func:`country_shares`, ``counts``) gives it at least ``threshold`` % (their low
    ends); the sources **disagree** when some give it that much (a high end at the threshold
    or above) and others less. The columns are :func:`country_summary`'s and ``status``
    ("could halt", "sources disagree" or ""). Pass a ``summary`` already computed to skip that step.
    """
    limit = _threshold(threshold)
    table = (country_summary(shares) if summary is None else summary).copy()
    reach, some = table["low"] >= limit, table["high"] >= limit
    table["status"] = ["could halt" if r else ("sources disagree" if s else "") for r, s in zip(reach, some)]
    return table[["layer", "segment", "country", "sources", "low", "high", "status", "weak_only"]]


def could_halt(shares: pd.DataFrame, threshold: float = HALT_THRESHOLD, country: str | None = None) -> pd.DataFrame:
    """The rows of :func:`halt_table` whose status is "could halt" (for one ``country``, if given)."""
    table = halt_table(shares, threshold)
    rows = table[table["status"] == "could halt"]
    if country is not None:
        rows = rows[rows["country"] == country]
    return rows.reset_index(drop=True)


# --------------------------------------------------------------------------- the chain

def layer_names(layers: pd.DataFrame) -> dict[str, str]:
    """Layer id -> readable name, in the table's order."""
    return dict(zip(layers["layer"], layers["name"]))


def _feeds(layers: pd.DataFrame) -> dict[str, list[str]]:
    return {layer: [] if _missing(feeds) or not str(feeds).strip()
            else [f.strip() for f in str(feeds).split(";") if f.strip()]
            for layer, feeds in zip(layers["layer"], layers["feeds"])}


def _layer(layers: pd.DataFrame, layer: str) -> str:
    known = layer_names(layers)
    if layer in known:
        return layer
    by_name = {name.lower(): key for key, name in known.items()}
    if isinstance(layer, str) and layer.strip().lower() in by_name:
        return by_name[layer.strip().lower()]
    raise ValueError(f"There is no layer {layer!r}; the layers are {', '.join(known)}.")


def _downstream(feeds: dict[str, list[str]], names: dict[str, str], start: str) -> list[dict]:
    seen, out, frontier, depth = {start}, [], [(start, [names[start]])], 0
    while frontier:
        depth += 1
        following = []
        for here, path in frontier:
            for child in feeds.get(here, []):
                if child in seen:
                    continue
                seen.add(child)
                route = [*path, names.get(child, child)]
                out.append({"layer": child, "name": names.get(child, child), "depth": depth, "via": " → ".join(route)})
                following.append((child, route))
        frontier = following
    return out


def downstream(layers: pd.DataFrame, layer: str) -> pd.DataFrame:
    """Every layer that ``layer`` supplies, directly or through others, found by following ``feeds``.

    Columns ``layer``, ``name``, ``depth`` (1 = fed directly) and ``via`` (the chain of layer
    names from ``layer``), nearest first; each layer appears once, at its shortest distance.
    """
    start = _layer(layers, layer)
    return pd.DataFrame(_downstream(_feeds(layers), layer_names(layers), start),
                        columns=["layer", "name", "depth", "via"])


def removable(shares: pd.DataFrame, layer: str, segment: str | None = None) -> list[tuple[str, str]]:
    """What can be removed from a layer (or one of its segments): ``(holder, "country" | "firm")``
    pairs, countries first, each in the order of its largest share."""
    rows = [r for r in _named(_rows(shares[shares["layer"] == layer]))
            if segment is None or r["segment"] == segment]
    rows.sort(key=lambda r: -r["low"])
    countries = dict.fromkeys(r["country"] for r in rows if r["country"] is not None)
    firms = dict.fromkeys(r["holder"] for r in rows if r["holder_kind"] == "firm")
    return [(c, "country") for c in countries] + [(f, "firm") for f in firms]


def country_name(country: str) -> str:
    """A country's name as it reads inside a sentence: "the Netherlands", "the United States", "Japan"."""
    return f"the {country}" if country.startswith(("Netherlands", "United ")) else country


def _lower_first(name: str) -> str:
    """"Lithography tools (EUV ...)" -> "lithography tools (EUV ...)"; "EDA software" stays."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


_LOSS_COLUMNS = ["series", "segment", "source", "year", "metric", "source_strength", "lost_low", "lost_high",
                 "basis", "counts"]
_SEGMENT_COLUMNS = ["segment", "sources", "lost_low", "lost_high", "weak_only"]


@dataclass(frozen=True)
class Disruption:
    """What :func:`disruption` found: the loss per source, per segment, and who is exposed.

    ``loss_rows``, ``segment_rows`` and ``exposed_rows`` are plain rows (dicts); ``losses``,
    ``by_segment`` and ``exposed`` give them as tables.
    """

    removed: str
    kind: str                 # "country" or "firm"
    layer: str
    layer_name: str
    loss_rows: tuple          # one per series: segment, source, year, metric, lost_low, lost_high, basis, counts, ...
    segment_rows: tuple       # one per segment: sources, lost_low, lost_high (over the sources that count), weak_only
    exposed_rows: tuple       # the layers downstream that would be short (see downstream())
    threshold: float

    @property
    def losses(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.loss_rows), columns=_LOSS_COLUMNS)

    @property
    def by_segment(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.segment_rows), columns=_SEGMENT_COLUMNS)

    @property
    def exposed(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.exposed_rows), columns=["layer", "name", "depth", "via"])

    @property
    def lost(self) -> list[dict]:
        """The segments where something is lost: those with a source that is not weak first, then by loss."""
        return sorted((r for r in self.segment_rows if r["lost_high"] > 0),
                      key=lambda r: (r["weak_only"], -r["lost_high"]))

    @property
    def halted(self) -> list[str]:
        """The segments that would halt on the lesson's rule: every counting source loses at least
        ``threshold`` %."""
        return [r["segment"] for r in self.segment_rows if r["lost_low"] >= self.threshold]

    def sentence(self) -> str:
        """The result in words: the loss in each segment, how sure the sources are, and who is exposed."""
        who = country_name(self.removed) if self.kind == "country" else f"the firm {self.removed}"
        lost = self.lost
        if not lost:
            return (f"Removing {who} from {_lower_first(self.layer_name)} takes away nothing the sources count: "
                    f"none of them gives it a share here.")
        parts = []
        for row in lost[:4]:
            span = (f"{row['lost_low']:.3g}%" if math.isclose(row["lost_low"], row["lost_high"])
                    else f"{row['lost_low']:.3g}% to {row['lost_high']:.3g}%")
            n = row["sources"]
            note = f"{n} source{'s' if n != 1 else ''}" + (", weak only" if row["weak_only"] else "")
            parts.append(f"{span} of {row['segment']} ({note})")
        more = f"; and some of {len(lost) - 4} more segments" if len(lost) > 4 else ""
        text = (f"Removing {who} from {_lower_first(self.layer_name)} takes away, of the world's supply: "
                f"{'; '.join(parts)}{more}.")
        if self.halted:
            text += (f" On the lesson's rule (at least {self.threshold:g}% in every source) that halts: "
                     f"{', '.join(self.halted)}.")
        if self.exposed_rows:
            direct = [r["name"] for r in self.exposed_rows if r["depth"] == 1]
            later = [r["name"] for r in self.exposed_rows if r["depth"] > 1]
            text += f" Exposed downstream: {', '.join(direct)} directly"
            text += f", then {', '.join(later)}." if later else "."
        return text


def disruption(shares: pd.DataFrame, layers: pd.DataFrame, remove: str, layer: str, segment: str | None = None,
               threshold: float = HALT_THRESHOLD) -> Disruption:
    """Take one supplier (a firm) or one country out of a layer: what share of world supply is lost?

    For each series of the layer (or of its ``segment``) the loss is the removed holder's
    share: a firm's own share in a series of firms; a country's figure in a series of
    countries, or the sum of its named firms in a series of firms (low end; the high end adds
    the suppliers the series does not name, as in :func:`country_shares`). A series of firms
    that names less than :data:`COVERAGE_PCT` % of the segment is listed but ``counts`` is
    False, and it is left out of ``by_segment``. A series of countries says nothing about one
    firm, and is skipped when a firm is removed. If anything is lost, every layer downstream
    (:func:`downstream`) is exposed.

    Simplifications: a share (of revenue, units or capacity) is taken as a share of supply,
    nobody else steps in, nobody has stockpiles, and it is all within the one year of each source.
    """
    layer = _layer(layers, layer)
    limit = _threshold(threshold)
    names = layer_names(layers)
    rows = _rows(shares[shares["layer"] == layer])
    if not rows:
        raise ValueError(f"The tables give no shares for {_lower_first(names[layer])}; choose another layer.")
    if segment is not None:
        segments = list(dict.fromkeys(r["segment"] for r in rows))
        if segment not in segments:
            raise ValueError(f"{names[layer]} has no segment {segment!r}; it has {', '.join(segments)}.")
        rows = [r for r in rows if r["segment"] == segment]
    if not isinstance(remove, str) or not remove.strip():
        raise ValueError("Say whom to remove: a country such as 'Japan' or a firm such as 'Tokyo Electron'.")
    remove = remove.strip()
    named = _named(rows)
    if any(r["holder_kind"] == "firm" and r["holder"] == remove for r in named):
        kind = "firm"
    elif any(r["country"] == remove for r in named):
        kind = "country"
    else:
        options = [name for name, _ in removable(shares, layer, segment)]
        raise ValueError(f"No source names {remove!r} in {_lower_first(names[layer])}"
                         f"{'' if segment is None else f' ({segment})'}; you can remove {', '.join(options)}.")
    losses = []
    for series, group in _by_series(rows).items():
        first, people = group[0], _named(group)
        base = {"series": series, "segment": first["segment"], "source": first["source"], "year": first["year"],
                "metric": first["metric"], "source_strength": first["source_strength"]}
        firms = _is_firms(people)
        if kind == "firm":
            hit = [r for r in people if r["holder"] == remove]
            if not firms or not hit:
                continue
            losses.append({**base, "lost_low": sum(r["low"] for r in hit), "lost_high": sum(r["high"] for r in hit),
                           "basis": "the firm's share", "counts": True})
            continue
        hit = [r for r in people if r["country"] == remove]
        if firms:
            unnamed = max(0.0, 100.0 - sum(r["high"] for r in people))
            losses.append({**base, "lost_low": sum(r["low"] for r in hit),
                           "lost_high": min(100.0, sum(r["high"] for r in hit) + unnamed),
                           "basis": f"its named firms ({', '.join(r['holder'] for r in hit) or 'none'})",
                           "counts": _covers(group)})
        else:
            losses.append({**base, "lost_low": sum(r["low"] for r in hit), "lost_high": sum(r["high"] for r in hit),
                           "basis": "the source's country figure", "counts": True})
    per_segment: dict[str, list[dict]] = {}
    for loss in losses:
        if loss["counts"]:
            per_segment.setdefault(loss["segment"], []).append(loss)
    segment_rows = tuple({"segment": seg, "sources": len(g), "lost_low": min(r["lost_low"] for r in g),
                          "lost_high": max(r["lost_high"] for r in g),
                          "weak_only": all(r["source_strength"] == "weak" for r in g)}
                         for seg, g in per_segment.items())
    lost_any = any(r["lost_high"] > 0 for r in segment_rows)
    exposed = tuple(_downstream(_feeds(layers), names, layer)) if lost_any else ()
    return Disruption(remove, kind, layer, names[layer], tuple(losses), segment_rows, exposed, limit)
