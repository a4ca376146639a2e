"""A class at once on the hub: N simulated students log in, fetch and submit concurrently.

Not part of ``make bench`` (it needs root: it makes a Unix account per student, and deletes
them afterwards). Run as root: ``.venv/bin/python -m benchmarks.hub_load [--students 30]``.

A real JupyterHub from ``chipcourse.hub`` (the shared-password test authenticator instead of
PAM) on 127.0.0.1 with one course; the grader releases 01-node-names from the command line.
Then every student, each in its own thread, through the hub's REST API and nbgrader's
exchange: logs in on the hub's login form, asks for an API token, starts their server and
waits for it, fetches the assignment (nbgrader's assignment-list API), saves an answer and
submits. The grader then collects and grades the class with ``python -m chipcourse.classroom
autograde``. Every request is bounded by a timeout and the whole run by ``--deadline``.
Measured: time to all submitted, p95 per request (by kind), errors, peak memory of the hub
process (and of its proxy), and whether every submission was collected and graded.
"""

from __future__ import annotations

import argparse
import copy
import csv
import html
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import nbformat
import requests

from chipcourse import hub as hubmod
from chipcourse.classroom import synthetic
from chipcourse.labserver import free_port

ROOT = Path(__file__).resolve().parent.parent
COURSE, ASSIGNMENT = "nn-load", "01-node-names"
NOTEBOOK = f"{ASSIGNMENT}-exercises.ipynb"
PASSWORD = "load-test-shared-password"
TIMEOUT = 120   # seconds for any one request


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def call(self, kind, session, method, url, **kw):
        start = time.perf_counter()
        try:
            response = session.request(method, url, timeout=TIMEOUT, **kw)
        except requests.RequestException as exc:
            with self.lock:
                self.errors.append(f"{kind}: {type(exc).__name__}")
            raise
        with self.lock:
            self.times.setdefault(kind, []).append(time.perf_counter() - start)
            if response.status_code >= 400:
                self.errors.append(f"{kind}: HTTP {response.status_code} {response.text[:120]}")
        response.raise_for_status()
        return response


def _p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else 0.0)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def student_session(rec: Recorder, base: str, user: str, answer: dict, deadline: float) -> float:
    """One student's whole visit; returns the time their submission was made."""
    s = requests.Session()
    page = rec.call("login page", s, "GET", f"{base}/hub/login")
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    form = {"username": user, "password": PASSWORD, **({"_xsrf": html.unescape(xsrf.group(1))} if xsrf else {})}
    rec.call("log in", s, "POST", f"{base}/hub/login", data=form, allow_redirects=False)
    headers = {"X-XSRFToken": s.cookies.get("_xsrf", "")}
    token = rec.call("new token", s, "POST", f"{base}/hub/api/users/{user}/tokens", headers=headers,
                     json={"note": "load benchmark", "expires_in": 3600}).json()["token"]
    api = requests.Session()
    api.headers["Authorization"] = f"token {token}"
    response = rec.call("start server", api, "POST", f"{base}/hub/api/users/{user}/server")
    while response.status_code != 201:
        if time.time() > deadline:
            raise TimeoutError(f"{user}'s server did not start before the deadline")
        time.sleep(1)
        model = rec.call("server status", api, "GET", f"{base}/hub/api/users/{user}").json()
        if model.get("servers", {}).get("", {}).get("ready"):
            break
    server = f"{base}/user/{user}"
    rec.call("assignment list", api, "GET", f"{server}/assignments", params={"course_id": COURSE})
    rec.call("fetch", api, "POST", f"{server}/assignments/fetch",
             data={"course_id": COURSE, "assignment_id": ASSIGNMENT})
    path = f"{COURSE}/{ASSIGNMENT}/{NOTEBOOK}"
    rec.call("save answers", api, "PUT", f"{server}/api/contents/{path}",
             json={"type": "notebook", "format": "json", "content": answer})
    result = rec.call("submit", api, "POST", f"{server}/assignments/submit",
                      data={"course_id": COURSE, "assignment_id": ASSIGNMENT}).json()
    if not result.get("success"):
        with rec.lock:
            rec.errors.append(f"submit: {user}: {str(result.get('value'))[:160]}")
    return time.time()


def run(students: int, deadline_s: float, workers: int) -> dict:
    top = Path(tempfile.mkdtemp(prefix="chipcourse-hub-load-", dir="/var/tmp"))
    top.chmod(0o711)
    state = top / "state"
    names = [f"load-s{i:02d}" for i in range(students)]
    (top / "courses.csv").write_text(f"course_id,title\n{COURSE},Load test\n")
    (top / "roster.csv").write_text("username,role,name\nload-teacher,instructor,Load Teacher\n" +
                                    "".join(f"{n},student,Student {n}\n" for n in names))
    ports = [free_port() for _ in range(4)]
    venv_bin = ROOT / ".venv-hub" / "bin"
    settings = hubmod.setup(state, top / "roster.csv", top / "courses.csv", port=ports[0], hub_port=ports[1],
                            proxy_api_port=ports[2], service_ports=ports[3:], venv_bin=venv_bin)
    base = f"http://127.0.0.1:{ports[0]}"
    log = open(top / "hub.log", "w")
    proc = hubmod.start(state, env={hubmod.TEST_PASSWORD_ENV: PASSWORD}, log=log)
    out = {"students": students}
    try:
        hubmod.wait_until_up(settings, proc)
        command, cwd = hubmod.grader_command(settings, COURSE, "chipcourse.hub", "release", ASSIGNMENT)
        released = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
        if released.returncode != 0:
            raise RuntimeError(f"the grader could not release {ASSIGNMENT}: {released.stderr[-1000:]}")
        root = Path(settings.courses[0]["root"])
        source = nbformat.read(root / "exercises" / ASSIGNMENT / NOTEBOOK, as_version=4)
        release = nbformat.read(root / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
        answers = {case: json.loads(nbformat.writes(synthetic.CASES[case](source, copy.deepcopy(release))))
                   for case in ("correct", "half-wrong", "blank")}

        peak = {"hub": 0.0, "proxy": 0.0}
        stop_sampling = threading.Event()

        def sample():
            proxy_pid = None
            while not stop_sampling.is_set():
                peak["hub"] = max(peak["hub"], _rss_mb(proc.pid))
                if proxy_pid is None:
                    try:
                        proxy_pid = int((settings.private / "proxy.pid").read_text())
                    except (OSError, ValueError):
                        pass
                if proxy_pid:
                    peak["proxy"] = max(peak["proxy"], _rss_mb(proxy_pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        rec = Recorder()
        began = time.time()
        deadline = began + deadline_s
        done, failed = [], []
        cases = list(answers)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(student_session, rec, base, n, answers[cases[i % 3]], deadline): n
                       for i, n in enumerate(names)}
            for future in as_completed(futures, timeout=deadline_s + TIMEOUT):
                try:
                    done.append(future.result() - began)
                except Exception as exc:
                    failed.append(f"{futures[future]}: {type(exc).__name__}: {str(exc)[:120]}")
        stop_sampling.set()
        sampler.join()
        inbound = [p.name for p in (settings.exchange / COURSE / "inbound").iterdir()]
        out.update({
            "all_submitted_s": round(max(done), 1) if len(done) == students else None,
            "submitted": len({n.split("+")[0] for n in inbound}),
            "students_failed": failed,
            "errors": rec.errors,
            "requests": sum(len(v) for v in rec.times.values()),
            "p95_s": round(_p95([t for v in rec.times.values() for t in v]), 3),
            "p95_by_kind_s": {k: round(_p95(v), 3) for k, v in rec.times.items()},
            "peak_hub_mb": round(peak["hub"]), "peak_proxy_mb": round(peak["proxy"]),
        })
        # the grader collects and grades the class
        start = time.time()
        for args in (("chipcourse.hub", "collect", ASSIGNMENT),
                     ("chipcourse.classroom", "autograde", "--assignment", ASSIGNMENT)):
            command, cwd = hubmod.grader_command(settings, COURSE, *args)
            result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=3600)
            if result.returncode != 0:
                out["errors"].append(f"{args[1]}: {result.stderr[-300:]}")
        summary = root / "reports" / "autograde-summary.csv"
        rows = list(csv.DictReader(summary.read_text().splitlines())) if summary.exists() else []
        out["collected"] = len(list((root / "submitted").glob(f"*/{ASSIGNMENT}")))
        out["graded"] = sum(row["status"] == "graded" for row in rows)
        out["collect_and_grade_s"] = round(time.time() - start, 1)
    finally:
        hubmod.stop(state)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        hubmod.remove_accounts(state)
        shutil.rmtree(top, ignore_errors=True)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=30, help="students acting at the same time")
    parser.add_argument("--deadline", type=float, default=900, help="seconds for the whole class to submit")
    parser.add_argument("--json", default=None, help="also write the numbers to this file")
    args = parser.parse_args(argv)
    result = run(max(1, min(args.students, 60)), args.deadline, max(1, args.workers))
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    return 0 if not result["errors"] and not result["students_failed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
