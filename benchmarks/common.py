"""What every benchmark shares: statistics, tables, the results file and the README section.

Each benchmark module builds a :class:`Section` (tables, budgets with measured values,
notes) and calls :func:`main`, which prints it and merges it into
``benchmarks/results.json``; ``results.md`` and the README's block between
``<!-- bench:start -->`` and ``<!-- bench:end -->`` are then rendered from that file.
The pure parts (percentiles, tables, the README block) are unit-tested.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "benchmarks"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
#: the order sections appear in results.md and the README
ORDER = ["course_execution", "widget_latency", "browser_latency", "autograde", "setup_time", "quantum_simulator"]

# nbgrader and make shell out to `jupyter`, `alembic`, `python`: use this environment's.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


# --------------------------------------------------------------------------- statistics

def percentile(values, q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, linearly interpolated (NumPy's default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("inf")


# --------------------------------------------------------------------------- results

@dataclass
class Budget:
    """One budget: what it asks, what was measured, and whether it holds (None: not measured)."""

    name: str
    limit: str
    measured: str
    met: bool | None
    note: str = ""


@dataclass
class Table:
    headers: list[str]
    rows: list[list]
    title: str = ""


@dataclass
class Section:
    key: str
    title: str
    command: str
    budgets: list[Budget] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quick: bool = False
    measured_at: str = ""
    machine: dict = field(default_factory=dict)
    seconds: float = 0.0


def verdict(met: bool | None) -> str:
    return {True: "met", False: "NOT MET", None: "not measured"}[met]


def cell(value) -> str:
    """A table cell: floats with sensible precision, everything else as text."""
    if isinstance(value, float):
        if math.isinf(value) or math.isnan(value):
            return "–"
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def format_table(headers: list[str], rows: list[list], markdown: bool = False) -> str:
    """Rows as an aligned plain-text table, or a Markdown (GitHub) table."""
    text = [[cell(v) for v in row] for row in rows]
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(v.replace("|", "\\|") for v in row) + " |" for row in text]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in text)) if text else len(h) for i, h in enumerate(headers)]
    numeric = [all(_looks_numeric(r[i]) for r in text) and bool(text) for i in range(len(headers))]

    def line(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in text)])


def _looks_numeric(text: str) -> bool:
    try:
        float(text.replace("×", "").replace("%", ""))
        return True
    except ValueError:
        return text == "–"


def budget_table(budgets: list[Budget], markdown: bool = False) -> str:
    return format_table(["budget", "limit", "measured", "verdict"],
                        [[b.name, b.limit, b.measured, verdict(b.met) + (f" ({b.note})" if b.note else "")]
                         for b in budgets], markdown)


def render_text(section: Section) -> str:
    """A section as the console shows it."""
    parts = [f"== {section.title} ==", ""]
    for table in section.tables:
        if table.title:
            parts.append(table.title)
        parts += [format_table(table.headers, table.rows), ""]
    parts += [budget_table(section.budgets), ""]
    parts += [f"note: {n}" for n in section.notes]
    return "\n".join(parts).rstrip() + "\n"


def machine() -> dict:
    """Where the numbers were measured: cores, memory, CPU model, OS, Python."""
    memory_gb = None
    try:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {"cores": os.cpu_count(), "memory_gb": memory_gb, "cpu": cpu,
            "os": f"{platform.system()} {platform.release()} ({_os_name()})",
            "python": platform.python_version(), "load_average": load}


def _os_name() -> str:
    try:
        return platform.freedesktop_os_release().get("PRETTY_NAME", "")
    except (OSError, AttributeError):
        return platform.platform()


def describe_machine(m: dict, load: bool = True) -> str:
    at_start = f"; load average at start {m['load_average'][0]}" if load and m.get("load_average") else ""
    return (f"{m.get('cores')} cores ({m.get('cpu') or 'unknown CPU'}), {m.get('memory_gb')} GB RAM, "
            f"{m.get('os')}, Python {m.get('python')}{at_start}")


def load_results(directory: Path) -> dict:
    try:
        return json.loads((directory / "results.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def section_from_dict(data: dict) -> Section:
    data = dict(data)
    data["budgets"] = [Budget(**b) for b in data.get("budgets", [])]
    data["tables"] = [Table(**t) for t in data.get("tables", [])]
    return Section(**data)


def save(section: Section, directory: Path) -> dict:
    """Merge ``section`` into ``directory/results.json`` and rewrite ``results.md``."""
    directory.mkdir(parents=True, exist_ok=True)
    results = load_results(directory)
    results[section.key] = asdict(section)
    (directory / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    (directory / "results.md").write_text(render_markdown(results), encoding="utf-8")
    return results


def ordered(results: dict) -> list[Section]:
    keys = sorted(results, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))
    return [section_from_dict(results[k]) for k in keys]


def render_markdown(results: dict) -> str:
    """results.md: every budget first, then each section's tables and notes."""
    sections = ordered(results)
    out = ["# Benchmark results", "",
           "Written by `make bench` (`python -m benchmarks`); do not edit by hand. "
           "See benchmarks/README.md for what each benchmark does.", "",
           summary_markdown(sections), ""]
    for s in sections:
        out += [f"## {s.title}", "",
                f"Measured {s.measured_at} in {s.seconds:.0f} s with `{s.command}`"
                f"{' (quick configuration: not a result)' if s.quick else ''}, on {describe_machine(s.machine)}.",
                ""]
        for t in s.tables:
            if t.title:
                out += [f"**{t.title}**", ""]
            out += [format_table(t.headers, t.rows, markdown=True), ""]
        out += [f"- {n}" for n in s.notes]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def summary_markdown(sections: list[Section]) -> str:
    rows = [[b.name, b.limit, b.measured, ("✅ met" if b.met else "❌ not met" if b.met is False
                                           else "not measured") + (f": {b.note}" if b.note else "")]
            for s in sections for b in s.budgets]
    return format_table(["budget", "limit", "measured here", "verdict"], rows, markdown=True)


def readme_block(results: dict) -> str:
    """The generated part of the README's performance section."""
    sections = ordered(results)
    if not sections:
        return "No results yet: run `make bench`."
    machines = {describe_machine(s.machine, load=False) for s in sections}
    dates = sorted(s.measured_at for s in sections)
    loads = sorted(s.machine["load_average"][0] for s in sections if s.machine.get("load_average"))
    quick = any(s.quick for s in sections)
    busy = (f" The load average at the start of the benchmarks was {loads[0]:g}–{loads[-1]:g}"
            f"{' (other work shared the cores, so absolute times are noisy; the ratios, measured in the same run, decide)' if loads[-1] >= 1 else ''}."
            if loads else "")
    lines = [f"Latest results ({dates[0][:10]}{' to ' + dates[-1][:10] if dates[-1][:10] != dates[0][:10] else ''}), "
             f"on {'; '.join(sorted(machines))}, with `make bench`.{busy}"
             + (" **Quick configuration: not a result.**" if quick else ""), "",
             summary_markdown(sections), "",
             "Every table behind these numbers is in [benchmarks/results.md](benchmarks/results.md)."]
    return "\n".join(lines)


def replace_block(text: str, block: str, start: str = START, end: str = END) -> str:
    """``text`` with everything between the ``start`` and ``end`` markers replaced by ``block``."""
    i, j = text.find(start), text.find(end)
    if i < 0 or j < 0 or j < i:
        raise ValueError(f"the markers {start} and {end} are missing or out of order")
    return f"{text[:i + len(start)]}\n{block.strip()}\n{text[j:]}"


def update_readme(results: dict, readme: Path) -> bool:
    """Rewrite the README's results block; False (and no change) if it has no markers."""
    try:
        text = readme.read_text(encoding="utf-8")
        new = replace_block(text, readme_block(results))
    except (OSError, ValueError):
        return False
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return True


# --------------------------------------------------------------------------- running

def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="a tiny configuration (smoke test, not a result)")
    p.add_argument("--results", type=Path, default=RESULTS_DIR,
                   help="folder for results.json and results.md (default: benchmarks/)")
    p.add_argument("--readme", type=Path, default=None,
                   help="README to update, or `none` (default: the course README, except with --quick)")
    return p


def readme_path(args) -> Path | None:
    """The README a run updates: ``--readme`` (``none``: no README), else the course's unless quick."""
    if args.readme is not None:
        return None if str(args.readme) == "none" else args.readme
    return None if args.quick else README


def main(key: str, run, doc: str, options=None, argv=None) -> Section:
    """The command line of benchmark ``key``: parse (``options(parser)`` adds its own), run
    (``run(args) -> Section``), print the section and save it."""
    p = parser(doc.strip().splitlines()[0])
    if options is not None:
        options(p)
    args = p.parse_args(argv)
    started = dt.datetime.now(dt.timezone.utc)
    m = machine()
    t0 = _now()
    section = run(args)
    section.key, section.quick = key, args.quick
    section.command = f"python -m benchmarks.{key}" + (" --quick" if args.quick else "")
    section.measured_at = started.strftime("%Y-%m-%d %H:%M UTC")
    section.machine, section.seconds = m, round(_now() - t0, 1)
    print(render_text(section), flush=True)
    results = save(section, args.results)
    readme = readme_path(args)
    if readme is not None and not update_readme(results, readme):
        print(f"(no {START} … {END} block in {readme}: README not updated)")
    print(f"results: {args.results / 'results.md'}")
    return section


def _now() -> float:
    import time

    return time.perf_counter()


def git_files(root: Path = ROOT) -> list[str]:
    """The checkout's files as a clone would have them (tracked, plus new files git does not
    ignore), or every file if git is missing."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root, capture_output=True, check=True).stdout
        return [p for p in out.decode().split("\0") if p and (root / p).exists()]
    except (OSError, subprocess.CalledProcessError):
        skip = {".venv", ".git", "__pycache__", ".pytest_cache"}
        return [str(p.relative_to(root)) for p in root.rglob("*")
                if p.is_file() and not skip & set(p.relative_to(root).parts)]


def copy_checkout(dest: Path, root: Path = ROOT) -> Path:
    """Copy the tracked files of the checkout to ``dest`` (modification times kept)."""
    import shutil

    for rel in git_files(root):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target)
    return dest
