"""The data package: valid Frictionless, every row sourced, loader types and errors."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from chipcourse import data

TABLES = data.tables()


def test_package_validates_with_frictionless(root):
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(root / "data" / "datapackage.json")).validate()
    errors = [f"{task.name}: {err.message}" for task in report.tasks for err in task.errors]
    assert report.valid, "\n".join(errors[:20])


def test_every_csv_is_described(root):
    described = {data.resource(t)["path"] for t in TABLES}
    on_disk = {p.name for p in (root / "data").glob("*.csv")}
    assert on_disk == described, f"undescribed: {on_disk - described}, missing: {described - on_disk}"


def test_package_has_licence_and_descriptions():
    pkg = data.package()
    assert pkg["licenses"], "the package needs a licence"
    for table in TABLES:
        res = data.resource(table)
        assert res.get("title") and res.get("description"), table
        for field in res["schema"]["fields"]:
            assert field.get("description"), f"{table}.{field['name']} has no description"


@pytest.mark.parametrize("table", TABLES)
def test_every_row_has_a_source(table):
    frame = data.load(table)
    for column in data.PROVENANCE_FIELDS:
        assert column in frame.columns, f"{table} lacks a {column} column"
    unsourced = frame.index[frame["source"].isna() | (frame["source"].str.strip() == "")]
    assert len(unsourced) == 0, f"{table}: rows {list(unsourced + 2)} have no source"
    urls = frame["source_url"].dropna()
    assert urls.str.match(r"^https?://").all(), f"{table}: a source_url is not a web address"


@pytest.mark.parametrize("table", TABLES)
def test_loaded_types_follow_the_schema(table):
    frame = data.load(table)
    for field in data.resource(table)["schema"]["fields"]:
        dtype = frame[field["name"]].dtype
        if field["type"] == "number":
            assert dtype == "float64", (table, field["name"], dtype)
        elif field["type"] in ("integer", "year"):
            assert str(dtype) == "Int64", (table, field["name"], dtype)
        elif field["type"] == "date":
            assert pd.api.types.is_datetime64_any_dtype(dtype), (table, field["name"], dtype)


def test_units_come_from_the_descriptor():
    assert data.units("length_scales") == {"size_nm": "nm"}
    assert data.load("length_scales").attrs["units"] == {"size_nm": "nm"}


def test_load_returns_an_independent_copy():
    first = data.load("length_scales")
    first.loc[:, "size_nm"] = -1.0
    assert (data.load("length_scales")["size_nm"] > 0).all()


def test_citation_names_sources():
    text = data.citation("length_scales", max_sources=2)
    assert text.startswith("Source: ")
    assert data.sources("length_scales")[0] in text
    assert "more" in text


def test_unknown_table_is_named():
    with pytest.raises(data.DataError, match="no table called 'nodez'.*length_scales"):
        data.load("nodez")


@pytest.fixture
def broken_copy(tmp_path, monkeypatch, root):
    copy = tmp_path / "data"
    shutil.copytree(root / "data", copy)
    monkeypatch.setenv("CHIPCOURSE_DATA", str(copy))
    return copy


def test_broken_cell_names_file_line_and_field(broken_copy):
    path = broken_copy / "length_scales.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("size_nm")] = "tiny"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError) as info:
        data.load("length_scales")
    message = str(info.value)
    assert "data/length_scales.csv" in message and "line 3" in message
    assert "'size_nm'" in message and "'tiny' is not a number" in message


def test_missing_required_value_is_reported(broken_copy):
    path = broken_copy / "length_scales.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "source"] = ""
    frame.to_csv(path, index=False)
    with pytest.raises(data.DataError, match=r"line 2 \(row 1\), field 'source': a value is required"):
        data.load("length_scales")


def test_constraint_violation_is_reported(broken_copy):
    path = broken_copy / "length_scales.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, "kind"] = "mineral"
    frame.to_csv(path, index=False)
    with pytest.raises(data.DataError, match=r"line 3 .*'kind'.*not one of"):
        data.load("length_scales")


def test_header_mismatch_is_reported(broken_copy):
    path = broken_copy / "length_scales.csv"
    text = path.read_text(encoding="utf-8").replace("size_nm", "size", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(data.DataError, match="header does not match"):
        data.load("length_scales")


def test_a_table_scrolls_from_the_keyboard():
    """A table wider than the page sits in a focusable region (axe: scrollable-region-focusable)."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    table = data.load("concentration_bands")
    page = shell.display_formatter.format(table)[0]["text/html"]
    assert page.startswith('<div class="chipcourse-table" tabindex="0">')
    assert "<table" in page and page.endswith("</div>")
    assert data.table_html(table.assign(extra=1)).count("<table") == 1


def test_tables_are_shown_without_mathjax():
    """Two dollar amounts in one table must not be typeset as a formula in JupyterLab."""
    table = data.load("subsidies").head()
    assert "mathjax_ignore" in table._repr_html_()
    assert "mathjax_ignore" in table.style._repr_html_()


# --------------------------------------------------------------------------- source strength, ranges, series

#: Tables whose rows say how strong their source is (module 6's tables, and the older tables where
#: weak sources were found and marked); a generic check-sources command reads this field.
STRENGTH_TABLES = ("supply_chain_layers", "supply_chain_shares", "critical_inputs", "outlook_claims",
                   "fab_ownership", "sram_cells", "nodes", "node_history", "concentration_bands", "timeline")
STRENGTHS = ["primary", "secondary", "weak"]


def _fields(table):
    return {f["name"]: f for f in data.resource(table)["schema"]["fields"]}


@pytest.mark.parametrize("table", TABLES)
def test_source_strength_is_required_and_closed(table):
    field = _fields(table).get("source_strength")
    if table in STRENGTH_TABLES:
        assert field is not None, f"{table} must say how strong each row's source is (source_strength)"
    if field is None:
        return
    constraints = field.get("constraints", {})
    assert constraints.get("required") is True, f"{table}.source_strength must be required"
    assert constraints.get("enum") == STRENGTHS, f"{table}.source_strength must allow exactly {STRENGTHS}"
    assert set(data.load(table)["source_strength"]) <= set(STRENGTHS)


@pytest.mark.parametrize("table", TABLES)
def test_high_ends_are_not_below_low_ends(table):
    fields = _fields(table)
    frame = data.load(table)
    for name in fields:
        if name.endswith("_high") and name[: -len("_high")] in fields:
            low, high = frame[name[: -len("_high")]], frame[name]
            bad = frame.index[high.notna() & (high < low)]
            assert len(bad) == 0, f"{table}: rows {list(bad + 2)} have {name} below {name[:-5]}"
    if "share_kind" in fields and "share_pct_high" in fields:
        is_range = frame["share_kind"] == "range"
        assert frame.loc[is_range, "share_pct_high"].notna().all(), f"{table}: a 'range' row lacks share_pct_high"
        assert frame.loc[~is_range, "share_pct_high"].isna().all(), f"{table}: only 'range' rows give share_pct_high"


@pytest.mark.parametrize("table", TABLES)
def test_id_lists_name_existing_ids(table):
    frame = data.load(table)
    for name, field in _fields(table).items():
        spec = field.get("listOf")
        if not spec:
            continue
        if spec["resource"] == "*tables*":
            known = set(TABLES)
        else:
            known = set(data.load(spec["resource"])[spec["field"]])
        for cell in frame[name].dropna():
            unknown = [item for item in cell.split(spec.get("separator", ";")) if item not in known]
            assert not unknown, f"{table}.{name}: {unknown} are not ids of {spec['resource']}"


@pytest.mark.parametrize("table", TABLES)
def test_a_series_is_one_source_and_year_and_adds_up(table):
    fields = _fields(table)
    if "series" not in fields:
        return
    frame = data.load(table)
    for series, rows in frame.groupby("series"):
        for column in ("source", "source_url", "year"):
            assert rows[column].nunique(dropna=False) == 1, f"{table}: series {series!r} mixes values of {column}"
        if "share_pct" in fields:
            # low ends of one source's breakdown; 3 points allow for rounding
            assert rows["share_pct"].sum() <= 103, f"{table}: shares in series {series!r} add up to over 100"


def test_show_displays_text_whole():
    """pandas cuts a cell at 50 characters with "..."; data.show displays every character, and only
    for that table (no pandas option is left changed)."""
    import pandas as pd

    note = "Nikkei Asia (2021-07-28) says unveiled 'Tuesday' (=July 27); 27-qubit Falcon processor per Mynavi."
    frame = pd.DataFrame({"event": ["IBM Quantum System One began operating in Kawasaki"], "note": [note]})
    assert note not in frame._repr_html_()
    shown = data.show(frame)
    assert note in shown._repr_html_() and note in repr(shown) and shown.frame is frame
    assert pd.get_option("display.max_colwidth") == 50
    with pytest.raises(TypeError):
        data.show([1, 2])
