"""Beyond one machine: the Zero to JupyterHub values, the formgrader manifest and the course image.

No Kubernetes cluster and no Docker engine run here, so: the values file is merged over the
chart's defaults and validated against the chart's own schema (what ``helm install`` checks);
the Dockerfile's build context is linted; and the Dockerfile's steps (hub/image/install.sh)
are run as a script into a temporary folder.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

K8S = Path(__file__).resolve().parent.parent / "docs" / "k8s"


def _merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    return over


def _validate(values: dict) -> list[str]:
    schema = yaml.safe_load((K8S / "chart" / "values.schema.yaml").read_text())
    defaults = yaml.safe_load((K8S / "chart" / "values.yaml").read_text())
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(_merge(defaults, values))]


def _values() -> dict:
    return yaml.safe_load((K8S / "values.yaml").read_text())


def test_values_file_is_valid_for_the_chart():
    assert _validate(_values()) == []


@pytest.mark.parametrize("path, value", [
    (("singleuser", "imgae"), {"name": "x"}),              # a misspelt key
    (("singleuser", "storage", "capacity"), ["2Gi"]),       # a wrong type
    (("hub", "loadRole"), {}),                               # a misspelt hub key
])
def test_the_schema_check_catches_a_bad_value(path, value):
    values = copy.deepcopy(_values())
    here = values
    for key in path[:-1]:
        here = here.setdefault(key, {})
    here[path[-1]] = value
    assert _validate(values), f"{'.'.join(path)} = {value!r} was not caught"


def test_values_hold_the_course_image_exchange_and_formgrader():
    values = _values()
    assert values["singleuser"]["image"]["name"].endswith("/nodes-and-nations")
    mounts = values["singleuser"]["storage"]["extraVolumeMounts"]
    assert {"name": "nbgrader-exchange", "mountPath": "/srv/nbgrader/exchange"} in mounts
    claim = values["singleuser"]["storage"]["extraVolumes"][0]["persistentVolumeClaim"]["claimName"]
    manifests = list(yaml.safe_load_all((K8S / "formgrader.yaml").read_text()))
    pvc = next(m for m in manifests if m["kind"] == "PersistentVolumeClaim" and m["metadata"]["name"] == claim)
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]
    service = next(m for m in manifests if m["kind"] == "Service")
    url = values["hub"]["services"]["nodes-and-nations"]["url"]
    assert url == f"http://{service['metadata']['name']}:{service['spec']['ports'][0]['port']}"
    deployment = next(m for m in manifests if m["kind"] == "Deployment")
    env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"]["key"] == \
        "hub.services.nodes-and-nations.apiToken"
    assert env["JUPYTERHUB_SERVICE_PREFIX"]["value"] == "/services/nodes-and-nations/"
    roles = values["hub"]["loadRoles"]
    assert roles["formgrade-nodes-and-nations"]["scopes"] == ["access:services!service=nodes-and-nations"]


# ---------------------------------------------------------------------------- the Dockerfile

def _ignored(root) -> set[str]:
    return {line.strip() for line in (root / ".dockerignore").read_text().splitlines()
            if line.strip() and not line.startswith("#")}


def _dockerfile(root) -> list[tuple[str, str]]:
    text = (root / "Dockerfile").read_text().replace("\\\n", " ")
    return [tuple(line.strip().split(None, 1)) for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_dockerfile_context_and_steps(root):
    steps = _dockerfile(root)
    assert steps[0][0] == "FROM"
    for instruction, rest in steps:
        assert instruction in {"FROM", "ARG", "RUN", "COPY", "ENV", "USER", "WORKDIR", "EXPOSE", "CMD"}, instruction
        if instruction == "COPY":
            source = rest.split()[0]
            assert (root / source).exists(), source
    run = " ".join(rest for instruction, rest in steps if instruction == "RUN")
    script = re.search(r"/srv/course/(\S+\.sh)", run).group(1)
    assert (root / script).exists() and os.access(root / script, os.X_OK)
    ignored = _ignored(root)
    for heavy in (".git", ".venv", ".venv-hub", "submitted", "gradebook.db"):
        assert heavy in ignored
    env = " ".join(rest for instruction, rest in steps if instruction == "ENV")
    assert f"JUPYTER_CONFIG_PATH={_values()['singleuser']['extraEnv']['JUPYTER_CONFIG_PATH']}" in env


def test_image_jupyterhub_matches_the_charts_hub_and_the_project(root):
    import tomllib

    from packaging.requirements import Requirement

    arg = next(rest for instruction, rest in _dockerfile(root) if instruction == "ARG"
               and rest.startswith("JUPYTERHUB_VERSION="))
    version = arg.split("=", 1)[1]
    chart = yaml.safe_load((K8S / "chart" / "Chart.yaml").read_text())
    assert version == chart["appVersion"]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    hubs = [Requirement(d) for d in project["optional-dependencies"]["hub"] if d.startswith("jupyterhub")]
    assert hubs, "pyproject.toml's 'hub' extra names no jupyterhub"
    assert hubs[0].specifier.contains(version)


def test_dockerfile_steps_run_as_a_script(root, tmp_path):
    """hub/image/install.sh, as the Dockerfile runs it, on a copy of the build context."""
    context = tmp_path / "course"
    ignored = _ignored(root)
    shutil.copytree(root, context, ignore=lambda d, names: [n for n in names if n in ignored or
                                                             n in ("__pycache__", ".ipynb_checkpoints")])
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHON": "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable}
    result = subprocess.run(["bash", str(context / "hub/image/install.sh"), str(context), str(tmp_path / "env"),
                             str(tmp_path / "config")], capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "env" / "bin" / "jupyterhub-singleuser").exists()
    assert not (context / "exercises").exists()        # no solutions in what students run
    page = (tmp_path / "config" / "student" / "labconfig" / "page_config.json").read_text()
    assert "@jupyter/nbgrader:formgrader" in page and "assignment-list" not in page
    assert 'c.Exchange.root = "/srv/nbgrader/exchange"' in (tmp_path / "config" / "grader" /
                                                           "nbgrader_config.py").read_text()
