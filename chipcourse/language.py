"""Which language the course speaks: English (the default) or Japanese.

The language of a notebook is set by the notebook itself: the Japanese edition's setup line
is ``from chipcourse.ja import data, charts, widgets, checks``, which calls :func:`use`.
Elsewhere (a terminal command, a notebook that asks nothing) the language is, in order:

1. what :func:`use` chose in this process;
2. the environment variable ``CHIPCOURSE_LANG`` (``make lab LANG=ja`` sets it);
3. the learner's remembered choice (``make lab LANG=ja`` writes it, :func:`remember`), in
   ``$XDG_CONFIG_HOME/chipcourse/language`` (``~/.config/chipcourse/language``);
4. English.

A graded kernel has neither the environment nor the home folder of the grader, so what
grading says follows the notebook's own setup line, whoever grades it.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["LANGUAGES", "DEFAULT", "ENV", "LanguageError", "current", "use", "remember", "remembered",
           "settings_file"]

#: the course's languages: code -> its name, written in that language
LANGUAGES = {"en": "English", "ja": "日本語"}
DEFAULT = "en"
ENV = "CHIPCOURSE_LANG"

_chosen: str | None = None


class LanguageError(ValueError):
    """A language the course does not have."""


def _checked(language) -> str:
    code = str(language).strip().lower().replace("_", "-").split("-")[0] if language is not None else ""
    if code not in LANGUAGES:
        known = ", ".join(f"{k} ({v})" for k, v in LANGUAGES.items())
        raise LanguageError(f"The course has no language {language!r}; it has {known}.")
    return code


def settings_file() -> Path:
    """Where the learner's choice is remembered."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "chipcourse" / "language"


def remembered() -> str | None:
    """The learner's remembered language, or None (no choice, or one this course lacks)."""
    try:
        return _checked(settings_file().read_text(encoding="utf-8"))
    except (OSError, LanguageError):
        return None


def remember(language: str) -> str:
    """Remember ``language`` for this learner (and use it in this process)."""
    code = use(language)
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(code + "\n", encoding="utf-8")
    return code


def use(language: str) -> str:
    """Speak ``language`` (``"en"`` or ``"ja"``) in this process from now on."""
    global _chosen
    _chosen = _checked(language)
    return _chosen


def current() -> str:
    """The language in use (see the module's docstring for the order)."""
    if _chosen is not None:
        return _chosen
    from_env = os.environ.get(ENV)
    if from_env:
        try:
            return _checked(from_env)
        except LanguageError:
            pass
    return remembered() or DEFAULT
