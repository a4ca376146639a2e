"""A class on JupyterHub: the roster, the Unix accounts, the exchange, the hub's configuration.

``make hub`` runs :func:`setup` and then :func:`start`; ``make hub-stop`` runs :func:`stop`.
What a class gets (docs/teaching.md, "Many students: JupyterHub"):

* every row of ``hub/roster.csv`` (username, role, name, courses) becomes a Unix account with
  a private home (mode 0700), spawned by JupyterHub's ``LocalProcessSpawner``, so nbgrader's
  exchange permissions and the grading sandbox really separate students; students are added
  to each of their courses' gradebook and ``nbgrader-<course>`` group, instructors to
  ``formgrade-<course>`` as well;
* every course of ``hub/courses.csv`` gets a grader account ``grader-<course>`` holding its
  own copy of the exercise sources, release and gradebook, and a formgrader (a
  ``jupyterhub-singleuser`` service running as that account) that only the course's
  instructors may open, as in nbgrader's ``demo_multiple_classes``;
* nbgrader's exchange, with the permissions nbgrader documents (the root writable by
  everyone, the sticky bit added so that nobody can rename another's folder; each course's
  ``outbound`` 0755, ``inbound`` 2733, ``feedback`` 0711);
* students get the learners' JupyterLab with the Assignments tab (fetch, submit, feedback)
  and none of nbgrader's teacher panels; instructors get the teacher lab.

The roster is validated as a whole before anything is created: a bad row gets a sentence
naming it, and nothing is half made. The hub authenticates with PAM (JupyterHub's default):
the accounts exist anyway, so the Unix password is the hub's password and no second user
database is kept. ``setup`` gives each new person a random first password, written to
``<state>/hub/initial-passwords.csv`` (readable by root only). JupyterHub's test authenticator
(``SharedPasswordAuthenticator``, the successor of ``DummyAuthenticator``: one shared password)
is used only when ``CHIPCOURSE_HUB_TEST_PASSWORD`` is set, as the tests do.

Command line: ``python -m chipcourse.hub --help``.
"""

from __future__ import annotations

import csv
import grp
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["ROLES", "Course", "HubError", "Member", "RosterError", "Settings", "configure", "exchange_problems",
           "groups", "read_courses", "read_roster", "roles", "services", "setup", "start", "stop",
           "remove_accounts"]

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("student", "instructor")
#: a username that is safe as a Unix account, a JupyterHub user, an nbgrader student id and a
#: folder name in the exchange ('+' separates nbgrader's exchange names, so it is refused)
USERNAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}[a-z0-9]$|^[a-z]$")
COURSE_ID = re.compile(r"^[a-z][a-z0-9-]{0,23}[a-z0-9]$")
#: names the hub keeps for itself or that Unix systems reserve
RESERVED = frozenset({"root", "admin", "jupyterhub", "nobody", "nogroup", "daemon", "sudo", "staff",
                      "users", "wheel", "www-data", "operator", "system"})
GRADER_PREFIX = "grader-"
#: what marks an account as made by this hub (the GECOS field ends with it)
MARK = "chipcourse-hub"
TEST_PASSWORD_ENV = "CHIPCOURSE_HUB_TEST_PASSWORD"
#: nbgrader plugin ids (nbgrader 0.9.6 labextension) that are teacher panels
TEACHER_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                   "@jupyter/nbgrader:course-list")
TEACHER_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
#: folders of a checkout that hold what students must not read (the source with solutions,
#: grading folders, the answer key edition)
PRIVATE_IN_CHECKOUT = ("exercises", "submitted", "autograded", "feedback", "gradebook.db", "reports",
                       "solutions")


class HubError(RuntimeError):
    """Something the hub cannot do; the message is one sentence saying what and what to do."""


class RosterError(HubError, ValueError):
    """The roster or the course list has bad rows; the message names each one."""


@dataclass(frozen=True)
class Course:
    id: str
    title: str

    @property
    def grader(self) -> str:
        return GRADER_PREFIX + self.id


@dataclass(frozen=True)
class Member:
    username: str
    role: str
    name: str
    courses: tuple[str, ...]


# ---------------------------------------------------------------------------- reading

def _rows(path: Path, required: tuple[str, ...]):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RosterError(f"{path} does not exist.") from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [h for h in required if h not in header]
    if missing:
        raise RosterError(f"{path} line 1: the header lacks {', '.join(missing)} "
                          f"(it needs {', '.join(required)}).")
    for number, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if any(row.values()):
            yield number, row


def read_courses(path: Path) -> list[Course]:
    """The courses of ``hub/courses.csv`` (course_id, title); every bad row is named."""
    problems, courses, seen = [], [], {}
    for number, row in _rows(path, ("course_id", "title")):
        cid, title = row["course_id"], row["title"]
        where = f"{Path(path).name} line {number}"
        if not COURSE_ID.match(cid):
            problems.append(f"{where}: course id {cid!r} must be 2 to 25 lowercase letters, digits or "
                            f"'-', starting with a letter (it names groups and the grader account).")
        elif cid in seen:
            problems.append(f"{where}: course {cid!r} is listed twice (first on line {seen[cid]}).")
        else:
            seen[cid] = number
            courses.append(Course(cid, title or cid))
    if not courses and not problems:
        problems.append(f"{path} lists no course.")
    if problems:
        raise RosterError("\n".join(problems))
    return courses


def read_roster(path: Path, courses: list[Course]) -> list[Member]:
    """The class of ``hub/roster.csv`` (username, role, name and optionally courses).

    ``courses`` is a space-separated list of course ids; left blank, the first course.
    Duplicate usernames, unknown roles or courses, unsafe or reserved usernames and names
    that cannot go in the account database are refused, each with the row named."""
    known = [c.id for c in courses]
    problems, members, seen = [], [], {}
    for number, row in _rows(path, ("username", "role", "name")):
        where = f"{Path(path).name} line {number}"
        username, role, name = row["username"], row["role"].lower(), row["name"]
        wanted = tuple(row.get("courses", "").split()) or tuple(known[:1])
        if not USERNAME.match(username):
            problems.append(f"{where}: username {username!r} is not a safe account name (1 to 32 lowercase "
                            f"letters, digits, '-' or '_', starting with a letter, not ending in '-').")
        elif username in RESERVED or username.startswith(GRADER_PREFIX) or \
                username.startswith(("nbgrader", "formgrade")):
            problems.append(f"{where}: username {username!r} is reserved for the system or the hub.")
        elif username in seen:
            problems.append(f"{where}: username {username!r} is listed twice (first on line {seen[username]}).")
        elif role not in ROLES:
            problems.append(f"{where}: role {row['role']!r} for {username} is not one of {', '.join(ROLES)}.")
        elif not name or any(ch in name for ch in ":,\n\r\t") or not name.isprintable():
            problems.append(f"{where}: the name for {username} must be non-empty printable text without "
                            f"':' or ','.")
        elif unknown := [c for c in wanted if c not in known]:
            problems.append(f"{where}: {username} is in course {unknown[0]!r}, which is not in the course list "
                            f"({', '.join(known)}).")
        else:
            seen[username] = number
            members.append(Member(username, role, name, wanted))
    if not members and not problems:
        problems.append(f"{path} lists nobody.")
    if problems:
        raise RosterError("\n".join(problems))
    return members


# ---------------------------------------------------------------------------- the hub's groups and roles

def groups(members: list[Member], courses: list[Course]) -> dict[str, dict]:
    """JupyterHub groups: ``nbgrader-<course>`` (everyone in it), ``formgrade-<course>``
    (its instructors and grader), ``instructors``."""
    out = {"instructors": {"users": sorted(m.username for m in members if m.role == "instructor")}}
    for course in courses:
        inside = [m for m in members if course.id in m.courses]
        out[f"nbgrader-{course.id}"] = {"users": sorted(m.username for m in inside)}
        out[f"formgrade-{course.id}"] = {"users": sorted([course.grader] + [m.username for m in inside
                                                                         if m.role == "instructor"])}
    return out


def roles(courses: list[Course]) -> list[dict]:
    """The roles of nbgrader's multiple-classes demo: a course's formgrader for its
    ``formgrade-`` group, the course's service listed for its ``nbgrader-`` group, and the
    servers' tokens inheriting their owner's permissions (the course list needs them)."""
    out = [
        {"name": "instructor", "groups": ["instructors"], "scopes": ["admin:users", "admin:servers"]},
        {"name": "server", "scopes": ["inherit"]},
    ]
    for course in courses:
        out.append({"name": f"formgrade-{course.id}", "groups": [f"formgrade-{course.id}"],
                    "scopes": [f"access:services!service={course.id}"]})
        out.append({"name": f"nbgrader-{course.id}", "groups": [f"nbgrader-{course.id}"],
                    "scopes": ["list:services", f"read:services!service={course.id}"]})
        # the formgrader service reads who is in its course (nbgrader's JupyterHubAuthPlugin)
        out.append({"name": f"grader-{course.id}", "services": [course.id],
                    "scopes": ["list:users", "read:users", "read:groups", "list:groups",
                               f"groups!group=nbgrader-{course.id}"]})
    return out


# ---------------------------------------------------------------------------- settings

@dataclass
class Settings:
    """Everything ``hub/jupyterhub_config.py`` needs, written by :func:`setup` to ``<state>/hub.json``."""

    state: str
    checkout: str
    venv_bin: str
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    courses: list[dict] = field(default_factory=list)   # id, title, grader, root, port
    members: list[dict] = field(default_factory=list)   # username, role, name, courses

    @property
    def exchange(self) -> Path:
        return Path(self.state) / "exchange"

    @property
    def private(self) -> Path:
        """The hub's own files (database, cookie secret, pid files, first passwords): root only."""
        return Path(self.state) / "hub"

    def config_dir(self, role: str) -> Path:
        return Path(self.state) / "config" / role

    @classmethod
    def load(cls, state: Path) -> "Settings":
        path = Path(state) / "hub" / "hub.json"
        if not path.exists():
            raise HubError(f"{state} holds no hub: run `make hub` (as root) to set one up there.")
        return cls(**json.loads(path.read_text()))

    def save(self) -> None:
        path = self.private / "hub.json"
        path.write_text(json.dumps(asdict(self), indent=1))
        path.chmod(0o600)

    def course_list(self) -> list[Course]:
        return [Course(c["id"], c["title"]) for c in self.courses]

    def member_list(self) -> list[Member]:
        return [Member(m["username"], m["role"], m["name"], tuple(m["courses"])) for m in self.members]


def services(settings: Settings) -> list[dict]:
    """One formgrader per course: ``jupyterhub-singleuser`` as the course's grader account."""
    out = []
    for course in settings.courses:
        out.append({
            "name": course["id"],
            "url": f"http://127.0.0.1:{course['port']}",
            "command": [str(Path(settings.venv_bin) / "jupyterhub-singleuser"), "--ServerApp.ip=127.0.0.1",
                        "--LabApp.expose_app_in_browser=True",
                        f"--ServerApp.root_dir={course['root']}"],
            "user": course["grader"],
            "cwd": course["root"],
            "environment": {"JUPYTERHUB_DEFAULT_URL": "/lab", "PATH": _path(settings),
                            "JUPYTER_CONFIG_PATH": str(settings.config_dir("grader")),
                            "HOME": str(Path(course["root"]).parent)},
            "oauth_no_confirm": True,
        })
    return out


def _path(settings: Settings) -> str:
    return os.pathsep.join([settings.venv_bin, "/usr/local/bin", "/usr/bin", "/bin"])


def configure(c, state: Path) -> None:
    """Fill JupyterHub's config object ``c`` from ``<state>/hub.json`` (hub/jupyterhub_config.py)."""
    settings = Settings.load(state)
    st = settings.private
    members = settings.member_list()
    c.JupyterHub.ip = "127.0.0.1"
    c.JupyterHub.port = settings.port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings.hub_port
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(st / "proxy.pid")
    c.ConfigurableHTTPProxy.debug = False
    c.JupyterHub.db_url = f"sqlite:///{st / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(st / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(st / "jupyterhub.pid")
    c.JupyterHub.cleanup_servers = True   # Ctrl+C and make hub-stop stop every server
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.Spawner.cmd = [str(Path(settings.venv_bin) / "jupyterhub-singleuser")]
    c.Spawner.args = ["--ServerApp.ip=127.0.0.1", "--LabApp.expose_app_in_browser=True"]
    c.Spawner.default_url = "/lab"
    c.Spawner.notebook_dir = "~"
    c.Spawner.start_timeout = 180
    c.Spawner.http_timeout = 120
    c.Spawner.environment = {"PATH": _path(settings), "CHIPCOURSE_CHARTS": "interactive"}
    instructors = {m.username for m in members if m.role == "instructor"}

    def per_role(spawner):  # learners' lab for students, the teacher lab for instructors
        role = "instructor" if spawner.user.name in instructors else "student"
        # a new dict: the configured one may be shared by every spawner
        spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": str(settings.config_dir(role))}

    c.Spawner.pre_spawn_hook = per_role
    password = os.environ.get(TEST_PASSWORD_ENV)
    if password:   # tests only: one shared password, no PAM (JupyterHub's successor to DummyAuthenticator)
        c.JupyterHub.authenticator_class = "shared-password"
        c.SharedPasswordAuthenticator.user_password = password
    else:
        c.JupyterHub.authenticator_class = "pam"
        c.PAMAuthenticator.open_sessions = False
    c.Authenticator.allowed_users = {m.username for m in members}
    c.JupyterHub.load_groups = groups(members, settings.course_list())
    c.JupyterHub.load_roles = roles(settings.course_list())
    c.JupyterHub.services = services(settings)


# ---------------------------------------------------------------------------- the exchange

def exchange_problems(root: Path, courses: list[tuple[str, str]]) -> list[str]:
    """What is wrong with the exchange ``root`` for ``courses`` ((course id, grader account)
    pairs), one sentence each; empty when nbgrader can use it."""
    root = Path(root)
    fix = f"run `make hub` as root to make it again, or `mkdir -p {root} && chmod 1777 {root}`"
    if not root.is_dir():
        return [f"The exchange folder {root} is missing, so students can neither fetch nor submit: {fix}."]
    problems = []
    mode = stat.S_IMODE(root.stat().st_mode)
    if mode & 0o777 != 0o777:
        problems.append(f"The exchange folder {root} has permissions {mode:04o}; nbgrader needs every user "
                        f"to read, write and enter it (1777): {fix}.")
    wanted = {"outbound": 0o755, "inbound": 0o2733, "feedback": 0o711}
    for course_id, grader in courses:
        for name, perms in wanted.items():
            folder = root / course_id / name
            if not folder.is_dir():
                problems.append(f"The exchange folder {folder} is missing: run `make hub` as root to make it.")
                continue
            info = folder.stat()
            have = stat.S_IMODE(info.st_mode)
            owner = pwd.getpwuid(info.st_uid).pw_name if _uid_known(info.st_uid) else str(info.st_uid)
            if have != perms or owner != grader:
                problems.append(f"The exchange folder {folder} is {have:04o} owned by {owner}; nbgrader needs "
                                f"{perms:04o} owned by {grader}: run `make hub` as root to repair it.")
    return problems


def _hub_exchange_problems(settings: Settings) -> list[str]:
    return exchange_problems(settings.exchange, [(c["id"], c["grader"]) for c in settings.courses])


def _uid_known(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
        return True
    except KeyError:
        return False


# ---------------------------------------------------------------------------- set-up (as root)

def _run(*cmd: str, input: str | None = None) -> None:
    result = subprocess.run(cmd, input=input, capture_output=True, text=True)
    if result.returncode != 0:
        raise HubError(f"`{' '.join(cmd[:2])} …` failed: {(result.stderr or result.stdout).strip()[:300]}")


def _account(name: str):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def _ours(entry) -> bool:
    return entry is not None and entry.pw_gecos.endswith(MARK)


def _unreachable(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that other users cannot enter, if any."""
    for folder in [*reversed(Path(path).resolve().parents), Path(path).resolve()]:
        if folder.is_dir() and not stat.S_IMODE(folder.stat().st_mode) & stat.S_IXOTH:
            return folder
    return None


def _check_accounts(members: list[Member], courses: list[Course]) -> None:
    problems = []
    for who in [m.username for m in members] + [c.grader for c in courses]:
        entry = _account(who)
        if entry is not None and not _ours(entry):
            problems.append(f"The account {who!r} already exists on this machine and was not made by the hub; "
                            f"rename that roster row (the hub does not take over existing accounts).")
    if problems:
        raise RosterError("\n".join(problems))


def _make_account(name: str, full_name: str) -> bool:
    """A Unix account with a private home; True if it was made now."""
    if _account(name) is not None:
        return False
    _run("useradd", "--create-home", "--shell", "/bin/bash", "--user-group", "--comment",
         f"{full_name} {MARK}", name)
    home = Path(pwd.getpwnam(name).pw_dir)
    home.chmod(0o700)
    return True


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def write_role_configs(folder: Path, exchange: Path) -> None:
    """Jupyter configuration per role in ``folder``/{student,instructor,grader}: nbgrader's
    exchange settings for all; for students also the lab without nbgrader's teacher panels
    and the server without the formgrader and course-list extensions. The hub points
    ``JUPYTER_CONFIG_PATH`` at one of them; the course image (Dockerfile) ships them too."""
    folder = Path(folder)
    student = folder / "student"
    _write(student / "labconfig" / "page_config.json",
           json.dumps({"disabledExtensions": dict.fromkeys(TEACHER_PLUGINS, True)}, indent=2) + "\n")
    # a terminal keeps the server's PATH (the course's Python, nbgrader): bash, not a login shell,
    # which would reset PATH from /etc/profile
    terminal = {"terminado_settings": {"shell_command": ["/bin/bash"]}}
    _write(student / "jupyter_server_config.json", json.dumps({"ServerApp": {
        "jpserver_extensions": dict.fromkeys(TEACHER_SERVER_EXTENSIONS, False), **terminal}}, indent=2) + "\n")
    for role in ("instructor", "grader"):
        _write(folder / role / "jupyter_server_config.json", json.dumps({"ServerApp": terminal}, indent=2) + "\n")
    lines = ["# written by chipcourse.hub: nbgrader on this hub", "c = get_config()  # noqa: F821",
             f'c.Exchange.root = "{exchange}"', "c.Exchange.path_includes_course = True",
             'c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"', ""]
    for role in ("student", "instructor", "grader"):
        _write(folder / role / "nbgrader_config.py", "\n".join(lines))
    for path in (folder, *(folder / r for r in ("student", "instructor", "grader")), student / "labconfig"):
        path.chmod(0o755)


def _chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for folder, dirs, files in os.walk(path):
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        for name in files:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid, follow_symlinks=False)


def _setup_course(settings: Settings, course: Course, members: list[Member], checkout: Path) -> dict:
    home = Path(pwd.getpwnam(course.grader).pw_dir)
    root = home / course.id
    if not (root / "nbgrader_config.py").exists():   # a restart keeps what is there
        shutil.copytree(checkout / "exercises", root / "exercises",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        own = (checkout / "nbgrader_config.py").read_text(encoding="utf-8")
        _write(root / "nbgrader_config.py", own.rstrip() + f"\n\n# this hub's course (chipcourse.hub)\n"
                                             f'c.CourseDirectory.course_id = "{course.id}"\n')
    from nbgrader.api import Gradebook

    from .classroom import Course as ClassCourse
    from .classroom import release

    class_course = ClassCourse(root)
    if not (root / "release").exists():
        release(class_course)
    with Gradebook(class_course.db_url) as gb:
        for member in members:
            if course.id in member.courses and member.role == "student":
                first, _, last = member.name.partition(" ")
                gb.update_or_create_student(member.username, first_name=first, last_name=last)
    _chown_tree(home, course.grader)
    home.chmod(0o700)
    grader = pwd.getpwnam(course.grader)
    base = settings.exchange / course.id
    base.mkdir(exist_ok=True)
    os.chown(base, grader.pw_uid, grader.pw_gid)
    base.chmod(0o755)
    for name, perms in {"outbound": 0o755, "inbound": 0o2733, "feedback": 0o711}.items():
        (base / name).mkdir(exist_ok=True)
        os.chown(base / name, grader.pw_uid, grader.pw_gid)
        (base / name).chmod(perms)
    return {"id": course.id, "title": course.title, "grader": course.grader, "root": str(root)}


def protect_checkout(checkout: Path) -> list[Path]:
    """Take read access away from other users on what students must not read in the checkout
    (the exercise sources with solutions, grading folders); the package and data stay readable."""
    done = []
    for name in PRIVATE_IN_CHECKOUT:
        path = Path(checkout) / name
        if path.exists():
            path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o007)
            done.append(path)
    return done


def setup(state: Path, roster: Path, courses_file: Path, port: int = 8000, hub_port: int = 8081,
          proxy_api_port: int = 8001, service_ports: list[int] | None = None,
          checkout: Path = ROOT, venv_bin: Path | None = None) -> Settings:
    """Make (or bring up to date) the hub in ``state`` for the class in ``roster``.

    Validates everything first; then makes the accounts, the exchange, each course's grader
    folder and gradebook, and ``<state>/hub.json``. Running it again keeps every existing
    account, gradebook, submission and password."""
    courses = read_courses(courses_file)
    members = read_roster(roster, courses)
    if os.geteuid() != 0:
        raise HubError("Setting up the hub makes Unix accounts: run `make hub` as root (sudo make hub).")
    venv_bin = Path(venv_bin or Path(sys.executable).parent)
    for path in (checkout, venv_bin, (venv_bin / "python").resolve()):
        blocked = _unreachable(path)
        if blocked:
            raise HubError(f"Other users cannot enter {blocked}, so students' servers could not start the "
                           f"course's Python in {venv_bin}: put the checkout (and the Python its hub "
                           f"environment is made from, HUB_PYTHON) where all users can reach them "
                           f"(e.g. /srv or /opt) or `chmod o+x {blocked}`.")
    _check_accounts(members, courses)
    state = Path(state).resolve()
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o711)   # users enter it (config, exchange) but cannot list it
    (state / "hub").mkdir(exist_ok=True)
    (state / "hub").chmod(0o700)   # the hub's database, secrets and first passwords
    exchange = state / "exchange"
    exchange.mkdir(exist_ok=True)
    exchange.chmod(0o1777)
    ports = list(service_ports or [])
    settings = Settings(str(state), str(Path(checkout).resolve()), str(venv_bin), port, hub_port, proxy_api_port)
    write_role_configs(Path(settings.state) / "config", settings.exchange)
    new_passwords = []
    for course in courses:
        _make_account(course.grader, f"nbgrader grader for {course.title}")
    for member in members:
        if _make_account(member.username, member.name):
            new_passwords.append((member.username, secrets.token_urlsafe(9)))
    if new_passwords:
        _run("chpasswd", input="".join(f"{u}:{p}\n" for u, p in new_passwords))
        book = state / "hub" / "initial-passwords.csv"
        fresh = not book.exists()
        with open(book, "a", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            if fresh:
                writer.writerow(["username", "initial_password"])
            writer.writerows(new_passwords)
        book.chmod(0o600)
    for i, course in enumerate(courses):
        entry = _setup_course(settings, course, members, Path(checkout))
        entry["port"] = ports[i] if i < len(ports) else 9999 - i
        settings.courses.append(entry)
    settings.members = [asdict(m) for m in members]
    protect_checkout(Path(checkout))
    settings.save()
    return settings


def remove_accounts(state: Path) -> list[str]:
    """Delete the accounts (and homes) this hub made; for tests and for ending a term."""
    settings = Settings.load(state)
    removed = []
    for who in [m["username"] for m in settings.members] + [c["grader"] for c in settings.courses]:
        if _ours(_account(who)):
            subprocess.run(["pkill", "-KILL", "-u", who], capture_output=True)
            _run("userdel", "--remove", who)
            removed.append(who)
        try:
            grp.getgrnam(who)
            subprocess.run(["groupdel", who], capture_output=True)
        except KeyError:
            pass
    return removed


# ---------------------------------------------------------------------------- start and stop

def _pid(state: Path) -> int | None:
    """The running hub's process id, from its pid file (None: no hub runs from ``state``)."""
    try:
        pid = int((Path(state) / "hub" / "jupyterhub.pid").read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def start_command(state: Path) -> list[str]:
    """JupyterHub run by the hub environment's Python (the one ``setup`` recorded), not this one."""
    python = Path(Settings.load(state).venv_bin) / "python"
    return [str(python), "-m", "jupyterhub", "-f", str(ROOT / "hub" / "jupyterhub_config.py")]


def ready_to_start(state: Path) -> Settings:
    """The hub's settings, once the exchange, the proxy and the pid file say it can start."""
    settings = Settings.load(state)
    problems = _hub_exchange_problems(settings)
    if problems:
        raise HubError("\n".join(problems))
    if shutil.which("configurable-http-proxy", path=_path(settings)) is None:
        raise HubError("configurable-http-proxy is not installed: `make hub` installs it with npm.")
    if _pid(state):
        raise HubError(f"A hub is already running from {state} (pid {_pid(state)}): `make hub-stop` stops it.")
    return settings


def start(state: Path, env: dict | None = None, log=None) -> subprocess.Popen:
    """Start JupyterHub for ``state`` (after checking the exchange); returns the process."""
    settings = ready_to_start(state)
    full_env = {**os.environ, **(env or {}), "CHIPCOURSE_HUB_STATE": str(settings.state),
                "PATH": _path(settings)}
    return subprocess.Popen(start_command(state), cwd=settings.private, env=full_env,
                            stdout=log, stderr=subprocess.STDOUT if log else None,
                            start_new_session=log is not None)


def wait_until_up(settings: Settings, proc: subprocess.Popen, timeout: float = 180) -> None:
    """Wait until the hub answers and every course's formgrader listens; HubError if it died."""
    import socket
    import urllib.request

    def listening(port) -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", int(port))) == 0

    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{settings.port}/hub/api/", timeout=2)
            if all(listening(c["port"]) for c in settings.courses):
                return
        except OSError:
            pass
        if proc.poll() is not None:
            raise HubError(f"The hub stopped (exit code {proc.returncode}) before it answered (see its log).")
        if time.time() > deadline:
            raise HubError(f"The hub did not start within {timeout:.0f} s (see its log).")
        time.sleep(0.5)


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def _proxy_pid(state: Path) -> int | None:
    try:
        pid = int((Path(state) / "hub" / "proxy.pid").read_text().strip())
        return pid if b"configurable-http-proxy" in Path(f"/proc/{pid}/cmdline").read_bytes() else None
    except (OSError, ValueError):
        return None


def stop(state: Path, timeout: float = 120) -> bool:
    """Stop the hub running from ``state`` cleanly (its servers, services and proxy with it).

    JupyterHub stops them itself on SIGTERM; a hub that does not end within ``timeout``
    is killed, and then its proxy is stopped here so that nothing is left listening."""
    pid = _pid(state)
    if pid is None:
        return False
    proxy = _proxy_pid(state)
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + timeout
    while _alive(pid) and time.time() < deadline:
        time.sleep(0.3)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    if _alive(proxy):
        os.kill(proxy, signal.SIGTERM)
    return True


# ---------------------------------------------------------------------------- the instructor's exchange steps

def _merged_config(course):
    """nbgrader's configuration as the grader's server sees it: the files on Jupyter's
    config path (the hub's exchange settings), then the course folder's own."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    for folder in reversed(jupyter_config_path()):
        if (Path(folder) / "nbgrader_config.py").exists():
            config.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
    config.merge(course.config())
    return config


def exchange_step(step: str, assignment: str, course_root: Path = Path(".")) -> str:
    """Run one of nbgrader's exchange steps for the grader, from the course folder:
    ``release`` (release_assignment), ``collect`` or ``return`` (release_feedback).

    The exchange is checked first, and a failure is one sentence (nbgrader's last log
    line), never a traceback. Returns what was done, as a sentence."""
    from .classroom import Course as ClassCourse

    course = ClassCourse(course_root)
    config = _merged_config(course)
    root = Path(str(config.Exchange.get("root", "/srv/nbgrader/exchange")))
    course_id = str(config.CourseDirectory.get("course_id", ""))
    me = pwd.getpwuid(os.geteuid()).pw_name
    problems = exchange_problems(root, [(course_id, me)])
    if problems:
        raise HubError("\n".join(problems))
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    if "JupyterHubAuthPlugin" in str(config.Authenticator.get("plugin_class", "")) and not (
            os.environ.get("JUPYTERHUB_USER") and os.environ.get("JUPYTERHUB_API_TOKEN")):
        raise HubError("nbgrader asks the hub who is in the course, and this shell has no hub login "
                       "(JUPYTERHUB_USER, JUPYTERHUB_API_TOKEN): run it in a terminal of the course's "
                       "formgrader (Nbgrader > Course List).")
    api = NbGraderAPI(coursedir=CourseDirectory(config=config, root=str(course.root)), config=config)
    steps = {"release": api.release_assignment, "collect": api.collect, "return": api.release_feedback}
    if step not in steps:
        raise HubError(f"Unknown step {step!r}: use release, collect or return.")
    with course.inside():
        result = steps[step](assignment)
    if not result.get("success"):
        log = [line for line in (result.get("log") or "").splitlines()
               if line.startswith(("[ERROR]", "[CRITICAL]", "[FATAL]"))]
        reason = log[-1].split("]", 1)[1].strip() if log else "nbgrader gave no reason in its log"
        raise HubError(f"nbgrader could not {step} {assignment} for {course_id}: {reason}")
    return {"release": f"{assignment} is in the exchange for {course_id}: students can fetch it.",
            "collect": f"Submissions of {assignment} collected into {course.directory('submitted_directory')}.",
            "return": f"Feedback on {assignment} is in the exchange: students can fetch it."}[step]


def _service_env(grader: str) -> dict[str, str]:
    """The hub login of a running formgrader (its JUPYTERHUB_* variables), read from /proc as root."""
    uid = pwd.getpwnam(grader).pw_uid
    for proc in Path("/proc").iterdir():
        try:
            if not proc.name.isdigit() or proc.stat().st_uid != uid:
                continue
            if b"jupyterhub-singleuser" not in (proc / "cmdline").read_bytes():
                continue
            pairs = [item.split(b"=", 1) for item in (proc / "environ").read_bytes().split(b"\0") if b"=" in item]
            return {k.decode(): v.decode() for k, v in pairs if k.startswith(b"JUPYTERHUB_")}
        except OSError:
            continue
    return {}


def grader_command(settings: Settings, course_id: str, *args: str) -> tuple[list[str], Path]:
    """The command line (and folder) that runs ``python -m <args>`` as a course's grader account,
    with the environment of its running formgrader: what an instructor types in its terminal."""
    course = next(c for c in settings.courses if c["id"] == course_id)
    env = {"PATH": _path(settings), "HOME": str(Path(course["root"]).parent),
           "JUPYTER_CONFIG_PATH": str(settings.config_dir("grader")), **_service_env(course["grader"])}
    return (["runuser", "-u", course["grader"], "--", "env", *[f"{k}={v}" for k, v in env.items()],
             str(Path(settings.venv_bin) / "python"), "-m", *args], Path(course["root"]))


# ---------------------------------------------------------------------------- command line

def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m chipcourse.hub",
                                     description="A class on JupyterHub (docs/teaching.md).")
    parser.add_argument("--state", default="/srv/nodes-and-nations-hub",
                        help="the hub's folder: its database, the exchange, configuration")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("setup", help="accounts, exchange, graders' courses from the roster (as root)")
    make.add_argument("--roster", default=str(ROOT / "hub" / "roster.csv"))
    make.add_argument("--courses", default=str(ROOT / "hub" / "courses.csv"))
    make.add_argument("--port", type=int, default=8000)
    make.add_argument("--hub-port", type=int, default=8081, help="the hub's own API, behind the proxy")
    make.add_argument("--proxy-api-port", type=int, default=8001)
    make.add_argument("--service-port", type=int, default=9999,
                      help="the first course's formgrader (the next course one lower, and so on)")
    sub.add_parser("start", help="run JupyterHub in the foreground (Ctrl+C stops it cleanly)")
    sub.add_parser("stop", help="stop the hub started from --state")
    sub.add_parser("check", help="check the exchange")
    roles_cmd = sub.add_parser("role-config", help="write the per-role Jupyter configuration (for an image)")
    roles_cmd.add_argument("folder")
    roles_cmd.add_argument("--exchange", default="/srv/nbgrader/exchange")
    sub.add_parser("remove-accounts", help="delete the accounts this hub made (end of term, tests)")
    for step, words in (("release", "put a released assignment into the exchange"),
                        ("collect", "collect submissions from the exchange"),
                        ("return", "put generated feedback into the exchange")):
        one = sub.add_parser(step, help=f"{words} (as the grader, from the course folder)")
        one.add_argument("assignment")
    args = parser.parse_args(argv)
    state = Path(args.state)
    try:
        if args.command == "setup":
            settings = setup(state, Path(args.roster), Path(args.courses), port=args.port, hub_port=args.hub_port,
                             proxy_api_port=args.proxy_api_port,
                             service_ports=[args.service_port - i for i in range(100)])
            people = settings.member_list()
            print(f"Hub ready in {settings.state}: {sum(m.role == 'student' for m in people)} students, "
                  f"{sum(m.role == 'instructor' for m in people)} instructors, courses "
                  f"{', '.join(c['id'] for c in settings.courses)}. First passwords of new accounts: "
                  f"{settings.private}/initial-passwords.csv (root only).")
        elif args.command == "start":
            settings = ready_to_start(state)
            print(f"JupyterHub on http://127.0.0.1:{settings.port}/ (Ctrl+C stops it and every server).",
                  flush=True)
            os.chdir(settings.private)
            os.environ.update({"CHIPCOURSE_HUB_STATE": settings.state, "PATH": _path(settings)})
            command = start_command(state)
            os.execv(command[0], command)
        elif args.command == "stop":
            print("Hub stopped." if stop(state) else f"No hub is running from {state}.")
        elif args.command == "check":
            problems = _hub_exchange_problems(Settings.load(state))
            print("\n".join(problems) or "The exchange is ready.")
            return 1 if problems else 0
        elif args.command == "role-config":
            write_role_configs(Path(args.folder), Path(args.exchange))
            print(f"Jupyter configuration for students, instructors and graders written to {args.folder}")
        elif args.command == "remove-accounts":
            print("Removed: " + (", ".join(remove_accounts(state)) or "nothing"))
        else:
            print(exchange_step(args.command, args.assignment))
    except HubError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
