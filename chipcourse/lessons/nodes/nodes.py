"""Process nodes: what a node name says, and what is measured instead.

Pure functions over the ``nodes``, ``chips`` and ``node_history`` tables. Lengths are
in nanometres (nm), densities in million transistors per square millimetre (MTr/mm²).

The ``nodes`` table keeps one row per source, so two sources that disagree both stay
visible; :func:`summary` folds them into one row per node by a stated rule (the median
of the sources' figures, see :data:`SUMMARY_RULE`), keeps the lowest and highest density
any source gives, and :func:`disagreements` lists where they differ.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass

import pandas as pd

from ...units import positive_number

__all__ = [
    "METRICS", "SUMMARY_RULE", "full_name", "node_number", "summary", "disagreements", "irds_label", "bohr_density",
    "chip_density", "density_equivalent_name", "name_vs_measure", "HonestName", "honest_name",
    "find", "describe_gap", "chip_vs_node",
]

#: measured quantities in the ``nodes`` table and the words the course uses for them
METRICS = {
    "cpp_nm": "contacted gate pitch, CPP (nm)",
    "mmp_nm": "minimum metal pitch, MMP (nm)",
    "fin_pitch_nm": "fin pitch (nm)",
    "gate_length_nm": "gate length (nm)",
    "cell_height_nm": "standard-cell height (nm)",
    "density_mtr_mm2": "transistor density (MTr/mm², as claimed or estimated)",
}

_NAME = re.compile(r"(\d+(?:\.\d+)?)\s*(nm|a)?", re.IGNORECASE)


def full_name(company: str, node: str) -> str:
    """How a node is written in prose: "TSMC N5", "Intel 22nm", but "Intel 7" (not "Intel Intel 7")."""
    return node if str(node).startswith(str(company)) else f"{company} {node}"


def node_number(name: str) -> float:
    """The number in a node *name*, in nm: ``"N5"`` → 5, ``"Intel 4"`` → 4, ``"18A"`` → 1.8.

    "A" after the number means ångström (0.1 nm), as in Intel's "18A". This is the
    label's number, not a measurement: the point of the lesson.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("A node name is text such as 'N5', 'Intel 7' or '18A'.")
    match = _NAME.search(name)
    if match is None:
        raise ValueError(f"{name!r} has no number in it, so it is not a node name this course reads.")
    value = float(match.group(1))
    return value / 10 if (match.group(2) or "").lower() == "a" else value


#: how :func:`summary` picks one figure where sources disagree, in the words lessons quote
SUMMARY_RULE = ("the median of the figures its sources give (of two, the lower one), so every "
                "figure in the summary is one that a source published, and one outlying source "
                "cannot move it far")


def _median_low(values: pd.Series) -> float:
    given = values.dropna()
    return float(statistics.median_low(given)) if len(given) else math.nan


def _publisher(source: str) -> str:
    """The short name of a source citation: "Bits&Chips (Paul van Gerven)" from the full one."""
    return str(source).split(", ")[0].strip()


def _listing(group: pd.DataFrame, metric: str) -> str:
    given = group.dropna(subset=[metric]).sort_values(metric, kind="stable")
    return "; ".join(f"{value:g} from {_publisher(source)}" for value, source in zip(given[metric], given["source"]))


def summary(nodes: pd.DataFrame) -> pd.DataFrame:
    """One row per company and node; each metric by :data:`SUMMARY_RULE` (the median of the
    sources' figures; of an even number, the lower middle one).

    Adds ``label_nm`` (the number in the name, :func:`node_number`), ``n_sources``, and for
    density the spread of the sources: ``density_min_mtr_mm2``, ``density_max_mtr_mm2``
    and ``density_sources`` (each figure with the source that gives it, lowest first).
    Rows keep the table's order.
    """
    keys = ["company", "node"]
    grouped = nodes.groupby(keys, sort=False)
    out = grouped[["year"]].first().join(grouped[list(METRICS)].agg(_median_low)).reset_index()
    out["n_sources"] = grouped.size().to_numpy()
    out.insert(2, "label_nm", [node_number(n) for n in out["node"]])
    density = grouped["density_mtr_mm2"]
    at = out.columns.get_loc("density_mtr_mm2") + 1
    out.insert(at, "density_min_mtr_mm2", density.min().to_numpy())
    out.insert(at + 1, "density_max_mtr_mm2", density.max().to_numpy())
    out.insert(at + 2, "density_sources",
               [_listing(group, "density_mtr_mm2") for _, group in grouped])
    return out


def disagreements(nodes: pd.DataFrame) -> pd.DataFrame:
    """Every metric on which sources give a node different values: the values and sources."""
    rows = []
    for (company, node), group in nodes.groupby(["company", "node"], sort=False):
        for metric in METRICS:
            given = group.dropna(subset=[metric])
            if given[metric].nunique() > 1:
                for _, row in given.iterrows():
                    rows.append({"company": company, "node": node, "metric": metric,
                                 "value": row[metric], "source": row["source"]})
    return pd.DataFrame(rows, columns=["company", "node", "metric", "value", "source"])


def irds_label(cpp_nm: float, mmp_nm: float, tiers: int | None = None) -> str:
    """The IRDS-style label from the pitches: ``irds_label(48, 24) == "G48M24"``.

    G is the contacted gate pitch and M the tightest metal pitch, in whole nm; with
    ``tiers`` the number of stacked device tiers is appended (``"G48M36T1"``).
    """
    label = f"G{round(positive_number(cpp_nm, 'gate pitch'))}M{round(positive_number(mmp_nm, 'metal pitch'))}"
    if tiers is not None:
        if isinstance(tiers, bool) or not isinstance(tiers, int) or tiers < 1:
            raise ValueError("The number of tiers is a whole number, 1 or more.")
        label += f"T{tiers}"
    return label


def bohr_density(nand2_transistors: float, nand2_area_um2: float,
                 flipflop_transistors: float, flipflop_area_um2: float) -> float:
    """Bohr's transistor density in MTr/mm² from two standard cells (Intel, 2017).

    0.6 × (NAND2 transistors / NAND2 area) + 0.4 × (scan flip-flop transistors /
    scan flip-flop area). With areas in µm², transistors per µm² equal MTr/mm².
    """
    nand = positive_number(nand2_transistors, "NAND2 transistor count") / positive_number(nand2_area_um2, "NAND2 cell area")
    flop = (positive_number(flipflop_transistors, "flip-flop transistor count")
            / positive_number(flipflop_area_um2, "flip-flop cell area"))
    return 0.6 * nand + 0.4 * flop


def chip_density(transistors_bn: float, die_area_mm2: float) -> float:
    """A real chip's average density in MTr/mm²: billions of transistors over die area."""
    return positive_number(transistors_bn, "transistor count") * 1000 / positive_number(die_area_mm2, "die area")


def density_equivalent_name(density_mtr_mm2: float, reference_name_nm: float,
                            reference_density: float) -> float:
    """The node number a density *would* have if names still shrank with the features.

    Density grows with 1/length², so a name that tracked a length would be
    ``reference_name_nm × √(reference_density / density)``. A model, not a standard:
    it answers "what would this node be called, counting from the reference node?".
    """
    return (positive_number(reference_name_nm, "reference node number")
            * math.sqrt(positive_number(reference_density, "reference density")
                        / positive_number(density_mtr_mm2, "density")))


def name_vs_measure(summary_table: pd.DataFrame, metric: str = "cpp_nm") -> pd.DataFrame:
    """Each node's label beside a measured length and their ratio (measured ÷ label).

    A ratio of 1 would mean the name is the measurement; "22nm" with a 90 nm gate pitch
    gives about 4. Nodes without a value for ``metric`` are left out.
    """
    if metric not in METRICS or metric == "density_mtr_mm2":
        lengths = [m for m in METRICS if m != "density_mtr_mm2"]
        raise ValueError(f"Choose a length to compare with the name: one of {lengths}.")
    table = summary_table.dropna(subset=[metric])[["company", "node", "year", "label_nm", metric]].copy()
    table["ratio"] = table[metric] / table["label_nm"]
    return table.reset_index(drop=True)


def describe_gap(table: pd.DataFrame, metric: str) -> str:
    """One sentence on a :func:`name_vs_measure` table: how far names are from ``metric``."""
    if table.empty:
        return "No node in this selection has a value for that measurement."
    low, high = table.loc[table["ratio"].idxmin()], table.loc[table["ratio"].idxmax()]
    what = METRICS[metric].split(",")[0].split(" (")[0]
    return (f"Across {len(table)} nodes, the measured {what} is {table['ratio'].median():.1f} times "
            f"the number in the name (median), from {low['ratio']:.1f}× for "
            f"{full_name(low['company'], low['node'])} to {high['ratio']:.1f}× for "
            f"{full_name(high['company'], high['node'])}.")


def chip_vs_node(chips: pd.DataFrame, summary_table: pd.DataFrame, chip: str) -> pd.DataFrame:
    """A real chip's average density beside the claimed density of the node it is made on."""
    rows = chips[chips["chip"] == chip].dropna(subset=["transistors_bn", "die_area_mm2"])
    if rows.empty:
        raise ValueError(f"No chip called {chip!r} with a transistor count and a die area.")
    row = rows.iloc[0]
    node = find(summary_table, row["node_company"], row["node"])
    return pd.DataFrame({
        "what": [f"{chip}: average over the whole die",
                 f"{full_name(row['node_company'], row['node'])}: claimed density"],
        "density_mtr_mm2": [chip_density(row["transistors_bn"], row["die_area_mm2"]), node["density_mtr_mm2"]],
    })


def find(summary_table: pd.DataFrame, company: str, node: str) -> pd.Series:
    """The summary row of one node; a sentence listing the nodes when it is not there."""
    hit = summary_table[(summary_table["company"] == company) & (summary_table["node"] == node)]
    if hit.empty:
        known = ", ".join(full_name(c, n) for c, n in zip(summary_table["company"], summary_table["node"]))
        raise ValueError(f"There is no {full_name(company, node)} in the table. Known nodes: {known}.")
    return hit.iloc[0]


@dataclass(frozen=True)
class HonestName:
    """What the "honest name" calculator says about a pair of pitches."""

    cpp_nm: float
    mmp_nm: float
    label: str
    nearest: str
    nearest_label: str
    nearest_distance_nm: float

    def sentence(self) -> str:
        return (f"A process with a {self.cpp_nm:g} nm gate pitch and a {self.mmp_nm:g} nm metal "
                f"pitch is {self.label}. The closest real node in the table is {self.nearest} "
                f"({self.nearest_label}).")


def honest_name(cpp_nm: float, mmp_nm: float, summary_table: pd.DataFrame) -> HonestName:
    """The IRDS-style label for two pitches, and the real node whose pitches are closest."""
    cpp = positive_number(cpp_nm, "gate pitch")
    mmp = positive_number(mmp_nm, "metal pitch")
    known = summary_table.dropna(subset=["cpp_nm", "mmp_nm"])
    if known.empty:
        raise ValueError("The table has no node with both pitches to compare with.")
    distance = ((known["cpp_nm"] - cpp) ** 2 + (known["mmp_nm"] - mmp) ** 2) ** 0.5
    best = known.loc[distance.idxmin()]
    return HonestName(cpp, mmp, irds_label(cpp, mmp), full_name(best["company"], best["node"]),
                      irds_label(best["cpp_nm"], best["mmp_nm"]), float(distance.min()))
