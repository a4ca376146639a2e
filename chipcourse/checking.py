"""The checks core: check a learner's answer and say, in a sentence, what is right or wrong.

Every check in a lesson and every test in an exercise goes through these functions
(notebooks reach them as ``checks.check_number`` and so on, see :mod:`chipcourse.checks`):

* :func:`check_number` – a number, with a tolerance and, if it has one, a unit
  (``13.5``, ``"13.5 nm"``, ``"0.0135 µm"`` and a pint quantity are the same answer);
* :func:`check_choice` – one option out of several;
* :func:`check_text` – a short word or phrase;
* :func:`check_items` – a list, in order or as a set;
* :func:`check_table` – a pandas DataFrame or Series;
* a lesson's "Check yourself" question is checked by its answer key
  (``chipcourse/lessons/<topic>/answer_key.py``, never in the lesson) with these same
  functions; :func:`chipcourse.checks.check` finds it by its id.

A correct answer prints a line starting with ✓. A wrong one raises
:class:`CheckFailed`, an ``AssertionError``, so nbgrader scores it 0; its message says
what is wrong and, when the answer matches a known mistake, names it from
:mod:`chipcourse.misconceptions`. An answer that is missing, empty, NaN or of the wrong
kind gets a sentence too, never a traceback from course code: no check raises anything
but CheckFailed (an answer that trips a check up becomes a sentence too), and
:func:`check` raises it afresh, so its traceback never shows the answer key's code.
A wrong number is reported as the learner's ("You gave 13.5 nm; that is too large"),
never as a sentence about the world.

Answers are first converted to plain Python values (``float``, ``str``, ...) and only
then compared, so an object whose ``__eq__`` always says True gains nothing. In
grading, :mod:`chipcourse.grading` re-runs each test outside the learner's kernel, so
monkeypatching this module does not change a score either.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import math
import numbers
import re
from typing import Any, Callable, Iterable, Mapping

from . import misconceptions as _mc
from .answers import Unsupported
from .i18n import t
from .units import UnitError, kind_of_unit, to_magnitude

__all__ = [
    "CheckFailed",
    "Unanswered",
    "fail",
    "could_not_check",
    "misconceptions_named_by",
    "check_number",
    "check_choice",
    "check_text",
    "check_items",
    "check_table",
    "check_is_number",
    "check_is_text",
    "check_is_table",
]


class CheckFailed(AssertionError):
    """A wrong, missing or unreadable answer. ``misconception`` holds the key it matched."""

    def __init__(self, message: str, misconception: str | None = None):
        super().__init__(message)
        self.misconception = misconception


class Unanswered(CheckFailed):
    """The answer cell still holds ``...`` (or nothing): the learner has not answered."""


# --------------------------------------------------------------------------- display

def _friendly_handler(shell, etype, value, tb, tb_offset=None):
    """Show a failed check as one line instead of a Python traceback.

    The line is not coloured: JupyterLab's red text on its pink error background is 2.7:1,
    below WCAG's 4.5:1; the background and the ✗ already mark it as an error.
    """
    stb = [f"✗ {value}"]
    shell._showtraceback(etype, value, stb)
    return stb


def _install_friendly_errors() -> None:
    """In IPython, show CheckFailed as a one-line message (done on first failure)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "custom_exceptions", ()) not in ((), (CheckFailed,)):
        return
    if shell.custom_exceptions != (CheckFailed,):
        shell.set_custom_exc((CheckFailed,), _friendly_handler)


def _fail(message: str, misconception: str | None = None, cls=CheckFailed):
    _install_friendly_errors()
    raise cls(message, misconception)


def fail(message: str) -> None:
    """Raise :class:`CheckFailed` with ``message``, shown to the learner as one line."""
    _fail(message)


def _wrong_because(key: str, prefix: str = "Not quite.") -> None:
    m = _mc.get(key)
    _fail(f"{prefix} {m.feedback()}", key)


class Passed(str):
    """The success message a check returns. It is printed already, so as a cell's last
    value it displays nothing more."""

    def _ipython_display_(self) -> None:
        pass


def _ok(message: str | None, head: str = "✓ Correct.") -> str:
    text = head + (f" {message}" if message else "")
    print(text)
    return Passed(text)


# --------------------------------------------------------------------------- what a check knows

_LISTED: contextvars.ContextVar[list | None] = contextvars.ContextVar("chipcourse_listed", default=None)


class _Listed(BaseException):
    """Stops a check that was only asked which misconceptions it names (a BaseException, so
    the checkers' own guard, which turns errors into sentences, lets it through)."""


def _listing(keys: Iterable[str]) -> None:
    listed = _LISTED.get()
    if listed is not None:
        listed.extend(keys)
        raise _Listed


def misconceptions_named_by(check: Callable[[Any], Any]) -> list[str]:
    """The misconception keys ``check`` (a lesson question's check) passes to its checker.

    The check is called, but its checker only records the keys it was given and stops
    before looking at any answer: no source code is read, and nothing is printed. (The
    general slips of every numeric check are not listed: they are never named.)
    """
    listed: list[str] = []
    token = _LISTED.set(listed)
    try:
        with contextlib.suppress(_Listed):
            check(...)
    finally:
        _LISTED.reset(token)
    return list(dict.fromkeys(listed))


# --------------------------------------------------------------------------- reading answers



def _reject_missing(answer: Any, what: str) -> None:
    if answer is Ellipsis or answer is None:
        _fail(t("checks.unanswered") if answer is Ellipsis else
              f"{_cap(what)} is None: give a value (did a function forget to `return`?).",
              cls=Unanswered)
    if isinstance(answer, str) and not answer.strip():
        _fail(f"{_cap(what)} is empty: type your answer between the quotes.", cls=Unanswered)


def _plain_number(answer: Any, what: str = "your answer") -> float | None:
    """``answer`` as a built-in float if it is a real number of a known type, else None.

    Subclasses are reduced to the base value, so overriding ``__eq__`` or ``__float__``
    on an answer changes nothing. A whole number too large for a float (``10**400``)
    gets a sentence.
    """
    if isinstance(answer, bool):
        return None
    try:
        if isinstance(answer, float):
            return float.__float__(answer)
        if isinstance(answer, int):
            return float(int.__int__(answer))
        module = type(answer).__module__.split(".")[0]
        if module == "numpy" and isinstance(answer, numbers.Real):
            return float(answer.item())
        if module == "decimal" or module == "fractions":
            return float(answer)
    except OverflowError:
        _fail(f"{_cap(what)} is a number about {_order_of(answer)} digits long, far too large to "
              f"be the answer: check the calculation that produced it.")
    return None


def _order_of(number: Any) -> str:
    """How many digits a huge number has, in words for a sentence ("401")."""
    try:
        return str(len(str(abs(int(number)))))
    except (OverflowError, ValueError, TypeError):
        return "many"


def _describe(answer: Any) -> str:
    """The answer for a feedback sentence: its value, cut short, and its type."""
    if isinstance(answer, Unsupported):   # a replayed answer that was not plain data
        return str(answer).strip("<>")
    kind = type(answer).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    try:
        text = _short(repr(answer))
    except Exception:  # an object whose repr fails is still described by its type
        return f"{article} {kind}"
    return f"{text} ({article} {kind})"


def _short(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters for a sentence (a pasted essay is not
    echoed back)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _quote(text: str) -> str:
    """``text`` in quotes, cut short, for a feedback sentence."""
    return _short(repr(str.__str__(text)))


#: a number typed as text is at most this long ("-1.2345e-10 µm²" is 15): longer text is not
#: parsed at all, so a pasted page is refused at once instead of keeping pint busy for seconds
MAX_NUMBER_TEXT = 100


def _decimal_comma(text: str, what: str) -> str:
    """``text`` with an unambiguous decimal comma read as a point (``"13,5"`` → ``"13.5"``).

    One comma between digits, no point, and not exactly three digits after it: only a
    decimal comma reads that way. ``"1,000"`` (a thousand, or one with three decimals?)
    and every other comma are refused with a sentence, never guessed.
    """
    if "," not in text:
        return text
    single = re.fullmatch(r"(\s*[-+]?\d+),(\d+)(\s*[^\d\s,.][^,]*)?\s*", text)
    if single and "." not in text and len(single.group(2)) != 3:
        return f"{single.group(1)}.{single.group(2)}{single.group(3) or ''}"
    if single and "." not in text:
        whole, part = single.group(1).strip(), single.group(2)
        _fail(f"You gave {_quote(text)}{_for(what)}: with a comma and three digits after "
              f"it, that could be {whole}{part} or {whole}.{part}. Write it with a decimal point and "
              f"no thousands separator, e.g. {whole}{part} or {whole}.{part}.")
    if re.fullmatch(r"\s*[-+]?\d{1,3}(,\d{3})+(\.\d+)?\s*\S*\s*", text):
        _fail(f"You gave {_quote(text)}{_for(what)}, with a comma in it: write numbers without "
              f"thousands separators, e.g. 1000 rather than 1,000.")
    _fail(f"You gave {_quote(text)}{_for(what)}, with a comma in it: write one number, with "
          f"a decimal point rather than a comma (13.5, not 13,5) and no thousands separators.")
    raise AssertionError  # pragma: no cover


def _as_number(answer: Any, unit: str | None, what: str) -> float:
    """Read a numeric answer given as a number, text such as "13.5 nm", or a quantity."""
    _reject_missing(answer, what)
    value = _plain_number(answer, what)
    if value is None:
        value = _real_part(answer)
    if value is not None:
        return value
    if isinstance(answer, numbers.Complex) and not isinstance(answer, bool):
        _fail(f"{_cap(what)} is the complex number {_short(repr(answer))}, but this question wants a "
              f"real number. Amplitudes can be complex; probabilities and measured values cannot.")
    if isinstance(answer, bool):
        _fail(f"{_cap(what)} is {answer}, but this question wants a number.")
    module = type(answer).__module__.split(".")[0]
    if module == "pandas" and hasattr(answer, "shape"):
        size = int(answer.size) if hasattr(answer, "size") else 0
        kind = type(answer).__name__
        if size == 1:
            _fail(f"{_cap(what)} is a pandas {kind} holding one value, not a number: "
                  f"take the number out with `.item()` (or `.iloc[0]`).")
        _fail(f"{_cap(what)} is a pandas {kind} with {size} values, but this question "
              f"wants a single number. Filter to one row, or pick one value.")
    if module == "numpy" and hasattr(answer, "shape"):
        if getattr(answer, "size", 0) == 1:
            _fail(f"{_cap(what)} is a NumPy array holding one value: take it out with `.item()`.")
        _fail(f"{_cap(what)} is a NumPy array of shape {answer.shape}, but a single number is wanted.")
    if isinstance(answer, str) or (hasattr(answer, "magnitude") and hasattr(answer, "units")):
        text = str.__str__(answer) if isinstance(answer, str) else answer
        if isinstance(text, str):
            if len(text) > MAX_NUMBER_TEXT:
                _fail(f"{_cap(what)} is text {len(text):,} characters long, but this question wants "
                      f"one number{' with its unit, such as 13.5 ' + unit if unit else ', such as 13.5'}.")
            text = _decimal_comma(text, what)
        try:
            return to_magnitude(text, unit)
        except UnitError as exc:
            _fail(f"{_cap(what)}: {exc}")
        except (OverflowError, ValueError, ArithmeticError):
            _fail(f"{_cap(what)} {_quote(str(text))} is not a number this check can read: "
                  f"give one number{', such as 13.5 ' + unit if unit else ', such as 13.5'}.")
    if isinstance(answer, (list, tuple, set, dict)):
        _fail(f"{_cap(what)} is a {type(answer).__name__} of {len(answer)} items, "
              f"but this question wants a single number.")
    _fail(f"{_cap(what)} should be a number, but it is {_describe(answer)}.")
    raise AssertionError  # pragma: no cover  (for type checkers: _fail always raises)


#: kinds of quantity (:func:`chipcourse.units.kind_of_unit`) that no answer can give as negative
_NEVER_NEGATIVE = ("a length", "an area")


def _close(a: float, b: float, rel_tol: float, abs_tol: float) -> bool:
    return abs(a - b) <= max(rel_tol * abs(b), abs_tol)


def _yours(what: str) -> str:
    """``what`` as the learner's answer, not as a fact: "the gate length of X" becomes "your
    answer for the gate length of X"; "your list" and a variable name ("nm_per_mm") stay."""
    what = str(what)
    if what.isidentifier() or what.lower().startswith(("your ", "you ")):
        return what
    return f"your answer for {what}"


def _for(what: str) -> str:
    """" for <what>" after "You gave 13.5 nm", or nothing when ``what`` is just "your answer"."""
    what = str(what)
    return "" if what.lower().startswith(("your ", "you ")) else f" for {what}"


def _cap(text: str) -> str:
    """Start a sentence with the learner's ``text`` (see :func:`_yours`): a phrase is
    capitalised, a variable name is left as the learner typed it."""
    text = _yours(text)
    return text if text.isidentifier() else text[:1].upper() + text[1:]


def _fmt(x: float) -> str:
    """``x`` to four significant figures, written out (12340, 0.0135) between 0.0001 and 10¹⁵;
    "1.234e+04" is how Python writes it, not how a learner typed it."""
    if x == 0 or not 1e-4 <= abs(x) < 1e15:
        return f"{x:.4g}"
    decimals = max(0, 3 - math.floor(math.log10(abs(x))))
    text = f"{round(x, decimals):.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --------------------------------------------------------------------------- checks

def could_not_check(answer: Any, what: str, exc: BaseException) -> CheckFailed:
    """The one sentence for an answer that made a check itself fail (never a traceback), as a
    :class:`CheckFailed` to raise."""
    _install_friendly_errors()
    return CheckFailed(
        f"{_cap(what)} could not be checked: it is {_describe(answer)}, and the check stopped on it "
        f"({type(exc).__name__}). Give the kind of value the question asks for (a number, text in "
        f"quotes, a list or a table); if it is one, tell your teacher the check failed on it.")


def _sentence_only(check_fn):
    """Make ``check_fn`` raise nothing but :class:`CheckFailed`: any other exception an answer
    provokes becomes a CheckFailed sentence, raised without the frames that led to it."""

    @functools.wraps(check_fn)
    def checked(answer, *args, **kwargs):
        try:
            return check_fn(answer, *args, **kwargs)
        except CheckFailed:
            raise
        except Exception as exc:  # the learner sees a sentence, never the check's code
            failure = could_not_check(answer, kwargs.get("what", "your answer"), exc)
        raise failure

    return checked


@_sentence_only
def check_number(
    answer: Any,
    expected: float,
    *,
    unit: str | None = None,
    rel_tol: float = 0.01,
    abs_tol: float = 0.0,
    what: str = "your answer",
    misconceptions: Mapping[str, float] | None = None,
    success: str | None = None,
    hint: str | None = None,
    reveal: bool = False,
) -> str:
    """Check a numeric answer against ``expected`` (given in ``unit``; None: a plain number).

    ``misconceptions`` maps catalogue keys to the value a learner who makes that mistake
    would get; a matching wrong answer is told which mistake it looks like. Common slips
    (a factor of 1000 or 100, an inverted ratio, a flipped sign) are recognised as well.
    ``reveal`` puts the expected value in the failure message (for lessons, never for
    hidden tests).
    """
    _listing(misconceptions or {})
    value = _as_number(answer, unit, what)
    expected = float(expected)
    unit_text = f" {unit}" if unit else ""
    if math.isnan(value):
        _fail(f"{_cap(what)} is NaN (not a number). Something in the calculation "
              f"produced a missing value: a blank cell in the table, or 0/0.")
    if math.isinf(value):
        _fail(f"{_cap(what)} is infinite. Did you divide by zero?")
    if _close(value, expected, rel_tol, abs_tol):
        return _ok(success)

    gave = f"You gave {_fmt(value)}{unit_text}{_for(what)}"
    kind = kind_of_unit(unit) if unit else None
    if value < 0 <= expected and kind in _NEVER_NEGATIVE:
        # "-13.5 nm": say why it cannot be right, and still name the sign slip if it is one
        reason = f"{gave}, but {kind} cannot be negative."
        if _close(-value, expected, rel_tol, abs_tol):
            _wrong_because("sign-flipped", prefix=reason)
        _fail(reason + " Check the order of a subtraction, or a minus sign typed by mistake.")

    for key, wrong in (misconceptions or {}).items():
        if _close(value, float(wrong), rel_tol, abs_tol):
            _wrong_because(key)
    if expected != 0:
        ratio = value / expected
        if unit and any(_close(ratio, f, rel_tol, 0) for f in (1000.0, 0.001)):
            _wrong_because("unit-factor-1000")
        if any(_close(ratio, f, rel_tol, 0) for f in (100.0, 0.01)):
            _wrong_because("percent-vs-fraction")
        if abs(expected) != 1 and value != 0 and _close(1.0 / value, expected, rel_tol, 0):
            _wrong_because("ratio-inverted")
        if _close(-value, expected, rel_tol, abs_tol):
            _wrong_because("sign-flipped")

    message = gave
    if reveal:
        message += f" (the expected value is {_fmt(expected)}{unit_text})"
    if expected != 0 and abs(value / expected) > 1e6 or (expected != 0 and value != 0 and abs(expected / value) > 1e6):
        message += "; that is more than a million times off: check the units and the formula"
    else:
        message += "; that is " + ("too large" if value > expected else "too small")
        if rel_tol:
            message += f" (answers within {rel_tol:.0%} are accepted)"
    message += "."
    if hint:
        message += f" Hint: {hint}"
    _fail(message)
    raise AssertionError  # pragma: no cover


def _normalise_text(text: str) -> str:
    text = str.__str__(text).casefold().strip()
    text = re.sub(r"[\s_\-]+", " ", text)
    return re.sub(r"[^\w\s.%+]", "", text).strip()


def _as_text(answer: Any, what: str) -> str:
    _reject_missing(answer, what)
    if isinstance(answer, str):
        return str.__str__(answer)
    number = _plain_number(answer, what)
    if number is not None:
        return repr(number)
    _fail(f"{_cap(what)} should be text in quotes, such as 'TSMC', but it is {_describe(answer)}.")
    raise AssertionError  # pragma: no cover


@_sentence_only
def check_choice(
    answer: Any,
    expected: str | Iterable[str],
    options: Iterable[str],
    *,
    what: str = "your choice",
    misconceptions: Mapping[str, str] | None = None,
    success: str | None = None,
) -> str:
    """Check that ``answer`` is the right option (case and spacing do not matter).

    ``expected`` is one option or several acceptable ones; ``misconceptions`` maps an
    option to the catalogue key of the mistake that leads to it.
    """
    _listing((misconceptions or {}).values())
    options = list(options)
    text = _as_text(answer, what)
    by_norm = {_normalise_text(o): o for o in options}
    # Accept "b" or "B" for the second option when options are listed as letters too.
    chosen = by_norm.get(_normalise_text(text))
    if chosen is None:
        listed = ", ".join(repr(o) for o in options)
        _fail(f"You chose {_quote(text)}, which is not one of the options. Choose one of: {listed}.")
    accepted = {expected} if isinstance(expected, str) else set(expected)
    if chosen in accepted:
        return _ok(success)
    for option, key in (misconceptions or {}).items():
        if _normalise_text(option) == _normalise_text(chosen):
            _wrong_because(key)
    _fail(f"Not quite: you chose {chosen!r}, which is not the best answer. Read the options again.")
    raise AssertionError  # pragma: no cover


@_sentence_only
def check_text(
    answer: Any,
    accepted: str | Iterable[str],
    *,
    what: str = "your answer",
    misconceptions: Mapping[str, str] | None = None,
    success: str | None = None,
    hint: str | None = None,
) -> str:
    """Check a short text answer against one or more accepted spellings.

    Case, spaces, hyphens and punctuation are ignored; ``misconceptions`` maps a wrong
    spelling to the catalogue key of the mistake it shows.
    """
    _listing((misconceptions or {}).values())
    text = _as_text(answer, what)
    accepted = [accepted] if isinstance(accepted, str) else list(accepted)
    norm = _normalise_text(text)
    if norm in {_normalise_text(a) for a in accepted}:
        return _ok(success)
    for wrong, key in (misconceptions or {}).items():
        if _normalise_text(wrong) == norm:
            _wrong_because(key)
    _fail(f"Not quite: you gave {_quote(text)}, which is not what we were looking for."
          + (f" Hint: {hint}" if hint else ""))
    raise AssertionError  # pragma: no cover


def _real_part(value: Any) -> float | None:
    """A complex number with no imaginary part (an amplitude such as 0.8+0j) as its real part."""
    if isinstance(value, complex) or (type(value).__module__.split(".")[0] == "numpy"
                                      and isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real)):
        value = complex(value)
        if value.imag == 0 or abs(value.imag) <= 1e-12 * max(1.0, abs(value.real)):
            return float(value.real)
    return None


def _plain_item(item: Any, what: str) -> Any:
    number = _plain_number(item, what)
    if number is None:
        number = _real_part(item)
    if number is not None:
        return number
    if isinstance(item, str):
        return str.__str__(item)
    _fail(f"{_cap(what)} holds {_describe(item)}; only numbers and text can be checked.")


@_sentence_only
def check_items(
    answer: Any,
    expected: Iterable[Any],
    *,
    ordered: bool = True,
    rel_tol: float = 1e-6,
    what: str = "your list",
    misconceptions: Mapping[str, Iterable[Any]] | None = None,
    success: str | None = None,
) -> str:
    """Check a list of numbers or strings; ``ordered=False`` compares them as a set.

    ``misconceptions`` maps catalogue keys to the list a learner who makes that mistake
    would give (e.g. the amplitudes where the probabilities are asked).
    """
    _listing(misconceptions or {})
    _reject_missing(answer, what)
    if isinstance(answer, str) or not isinstance(answer, (list, tuple, set, frozenset)):
        is_array = type(answer).__module__.split(".")[0] in ("pandas", "numpy") and hasattr(answer, "tolist")
        if is_array and getattr(answer, "ndim", 1) == 1:
            answer = list(answer.tolist())
        elif _plain_number(answer, what) is not None or (is_array and getattr(answer, "size", 0) == 1):
            one = answer.item() if hasattr(answer, "item") else answer
            _fail(f"You gave one number, {_fmt(float(one))},{_for(what)}, but this question "
                  f"wants a list of {len(list(expected))}, such as [0.1, 0.2, ...]: put them in square "
                  f"brackets (a list), or keep the whole result instead of one item of it.")
        elif isinstance(answer, str):
            _fail(f"You gave the text {_quote(answer)}{_for(what)}, but this question wants a "
                  f"list, such as [1, 2, 3].")
        else:
            _fail(f"{_cap(what)} should be a list such as [1, 2, 3], but it is {_describe(answer)}.")
    if len(answer) > 10_000:
        _fail(f"{_cap(what)} has {len(answer):,} items; this question wants {len(list(expected))}.")
    got = [_plain_item(x, what) for x in answer]
    want = [_plain_item(x, "the expected list") for x in expected]

    def same(a, b):
        if isinstance(a, float) and isinstance(b, float):
            return _close(a, b, rel_tol, 1e-12)
        return isinstance(a, str) and isinstance(b, str) and _normalise_text(a) == _normalise_text(b)

    def matches(wrong) -> bool:
        wrong = [_plain_item(x, "a listed mistake") for x in wrong]
        if len(wrong) != len(got):
            return False
        if ordered:
            return all(same(a, b) for a, b in zip(got, wrong))
        left = list(wrong)
        for a in got:
            hit = next((i for i, b in enumerate(left) if same(a, b)), None)
            if hit is None:
                return False
            left.pop(hit)
        return True

    right = (all(same(a, b) for a, b in zip(got, want)) if ordered else matches(want)) and len(got) == len(want)
    if not right:
        for key, wrong in (misconceptions or {}).items():
            if matches(wrong):
                _wrong_because(key)
    if len(got) != len(want):
        _fail(f"Not quite: {_yours(what)} has {len(got)} items; it should have {len(want)}.")

    if ordered:
        for i, (a, b) in enumerate(zip(got, want)):
            if not same(a, b):
                if not any(same(a, w) for w in want):
                    _fail(f"Not quite: item {i + 1} of {_yours(what)} ({_short(repr(a))}) should not be in the list.")
                _fail(f"Not quite: the items are right but item {i + 1} ({_short(repr(a))}) is out of order."
                      if all(any(same(g, w) for w in want) for g in got) else
                      f"Not quite: item {i + 1} of {_yours(what)} is {_short(repr(a))}.")
        return _ok(success)
    remaining = list(want)
    for a in got:
        match = next((i for i, b in enumerate(remaining) if same(a, b)), None)
        if match is None:
            _fail(f"Not quite: {_short(repr(a))} should not be in {_yours(what)}.")
        remaining.pop(match)
    return _ok(success)


@_sentence_only
def check_table(
    answer: Any,
    expected: Any,
    *,
    sort_by: str | list[str] | None = None,
    rel_tol: float = 1e-6,
    check_index: bool = False,
    what: str = "your table",
    success: str | None = None,
) -> str:
    """Check a pandas DataFrame or Series against ``expected``, cell by cell.

    Numbers are compared with ``rel_tol``; text exactly (after trimming). ``sort_by``
    sorts both tables first, so row order does not matter. The feedback names the first
    difference: columns, number of rows, or the first cell that differs.
    """
    _listing(())
    import pandas as pd

    _reject_missing(answer, what)
    if type(answer) not in (pd.DataFrame, pd.Series):
        _fail(f"{_cap(what)} should be a pandas DataFrame or Series, but it is {_describe(answer)}.")
    if type(answer) is not type(expected):
        if isinstance(expected, pd.DataFrame) and isinstance(answer, pd.Series):
            _fail(f"{_cap(what)} is a Series (one column); a DataFrame with columns "
                  f"{list(expected.columns)} is wanted. Select columns with a list: df[[...]].")
        _fail(f"{_cap(what)} is a DataFrame; a Series (one column) is wanted. "
              f"Select the column with a single name: df['column'].")
    got = answer.to_frame() if isinstance(answer, pd.Series) else answer
    want = expected.to_frame() if isinstance(expected, pd.Series) else expected
    got_cols, want_cols = [str(c) for c in got.columns], [str(c) for c in want.columns]
    if isinstance(expected, pd.DataFrame) and got_cols != want_cols:
        if sorted(got_cols) == sorted(want_cols):
            got = got[list(want.columns)]
        else:
            _fail(f"Not quite: {_yours(what)} has columns {got_cols}; expected {want_cols}.")
    if len(got) != len(want):
        _fail(f"Not quite: {_yours(what)} has {len(got)} rows; expected {len(want)}. Check your filter.")
    if sort_by is not None:
        got = got.sort_values(sort_by, kind="stable")
        want = want.sort_values(sort_by, kind="stable")
    if check_index and [str(i) for i in got.index] != [str(i) for i in want.index]:
        _fail(f"Not quite: the row labels (index) of {_yours(what)} differ from what is expected.")
    for col_pos, col in enumerate(want.columns):
        got_vals = got.iloc[:, col_pos].tolist()
        want_vals = want.iloc[:, col_pos].tolist()
        for row, (a, b) in enumerate(zip(got_vals, want_vals)):
            if not _same_cell(a, b, rel_tol):
                _fail(f"Not quite: in row {row + 1}, column {str(col)!r}, {_yours(what)} has "
                      f"{_short(repr(a))}; expected {_short(repr(b))}.")
    return _ok(success)


def _is_missing(x: Any) -> bool:
    try:
        import pandas as pd

        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _same_cell(a: Any, b: Any, rel_tol: float) -> bool:
    if _is_missing(a) or _is_missing(b):
        return _is_missing(a) and _is_missing(b)
    fa, fb = _plain_number(a), _plain_number(b)
    if fa is not None and fb is not None:
        return _close(fa, fb, rel_tol, 1e-12)
    if isinstance(a, str) and isinstance(b, str):
        return str.__str__(a).strip() == str.__str__(b).strip()
    return str(a) == str(b) and type(a) is type(b)


# --------------------------------------------------------------------------- visible tests

#: what a visible test prints when the answer has the right form (its value is not checked yet)
RIGHT_FORM = "✓ Right kind of answer:"


@_sentence_only
def check_is_number(answer: Any, *, unit: str | None = None, what: str = "your answer") -> str:
    """Visible test: the answer is a number (in ``unit`` if given), not its value."""
    value = _as_number(answer, unit, what)
    if math.isnan(value) or math.isinf(value):
        _fail(f"{_cap(what)} is {value}: check the calculation that produced it.")
    return _ok(f"{what} is a number. The hidden tests check its value when the set is graded.", RIGHT_FORM)


@_sentence_only
def check_is_text(answer: Any, *, what: str = "your answer") -> str:
    """Visible test: the answer is text (in quotes), not its content."""
    _as_text(answer, what)
    if not isinstance(answer, str):
        _fail(f"{_cap(what)} should be text in quotes, but it is {_describe(answer)}.")
    return _ok(f"{what} is text. The hidden tests check what it says.", RIGHT_FORM)


@_sentence_only
def check_is_table(answer: Any, *, columns: Iterable[str], what: str = "your table") -> str:
    """Visible test: the answer is a DataFrame with these ``columns``, not its rows."""
    import pandas as pd

    _reject_missing(answer, what)
    if type(answer) is not pd.DataFrame:
        _fail(f"{_cap(what)} should be a pandas DataFrame, but it is {_describe(answer)}.")
    want = [str(c) for c in columns]
    got = [str(c) for c in answer.columns]
    if sorted(got) != sorted(want):
        _fail(f"{_cap(what)} has columns {got}; it should have {want}.")
    return _ok(f"{what} is a table with the right columns. The hidden tests check its rows.", RIGHT_FORM)
