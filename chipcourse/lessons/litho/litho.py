"""Lithography: how small a scanner can print, and what it costs to print smaller.

Pure functions over the ``lithography``, ``litho_facts``, ``litho_tools``,
``euv_shipments`` and ``euv_layers`` tables, and over node pitches from
:func:`chipcourse.nodes.summary`. Lengths are in nanometres (nm).

The formulas are the Rayleigh model of optical lithography (Holmes et al., IBM J. Res.
Dev. 41, 1997): the smallest half-pitch one exposure prints is ``k1 · λ / NA`` and the
depth of focus is ``k2 · λ / NA²``, with λ the exposure wavelength in vacuum, NA the
numerical aperture of the projection optics (NA = n · sin θ, n the refractive index of
the medium between lens and wafer) and k1, k2 process factors. A minimum pitch (line plus
space) is twice the half-pitch. Pitch splitting (multiple patterning) prints a pitch
finer than one exposure can by interleaving ``n`` exposures, each at ``n`` times the
target pitch, so ``n = ceil(min_pitch / target_pitch)``.

The physical limits the inputs are checked against come from ``litho_facts``: k1 cannot
go below 0.25 in one exposure (``k1_min_single_exposure``), and NA cannot exceed the
refractive index of the medium: water's at 193 nm for immersion tools
(``water_index_193nm``), air's for dry and EUV tools (``air_index``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import pandas as pd

from ... import data
from ...units import finite_number, positive_number
from ..nodes.nodes import full_name

__all__ = [
    "TECHNOLOGIES", "IMMERSION", "K1_MAX", "Limits", "limits", "fact", "generations", "generation",
    "numerical_aperture", "rayleigh_half_pitch", "min_pitch", "depth_of_focus", "k1_needed",
    "exposures_needed", "split_lines", "node_pitches", "node_verdicts", "Verdict", "verdict",
]

#: lithography generations in historical order (the ``technology`` column's values)
TECHNOLOGIES = ["g-line", "i-line", "KrF", "ArF dry", "ArF immersion", "EUV", "High-NA EUV"]
#: generations that put water between lens and wafer (all others image in air or vacuum)
IMMERSION = {"ArF immersion"}
#: largest k1 the course's calculators accept: a range limit, not a law of physics
K1_MAX = 1.0


# --------------------------------------------------------------------------- tables

def fact(facts: pd.DataFrame, key: str) -> float:
    """The value of fact ``key`` in the ``litho_facts`` table (the first source's row)."""
    rows = facts[facts["key"] == key]
    if rows.empty:
        raise ValueError(f"There is no fact {key!r} in litho_facts. Known facts: "
                         f"{', '.join(dict.fromkeys(facts['key']))}.")
    return float(rows["value"].iloc[0])


@dataclass(frozen=True)
class Limits:
    """The physical limits inputs are checked against, from ``litho_facts``."""

    k1_min: float        #: single-exposure limit of k1
    na_max: float        #: NA ceiling with water immersion (water's refractive index at 193 nm)
    na_max_dry: float    #: NA ceiling in air or vacuum (air's refractive index)


def _limits_from(facts: pd.DataFrame) -> Limits:
    return Limits(fact(facts, "k1_min_single_exposure"), fact(facts, "water_index_193nm"),
                  fact(facts, "air_index"))


@functools.lru_cache(maxsize=1)
def limits() -> Limits:
    """The :class:`Limits` from the course's ``litho_facts`` table (read once)."""
    return _limits_from(data.load("litho_facts"))


def generations(table: pd.DataFrame) -> pd.DataFrame:
    """One row per technology, in historical order, from the one-row-per-source table.

    ``wavelength_nm``: the first source's; ``na``: the highest any source gives;
    ``year`` and ``year_basis``: the earliest year any source gives and what it counts;
    ``n_sources``: rows behind it. Blank where no source gives a value.
    """
    rows = []
    for tech in TECHNOLOGIES:
        group = table[table["technology"] == tech]
        if group.empty:
            continue
        wavelengths = group["wavelength_nm"].dropna()
        dated = group.dropna(subset=["year"]).sort_values("year", kind="stable")
        rows.append({
            "technology": tech,
            "wavelength_nm": float(wavelengths.iloc[0]) if len(wavelengths) else math.nan,
            "na": float(group["na"].max()) if group["na"].notna().any() else math.nan,
            "year": dated["year"].iloc[0] if len(dated) else pd.NA,
            "year_basis": dated["year_basis"].iloc[0] if len(dated) else pd.NA,
            "immersion": tech in IMMERSION,
            "n_sources": int(group["source"].nunique()),
        })
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype("Int64")
    return out


def generation(gens: pd.DataFrame, technology: str) -> pd.Series:
    """The :func:`generations` row of ``technology``; a sentence listing them if it is unknown."""
    hit = gens[gens["technology"] == technology]
    if hit.empty:
        raise ValueError(f"There is no technology {technology!r}. Choose one of: "
                         f"{', '.join(gens['technology'])}.")
    return hit.iloc[0]


def node_pitches(summary_table: pd.DataFrame, metric: str = "mmp_nm") -> pd.DataFrame:
    """Nodes (from :func:`chipcourse.nodes.summary`) that have ``metric``: company, node, name, year, pitch."""
    if metric not in ("mmp_nm", "cpp_nm", "fin_pitch_nm"):
        raise ValueError("Compare with a pitch: 'mmp_nm' (metal), 'cpp_nm' (gate) or 'fin_pitch_nm' (fin).")
    known = summary_table.dropna(subset=[metric])
    return pd.DataFrame({
        "company": known["company"].to_numpy(), "node": known["node"].to_numpy(),
        "name": [full_name(c, n) for c, n in zip(known["company"], known["node"])],
        "year": known["year"].to_numpy(), "pitch_nm": known[metric].astype(float).to_numpy(),
    })


# --------------------------------------------------------------------------- input checks

def _check_na(na, immersion: bool | None = None) -> float:
    na = finite_number(na, "numerical aperture (NA)")
    lim = limits()
    if na <= 0:
        raise ValueError(f"The numerical aperture NA = n·sin θ must be positive; got {na:g}.")
    if na > lim.na_max:
        raise ValueError(
            f"NA = {na:g} is impossible: NA = n·sin θ cannot exceed the refractive index n of the "
            f"medium between lens and wafer, and the highest used, water at 193 nm, has n = {lim.na_max:g}.")
    if immersion is False and na > lim.na_max_dry:
        raise ValueError(
            f"NA = {na:g} is impossible without immersion: in air or vacuum n = {lim.na_max_dry:g}, so "
            f"NA = sin θ stays at or below {lim.na_max_dry:g}. Only a water-immersion tool goes higher.")
    return na


def _check_k1(k1) -> float:
    k1 = finite_number(k1, "process factor k1")
    lim = limits()
    if k1 < lim.k1_min:
        raise ValueError(
            f"k1 = {k1:g} is below {lim.k1_min:g}, the limit for a single exposure: one exposure cannot "
            f"print a finer half-pitch. Finer patterns need several exposures (multiple patterning).")
    if k1 > K1_MAX:
        raise ValueError(f"k1 = {k1:g} is outside the range this course uses ({lim.k1_min:g} to {K1_MAX:g}); "
                         f"k1 is a plain number such as 0.3, not a percentage.")
    return k1


# --------------------------------------------------------------------------- formulas

def numerical_aperture(refractive_index: float, half_angle_deg: float) -> float:
    """NA = n · sin θ: the medium's refractive index times the sine of the widest ray's half-angle."""
    n = positive_number(refractive_index, "refractive index")
    angle = finite_number(half_angle_deg, "half-angle")
    if not 0 < angle <= 90:
        raise ValueError(f"The half-angle of the light cone is between 0° and 90°; got {angle:g}°.")
    return n * math.sin(math.radians(angle))


def rayleigh_half_pitch(wavelength_nm: float, na: float, k1: float, *, immersion: bool | None = None) -> float:
    """Smallest half-pitch (critical dimension, nm) one exposure prints: CD = k1 · λ / NA.

    ``immersion=False`` also checks NA against air's refractive index (dry and EUV tools).
    """
    wavelength = positive_number(wavelength_nm, "wavelength", " nm")
    return _check_k1(k1) * wavelength / _check_na(na, immersion)


def min_pitch(wavelength_nm: float, na: float, k1: float, *, immersion: bool | None = None) -> float:
    """Smallest pitch (line plus space, nm) one exposure prints: 2 · k1 · λ / NA."""
    return 2 * rayleigh_half_pitch(wavelength_nm, na, k1, immersion=immersion)


def depth_of_focus(wavelength_nm: float, na: float, k2: float, *, immersion: bool | None = None) -> float:
    """Depth of focus in nm: DOF = k2 · λ / NA². It shrinks with the square of NA."""
    wavelength = positive_number(wavelength_nm, "wavelength", " nm")
    k2 = positive_number(k2, "process factor k2")
    return k2 * wavelength / _check_na(na, immersion) ** 2


def k1_needed(half_pitch_nm: float, wavelength_nm: float, na: float) -> float:
    """The k1 a tool needs to print ``half_pitch_nm`` in one exposure: k1 = half-pitch · NA / λ.

    Not checked against the 0.25 limit: comparing the result with it is the point.
    """
    half_pitch = positive_number(half_pitch_nm, "half-pitch", " nm")
    return half_pitch * _check_na(na) / positive_number(wavelength_nm, "wavelength", " nm")


def exposures_needed(target_pitch_nm: float, min_pitch_nm: float) -> int:
    """Exposures pitch splitting needs to reach ``target_pitch_nm``: ceil(min_pitch / target).

    1 means a single exposure is enough. Each of the ``n`` exposures prints every n-th
    line, at n times the target pitch, which must be at least the tool's minimum pitch.
    """
    target = positive_number(target_pitch_nm, "target pitch", " nm")
    smallest = positive_number(min_pitch_nm, "minimum pitch", " nm")
    return max(1, math.ceil(smallest / target - 1e-9))


def split_lines(target_pitch_nm: float, exposures: int, lines: int = 12) -> pd.DataFrame:
    """Where each line of a pitch-split pattern goes and which exposure (mask) prints it.

    Line ``i`` sits at ``i · target`` nm and belongs to mask ``i mod n + 1``; each mask's
    own pitch is ``n · target``.
    """
    target = positive_number(target_pitch_nm, "target pitch", " nm")
    if isinstance(exposures, bool) or not isinstance(exposures, int) or exposures < 1:
        raise ValueError("The number of exposures is a whole number, 1 or more.")
    if isinstance(lines, bool) or not isinstance(lines, int) or lines < 1:
        raise ValueError("The number of lines to draw is a whole number, 1 or more.")
    index = pd.RangeIndex(lines)
    return pd.DataFrame({
        "line": index + 1,
        "x_nm": index * target,
        "mask": index % exposures + 1,
        "mask_pitch_nm": float(exposures * target),
    })


# --------------------------------------------------------------------------- verdicts

def node_verdicts(pitches: pd.DataFrame, wavelength_nm: float, na: float, k1: float) -> pd.DataFrame:
    """For each node pitch (:func:`node_pitches`): the k1 one exposure would need, and the exposures needed."""
    smallest = min_pitch(wavelength_nm, na, k1)
    out = pitches.copy()
    out["k1_needed"] = [k1_needed(p / 2, wavelength_nm, na) for p in out["pitch_nm"]]
    out["exposures"] = [exposures_needed(p, smallest) for p in out["pitch_nm"]]
    out["single_exposure"] = out["exposures"] == 1
    return out


@dataclass(frozen=True)
class Verdict:
    """What one tool setting means for one node's pitch (see :func:`verdict`)."""

    half_pitch_nm: float
    min_pitch_nm: float
    target_name: str
    target_pitch_nm: float
    k1_needed: float
    k1_min: float
    exposures: int

    @property
    def single_exposure(self) -> bool:
        return self.exposures == 1

    def sentence(self) -> str:
        if self.single_exposure:
            return (f"Yes: {self.target_name} ({self.target_pitch_nm:g} nm) is at least this tool's "
                    f"smallest single-exposure pitch ({self.min_pitch_nm:.1f} nm), so one exposure can print it.")
        if self.k1_needed < self.k1_min:
            why = (f"below the single-exposure limit of {self.k1_min:g}, so no process can do it "
                   f"in one exposure with this wavelength and NA")
        else:
            why = (f"not below the limit of {self.k1_min:g}, so a process with a lower k1 could print it "
                   f"in one exposure")
        return (f"No: {self.target_name} ({self.target_pitch_nm:g} nm) is finer than this tool's smallest "
                f"single-exposure pitch ({self.min_pitch_nm:.1f} nm). One exposure would need "
                f"k1 = {self.k1_needed:.2f}, {why}. At this k1, pitch splitting needs "
                f"{self.exposures} exposures.")


def verdict(wavelength_nm: float, na: float, k1: float, target_pitch_nm: float, target_name: str,
            *, immersion: bool | None = None) -> Verdict:
    """Can a tool (λ, NA, k1) print ``target_pitch_nm`` in one exposure, and if not, in how many?"""
    half = rayleigh_half_pitch(wavelength_nm, na, k1, immersion=immersion)
    target = positive_number(target_pitch_nm, "target pitch", " nm")
    return Verdict(half, 2 * half, target_name, target, k1_needed(target / 2, wavelength_nm, na),
                   limits().k1_min, exposures_needed(target, 2 * half))
