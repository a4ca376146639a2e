"""Every sentence a learner or teacher reads from the package, in each of the course's languages.

The sentences live in reviewed tables, one file per kind of text in ``chipcourse/locale/``
(``checks.toml``, ``widgets.toml``, ``charts.toml``, ``classroom.toml``, ...), one key per
sentence with the sentence in every language side by side::

    [you-gave]
    en = "You gave {value}{for_what}; that is too large."
    ja = "{for_what}あなたの答えは {value} です。大きすぎます。"

:func:`t` gives the sentence of key ``"<file>.<key>"`` in the language in use
(:mod:`chipcourse.language`), filled with its fields. ``tests/test_i18n.py`` fails when a key
lacks a language or the languages' placeholders differ.

Exercise sources hold English phrases in their test code (``what="the EUV wavelength in
µm"``): the test cells must be the same in both editions, because nbgrader restores them
from one source. :func:`phrase` turns such a phrase into the language in use, from
``chipcourse/locale/phrases.toml`` (a list of ``en``/``ja`` pairs); a phrase with no entry is
kept as written.
"""

from __future__ import annotations

import functools
import string
import tomllib
from pathlib import Path

from . import language

__all__ = ["LOCALE", "MessageError", "t", "phrase", "catalogue", "phrases", "fields_of"]

LOCALE = Path(__file__).resolve().parent / "locale"
_PHRASES = "phrases"


class MessageError(LookupError):
    """A message key that no catalogue file defines (a bug in the course, named with its file)."""


@functools.lru_cache(maxsize=None)
def catalogue() -> dict[str, dict[str, str]]:
    """Every keyed sentence: ``"<file>.<key>"`` -> {language: sentence}."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALE.glob("*.toml")):
        if path.stem == _PHRASES:
            continue
        with open(path, "rb") as handle:
            for key, texts in tomllib.load(handle).items():
                found[f"{path.stem}.{key}"] = dict(texts)
    return found


@functools.lru_cache(maxsize=None)
def phrases() -> dict[str, dict[str, str]]:
    """English phrase -> {language: phrase}, from ``phrases.toml``."""
    path = LOCALE / f"{_PHRASES}.toml"
    if not path.exists():
        return {}
    with open(path, "rb") as handle:
        return {entry["en"]: dict(entry) for entry in tomllib.load(handle).get("phrase", [])}


def fields_of(text: str) -> set[str]:
    """The placeholders of a sentence (``{value}`` -> ``"value"``)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def t(key: str, **fields) -> str:
    """The sentence ``key`` (``"checks.you-gave"``) in the language in use, filled in."""
    try:
        texts = catalogue()[key]
    except KeyError:
        kind = key.partition(".")[0]
        raise MessageError(f"No sentence has the key {key!r}: add it to chipcourse/locale/{kind}.toml "
                           f"with its text in every language.") from None
    text = texts.get(language.current()) or texts[language.DEFAULT]
    return text.format(**fields) if fields else text.replace("{{", "{").replace("}}", "}")


def phrase(text: str) -> str:
    """An English phrase from an exercise's test code, in the language in use."""
    lang = language.current()
    if lang == language.DEFAULT or not isinstance(text, str):
        return text
    return phrases().get(text, {}).get(lang, text)
