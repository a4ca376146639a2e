"""The course in Japanese (日本語版): the Japanese edition's one-line setup.

    from chipcourse.ja import data, charts, widgets, checks, nodes

is the English setup line with every sentence the package writes (checks, widgets, charts,
feedback) in Japanese from then on in this notebook (:func:`chipcourse.language.use`). The
names are the same modules as ``from chipcourse import ...`` gives.
"""

from .. import language as _language

_language.use("ja")


def __getattr__(name: str):
    # the package's own modules and the lessons' models, as `from chipcourse import ...` finds them
    if name.startswith("_"):
        raise AttributeError(name)
    import importlib

    package = importlib.import_module("chipcourse")
    try:
        return importlib.import_module(f"chipcourse.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"chipcourse.{name}":
            raise
    return getattr(package, name)
