"""Set-up files agree: environment.yml names pyproject's packages with the same bounds."""

from __future__ import annotations

import re
import tomllib

import yaml


def _split(spec: str):
    name, bounds = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
    return name.lower().replace("_", "-"), bounds.replace(" ", "")


def test_environment_yml_matches_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(s) for s in project["dependencies"])
    env = yaml.safe_load((root / "environment.yml").read_text())
    conda = dict(_split(d) for d in env["dependencies"] if isinstance(d, str))
    python = conda.pop("python")
    conda.pop("pip")
    assert conda == wanted
    assert python == project["requires-python"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip, "environment.yml installs the chipcourse package itself"


def test_nbgrader_config_uses_exercises(root):
    text = (root / "nbgrader_config.py").read_text()
    assert 'c.CourseDirectory.source_directory = "exercises"' in text
