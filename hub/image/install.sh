#!/usr/bin/env bash
# The course image's build steps (the Dockerfile runs this; tests/test_deploy.py runs it too).
#   install.sh COURSE_DIR ENV_DIR CONFIG_DIR [extra requirement ...]
# COURSE_DIR: a copy of this repository; ENV_DIR: the Python environment to make;
# CONFIG_DIR: where the per-role Jupyter configuration goes (students, instructors, graders).
set -euo pipefail
course="$1"; env="$2"; config="$3"; shift 3
python="${PYTHON:-python3}"
# exactly the locked versions (requirements/hub.txt: the course and JupyterHub, every file
# checked against its hash), then the course itself on top, editable
lock="$course/requirements/hub.txt"
if command -v uv >/dev/null 2>&1; then      # a developer's machine: uv, fast
  uv venv -q --python "$(command -v "$python")" "$env"
  uv pip install -q --python "$env/bin/python" --require-hashes -r "$lock"
  uv pip install -q --python "$env/bin/python" --no-deps -e "$course"
  [ "$#" -eq 0 ] || uv pip install -q --python "$env/bin/python" "$@"
else                                        # the image: plain pip
  "$python" -m venv "$env"
  "$env/bin/python" -m pip install -q --no-cache-dir --require-hashes -r "$lock"
  "$env/bin/python" -m pip install -q --no-cache-dir --no-deps -e "$course"
  [ "$#" -eq 0 ] || "$env/bin/python" -m pip install -q --no-cache-dir "$@"
fi
# JupyterLab defaults for the course (render every cell, no news from the internet)
mkdir -p "$env/share/jupyter/lab/settings"
cp "$course/lab-settings/overrides.json" "$env/share/jupyter/lab/settings/overrides.json"
# students: the Assignments tab without nbgrader's teacher panels; everyone: the exchange
"$env/bin/python" -m chipcourse.hub role-config "$config" --exchange /srv/nbgrader/exchange
# the image is what students run: the exercise sources (solutions, hidden tests) stay with the grader
rm -rf "$course/exercises" "$course/tests" "$course/research"
"$env/bin/python" -c "import chipcourse, nbgrader, jupyterhub; from chipcourse import data; data.load('nodes')"
