"""Misconceptions: Lesson 02, Printing with light."""

from . import Misconception

ENTRIES = [
    Misconception(
        "immersion-shortens-wavelength", "litho",
        "You took immersion to shorten the light's wavelength in the tool",
        "An ArF immersion scanner's laser emits the same wavelength as a dry ArF scanner's, and the "
        "Rayleigh formula uses that wavelength. What the water changes is the numerical aperture: NA = n·sin θ with n the water's "
        "refractive index, so NA can rise above 1. Dividing λ by n as well counts the water twice.",
    ),
    Misconception(
        "resolution-equals-wavelength", "litho",
        "You took the smallest printable feature to be the wavelength",
        "The smallest half-pitch is k1·λ/NA, not λ: a high NA and a low k1 print features well below "
        "the wavelength: ArF immersion prints lines far narrower than its own wavelength.",
    ),
    Misconception(
        "euv-is-xray-lithography", "litho",
        "You took EUV for X-ray lithography",
        "EUV scanners make extreme-ultraviolet light in a tin plasma and project a reduced image of a reflective mask "
        "with curved mirrors, in a vacuum. X-ray lithography was a different technique: a 1:1 shadow of "
        "a mask held close to the wafer, with no imaging optics.",
    ),
    Misconception(
        "k1-below-quarter-single-exposure", "litho",
        "You assumed one exposure can reach k1 below 0.25",
        "k1 = 0.25 is the theoretical limit of a single exposure (see litho_facts). A pattern that needs a "
        "smaller k1 cannot be printed in one exposure with that wavelength and NA: it needs multiple "
        "patterning or a tool with a shorter wavelength or a higher NA.",
    ),
    Misconception(
        "pitch-vs-half-pitch", "litho",
        "You mixed up the pitch and the half-pitch",
        "The Rayleigh formula k1·λ/NA gives the half-pitch (one line, or one space). The pitch, a line plus "
        "a space, is twice that. Check which one the question asks for.",
    ),
    Misconception(
        "exposures-round-down", "litho",
        "You rounded the number of exposures down",
        "Exposures come in whole numbers and each one must be printable: with n exposures each mask's "
        "pitch is n times the target, which must reach the tool's minimum pitch. Round min_pitch ÷ target "
        "up (math.ceil), never down.",
    ),
]
