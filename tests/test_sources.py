"""The offline source check (`make check-sources`): dating rows, weak sources, odd addresses,
conflicting claims, over every table in datapackage.json, and a report that never fails on findings."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess

import pytest

from chipcourse import data, sources

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize("citation, year", [
    ("Kyodo via Nippon.com, Japan to give Rapidus 260 bil. yen subsidy, 2023-04-25", 2023),
    ("DatacenterDynamics, Intel acquires ASML's entire 2024 stock of High-NA EUV machines, n.d. (May 2024)", 2024),
    ("Elektor, Samsung use EUV for 7 nm process, July 12, 2018", 2018),
    ("Los Angeles Times, 'Market Grew 40% in '95' (Dataquest data), 1996-01-09 (archive mirror)", 1996),
    ("StatementDog, ASML 2022 Q4 earnings call summary, n.d. (call 2023-01-25)", 2023),
    ("Wikipedia, '2 nm process' (table from IRDS 2021 update, More Moore, p.7), n.d.", None),
    ("Reuters via tradevae.com, ASML says High-NA EUV tools are ready, n.d. (Feb 26)", None),
    ("A roadmap, plans for 2030", None),
    ("", None),
    (None, None),
])
def test_citation_year_reads_only_the_date_part(citation, year):
    assert sources.citation_year(citation, TODAY) == year


def test_a_row_is_dated_by_its_statement_then_its_citation_then_its_own_date():
    stated, own = sources.dating_fields([
        {"name": "year", "type": "year"}, {"name": "stated", "type": "date"},
        {"name": "announced_date", "type": "string"}, {"name": "source", "type": "string"}])
    assert stated == ["stated"] and own == ["announced_date", "year"]
    row = {"year": 2019, "stated": dt.date(2021, 5, 1), "announced_date": "2018-03",
           "source": "X, title, 2020-01-01"}
    assert sources.evidence_year(row, stated, own, TODAY) == (2021, "stated")
    row["stated"] = None
    assert sources.evidence_year(row, stated, own, TODAY) == (2020, "citation")
    row["source"] = "X, title, n.d."
    assert sources.evidence_year(row, stated, own, TODAY) == (2018, "announced_date")
    row["announced_date"] = None
    assert sources.evidence_year(row, stated, own, TODAY) == (2019, "year")
    row["year"] = 2031  # a target year is not when the source was written
    assert sources.evidence_year(row, stated, own, TODAY) == (None, "")


WEAK = ({"domain": "hardforum.com", "kind": "forum", "why": "w"},
        {"url": "https://semiwiki.com/forum/", "kind": "forum", "why": "w"})


@pytest.mark.parametrize("url, weak", [
    ("https://hardforum.com/threads/x.1/", True),
    ("http://www.hardforum.com/threads/x.1/", True),
    ("https://m.hardforum.com/x", True),
    ("https://nothardforum.com/x", False),
    ("https://semiwiki.com/forum/index.php?threads/x.1/", True),
    ("https://www.semiwiki.com/forum/x", True),
    ("https://semiwiki.com/semiconductor-manufacturers/tsmc/x/", False),
    ("", False),
    (None, False),
])
def test_weak_sources_match_by_domain_or_address_prefix(url, weak):
    assert (sources.weak_match(url, WEAK) is not None) == weak


@pytest.mark.parametrize("url, problem", [
    ("https://www.nippon.com/en/news/yjj2025033100217/x.html", None),
    ("https://en.wikipedia.org/wiki/5_nm_process#Nodes", None),
    ("https://ms.qa.edu.vn/en/3_%CE%BCm_process", None),
    ("https://example.org/a b", "spaces"),
    ("ftp://example.org/file", "does not start with http"),
    ("https:///path-only", "names no host"),
    ("https://localhost/x", "not a domain name"),
    ("http://13.49.208.104/cyprusmail/x.html", "bare IP address"),
    ("http://ukobiw.net./archives/x.html", "ends with a dot"),
    ("https://tomorrow.paperai.life/https://www.scribd.com/document/1", "wraps another address"),
    ("https://example.org/100%sure", "two hex digits"),
    ("https://example.org/μm", "percent-encode"),
    ("https://example.org:99999/x", "cannot be read"),
])
def test_odd_and_malformed_addresses_are_named(url, problem):
    found = sources.url_problems(url)
    if problem is None:
        assert found == []
    else:
        assert any(problem in f for f in found), found


# ------------------------------------------------------------------ a small package of our own

def _field(name, ftype="string"):
    return {"name": name, "type": ftype, "description": name}


def _package(folder, tables: dict, review: dict):
    """Write a data folder: ``tables`` maps name -> (fields, rows as dicts)."""
    folder.mkdir()
    resources = []
    for name, (fields, rows) in tables.items():
        resources.append({"name": name.replace("_", "-"), "path": f"{name}.csv", "title": name,
                          "description": name, "schema": {"fields": fields}})
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            out = csv.DictWriter(fh, [f["name"] for f in fields])
            out.writeheader()
            out.writerows(rows)
    (folder / "datapackage.json").write_text(json.dumps({"name": "t", "resources": resources}))
    (folder / sources.RULES_FILE).write_text(json.dumps(review))
    return folder


PRICE = [_field("tool"), _field("year", "year"), _field("price", "number"), _field("source"),
         _field("source_url"), _field("note")]
EVENTS = [_field("date", "date"), _field("event"), _field("source"), _field("source_url")]


def _row(tool, year, price, source, url, note=""):
    return {"tool": tool, "year": year, "price": price, "source": source, "source_url": url, "note": note}


@pytest.fixture
def small(tmp_path, monkeypatch):
    prices = [
        _row("A", 2025, 10, "Pub, new, 2025-01-02", "https://pub.example/a"),           # 2: fresh
        _row("A", 2019, 8, "Pub, old, n.d.", "https://pub.example/old"),                  # 3: old by year
        _row("B", "", 5, "Pub, undated, n.d.", "https://pub.example/b"),                  # 4: undated
        _row("C", 2024, 7, "Forum, post, 2024", "https://hardforum.com/t/1"),             # 5: weak
        _row("C", 2024, 7, "Forum, post, 2024", "https://hardforum.com/t/2",
             "Also in https://reuters.example/x"),                                         # 6: weak, corroborated
        _row("D", 2024, 3, "Pub, d, 2024", "http://10.0.0.1/d"),                          # 7: bare IP
        _row("E", 2024, 100, "Pub, e, 2024", "https://pub.example/e/"),                   # 8: conflict with 9
        _row("E", 2024, 120, "Pub, e, 2024", "https://www.pub.example/e"),                # 9
        _row("F", 2024, 1, "Pub, f, 2023", "https://pub.example/f"),                      # 10: year disagrees
        _row("F", 2024, 1, "Pub, f, 2024", "https://pub.example/f"),                      # 11: with 10
    ]
    events = [{"date": "1986-09-02", "event": "signed", "source": "Paper, x, 1986-09-03",
               "source_url": "https://paper.example/x"}]
    review = {"stale_after_years": 3, "weak_sources": [dict(WEAK[0]), {"domain": "gone.example",
                                                                        "kind": "blog", "why": "w"}],
              "tables": {"events": {"stale_after_years": None, "why": "dated events"}}}
    folder = _package(tmp_path / "data", {"prices": (PRICE, prices), "events": (EVENTS, events)}, review)
    monkeypatch.setenv("CHIPCOURSE_DATA", str(folder))
    return folder


def _by_check(report):
    found = {}
    for f in report.findings:
        found.setdefault(f.check, []).append(f)
    return found


def test_every_check_on_a_table_the_rules_do_not_name(small):
    reports, shared = sources.check_all(TODAY)
    prices, events = {r.table: r for r in reports}["prices"], {r.table: r for r in reports}["events"]
    assert prices.stale_after == 3 and prices.newest == 2025 and prices.error is None
    found = _by_check(prices)
    assert [f.lines for f in found["old"]] == [(3,)] and "2019, year field" in found["old"][0].detail
    assert [f.lines for f in found["undated"]] == [(4,)]
    assert [f.lines for f in found["weak"]] == [(5,)], "a note naming a stronger address corroborates row 6"
    assert [f.lines for f in found["address"]] == [(7,)] and "bare IP" in found["address"][0].detail
    assert [f.lines for f in found["conflict"]] == [(8, 9)] and "price=100" in found["conflict"][0].detail
    assert not events.findings and events.stale_after is None and events.newest == 1986
    details = " | ".join(f.detail for f in shared)
    assert "citations of different years (2023 in prices line 10; 2024 in prices line 11)" in details
    assert "gone.example" in details and "hardforum.com" not in details


def test_the_report_lists_findings_and_exits_0(small, tmp_path, capsys):
    out = tmp_path / "reports" / "source-check.csv"
    assert sources.main(["--today", TODAY.isoformat(), "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert re.search(r"^prices\s+10\s+3 years\s+2025\s+1\s+1\s+1\s+1\s+2$", text, re.M), text
    assert re.search(r"^events\s+1\s+history\s+1986\s+0", text, re.M), text
    assert "== prices (10 rows; newest 2025): stale after 3 years" in text
    assert "old rows, 1 row, line (year, read from): dated before 2023" in text
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert {("prices", "5", "weak"), ("prices", "8", "conflict"), ("prices", "9", "conflict")} <= \
        {(r["table"], r["line"], r["check"]) for r in rows}


def test_an_unreadable_table_exits_2_and_the_others_are_still_checked(small, capsys):
    (small / "prices.csv").write_text("tool,year\nA,2020\n")
    assert sources.main(["--today", TODAY.isoformat()]) == 2
    text = capsys.readouterr().out
    assert "== prices: CANNOT BE READ: data/prices.csv: the header does not match" in text
    assert "== events (1 rows; newest 1986)" in text or "== events (1 row" in text


@pytest.mark.parametrize("change, words", [
    ({"stale_after_years": "three"}, "stale_after_years must be a whole number"),
    ({"tables": {"events": {"stale_after_years": 2}}}, "needs stale_after_years"),
    ({"weak_sources": [{"domain": "x.example", "kind": "rumour", "why": "w"}]}, "needs one of 'domain' or 'url'"),
    ({"tables": {"events": {"stale_after_years": 2, "why": "w", "key": "date"}}}, "not a list of field names"),
])
def test_broken_rules_are_one_sentence_and_exit_2(small, capsys, change, words):
    review = json.loads((small / sources.RULES_FILE).read_text())
    review.update(change)
    (small / sources.RULES_FILE).write_text(json.dumps(review))
    assert sources.main([]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_rules_naming_a_field_the_table_lacks_make_it_unreadable(small):
    review = json.loads((small / sources.RULES_FILE).read_text())
    review["tables"]["prices"] = {"stale_after_years": 3, "why": "w", "dated_by": ["published"]}
    (small / sources.RULES_FILE).write_text(json.dumps(review))
    report = {r.table: r for r in sources.check_all(TODAY)[0]}["prices"]
    assert report.error and "'published'" in report.error


# ------------------------------------------------------------------ the course's own data

def test_every_table_is_checked_and_readable():
    reports, _ = sources.check_all(TODAY)
    assert [r.table for r in reports] == data.tables()
    assert [r.error for r in reports if r.error] == []


def test_the_rules_name_real_tables_and_fields():
    review = sources.rules()
    assert set(review.tables) <= set(data.tables()), set(review.tables) - set(data.tables())
    assert review.stale_after_years > 0


WEAK_WORDING = re.compile(r"(?i:\bweak (source|copy)\s*[:(]|\(weak source\)|low[- ]reliability)|\bWEAK\b")
WIKI_COPY = re.compile(r"(?=.*\bwikipedia\b)(?=.*\b(mirror|copy)\b)", re.I)


@pytest.mark.parametrize("table", data.tables())
def test_rows_the_notes_call_weak_are_marked_weak(table):
    """A note that says 'Weak source' (or a citation of a Wikipedia copy) needs its address in
    data/source_review.json, so the check lists the row; mark new ones there too."""
    review = sources.rules()
    frame = data.load(table)
    unmarked = []
    for i, row in frame.iterrows():
        note = row["note"] if "note" in frame.columns and isinstance(row["note"], str) else ""
        said = WEAK_WORDING.search(note) or WIKI_COPY.search(row["source"] or "")
        if said and isinstance(row["source_url"], str) and not sources.weak_match(row["source_url"],
                                                                                  review.weak_sources):
            unmarked.append(f"line {i + 2}: {row['source_url']}")
    assert unmarked == [], f"{table}: add these sources to data/source_review.json: {unmarked}"


def test_make_check_sources_runs_the_module(root):
    dry = subprocess.run(["make", "-n", "-C", str(root), "check-sources"], capture_output=True, text=True,
                         timeout=60)
    assert "-m chipcourse.sources" in dry.stdout, dry.stdout
