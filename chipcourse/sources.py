"""Is the course's data still true? An offline check of every table's sources (``make check-sources``).

Nothing here visits the internet: it reads the tables described in ``data/datapackage.json``
and the maintainers' rules in ``data/source_review.json``, and lists, table by table,

* **old rows**: rows whose evidence is older than the table's stated age. A row is dated
  by the first of: a field saying when the source stated it (``stated``, ``as_of``,
  ``accessed``, ``retrieved``); the date in its citation (the last part of ``source``,
  "publisher, title, date"; "n.d. (2018)" counts as 2018); the row's own date (a ``date``
  field, ``…_date``, ``year_announced`` or ``year``), when that is not in the future. A
  table the rules call *history* (dated events, past series, physical constants) is not
  aged: its rows do not go stale, and the report gives only its newest date;
* **rows whose only source is weak**: the row's ``source_url`` matches an entry of the
  rules' ``weak_sources`` (a forum post, a copy of Wikipedia, an unsigned aggregator…)
  and its note names no other address that is not weak;
* **addresses to look at**: a ``source_url`` that is malformed (no host, spaces, a bad
  escape…) or odd (a bare IP address, an address wrapped in another, a host ending in a
  dot), and one address cited for different claims: rows of one table that agree on
  everything but a number, or citations of one address that give it different years.

It is a report, not a gate: :func:`main` exits 0 whatever it finds, and 2 only when a table
(or the rules file) cannot be read.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import ipaddress
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from . import data

__all__ = ["Finding", "TableReport", "Rules", "rules", "citation_year", "evidence_year",
           "weak_match", "url_problems", "check_table", "check_all", "render", "main"]

RULES_FILE = "source_review.json"
#: fields that say when the source made its statement (first found wins)
STATED_FIELDS = ("stated", "as_of", "accessed", "retrieved")
#: fields that date the row's own fact, by priority, after any field of type date
OWN_DATE_FIELDS = ("announced_date", "year_announced", "year")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_URL_IN_TEXT = re.compile(r"https?://[^\s,;)\]]+")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
_URL_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")
_WEAK_KINDS = ("forum", "wiki copy", "web copy", "aggregator", "blog", "ai-written", "machine translation")


class RulesError(ValueError):
    """``data/source_review.json`` is missing or malformed."""


@dataclass(frozen=True)
class Finding:
    """One thing a maintainer should look at: which check, which lines, what."""

    check: str  # "old", "undated", "weak", "address", "conflict"
    lines: tuple[int, ...]
    detail: str


@dataclass
class TableReport:
    """What the check found in one table (``error`` is set when it could not be read)."""

    table: str
    rows: int = 0
    stale_after: int | None = None
    why: str = ""
    dated_by: str = ""
    newest: int | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    def count(self, check: str) -> int:
        return sum(len(f.lines) for f in self.findings if f.check == check)


@dataclass(frozen=True)
class Rules:
    """The maintainers' rules: the default age, per-table ages, the weak sources."""

    stale_after_years: int
    tables: dict
    weak_sources: tuple[dict, ...]

    def age_of(self, table: str) -> tuple[int | None, str]:
        """(years after which a row of ``table`` is old, or None for history; the reason)."""
        rule = self.tables.get(table)
        if rule is None:
            return self.stale_after_years, ""
        return rule.get("stale_after_years", self.stale_after_years), rule.get("why", "")

    def key_of(self, table: str) -> list[str] | None:
        """The fields that say what a row of ``table`` is about, where the rules name them."""
        return self.tables.get(table, {}).get("key")


def rules(folder: Path | None = None) -> Rules:
    """Read and check ``source_review.json`` beside the tables."""
    path = Path(folder or data.data_dir()) / RULES_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"{path} is missing: it holds the ages and weak sources the check uses.") from None
    except json.JSONDecodeError as exc:
        raise RulesError(f"{path} is not valid JSON (line {exc.lineno}): {exc.msg}") from None
    age = raw.get("stale_after_years")
    if not isinstance(age, int) or age < 0:
        raise RulesError(f"{path}: stale_after_years must be a whole number of years, not {age!r}.")
    for name, rule in raw.get("tables", {}).items():
        years = rule.get("stale_after_years", age)
        if not (years is None or (isinstance(years, int) and years >= 0)) or not rule.get("why"):
            raise RulesError(f"{path}: table {name!r} needs stale_after_years (years, or null for "
                             "history) and a 'why'.")
        for option in ("key", "dated_by"):
            names = rule.get(option)
            if names is not None and not (isinstance(names, list) and all(isinstance(k, str) for k in names)):
                raise RulesError(f"{path}: table {name!r} has a {option} that is not a list of field names.")
    weak = tuple(raw.get("weak_sources", []))
    for entry in weak:
        keys = {"domain", "url"} & set(entry)
        if len(keys) != 1 or entry.get("kind") not in _WEAK_KINDS or not entry.get("why"):
            raise RulesError(f"{path}: weak source {entry!r} needs one of 'domain' or 'url', a 'kind' "
                             f"(one of {', '.join(_WEAK_KINDS)}) and a 'why'.")
    return Rules(age, dict(raw.get("tables", {})), weak)


# ------------------------------------------------------------------ dates

def citation_year(citation: str | None, today: dt.date | None = None) -> int | None:
    """The year a citation gives for its source ("publisher, title, date"), or None.

    Only the last comma-separated part is read, so a year in the title does not count;
    "n.d." with a year in brackets ("n.d. (May 2024)") gives that year. Years after
    ``today`` are not dates of publication and are ignored.
    """
    if not isinstance(citation, str) or not citation.strip():
        return None
    last = citation.rsplit(",", 1)[-1]
    this_year = (today or dt.date.today()).year
    years = [int(y) for y in _YEAR.findall(last) if int(y) <= this_year]
    return max(years) if years else None


def _year_of(value) -> int | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.year
    if pd.isna(value):
        return None
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


def dating_fields(schema_fields: list[dict]) -> tuple[list[str], list[str]]:
    """(fields saying when a source stated the fact, fields dating the fact itself) of a table."""
    names = [f["name"] for f in schema_fields]
    stated = [n for n in STATED_FIELDS if n in names]
    own = [f["name"] for f in schema_fields if f.get("type") == "date" and f["name"] not in stated]
    own += [n for n in names if n.endswith("_date") and n not in own and n not in stated]
    own += [n for n in OWN_DATE_FIELDS if n in names and n not in own]
    return stated, own


def evidence_year(row: dict, stated: list[str], own: list[str],
                  today: dt.date | None = None) -> tuple[int | None, str]:
    """(the year a row's evidence dates from, where that year was read), or (None, "")."""
    this_year = (today or dt.date.today()).year
    for name in stated:
        year = _year_of(row.get(name))
        if year is not None:
            return year, name
    year = citation_year(row.get("source"), today)
    if year is not None:
        return year, "citation"
    for name in own:
        year = _year_of(row.get(name))
        if year is not None and year <= this_year:
            return year, name
    return None, ""


# ------------------------------------------------------------------ addresses

def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def normalise_url(url: str) -> str:
    """An address reduced for comparison: no scheme, no ``www.``, no fragment, no final slash."""
    parts = urlsplit(url.strip())
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return _host(url) + rest


def weak_match(url: str | None, weak_sources) -> dict | None:
    """The ``weak_sources`` entry an address falls under, or None.

    An entry with ``domain`` covers that host and its subdomains (``www.`` ignored); one
    with ``url`` covers every address that starts with it (scheme and ``www.`` ignored).
    """
    if not isinstance(url, str) or not url.strip():
        return None
    host, address = _host(url), normalise_url(url)
    for entry in weak_sources:
        if "domain" in entry:
            domain = entry["domain"].lower().removeprefix("www.")
            if host == domain or host.endswith("." + domain):
                return entry
        elif address.startswith(normalise_url(entry["url"])):
            return entry
    return None


def url_problems(url: str) -> list[str]:
    """What is wrong or odd about a ``source_url`` (empty when it looks like a web address)."""
    if url != url.strip() or re.search(r"\s", url):
        return ["it contains spaces or line breaks"]
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return [f"it cannot be read as an address ({exc})"]
    problems = []
    if parts.scheme not in ("http", "https"):
        problems.append(f"it does not start with http:// or https:// (scheme {parts.scheme or 'none'!r})")
    if not host:
        return problems + ["it names no host"]
    if not _URL_CHARS.match(url):
        problems.append("it has characters an address must percent-encode")
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        problems.append("it has a '%' that is not followed by two hex digits")
    try:
        ipaddress.ip_address(host)
        problems.append("its host is a bare IP address, not a publisher's name")
    except ValueError:
        if host.endswith("."):
            problems.append("its host ends with a dot")
        elif not _HOST.match(host):
            problems.append(f"its host {host!r} is not a domain name")
    if re.search(r"https?(://|%3A%2F%2F)", url[len(parts.scheme) + 3:], re.I):
        problems.append("it wraps another address (a proxy or mirror of the real page)")
    return problems


# ------------------------------------------------------------------ one table

def _claim_fields(schema_fields: list[dict], stated: list[str], own: list[str]) -> list[str]:
    return [f["name"] for f in schema_fields if f.get("type") in ("number", "integer")
            and f["name"] not in stated + own]


def _value(v):
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    return v


def check_table(name: str, review: Rules, today: dt.date | None = None) -> TableReport:
    """Every check on table ``name``; a table that cannot be read gives a report with ``error``."""
    today = today or dt.date.today()
    report = TableReport(name)
    report.stale_after, report.why = review.age_of(name)
    try:
        frame = data.load(name)
        schema = data.resource(name)["schema"]["fields"]
    except data.DataError as exc:
        report.error = str(exc)
        return report
    report.rows = len(frame)
    stated, own = dating_fields(schema)
    if review.tables.get(name, {}).get("dated_by") is not None:
        own = list(review.tables[name]["dated_by"])
    unknown = [k for k in (review.key_of(name) or []) + own if k not in {f["name"] for f in schema}]
    if unknown:
        report.error = f"{RULES_FILE} names a field {unknown[0]!r} that {name} does not have."
        return report
    report.dated_by = ", then ".join(stated + ["the citation's date"] + own)
    rows = [{k: _value(v) for k, v in rec.items()} for rec in frame.to_dict("records")]
    lines = [i + 2 for i in range(len(rows))]  # the loader's line numbers: header is line 1

    years = [evidence_year(r, stated, own, today) for r in rows]
    known = [y for y, _ in years if y is not None]
    report.newest = max(known) if known else None
    if report.stale_after is not None:
        cutoff = today.year - report.stale_after
        old = [(line, y, where) for line, (y, where) in zip(lines, years) if y is not None and y < cutoff]
        if old:
            report.findings.append(Finding(
                "old", tuple(line for line, _, _ in old),
                f"dated before {cutoff} (more than {report.stale_after} years before {today.year}): "
                + ", ".join(f"{line} ({y}, {_basis(where)})" for line, y, where in old)))
        undated = tuple(line for line, (y, _) in zip(lines, years) if y is None)
        if undated:
            report.findings.append(Finding(
                "undated", undated, "no date in a date field or in the citation, so their age is unknown"))

    weak: dict[str, list[int]] = {}
    for line, row in zip(lines, rows):
        entry = weak_match(row.get("source_url"), review.weak_sources)
        if entry is None:
            continue
        others = [u for u in _URL_IN_TEXT.findall(row.get("note") or "")
                  if weak_match(u, review.weak_sources) is None]
        if not others:
            label = entry.get("domain") or entry.get("url")
            weak.setdefault(f"{label} ({entry['kind']}: {entry['why']})", []).append(line)
    for label, where in weak.items():
        report.findings.append(Finding("weak", tuple(where), label))

    bad: dict[tuple[str, str], list[int]] = {}
    for line, row in zip(lines, rows):
        url = row.get("source_url")
        if isinstance(url, str) and url:
            for problem in url_problems(url):
                bad.setdefault((url, problem), []).append(line)
    for (url, problem), where in bad.items():
        report.findings.append(Finding("address", tuple(where), f"{problem}: {url}"))

    names = [f["name"] for f in schema]
    identity = review.key_of(name) or data.resource(name)["schema"].get("primaryKey")
    if isinstance(identity, str):
        identity = [identity]
    if identity:
        claims = [c for c in _claim_fields(schema, stated, own) if c not in identity]
    else:
        claims = _claim_fields(schema, stated, own)
        ignore = set(claims) | set(data.PROVENANCE_FIELDS) | {"note"}
        identity = [n for n in names if n not in ignore]
    groups: dict[tuple, list[tuple[int, tuple]]] = {}
    for line, row in zip(lines, rows):
        url = row.get("source_url")
        if claims and isinstance(url, str) and url:
            key = (normalise_url(url), *(row.get(n) for n in identity))
            groups.setdefault(key, []).append((line, tuple(row.get(c) for c in claims)))
    for key, members in groups.items():
        if len({claim for _, claim in members}) > 1:
            shown = "; ".join(f"line {line}: " + ", ".join(f"{c}={v:g}" if isinstance(v, float) else f"{c}={v}"
                                                           for c, v in zip(claims, claim) if v is not None)
                              for line, claim in members)
            report.findings.append(Finding(
                "conflict", tuple(line for line, _ in members),
                f"one address, the same {', '.join(identity) or 'row'}, different numbers ({shown})"))
    return report


# ------------------------------------------------------------------ all tables

def check_all(today: dt.date | None = None) -> tuple[list[TableReport], list[Finding]]:
    """Every table's report, and the findings that span tables (citations, the rules)."""
    today = today or dt.date.today()
    review = rules()
    reports = [check_table(name, review, today) for name in data.tables()]
    cited: dict[str, dict[int, set[str]]] = {}
    used = set()
    for report in reports:
        if report.error:
            continue
        frame = data.load(report.table)
        for i, (url, source) in enumerate(zip(frame["source_url"], frame["source"])):
            if not isinstance(url, str) or not url:
                continue
            entry = weak_match(url, review.weak_sources)
            if entry is not None:
                used.add(json.dumps(entry, sort_keys=True))
            year = citation_year(source, today)
            if year is not None:
                cited.setdefault(normalise_url(url), {}).setdefault(year, set()).add(
                    f"{report.table} line {i + 2}")
    shared = []
    for url, by_year in cited.items():
        if len(by_year) > 1:
            detail = "; ".join(f"{year} in {', '.join(sorted(where))}" for year, where in sorted(by_year.items()))
            shared.append(Finding("conflict", (), f"one address, citations of different years ({detail}): {url}"))
    for entry in review.weak_sources:
        if json.dumps(entry, sort_keys=True) not in used:
            shared.append(Finding("rules", (), f"no row cites the weak source {entry.get('domain') or entry.get('url')}"
                                  " any more: keep the entry for new rows, or remove it"))
    return reports, shared


CHECKS = (("old", "old rows"), ("undated", "undated rows"), ("weak", "rows whose only source is weak"),
          ("address", "rows with an odd or malformed source_url"),
          ("conflict", "rows cited from one address for different numbers"))


def render(reports: list[TableReport], shared: list[Finding], today: dt.date) -> str:
    """The report as text: a summary table, then each table's findings with their line numbers."""
    rows = sum(r.rows for r in reports)
    out = [f"Source check of data/ on {today.isoformat()}: {len(reports)} tables, {rows} rows. "
           "Nothing was fetched; the rules are in data/source_review.json.", ""]
    head = f"{'table':<22} {'rows':>5} {'stale after':>12} {'newest':>6} {'old':>4} {'undated':>7} " \
           f"{'weak':>4} {'address':>7} {'conflict':>8}"
    out += [head, "-" * len(head)]
    for r in reports:
        if r.error:
            out.append(f"{r.table:<22} cannot be read")
            continue
        age = "history" if r.stale_after is None else f"{r.stale_after} years"
        out.append(f"{r.table:<22} {r.rows:>5} {age:>12} {r.newest or '-':>6} {r.count('old'):>4} "
                   f"{r.count('undated'):>7} {r.count('weak'):>4} {r.count('address'):>7} "
                   f"{r.count('conflict'):>8}")
    total = {c: sum(r.count(c) for r in reports) for c, _ in CHECKS}
    out.append("-" * len(head))
    out.append(", ".join(f"{total[c]} {label}" for c, label in CHECKS) + ".")
    for r in reports:
        out.append("")
        if r.error:
            out.append(f"== {r.table}: CANNOT BE READ: {r.error}")
            continue
        age = (f"history, not aged ({r.why})" if r.stale_after is None else
               f"stale after {r.stale_after} years{f' ({r.why})' if r.why else ''}; dated by {r.dated_by}")
        out.append(f"== {r.table} ({r.rows} rows; newest {r.newest or 'undated'}): {age}")
        if not r.findings:
            out.append("   nothing to look at")
        for f in r.findings:
            label = dict(CHECKS)[f.check]
            rows = f"{len(f.lines)} row{'s' if len(f.lines) != 1 else ''}"
            where = f"{rows}, line (year, read from)" if f.check == "old" else \
                f"{rows}, line{'s' if len(f.lines) != 1 else ''} {_ranges(f.lines)}"
            out.append(f"   {label}, {where}: {f.detail}")
    if shared:
        out += ["", "== across tables and rules"]
        out += [f"   {f.detail}" for f in shared]
    return "\n".join(out)


def _basis(where: str) -> str:
    return where if where == "citation" else f"{where} field"


def _ranges(lines: tuple[int, ...]) -> str:
    """``(2, 3, 4, 7)`` -> ``'2-4, 7'``."""
    spans: list[list[int]] = []
    for line in sorted(lines):
        if spans and line == spans[-1][1] + 1:
            spans[-1][1] = line
        else:
            spans.append([line, line])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def write_csv(reports: list[TableReport], shared: list[Finding], path: Path) -> None:
    """One row per finding and line: table, line, check, detail."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["table", "line", "check", "detail"])
        for r in reports:
            if r.error:
                out.writerow([r.table, "", "unreadable", r.error])
            for f in r.findings:
                for line in f.lines:
                    out.writerow([r.table, line, f.check, f.detail])
        for f in shared:
            out.writerow(["", "", f.check, f.detail])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chipcourse.sources", description=__doc__.split("\n")[0])
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(),
                        help="count ages from this day (YYYY-MM-DD) instead of today")
    parser.add_argument("--csv", type=Path, help="also write the findings, one per line, to this CSV file")
    args = parser.parse_args(argv)
    try:
        reports, shared = check_all(args.today)
    except (RulesError, data.DataError) as exc:
        print(f"The source check cannot run: {exc}", file=sys.stderr)
        return 2
    print(render(reports, shared, args.today))
    if args.csv:
        write_csv(reports, shared, args.csv)
        print(f"\nThe findings, one per line, are also in {args.csv}.")
    return 2 if any(r.error for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
