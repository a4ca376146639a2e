"""Fab economics: how many dies fit on a wafer, how many work, and what each good one costs.

Pure functions over the ``yield_params``, ``wafer_cost`` and ``fab_cost`` tables.
Units: wafer diameters and edge exclusions in millimetres (mm), die areas in square
millimetres (mm²), defect densities in defects per square centimetre (defects/cm²),
money in US dollars (USD). 1 cm² = 100 mm², so a die of A mm² has A / 100 cm².

The formulas (sources in ``yield_params``):

* gross dies per wafer: DPW = π·d² / (4·S) − π·d / √(2·S), with d the usable wafer
  diameter (mm) and S the die area (mm²). The first term is the wafer's area over the
  die's; the second removes the partial dies lost around the edge. Scribe lines are ignored.
* Poisson yield: Y = exp(−A·D0), with A the die area in cm² and D0 the defect density.
* Murphy yield: Y = ((1 − exp(−A·D0)) / (A·D0))², which assumes defect density varies
  across the wafer; it is a little kinder to large dies than Poisson.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...units import finite_number, positive_number

__all__ = [
    "MODELS", "param", "wafer_area", "dies_per_wafer", "poisson_yield", "murphy_yield", "yield_for",
    "good_dies_per_wafer", "cost_per_good_die", "cost_per_transistor", "cost_per_billion_transistors",
    "FabResult", "simulate", "wafer_map", "wafer_presets", "one_fab_costs",
]

#: yield models by the name the lesson and the widgets use
MODELS = ("Poisson", "Murphy")

#: the widest wafer a check accepts, in mm (450 mm wafers were planned but never made standard)
_MAX_WAFER_MM = 450.0


def param(yield_params: pd.DataFrame, name: str) -> float:
    """The value of parameter ``name`` in the ``yield_params`` table (e.g. ``"wafer_diameter"``)."""
    rows = yield_params[yield_params["parameter"] == name].dropna(subset=["value"])
    if rows.empty:
        known = ", ".join(yield_params.dropna(subset=["value"])["parameter"])
        raise ValueError(f"There is no parameter {name!r} with a value. Parameters: {known}.")
    return float(rows.iloc[0]["value"])


def wafer_area(wafer_diameter_mm: float = 300.0) -> float:
    """Area of a round wafer in mm²: π·d²/4."""
    d = positive_number(wafer_diameter_mm, "wafer diameter", "mm")
    return math.pi * d * d / 4


def _usable_diameter(wafer_diameter_mm: float, edge_exclusion_mm: float) -> float:
    d = positive_number(wafer_diameter_mm, "wafer diameter", "mm")
    if d > _MAX_WAFER_MM:
        raise ValueError(f"The wafer diameter must be at most {_MAX_WAFER_MM:g} mm: you gave {d:g} mm.")
    edge = finite_number(edge_exclusion_mm, "edge exclusion")
    if edge < 0 or 2 * edge >= d:
        raise ValueError(f"The edge exclusion must be between 0 and half the wafer's diameter "
                         f"({d / 2:g} mm): you gave {edge:g} mm.")
    return d - 2 * edge


def dies_per_wafer(die_area_mm2: float, wafer_diameter_mm: float = 300.0,
                   edge_exclusion_mm: float = 0.0) -> int:
    """Gross dies per wafer (whole number), with the partial dies at the edge removed.

    DPW = π·d²/(4·S) − π·d/√(2·S), d = wafer diameter minus twice the edge exclusion (mm),
    S = die area (mm²). Rounded down: a fraction of a die is not a die.
    """
    d = _usable_diameter(wafer_diameter_mm, edge_exclusion_mm)
    area = positive_number(die_area_mm2, "die area", "mm²")
    if area >= math.pi * d * d / 4:
        raise ValueError(f"The die area must be between 0 and the wafer's area "
                         f"({math.pi * d * d / 4:.0f} mm²): you gave {area:g} mm².")
    gross = math.pi * d * d / (4 * area) - math.pi * d / math.sqrt(2 * area)
    return max(0, math.floor(gross))


def _exponent(die_area_mm2: float, defect_density_per_cm2: float) -> float:
    """A·D0 with A converted from mm² to cm²: the expected number of defects per die."""
    area = positive_number(die_area_mm2, "die area", "mm²")
    d0 = finite_number(defect_density_per_cm2, "defect density")
    if d0 < 0:
        raise ValueError(f"The defect density cannot be negative: you gave {d0:g} defects/cm².")
    return area / 100 * d0


def poisson_yield(die_area_mm2: float, defect_density_per_cm2: float) -> float:
    """Share of dies with no killer defect (0 to 1), Poisson model: exp(−A·D0), A in cm²."""
    return math.exp(-_exponent(die_area_mm2, defect_density_per_cm2))


def murphy_yield(die_area_mm2: float, defect_density_per_cm2: float) -> float:
    """Share of good dies (0 to 1), Murphy model: ((1 − exp(−A·D0)) / (A·D0))², A in cm²."""
    ad = _exponent(die_area_mm2, defect_density_per_cm2)
    if ad == 0:
        return 1.0
    return ((1 - math.exp(-ad)) / ad) ** 2


def yield_for(model: str, die_area_mm2: float, defect_density_per_cm2: float) -> float:
    """The yield by model name, ``"Poisson"`` or ``"Murphy"`` (any case)."""
    if not isinstance(model, str) or model.strip().capitalize() not in MODELS:
        raise ValueError(f"The yield model must be one of {', '.join(MODELS)}; you gave {model!r}.")
    chosen = model.strip().capitalize()
    return (poisson_yield if chosen == "Poisson" else murphy_yield)(die_area_mm2, defect_density_per_cm2)


def good_dies_per_wafer(die_area_mm2: float, defect_density_per_cm2: float, model: str = "Poisson",
                        wafer_diameter_mm: float = 300.0, edge_exclusion_mm: float = 0.0) -> float:
    """Expected good dies on one wafer: gross dies per wafer × yield (not rounded)."""
    gross = dies_per_wafer(die_area_mm2, wafer_diameter_mm, edge_exclusion_mm)
    return gross * yield_for(model, die_area_mm2, defect_density_per_cm2)


def cost_per_good_die(wafer_cost_usd: float, good_dies: float) -> float:
    """What each working die costs, in USD: the wafer's price shared over its good dies."""
    cost = finite_number(wafer_cost_usd, "wafer cost")
    if cost < 0:
        raise ValueError(f"The wafer cost cannot be negative: you gave {cost:g} USD.")
    good = finite_number(good_dies, "number of good dies")
    if good <= 0:
        raise ValueError("With no good dies on the wafer, a good die cannot be bought at any price: "
                         "make the die smaller or the defect density lower.")
    return cost / good


def cost_per_transistor(die_cost_usd: float, transistors: float) -> float:
    """USD per transistor: a die's cost over the transistors on it."""
    cost = finite_number(die_cost_usd, "die cost")
    count = positive_number(transistors, "number of transistors", "transistors")
    return cost / count


def cost_per_billion_transistors(die_cost_usd: float, transistors_bn: float) -> float:
    """USD per billion transistors (the readable unit): die cost / transistors in billions."""
    return cost_per_transistor(die_cost_usd, transistors_bn)


@dataclass(frozen=True)
class FabResult:
    """Everything the fab simulator shows for one set of inputs."""

    die_area_mm2: float
    defect_density_per_cm2: float
    wafer_cost_usd: float
    model: str
    wafer_diameter_mm: float
    dies_per_wafer: int
    yield_fraction: float
    good_dies: float
    cost_per_good_die_usd: float | None

    def sentence(self) -> str:
        works = round(self.good_dies)
        if works >= 1:
            outcome = f"so about {works:,} {'die works' if works == 1 else 'dies work'}"
        elif self.good_dies > 0:
            outcome = (f"so no die works at these settings: on average one wafer in "
                       f"{1 / self.good_dies:,.0f} has a working die")
        else:
            outcome = "so no die works at these settings"
        if self.cost_per_good_die_usd is None:
            cost = "a good die has no price: make the die smaller or the defect density lower"
        else:
            cost = f"each good die costs about ${self.cost_per_good_die_usd:,.2f}"
        return (f"{self.model} model: a {self.die_area_mm2:g} mm² die fits {self.dies_per_wafer:,} times "
                f"on a {self.wafer_diameter_mm:g} mm wafer; at {self.defect_density_per_cm2:g} defects/cm² the yield is "
                f"{self.yield_text()}, {outcome}. At ${self.wafer_cost_usd:,.0f} a wafer, {cost}.")

    def yield_text(self) -> str:
        """The yield as a percentage; "under 0.1%" rather than a "0.0%" that reads as none."""
        if 0 < self.yield_fraction < 0.001:
            return "under 0.1%"
        return f"{self.yield_fraction:.1%}"


def simulate(die_area_mm2: float, defect_density_per_cm2: float, wafer_cost_usd: float,
             model: str = "Poisson", wafer_diameter_mm: float = 300.0) -> FabResult:
    """Dies per wafer, yield, good dies and cost per good die in one call (for the widget)."""
    gross = dies_per_wafer(die_area_mm2, wafer_diameter_mm)
    y = yield_for(model, die_area_mm2, defect_density_per_cm2)
    good = gross * y
    cost = finite_number(wafer_cost_usd, "wafer cost")
    if cost < 0:
        raise ValueError(f"The wafer cost cannot be negative: you gave {cost:g} USD.")
    # with less than half a good die per wafer, no wafer is expected to yield one: a price per
    # good die (the wafer's price over a fraction of a die, millions of dollars) would mislead
    per_die = cost_per_good_die(cost, good) if round(good) >= 1 else None
    return FabResult(float(die_area_mm2), float(defect_density_per_cm2), cost, model.strip().capitalize(),
                     float(wafer_diameter_mm), gross, y, good, per_die)


def wafer_map(die_area_mm2: float, defect_density_per_cm2: float, model: str = "Poisson",
              seed: int = 0, wafer_diameter_mm: float = 300.0) -> pd.DataFrame:
    """Square dies laid out on a wafer, each marked good or bad at random (for a picture).

    Returns one row per die: ``x_mm``, ``y_mm`` (the die's lower-left corner, wafer centre
    at 0, 0), ``side_mm`` and ``good``. The dies drawn are the :func:`dies_per_wafer`
    grid positions nearest the centre that fit on the wafer, so the picture shows as many
    dies as the formula counts (or every whole die that fits, if that is fewer). Each die
    is good with probability equal to the model's yield; ``seed`` fixes the random draw,
    so the same inputs always give the same picture.
    """
    gross = dies_per_wafer(die_area_mm2, wafer_diameter_mm)
    y = yield_for(model, die_area_mm2, defect_density_per_cm2)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"The seed must be a whole number; you gave {seed!r}.")
    side = math.sqrt(float(die_area_mm2))
    radius = float(wafer_diameter_mm) / 2
    n = int(radius // side) + 1
    steps = np.arange(-n, n) * side
    xs, ys = np.meshgrid(steps, steps)
    xs, ys = xs.ravel(), ys.ravel()
    # the corner farthest from the centre decides whether the whole die is on the wafer
    far = np.hypot(np.maximum(np.abs(xs), np.abs(xs + side)), np.maximum(np.abs(ys), np.abs(ys + side)))
    inside = far <= radius
    xs, ys, far = xs[inside], ys[inside], far[inside]
    order = np.argsort(far, kind="stable")[:gross]
    rng = np.random.default_rng(seed)
    good = rng.random(len(order)) < y
    return pd.DataFrame({"x_mm": xs[order], "y_mm": ys[order], "side_mm": side, "good": good})


def wafer_presets(wafer_cost: pd.DataFrame) -> dict[str, float]:
    """Labels for the simulator's drop-down (company, node, year, kind, source) → wafer price in USD."""
    presets = {}
    for row in wafer_cost.dropna(subset=["wafer_price_usd"]).itertuples():
        year = "year n.d." if pd.isna(row.year) else str(int(row.year))
        publisher = row.source.split(",")[0].split(" (")[0]
        label = f"{row.company} {row.node}, {year}: ${row.wafer_price_usd:,.0f} ({row.kind}, {publisher})"
        presets[label] = float(row.wafer_price_usd)
    return presets


def one_fab_costs(fab_cost: pd.DataFrame, segment: str | None = "leading-edge logic") -> pd.DataFrame:
    """Rows of ``fab_cost`` that price ONE fab (not a site or a programme), with a USD figure.

    ``segment`` keeps one market segment (``None`` keeps all). The scope matters: a site of
    several fabs or a company's national programme is not the cost of a fab.
    """
    rows = fab_cost[(fab_cost["scope"] == "one fab")].dropna(subset=["cost_usd_bn"])
    if segment is not None:
        known = sorted(set(fab_cost["segment"].dropna()))
        if segment not in known:
            raise ValueError(f"Unknown segment {segment!r}; the table has {known}.")
        rows = rows[rows["segment"] == segment]
    return rows.reset_index(drop=True)
