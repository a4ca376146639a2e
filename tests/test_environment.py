"""Set-up files agree: pyproject.toml, environment.yml and the lock (uv.lock, and the
requirements/*.txt exported from it that `make lab` and `make test` install)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from chipcourse.environment import declared, requirements_of, split_requirement

from .conftest import IN_CI, ROOT

REQUIREMENTS = ("requirements/lab.txt", "requirements/test.txt", "requirements/hub.txt")


def _conda(environment_text: str) -> dict[str, str]:
    env = yaml.safe_load(environment_text)
    return dict(split_requirement(d) for d in env["dependencies"] if isinstance(d, str))


def test_environment_yml_matches_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = declared(root / "pyproject.toml", extras=())
    conda = _conda((root / "environment.yml").read_text())
    python = conda.pop("python")
    conda.pop("pip")
    assert conda == wanted
    assert python == project["requires-python"]
    env = yaml.safe_load((root / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip, "environment.yml installs the chipcourse package itself"


def test_nbgrader_config_uses_exercises(root):
    text = (root / "nbgrader_config.py").read_text()
    assert 'c.CourseDirectory.source_directory = "exercises"' in text


# ------------------------------------------------------------------ the lock

def lock_disagreements(pyproject_text: str, lock_text: str, environment_text: str) -> list[str]:
    """Sentences naming each way pyproject.toml, uv.lock and environment.yml disagree."""
    project = tomllib.loads(pyproject_text)["project"]
    lock = tomllib.loads(lock_text)
    conda = _conda(environment_text)
    found = []
    python = project["requires-python"]
    if SpecifierSet(lock.get("requires-python", "")) != SpecifierSet(python):
        found.append(f"uv.lock was made for Python {lock.get('requires-python')}, pyproject asks {python}")
    if SpecifierSet(conda.get("python", "")) != SpecifierSet(python):
        found.append(f"environment.yml asks Python {conda.get('python')}, pyproject {python}")

    ours = next((p for p in lock["package"] if p["name"] == split_requirement(project["name"])[0]), None)
    if ours is None:
        return found + [f"uv.lock has no entry for {project['name']}: run make lock"]
    locked_bounds = {}
    for req in ours.get("metadata", {}).get("requires-dist", []):
        extra = re.search(r"extra == '([^']+)'", req.get("marker", ""))
        locked_bounds[(req["name"], extra.group(1) if extra else None)] = req.get("specifier", "")
    wanted = {(n, None): b for n, b in requirements_of(project).items()}
    for extra in project.get("optional-dependencies", {}):
        wanted.update({(n, extra): b for n, b in requirements_of(project, (extra,), base=False).items()})
    for key in sorted(set(wanted) | set(locked_bounds), key=str):
        if key not in locked_bounds:
            found.append(f"{key[0]} is in pyproject but not in uv.lock: run make lock")
        elif key not in wanted:
            found.append(f"{key[0]} is in uv.lock but no longer in pyproject: run make lock")
        elif SpecifierSet(locked_bounds[key]) != SpecifierSet(wanted[key]):
            found.append(f"{key[0]}: pyproject says {wanted[key]}, uv.lock was made for "
                         f"{locked_bounds[key]}: run make lock")

    versions: dict[str, list[str]] = {}
    for package in lock["package"]:
        versions.setdefault(package["name"], []).append(package["version"])
    for (name, _extra), bounds in wanted.items():
        for version in versions.get(name, []):
            if Version(version) not in SpecifierSet(bounds):
                found.append(f"uv.lock holds {name} {version}, outside pyproject's {bounds}")
            if name in conda and Version(version) not in SpecifierSet(conda[name]):
                found.append(f"uv.lock holds {name} {version}, outside environment.yml's {conda[name]}")
    return found


def _texts(root):
    return ((root / "pyproject.toml").read_text(), (root / "uv.lock").read_text(),
            (root / "environment.yml").read_text())


def test_lock_agrees_with_pyproject_and_environment(root):
    assert lock_disagreements(*_texts(root)) == []


def test_a_disagreement_is_named(root):
    pyproject, lock, environment = _texts(root)
    locked_pandas = re.search(r'name = "pandas"\nversion = "([^"]+)"', lock).group(1)
    narrower = pyproject.replace('"pandas>=3.0,<4"', f'"pandas>=3.0,<{locked_pandas}"')
    assert narrower != pyproject
    found = lock_disagreements(narrower, lock, environment)
    assert any("pandas: pyproject says" in f for f in found), found
    assert any(f"uv.lock holds pandas {locked_pandas}, outside pyproject's" in f for f in found), found
    conda_narrower = environment.replace("pandas>=3.0,<4", f"pandas>=3.0,<{locked_pandas}")
    assert any("outside environment.yml's" in f for f in lock_disagreements(pyproject, lock, conda_narrower))
    newer_python = pyproject.replace('requires-python = ">=3.11"', 'requires-python = ">=3.12"')
    assert any("uv.lock was made for Python" in f for f in lock_disagreements(newer_python, lock, environment))
    dropped = pyproject.replace('    "tqdm>=4.66,<5",\n', "")
    assert any("tqdm is in uv.lock but no longer in pyproject" in f
               for f in lock_disagreements(dropped, lock, environment))


def _uv():
    """uv from the PATH, else the one `make` put in .venv (make test-lowest runs without it)."""
    uv = shutil.which("uv") or next((str(p) for p in [ROOT / ".venv" / "bin" / "uv"] if p.exists()), None)
    if uv is None:
        if IN_CI:
            pytest.fail("uv is missing: make install-test puts it in .venv")
        pytest.skip("uv is not installed here")
    return uv


def test_uv_lock_is_up_to_date(root):
    run = subprocess.run([_uv(), "lock", "--check", "--offline"], cwd=root, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("path", REQUIREMENTS)
def test_requirements_are_the_export_of_the_lock(root, path):
    """What pip and uv install is exactly uv.lock: re-running the export its header records
    gives the same pins and hashes."""
    text = (root / path).read_text()
    command = re.search(r"^#\s+(uv export .*)$", text, re.M)
    assert command, f"{path} does not say which uv export made it"
    args = command.group(1).split()[1:]
    where = args.index("-o")
    assert args[where + 1] == path and "--frozen" in args, args
    del args[where:where + 2]
    run = subprocess.run([_uv(), *args, "--no-header"], cwd=root, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert body == [line for line in run.stdout.splitlines() if not line.startswith("#")], \
        f"{path} is not the export of uv.lock: run make lock"
    for line in body:
        assert not line.startswith("-e "), f"{path} must not install chipcourse (pip --require-hashes)"


def test_make_installs_exactly_the_lock(root):
    dry = subprocess.run(["make", "-n", "-B", "-C", str(root), ".venv/.installed-test"],
                         capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    for path in REQUIREMENTS[:2]:
        assert f"--require-hashes -r {path}" in dry.stdout, dry.stdout
    assert "--no-deps -e ." in dry.stdout, "chipcourse is installed editable, on top of the lock"
    hub = subprocess.run(["make", "-n", "-B", "-C", str(root), ".venv-hub/.installed"],
                         capture_output=True, text=True, timeout=60)
    assert hub.returncode == 0, hub.stderr
    assert "--require-hashes -r requirements/hub.txt" in hub.stdout and "--no-deps -e ." in hub.stdout, hub.stdout


@pytest.mark.parametrize("target, resolution", [("test-lowest", "--resolution lowest-direct"),
                                                 ("test-newest", "--resolution highest")])
def test_bound_checks_resolve_afresh_in_their_own_environment(root, target, resolution):
    dry = subprocess.run(["make", "-n", "-C", str(root), target], capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    venv = f".venv-{target.split('-')[1]}"
    assert f"{resolution} -e '.[test]'" in dry.stdout and f"{venv}/bin/python -m pytest" in dry.stdout
    assert "requirements/" not in dry.stdout, "the bound checks must not install from the lock"
