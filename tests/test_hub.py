"""A whole class on a real JupyterHub, on 127.0.0.1, driven in Chromium (Playwright).

The hub is the one ``make hub`` starts (chipcourse.hub, hub/jupyterhub_config.py), with
JupyterHub's shared-password test authenticator instead of PAM. The tests make their own
Unix accounts (as root) and delete them afterwards: one instructor, three students in
course ``nn-test`` and one student in a second course ``nn-test-two``.

In the browser each student logs in, opens the Assignments tab, fetches 01-node-names,
saves an answer (right, half wrong, blank) and submits; one submits twice. The hub is then
restarted while a student's server runs; the instructor collects, autogrades, generates
and releases feedback through the course's formgrader service; each student fetches
feedback and sees their own score and no hidden test. The gradebook must hold exactly the
scores ``make autograde`` gives the same submissions. Isolation: from a student's kernel
and terminal every read of another student's or the instructor's files fails.
"""

from __future__ import annotations

import copy
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from chipcourse import hub as hubmod
from chipcourse import labserver
from chipcourse.classroom import synthetic
from chipcourse.labserver import CHROMIUM, FLAGS

from .conftest import IN_CI, ROOT
from .test_pipeline import secret_lines, visible_text

pytestmark = pytest.mark.hub

PASSWORD = "a-shared-test-password"
COURSE, OTHER = "nn-test", "nn-test-two"
ASSIGNMENT = "01-node-names"
NOTEBOOK = f"{ASSIGNMENT}-exercises.ipynb"
TEACHER, ANA, BO, CY, DEE = "hubt-teacher", "hubt-ana", "hubt-bo", "hubt-cy", "hubt-dee"
STUDENTS = {ANA: "correct", BO: "half-wrong", CY: "blank"}
HUB_BIN = ROOT / ".venv-hub" / "bin"


# ---------------------------------------------------------------------------- roster validation (no root)

def _csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


COURSES_CSV = "course_id,title\nnn-test,Test course\nnn-test-two,Second course\n"


@pytest.mark.parametrize("row, words", [
    ("ana,student,Ana A,", "line 3: username 'ana' is listed twice (first on line 2)"),
    ("bo,teacher,Bo B,", "line 3: role 'teacher' for bo is not one of student, instructor"),
    ("Bo!,student,Bo B,", "line 3: username 'Bo!' is not a safe account name"),
    ("root,student,Root,", "line 3: username 'root' is reserved"),
    ("grader-x,student,G,", "line 3: username 'grader-x' is reserved"),
    ("bo,student,Bo B,nope", "line 3: bo is in course 'nope', which is not in the course list"),
    ("bo,student,,", "line 3: the name for bo must be non-empty"),
])
def test_a_bad_roster_row_is_named_in_a_sentence(tmp_path, row, words):
    courses = hubmod.read_courses(_csv(tmp_path, "courses.csv", COURSES_CSV))
    roster = _csv(tmp_path, "roster.csv", f"username,role,name,courses\nana,student,Ana A,\n{row}\n")
    with pytest.raises(hubmod.RosterError) as err:
        hubmod.read_roster(roster, courses)
    assert words in str(err.value) and "roster.csv" in str(err.value)
    assert "Traceback" not in str(err.value)


def test_the_shipped_roster_and_courses_are_valid(root):
    courses = hubmod.read_courses(root / "hub" / "courses.csv")
    members = hubmod.read_roster(root / "hub" / "roster.csv", courses)
    assert {m.role for m in members} == {"student", "instructor"}


def test_groups_and_roles_follow_nbgraders_multiple_classes_demo(tmp_path):
    courses = hubmod.read_courses(_csv(tmp_path, "courses.csv", COURSES_CSV))
    members = hubmod.read_roster(_csv(tmp_path, "roster.csv", (
        "username,role,name,courses\nt,instructor,T,nn-test nn-test-two\na,student,A,\nd,student,D,nn-test-two\n")),
        courses)
    groups = hubmod.groups(members, courses)
    assert groups["nbgrader-nn-test"]["users"] == ["a", "t"]
    assert groups["nbgrader-nn-test-two"]["users"] == ["d", "t"]
    assert groups["formgrade-nn-test"]["users"] == ["grader-nn-test", "t"]
    roles = {r["name"]: r for r in hubmod.roles(courses)}
    assert roles["formgrade-nn-test"]["scopes"] == ["access:services!service=nn-test"]
    assert roles["nbgrader-nn-test-two"]["scopes"] == ["list:services", "read:services!service=nn-test-two"]


def test_the_hub_config_listens_on_loopback_with_pam_and_a_lab_per_role(tmp_path, monkeypatch):
    from traitlets.config import Config

    courses = hubmod.read_courses(_csv(tmp_path, "courses.csv", COURSES_CSV))
    members = hubmod.read_roster(_csv(tmp_path, "roster.csv", (
        "username,role,name,courses\nt,instructor,T,nn-test\na,student,A,\n")), courses)
    settings = hubmod.Settings(str(tmp_path), str(ROOT), str(HUB_BIN), 8123, 8124, 8125,
                               courses=[{"id": c.id, "title": c.title, "grader": c.grader,
                                         "root": f"/home/{c.grader}/{c.id}", "port": 9990 + i}
                                        for i, c in enumerate(courses)],
                               members=[m.__dict__ | {"courses": list(m.courses)} for m in members])
    settings.private.mkdir()
    settings.save()
    monkeypatch.delenv(hubmod.TEST_PASSWORD_ENV, raising=False)
    c = Config()
    hubmod.configure(c, tmp_path)
    assert (c.JupyterHub.ip, c.JupyterHub.hub_ip) == ("127.0.0.1", "127.0.0.1")
    assert c.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert c.JupyterHub.authenticator_class == "pam"
    assert c.JupyterHub.spawner_class == "jupyterhub.spawner.LocalProcessSpawner"
    assert [(s["name"], s["user"]) for s in c.JupyterHub.services] == [("nn-test", "grader-nn-test"),
                                                                       ("nn-test-two", "grader-nn-test-two")]
    shared = {"PATH": "x"}

    class Spawner:   # what the hook reads and writes of JupyterHub's spawner
        def __init__(self, name):
            self.user, self.environment = type("U", (), {"name": name})(), shared

    teacher, student = Spawner("t"), Spawner("a")
    c.Spawner.pre_spawn_hook(teacher)
    c.Spawner.pre_spawn_hook(student)
    assert teacher.environment["JUPYTER_CONFIG_PATH"].endswith("config/instructor")
    assert student.environment["JUPYTER_CONFIG_PATH"].endswith("config/student")
    monkeypatch.setenv(hubmod.TEST_PASSWORD_ENV, PASSWORD)
    c = Config()
    hubmod.configure(c, tmp_path)
    assert c.JupyterHub.authenticator_class == "shared-password"


def test_a_bad_roster_creates_nothing(tmp_path):
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("setting up a hub needs root; with CI=true the hub tests never skip")
        pytest.skip("setting up a hub needs root")
    courses = _csv(tmp_path, "courses.csv", COURSES_CSV)
    roster = _csv(tmp_path, "roster.csv", "username,role,name\nhubt-good,student,Good\nhubt-good,student,Twice\n")
    state = Path(tempfile.mkdtemp(prefix="chipcourse-hub-", dir="/var/tmp"))
    try:
        with pytest.raises(hubmod.RosterError, match="listed twice"):
            hubmod.setup(state / "state", roster, courses, venv_bin=HUB_BIN)
        assert not (state / "state").exists()
        for name in ("hubt-good", "grader-nn-test"):
            with pytest.raises(KeyError):
                pwd.getpwnam(name)
    finally:
        shutil.rmtree(state)


def test_the_learners_hub_lab_hides_only_nbgraders_teacher_plugins(root):
    """The plugin ids are nbgrader 0.9.6's own (its labextension); the Assignments tab stays."""
    import nbgrader

    bundle = Path(nbgrader.__file__).parent / "labextension" / "static"
    text = " ".join(p.read_text(errors="ignore") for p in bundle.glob("*.js"))
    ids = set(re.findall(r"@jupyter/nbgrader:[a-z-]+", text))
    assert set(hubmod.TEACHER_PLUGINS) <= ids
    assert "@jupyter/nbgrader:assignment-list" in ids
    assert "@jupyter/nbgrader:assignment-list" not in hubmod.TEACHER_PLUGINS


# ---------------------------------------------------------------------------- the live hub

@dataclass
class Hub:
    base: str
    state: Path
    settings: hubmod.Settings
    log: Path
    proc: subprocess.Popen | None = None

    def course_root(self, course=COURSE) -> Path:
        return Path(next(c["root"] for c in self.settings.courses if c["id"] == course))

    def exchange(self, course=COURSE) -> Path:
        return self.settings.exchange / course


def _need_everything():
    missing = labserver.browser_missing()
    if os.geteuid() != 0:
        missing.append("root (the hub makes Unix accounts)")
    if not (HUB_BIN / "jupyterhub").exists():
        missing.append(f"{HUB_BIN} (make hub-env)")
    if shutil.which("configurable-http-proxy") is None:
        missing.append("configurable-http-proxy (make proxy)")
    if missing:
        message = "hub tests need " + " and ".join(missing)
        if IN_CI:
            pytest.fail(message + "; with CI=true they never skip")
        pytest.skip(message)


def _start(hub: Hub) -> None:
    log = open(hub.log, "a")
    hub.proc = hubmod.start(hub.state, env={hubmod.TEST_PASSWORD_ENV: PASSWORD}, log=log)
    try:
        hubmod.wait_until_up(hub.settings, hub.proc)
    except hubmod.HubError as exc:
        raise AssertionError(f"{exc}\n" + hub.log.read_text()[-4000:]) from None


def _stop(hub: Hub) -> None:
    assert hubmod.stop(hub.state)
    hub.proc.wait(timeout=60)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    _need_everything()
    work = tmp_path_factory.mktemp("hub")
    roster = _csv(work, "roster.csv", (
        "username,role,name,courses\n"
        f"{TEACHER},instructor,Tess Teacher,{COURSE} {OTHER}\n"
        f"{ANA},student,Ana Test,{COURSE}\n{BO},student,Bo Test,{COURSE}\n{CY},student,Cy Test,{COURSE}\n"
        f"{DEE},student,Dee Test,{OTHER}\n"))
    courses = _csv(work, "courses.csv", COURSES_CSV)
    top = Path(tempfile.mkdtemp(prefix="chipcourse-hub-", dir="/var/tmp"))
    top.chmod(0o711)
    state = top / "state"
    ports = [labserver.free_port() for _ in range(5)]
    settings = hubmod.setup(state, roster, courses, port=ports[0], hub_port=ports[1], proxy_api_port=ports[2],
                            service_ports=ports[3:], venv_bin=HUB_BIN)
    h = Hub(f"http://127.0.0.1:{ports[0]}", state, settings, work / "hub.log")
    try:
        _start(h)
        yield h
    finally:
        if h.proc and h.proc.poll() is None:
            hubmod.stop(state)
            h.proc.wait(timeout=60)
        hubmod.remove_accounts(state)
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(hub):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def _guarded_context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside = []

    def guard(route):
        if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            try:
                page = route.request.frame.url
            except Exception:
                page = ""
            # nbgrader's feedback page asks a CDN for MathJax (its template's doing): blocked, and
            # left out of what the lab itself must not do
            if not re.search(r"/feedback/[^/]+/[^/]+\.html", page):
                outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    context.outside = outside
    return context


def login(browser, hub, user, service=None):
    """Log in on the hub's page; returns (context, page) once the user's JupyterLab is up, or,
    with ``service``, once that service's JupyterLab (an instructor's formgrader) is."""
    return login_all(browser, hub, [user], service)[user]


def login_all(browser, hub, users, service=None) -> dict:
    """Log several users in at once (their servers start side by side); user -> (context, page)."""
    started = {}
    for user in users:
        context = _guarded_context(browser)
        page = context.new_page()
        page.goto(f"{hub.base}/hub/login" + (f"?next=/services/{service}/lab" if service else ""))
        page.fill("#username_input", user)
        page.fill("#password_input", PASSWORD)
        page.click("#login_submit")
        started[user] = (context, page)
    for user, (context, page) in started.items():
        page.wait_for_url(re.compile(rf"/services/{service}/lab" if service else rf"/user/{user}/lab"),
                          timeout=240_000)
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=120_000)
        page.evaluate("() => window.jupyterapp.restored")
    return started


#: a request from the page, as JupyterLab makes them (the _xsrf cookie echoed in a header)
_FETCH = """async ([method, url, body]) => {
  const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
  const r = await fetch(url, {method, headers: {'X-XSRFToken': decodeURIComponent(xsrf),
                                                 'Content-Type': 'application/json'},
                              body: body === null ? undefined : JSON.stringify(body)});
  const text = await r.text();
  return [r.status, text];
}"""


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


def in_terminal(page, command) -> str:
    """Run ``command`` in a new terminal of the lab open in ``page``; its output, without escapes."""
    return ANSI.sub("", page.evaluate(_RUN_IN_TERMINAL, command + "; echo ALL''DONE"))


def request(page, method, url, body=None):
    status, text = page.evaluate(_FETCH, [method, url, body])
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def menus(page) -> list[str]:
    page.wait_for_selector("#jp-menu-panel .lm-MenuBar-itemLabel", timeout=60_000)
    return page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_text_contents()


def open_assignments(page):
    page.locator("#jp-menu-panel .lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    items = page.locator(".lm-Menu-content .lm-Menu-item:visible .lm-Menu-itemLabel").all_text_contents()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    page.wait_for_selector("#released_assignments_list", timeout=60_000)
    return items


def _refresh(page):
    page.click("#refresh_assignments_list")
    page.wait_for_function("() => document.querySelector('#released_assignments_list_loading').hidden",
                           timeout=60_000)


def _notebook(case: str, hub: Hub) -> dict:
    root = hub.course_root()
    source = nbformat.read(root / "exercises" / ASSIGNMENT / NOTEBOOK, as_version=4)
    release = nbformat.read(root / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    return json.loads(nbformat.writes(synthetic.CASES[case](source, copy.deepcopy(release))))


def fetch_answer_submit(page, hub, user, cases):
    """In the Assignments tab: Fetch, save the answers of each case in turn and Submit each."""
    open_assignments(page)
    item = page.locator(f"#released_assignments_list .list_item:has-text('{ASSIGNMENT}')")
    item.wait_for(timeout=60_000)
    item.locator("button", has_text="Fetch").click()
    fetched = page.locator(f"#fetched_assignments_list .list_item:has-text('{ASSIGNMENT}')")
    fetched.first.wait_for(timeout=60_000)
    path = f"{COURSE}/{ASSIGNMENT}/{NOTEBOOK}"
    status, model = request(page, "GET", f"/user/{user}/api/contents/{path}?content=1")
    assert status == 200, model
    for n, case in enumerate(cases, start=1):
        status, body = request(page, "PUT", f"/user/{user}/api/contents/{path}",
                               {"type": "notebook", "format": "json", "content": _notebook(case, hub)})
        assert status in (200, 201), body
        fetched.first.locator("button", has_text="Submit").click()
        # the Submitted list shows one more timestamp for this assignment
        page.wait_for_function(
            "n => document.querySelectorAll('#submitted_assignments_list .list_item').length >= 1 && "
            "document.querySelector('#submitted_assignments_list').innerText.match(/\\d{4}-\\d\\d-\\d\\d/g)"
            ".length >= n", arg=n, timeout=120_000)
        inbound = hub.exchange() / "inbound"
        assert sum(p.name.startswith(f"{user}+{ASSIGNMENT}+") for p in inbound.iterdir()) == n


# ---------------------------------------------------------------------------- the whole cycle

@pytest.fixture(scope="module")
def graded_class(hub, browser, tmp_path_factory):
    """Release, three students submit (bo twice), restart the hub, collect, grade, return."""
    teacher_ctx, teacher = login(browser, hub, TEACHER, service=COURSE)
    fg = f"/services/{COURSE}/formgrader/api"
    status, result = request(teacher, "POST", f"{fg}/assignment/{ASSIGNMENT}/release")
    assert status == 200 and result["success"], result

    contexts = {TEACHER: teacher_ctx}
    pages = {}
    for user, (ctx, page) in login_all(browser, hub, STUDENTS).items():
        contexts[user], pages[user] = ctx, page
    for user, case in STUDENTS.items():
        cases = ["correct", case] if user == BO else [case]   # bo submits twice: the latest counts
        fetch_answer_submit(pages[user], hub, user, cases)
    inbound = sorted(p.name for p in (hub.exchange() / "inbound").iterdir())
    assert sum(n.startswith(f"{BO}+") for n in inbound) == 2, inbound

    # the hub restarts while the students' servers run; nothing handed in is lost
    _stop(hub)
    _start(hub)
    for ctx in contexts.values():
        ctx.close()
    teacher_ctx, teacher = login(browser, hub, TEACHER, service=COURSE)

    status, result = request(teacher, "POST", f"{fg}/assignment/{ASSIGNMENT}/collect")
    assert status == 200 and result["success"], result
    for user in STUDENTS:
        status, result = request(teacher, "POST", f"{fg}/submission/{ASSIGNMENT}/{user}/autograde")
        assert status == 200 and result["success"], result
    for step in ("generate_feedback", "release_feedback"):
        status, result = request(teacher, "POST", f"{fg}/assignment/{ASSIGNMENT}/{step}")
        assert status == 200 and result["success"], (step, result)
    teacher_ctx.close()

    feedback = {}
    for user, (ctx, page) in login_all(browser, hub, STUDENTS).items():
        open_assignments(page)
        _refresh(page)
        item = page.locator(f"#submitted_assignments_list .list_item:has-text('{ASSIGNMENT}')").first
        item.locator("button", has_text="Fetch Feedback").click()
        page.wait_for_selector("#submitted_assignments_list a:has-text('view feedback')", timeout=120_000)
        home = Path(pwd.getpwnam(user).pw_dir)
        pages_found = sorted((home / COURSE / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}-exercises.html"))
        assert pages_found, f"no feedback fetched for {user}"
        rel = pages_found[-1].relative_to(home)
        page.goto(f"{hub.base}/user/{user}/files/{rel}")
        feedback[user] = page.content()
        assert ctx.outside == [], ctx.outside
        ctx.close()
    return feedback


def _gradebook_scores(hub) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{hub.course_root() / 'gradebook.db'}") as gb:
        return {user: round(gb.find_submission(ASSIGNMENT, user).score, 2) for user in STUDENTS}


def test_every_submission_is_collected_graded_and_the_latest_counts(hub, graded_class):
    submitted = hub.course_root() / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == sorted(STUDENTS)
    bo = nbformat.read(submitted / BO / ASSIGNMENT / NOTEBOOK, as_version=4)
    sources = {case: [c.source for c in nbformat.reads(json.dumps(_notebook(case, hub)), as_version=4).cells]
               for case in ("half-wrong", "correct")}
    assert sources["half-wrong"] != sources["correct"]
    assert [c.source for c in bo.cells] == sources["half-wrong"]   # the second submission, not the first
    scores = _gradebook_scores(hub)
    assert scores[ANA] > scores[BO] > scores[CY] == 0, scores


def test_gradebook_scores_equal_make_autograde_on_the_same_submissions(hub, graded_class, tmp_path):
    from chipcourse.classroom import Course, autograde

    course = Course.copy_for_grading(ROOT, tmp_path, ASSIGNMENT)
    for user in STUDENTS:
        shutil.copytree(hub.course_root() / "submitted" / user / ASSIGNMENT,
                        tmp_path / "submitted" / user / ASSIGNMENT)
    outcomes = autograde(course, ASSIGNMENT, progress=False, jobs=1)
    by_make = {o.student: round(o.score, 2) for o in outcomes}
    assert by_make == _gradebook_scores(hub)


def test_each_student_sees_their_own_score_and_no_hidden_test(hub, graded_class):
    scores = _gradebook_scores(hub)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{hub.course_root() / 'gradebook.db'}") as gb:
        maximum = gb.find_assignment(ASSIGNMENT).max_score
    source = nbformat.read(hub.course_root() / "exercises" / ASSIGNMENT / NOTEBOOK, as_version=4)
    hidden = secret_lines(source, "hidden")
    for user, html in graded_class.items():
        text = visible_text(html)
        assert re.search(rf"Score:\s*{scores[user]:g}(\.0+)?\s*/\s*{maximum:g}", text), (user, text[:2000])
        assert "BEGIN HIDDEN TESTS" not in html
        leaked = [line for line in hidden if line.strip() and line.strip() in text]
        assert not leaked, (user, leaked[:3])
        for other in STUDENTS:
            if other != user:
                assert other not in html


# ---------------------------------------------------------------------------- isolation

def _attempts(hub: Hub) -> dict[str, str]:
    """What student ana tries to read, by what it is."""
    bo_home = Path(pwd.getpwnam(BO).pw_dir)
    root = hub.course_root()
    return {
        "bo-home": str(bo_home),
        "bo-notebook": str(bo_home / COURSE / ASSIGNMENT / NOTEBOOK),
        "bo-feedback": str(bo_home / COURSE / ASSIGNMENT / "feedback"),
        "bo-nbgrader-cache": str(bo_home / ".local" / "share" / "jupyter" / "nbgrader_cache"),
        "exchange-inbound": str(hub.exchange() / "inbound"),
        "exchange-feedback": str(hub.exchange() / "feedback"),
        "grader-exercises": str(root / "exercises" / ASSIGNMENT / NOTEBOOK),
        "grader-gradebook": str(root / "gradebook.db"),
        "grader-submitted": str(root / "submitted"),
        "checkout-exercises": str(ROOT / "exercises" / ASSIGNMENT / NOTEBOOK),
        "hub-database": str(hub.settings.private / "jupyterhub.sqlite"),
        "hub-passwords": str(hub.settings.private / "initial-passwords.csv"),
        "hub-settings": str(hub.settings.private / "hub.json"),
    }


KERNEL_CODE = """
import json, os
found = {}
for key, path in %r.items():
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, 'rb').read(1)
        found[key] = 'READ'
    except OSError as exc:
        found[key] = type(exc).__name__
print('RESULT' + json.dumps(found))
"""

_RUN_IN_KERNEL = """async (code) => {
  const kernel = await window.jupyterapp.serviceManager.kernels.startNew({name: 'python3'});
  let out = '';
  const future = kernel.requestExecute({code});
  future.onIOPub = msg => { if (msg.header.msg_type === 'stream') out += msg.content.text; };
  await future.done;
  await kernel.shutdown();
  return out;
}"""

_RUN_IN_TERMINAL = """async (commands) => {
  const term = await window.jupyterapp.serviceManager.terminals.startNew();
  let out = '';
  term.messageReceived.connect((_, msg) => { if (msg.type === 'stdout') out += msg.content[0]; });
  await new Promise(r => setTimeout(r, 1500));
  term.send({type: 'stdin', content: [commands + '\\r']});
  for (let i = 0; i < 1200 && !out.includes('ALLDONE'); i++) await new Promise(r => setTimeout(r, 100));
  await term.shutdown();
  return out;
}"""


@pytest.fixture(scope="module")
def ana_attempts(hub, browser, graded_class):
    """ana's attempts from a kernel of her own lab and from her lab's terminal."""
    ctx, page = login(browser, hub, ANA)
    try:
        attempts = _attempts(hub)
        out = page.evaluate(_RUN_IN_KERNEL, KERNEL_CODE % attempts)
        kernel = json.loads(out.split("RESULT", 1)[1])
        shell = "; ".join(f"if [ -d {p} ]; then ls {p}; else head -c1 {p}; fi >/dev/null 2>&1 && "
                          f"printf '%s=%s\\n' {k} READ || printf '%s=%s\\n' {k} DENIED"
                          for k, p in attempts.items())
        text = in_terminal(page, shell)
        terminal = dict(re.findall(r"^([a-z-]+)=(READ|DENIED)\s*$", text, flags=re.M))
        yield {"kernel": kernel, "terminal": terminal, "page": page}
    finally:
        ctx.close()


ATTEMPTS = ["bo-home", "bo-notebook", "bo-feedback", "bo-nbgrader-cache", "exchange-inbound", "exchange-feedback",
            "grader-exercises", "grader-gradebook", "grader-submitted", "checkout-exercises", "hub-database",
            "hub-passwords", "hub-settings"]


@pytest.mark.parametrize("what", ATTEMPTS)
@pytest.mark.parametrize("where", ["kernel", "terminal"])
def test_a_student_cannot_read_what_is_not_hers(hub, ana_attempts, what, where):
    assert what in _attempts(hub), what
    assert (hub.settings.private / "jupyterhub.sqlite").exists() and (hub.course_root() / "gradebook.db").exists()
    assert ana_attempts[where][what] in ("PermissionError", "DENIED"), ana_attempts[where]


def test_a_student_cannot_release_or_collect(hub, ana_attempts):
    page = ana_attempts["page"]
    # not through the course's formgrader (the instructors' service)
    fg = f"/services/{COURSE}/formgrader/api/assignment/{ASSIGNMENT}"
    for step in ("release", "collect"):
        status, _ = request(page, "POST", f"{fg}/{step}")
        assert status in (302, 403, 404) or status >= 400, status
    # nor with a formgrader of her own (its server extension is off for students)
    status, _ = request(page, "POST", f"/user/{ANA}/formgrader/api/assignment/{ASSIGNMENT}/collect")
    assert status == 404, status
    # nor with nbgrader's own commands in her terminal
    text = in_terminal(page, (
        f"cd ~ && mkdir -p fake/release/{ASSIGNMENT} && cp {COURSE}/{ASSIGNMENT}/{NOTEBOOK} "
        f"fake/release/{ASSIGNMENT}/ && cd fake && nbgrader release_assignment {ASSIGNMENT} --course {COURSE} "
        f"--force >/dev/null 2>&1; printf 'release=%s\\n' $?; nbgrader collect {ASSIGNMENT} --course {COURSE} "
        f">/dev/null 2>&1; printf 'collect=%s\\n' $?; printf 'collected=%s\\n' $(ls submitted 2>/dev/null | wc -l); "
        f"command -v nbgrader >/dev/null && printf 'has=%s\\n' 1"))
    results = dict(re.findall(r"^([a-z]+)=(\d+)\s*$", text, flags=re.M))
    assert results.get("has") == "1", text     # nbgrader is there: the attempts below are real
    assert results.get("release") not in (None, "0"), text
    assert results.get("collected") == "0", text
    assert sorted(p.name for p in (hub.exchange() / "outbound").iterdir()) == [ASSIGNMENT]


def test_a_student_of_one_course_does_not_see_the_others_assignments(hub, browser, other_course_released):
    for user, mine, other in ((DEE, OTHER, COURSE), (ANA, COURSE, OTHER)):
        ctx, page = login(browser, hub, user)
        try:
            status, courses = request(page, "GET", f"/user/{user}/courses")
            assert status == 200 and courses["value"] == [mine], courses
            status, listed = request(page, "GET", f"/user/{user}/assignments?course_id={other}")
            assert status == 200 and listed["value"] == [], listed
            assert "Nbgrader" in menus(page)
            items = open_assignments(page)
            assert items == ["Assignment List"], items   # no formgrader, course list or create assignment
        finally:
            ctx.close()


def test_the_instructor_gets_the_teacher_lab_and_the_course_list(hub, browser, graded_class):
    ctx, page = login(browser, hub, TEACHER)
    try:
        status, courses = request(page, "GET", f"/user/{TEACHER}/formgraders")
        assert status == 200, courses
        assert sorted(c["course_id"] for c in courses["value"] if c["kind"] == "jupyterhub") == [COURSE, OTHER]
        page.locator("#jp-menu-panel .lm-MenuBar-itemLabel", has_text="Nbgrader").click()
        items = page.locator(".lm-Menu-content .lm-Menu-item:visible .lm-Menu-itemLabel").all_text_contents()
        assert {"Assignment List", "Course List", "Formgrader", "Create assignment"} <= set(items), items
    finally:
        ctx.close()


# ---------------------------------------------------------------------------- the exchange going wrong

@pytest.fixture(scope="module")
def formgraders(hub, browser, graded_class):
    """The instructor's JupyterLab in each course's formgrader (one login each)."""
    opened = {course: login(browser, hub, TEACHER, service=course) for course in (COURSE, OTHER)}
    yield {course: page for course, (_, page) in opened.items()}
    for ctx, _ in opened.values():
        ctx.close()


def in_formgrader(formgraders, hub, course, command) -> str:
    """Run ``command`` in a terminal of the course's formgrader, as its instructor does."""
    return in_terminal(formgraders[course], f"cd {hub.course_root(course)}; {command}")


@pytest.fixture(scope="module")
def other_course_released(hub, formgraders):
    """The second course's instructor releases 00-warmup from its formgrader's terminal."""
    text = in_formgrader(formgraders, hub, OTHER, "python -m chipcourse.hub release 00-warmup 2>&1; printf 'rc=%s\\n' $?")
    assert re.search(r"^rc=0\s*$", text, flags=re.M), text
    assert "students can fetch it" in text
    assert (hub.exchange(OTHER) / "outbound" / "00-warmup").is_dir()


@pytest.mark.parametrize("fault", ["missing", "not-writable"])
def test_a_broken_exchange_gives_the_instructor_a_sentence(hub, formgraders, fault):
    exchange = hub.settings.exchange
    moved = exchange.with_name("exchange-away")
    collect = f"python -m chipcourse.hub collect {ASSIGNMENT} 2>&1; printf 'rc=%s\\n' $?"
    try:
        if fault == "missing":
            exchange.rename(moved)
        else:
            exchange.chmod(0o755)
        text = in_formgrader(formgraders, hub, COURSE, collect)
        assert re.search(r"^rc=2\s*$", text, flags=re.M), text
        assert "Traceback" not in text
        words = "is missing" if fault == "missing" else "has permissions 0755"
        assert words in text and str(exchange) in text, text
        with pytest.raises(hubmod.HubError, match=words):
            hubmod.ready_to_start(hub.state)
    finally:
        if moved.exists():
            moved.rename(exchange)
        exchange.chmod(0o1777)
    text = in_formgrader(formgraders, hub, COURSE, collect)
    assert re.search(r"^rc=0\s*$", text, flags=re.M) and "collected into" in text, text


def test_the_grader_command_needs_the_formgraders_hub_login(hub):
    """Outside the formgrader (no JUPYTERHUB_* login), the command says where to run it."""
    root = hub.course_root()
    result = subprocess.run(["runuser", "-u", f"grader-{COURSE}", "--", "env", f"PATH={hubmod._path(hub.settings)}",
                             f"JUPYTER_CONFIG_PATH={hub.settings.config_dir('grader')}", str(HUB_BIN / "python"),
                             "-m", "chipcourse.hub", "collect", ASSIGNMENT], cwd=root, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "run it in a terminal of the course's formgrader" in result.stderr


# ---------------------------------------------------------------------------- the Makefile's own targets

def test_make_hub_starts_stops_and_restarts_keeping_the_class(tmp_path):
    """`make hub` (set-up, then JupyterHub in the foreground), stopped by `make hub-stop`, then
    started again and stopped by Ctrl+C."""
    _need_everything()
    import requests

    roster = _csv(tmp_path, "roster.csv", "username,role,name\nhubm-teach,instructor,T M\nhubm-ann,student,Ann M\n")
    courses = _csv(tmp_path, "courses.csv", "course_id,title\nnn-make,Make course\n")
    top = Path(tempfile.mkdtemp(prefix="chipcourse-hub-", dir="/var/tmp"))
    top.chmod(0o711)
    ports = [labserver.free_port() for _ in range(4)]
    # -o: use the hub environment `make test` made, never rebuild it under the other tests' feet
    make = ["make", "-s", "-C", str(ROOT), "-o", ".venv-hub/.installed", f"HUB_STATE={top / 'state'}", f"HUB_ROSTER={roster}",
            f"HUB_COURSES={courses}", f"HUB_PORT={ports[0]}", f"HUB_API_PORT={ports[1]}",
            f"HUB_PROXY_API_PORT={ports[2]}", f"HUB_SERVICE_PORT={ports[3]}"]
    env = {**os.environ, hubmod.TEST_PASSWORD_ENV: PASSWORD}
    try:
        for round_ in (1, 2):
            log = open(tmp_path / f"make-hub-{round_}.log", "w")
            proc = subprocess.Popen([*make, "hub"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            try:
                deadline = time.time() + 240
                while True:
                    try:
                        if requests.get(f"http://127.0.0.1:{ports[0]}/hub/login", timeout=2).ok:
                            break
                    except requests.RequestException:
                        pass
                    assert proc.poll() is None and time.time() < deadline, \
                        (tmp_path / f"make-hub-{round_}.log").read_text()[-3000:]
                    time.sleep(0.5)
                session = requests.Session()
                page = session.get(f"http://127.0.0.1:{ports[0]}/hub/login").text
                xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
                answer = session.post(f"http://127.0.0.1:{ports[0]}/hub/login", allow_redirects=False,
                                      data={"username": "hubm-ann", "password": PASSWORD, "_xsrf": xsrf})
                assert answer.status_code == 302, answer.status_code
                if round_ == 1:
                    stopped = subprocess.run([*make, "hub-stop"], capture_output=True, text=True, timeout=180)
                    assert stopped.returncode == 0 and "Hub stopped." in stopped.stdout, stopped
                else:   # Ctrl+C in the terminal that runs `make hub`
                    os.killpg(proc.pid, signal.SIGINT)
                proc.wait(timeout=150)
                text = (tmp_path / f"make-hub-{round_}.log").read_text()
                assert "Traceback" not in text, text[-3000:]
            finally:
                if proc.poll() is None:
                    os.killpg(proc.pid, 15)
                    proc.wait(timeout=60)
                log.close()
            settings = hubmod.Settings.load(top / "state")
            assert [m["username"] for m in settings.members] == ["hubm-teach", "hubm-ann"]
            assert (Path(settings.courses[0]["root"]) / "gradebook.db").exists()
            assert (settings.private / "jupyterhub.sqlite").exists()
            assert not _pids_of("hubm-ann") and not _pids_of("grader-nn-make"), "a server outlived the hub"
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{Path(settings.courses[0]['root']) / 'gradebook.db'}") as gb:
            assert [s.id for s in gb.students] == ["hubm-ann"]   # kept across the restart, not doubled
    finally:
        if (top / "state" / "hub" / "hub.json").exists():
            hubmod.stop(top / "state")
            hubmod.remove_accounts(top / "state")
        shutil.rmtree(top, ignore_errors=True)


def _pids_of(user: str) -> list[int]:
    try:
        uid = pwd.getpwnam(user).pw_uid
    except KeyError:
        return []
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _owner(p) == uid]


def _owner(path: Path) -> int | None:
    try:
        return path.stat().st_uid
    except OSError:
        return None
