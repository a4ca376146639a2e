"""Answer key for notebooks/02-lithography-euv.ipynb."""

from __future__ import annotations

import math

from ... import checking, data
from .. import Question
from . import litho
from ..nodes import nodes


def _gens():
    return litho.generations(data.load("lithography"))


def _k1_min():
    return litho.fact(data.load("litho_facts"), "k1_min_single_exposure")


def _water():
    return litho.fact(data.load("litho_facts"), "water_index_193nm")


def _n5_metal_pitch():
    return nodes.find(nodes.summary(data.load("nodes")), "TSMC", "N5")["mmp_nm"]


def _arf_half_pitch(answer):
    arf = litho.generation(_gens(), "ArF immersion")
    lam, na, k1 = arf["wavelength_nm"], arf["na"], _k1_min()
    half = litho.rayleigh_half_pitch(lam, na, k1)
    return checking.check_number(
        answer, half, unit="nm", rel_tol=0.02, what="the smallest half-pitch of ArF immersion",
        misconceptions={"resolution-equals-wavelength": lam,
                        "immersion-shortens-wavelength": k1 * (lam / _water()) / na,
                        "pitch-vs-half-pitch": 2 * half},
        success="Far below the wavelength: NA above 1 and a low k1 do that.")


def _immersion_wavelength(answer):
    lam = litho.generation(_gens(), "ArF immersion")["wavelength_nm"]
    return checking.check_number(
        answer, lam, unit="nm", rel_tol=0.01, what="the wavelength in the Rayleigh formula for ArF immersion",
        misconceptions={"immersion-shortens-wavelength": lam / _water()},
        success="The laser is the same as in a dry ArF tool; the water raises the NA instead.")


def _arf_min_pitch():
    arf = litho.generation(_gens(), "ArF immersion")
    return litho.min_pitch(arf["wavelength_nm"], arf["na"], _k1_min())


def _n5_exposures(answer):
    smallest, target = _arf_min_pitch(), _n5_metal_pitch()
    needed = litho.exposures_needed(target, smallest)
    return checking.check_number(
        answer, needed, rel_tol=0, abs_tol=0.001, what="the number of ArF immersion exposures for N5's metal pitch",
        misconceptions={"exposures-round-down": math.floor(smallest / target)},
        success="Each mask then prints lines at that many times N5's metal pitch, which one exposure can do.")


def _n5_single_exposure(answer):
    arf = litho.generation(_gens(), "ArF immersion")
    needed = litho.k1_needed(_n5_metal_pitch() / 2, arf["wavelength_nm"], arf["na"])
    right, wrong = ("yes", "no") if needed >= _k1_min() else ("no", "yes")
    traps = {"yes": "k1-below-quarter-single-exposure"} if right == "no" else {}
    return checking.check_choice(
        answer, right, ["yes", "no"], what="your answer", misconceptions=traps,
        success="The k1 it would need is below the single-exposure limit: that is why N5 needed EUV "
                "or several ArF exposures.")


def _euv_optics(answer):
    return checking.check_choice(
        answer, "mirrors", ["lenses", "mirrors", "none: a 1:1 shadow of the mask"], what="your choice",
        misconceptions={"none: a 1:1 shadow of the mask": "euv-is-xray-lithography"},
        success="Almost every material absorbs EUV light, so the optics are mirrors and the light path is a vacuum.")


def _dof_ratio(answer):
    gens = _gens()
    euv, high = litho.generation(gens, "EUV"), litho.generation(gens, "High-NA EUV")
    ratio = (litho.depth_of_focus(high["wavelength_nm"], high["na"], 1.0)
             / litho.depth_of_focus(euv["wavelength_nm"], euv["na"], 1.0))
    return checking.check_number(
        answer, ratio, rel_tol=0.02, what="High-NA's depth of focus divided by EUV's",
        success="Depth of focus falls with the square of NA: High-NA's sharper image is also a thinner one.",
        hint="k2 and λ are the same for both, so they cancel: only NA² is left.")


QUESTIONS = [
    Question("litho_arf_immersion_half_pitch",
             "The smallest half-pitch ArF immersion prints in one exposure (k1 at its limit), in nm?",
             _arf_half_pitch,
             'arf = litho.generation(gens, "ArF immersion")\n'
             'k1_limit = litho.fact(facts, "k1_min_single_exposure")\n'
             'arf_half_pitch_nm = litho.rayleigh_half_pitch(arf["wavelength_nm"], arf["na"], k1_limit)'),
    Question("litho_immersion_wavelength",
             "Which wavelength goes into the Rayleigh formula for an ArF immersion scanner, in nm?",
             _immersion_wavelength,
             'immersion_wavelength_nm = litho.generation(gens, "ArF immersion")["wavelength_nm"]'),
    Question("litho_n5_exposures_arf",
             "How many ArF immersion exposures does pitch splitting need for TSMC N5's minimum metal pitch?",
             _n5_exposures,
             'arf = litho.generation(gens, "ArF immersion")\n'
             'arf_min_pitch_nm = litho.min_pitch(arf["wavelength_nm"], arf["na"], litho.fact(facts, "k1_min_single_exposure"))\n'
             'n5_exposures_arf = litho.exposures_needed(nodes.find(summary, "TSMC", "N5")["mmp_nm"], arf_min_pitch_nm)'),
    Question("litho_n5_single_exposure_arf",
             "Can an ArF immersion scanner print TSMC N5's minimum metal pitch in one exposure?",
             _n5_single_exposure, 'arf_single_exposure = "no"'),
    Question("litho_euv_optics", "What forms the image in an EUV scanner?", _euv_optics,
             'euv_optics = "mirrors"'),
    Question("litho_high_na_dof_ratio",
             "High-NA EUV's depth of focus divided by 0.33-NA EUV's, at the same k2?", _dof_ratio,
             'euv, high = litho.generation(gens, "EUV"), litho.generation(gens, "High-NA EUV")\n'
             'dof_ratio = (euv["na"] / high["na"]) ** 2'),
]
