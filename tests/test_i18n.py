"""Every sentence in every language: the catalogues are complete, and a language is chosen as documented."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from chipcourse import i18n, language

PACKAGE = Path(i18n.__file__).resolve().parent


def test_every_key_has_every_language_with_the_same_placeholders():
    assert i18n.catalogue(), "the catalogues are empty"
    for key, texts in i18n.catalogue().items():
        assert set(texts) == set(language.LANGUAGES), f"{key} needs exactly {sorted(language.LANGUAGES)}"
        assert all(isinstance(v, str) and v.strip() for v in texts.values()), f"{key} has an empty sentence"
        fields = {lang: i18n.fields_of(text) for lang, text in texts.items()}
        assert len({frozenset(f) for f in fields.values()}) == 1, f"{key}: placeholders differ: {fields}"


def test_every_phrase_has_every_language_with_the_same_placeholders():
    for en, texts in i18n.phrases().items():
        assert set(texts) == set(language.LANGUAGES), f"phrase {en!r} needs {sorted(language.LANGUAGES)}"
        assert i18n.fields_of(texts["ja"]) == i18n.fields_of(en), en


def _keys_used() -> set[str]:
    used = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                used.add(node.args[0].value)
    return used


def test_every_key_the_package_uses_is_in_a_catalogue():
    used = _keys_used()
    assert "checks.unanswered" in used
    assert sorted(used - set(i18n.catalogue())) == []


def test_a_missing_key_names_the_file_to_add_it_to():
    with pytest.raises(i18n.MessageError, match="chipcourse/locale/checks.toml"):
        i18n.t("checks.no-such-sentence")


def test_the_sentence_follows_the_language_in_use(monkeypatch):
    monkeypatch.setattr(language, "_chosen", None)
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent-for-this-test")
    monkeypatch.delenv(language.ENV, raising=False)
    assert language.current() == "en" and i18n.t("checks.unanswered").startswith("You have not answered")
    monkeypatch.setenv(language.ENV, "ja")
    assert language.current() == "ja" and "まだ答えていません" in i18n.t("checks.unanswered")
    language.use("en")
    assert language.current() == "en"
    with pytest.raises(language.LanguageError, match="no language 'fr'.*ja"):
        language.use("fr")


def test_a_learners_choice_is_remembered(tmp_path, monkeypatch):
    monkeypatch.setattr(language, "_chosen", None)
    monkeypatch.delenv(language.ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert language.remembered() is None and language.current() == "en"
    language.remember("ja")
    monkeypatch.setattr(language, "_chosen", None)
    assert (tmp_path / "chipcourse" / "language").read_text().strip() == "ja"
    assert language.current() == "ja"
    (tmp_path / "chipcourse" / "language").write_text("klingon")
    assert language.current() == "en"


def test_the_japanese_setup_line_speaks_japanese():
    code = ("from chipcourse.ja import data, checks, nodes\n"
            "try:\n    checks.check('nodes_ibm_gate_length', ...)\n"
            "except checks.CheckFailed as exc:\n    print(exc)\n"
            "print(nodes.__name__, data.__name__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": "/nonexistent"})
    assert "まだ答えていません" in result.stdout
    assert "chipcourse.lessons.nodes.nodes chipcourse.data" in result.stdout
