"""`lubudget consolidate` end to end on a realistic inbox: counts reconcile, nothing is lost.

One module-scoped batch (department files, a file mailed twice, a project resubmitted in a newer
file, last year's file, a broken file, a lock file, a hidden file, text that looks like formulas)
is consolidated once through the CLI; the tests read the master book and side outputs back.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import run_cli

from lubudget_xl.consolidate.samples import department_projects, write_workbook_batch
from lubudget_xl.loading import load_any
from lubudget_xl.records import read_records, write_records

INERT = ("=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x","y")')


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("consolidate")
    inbox = root / "inbox"
    files = write_workbook_batch(inbox / "一上", files=8, projects_per_file=4, seed=1, bases=2)
    rng = random.Random(7)
    # The first department resubmits its book with one value changed, in a newer file.
    again = inbox / "一上" / "补充" / "政府办_修改后.xlsx"
    again.parent.mkdir()
    with zipfile.ZipFile(files[0]) as src, zipfile.ZipFile(again, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</t></is></c></row>", "(修改)</t></is></c></row>".encode(), 1)
            dst.writestr(info, data)
    os.utime(again, (files[0].stat().st_mtime + 60,) * 2)
    shutil.copy(files[1], inbox / "教育局(重复发送).xlsx")
    old = inbox / "财政局_2020.json"
    write_records(department_projects("六安市财政局", 2, 2020, rng, str(old)), old)
    tricky = inbox / "应急管理局.json"
    projects = department_projects("六安市应急管理局", 1, 2021, rng, str(tricky))
    for ind, text in zip(projects[0].indicators, INERT, strict=False):
        ind.level3 = text
        ind.value = text
    write_records(projects, tricky)
    (inbox / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (inbox / "~$六安市教育局.xlsx").write_bytes(b"lock")
    (inbox / ".DS_Store").write_bytes(b"mac")
    (inbox / "说明.pdf").write_bytes(b"%PDF")
    sources = sorted(p for p in inbox.rglob("*") if p.is_file())
    before = {p: _sha(p) for p in sources}
    out = root / "out"
    master = out / "汇总表.xlsx"
    done = run_cli(
        "consolidate", str(inbox), "-o", str(master), "--jobs", "2", "--json", str(out / "records.json"),
        "--parquet", str(out / "parquet"), "--feedback", str(out / "退回"),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr.decode()  # the broken file is an error finding
    book = openpyxl.load_workbook(master)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}
    frames = {name: pd.DataFrame(rows[1:], columns=rows[0]) for name, rows in sheets.items() if name != "汇总说明"}
    return {
        "root": root, "inbox": inbox, "files": files, "again": again, "old": old, "tricky": tricky, "out": out,
        "master": master, "book": book, "frames": frames, "sheets": sheets, "stderr": done.stderr.decode(),
        "before": before, "sources": sources,
    }  # fmt: skip


def test_master_book_has_the_five_sheets_as_filtered_tables_with_frozen_headers(batch):
    book = batch["book"]
    assert book.sheetnames[:5] == ["部门汇总", "项目清单", "绩效指标", "校验问题", "文件清单"]
    for name in book.sheetnames[:5]:
        ws = book[name]
        assert ws.freeze_panes == "A2", name
        (table,) = ws.tables.values()
        assert table.ref.startswith("A1:") and table.autoFilter is not None
        assert ws.column_dimensions["A"].width > 5
    money = book["项目清单"]["G2"]
    assert isinstance(money.value, float) and money.number_format == "#,##0.00"


def test_every_input_is_listed_with_status_hash_and_reason(batch):
    files = batch["frames"]["文件清单"].set_index("文件")
    status = files["状态"].to_dict()
    assert {p for p in status} == {str(p) for p in batch["sources"]}
    assert status[str(batch["inbox"] / "损坏.xlsx")] == "读取失败"
    assert status[str(batch["inbox"] / "教育局(重复发送).xlsx")] == "重复文件"
    assert status[str(batch["old"])] == "其他年度"
    assert "2020" in files.loc[str(batch["old"]), "原因"] and files.loc[str(batch["old"]), "年度"] == 2020
    for skipped in ("~$六安市教育局.xlsx", ".DS_Store", "说明.pdf"):
        assert status[str(batch["inbox"] / skipped)] == "已跳过"
    ok = files[files["状态"] == "已读取"]
    assert len(ok) == 10
    for path, row in ok.iterrows():
        assert row["SHA-256"] == batch["before"][Path(path)] and row["大小(字节)"] == Path(path).stat().st_size
    assert files.loc[str(batch["inbox"] / "损坏.xlsx"), "原因"]  # the reader's reason, kept


def test_every_indicator_read_is_in_the_book_or_explained_in_the_issues(batch):
    """Counts reconcile: each source row is in 绩效指标, or its file/project has a BATCH_ finding."""
    indicators = batch["frames"]["绩效指标"]
    issues = batch["frames"]["校验问题"]
    in_book = set(zip(indicators["来源文件"], indicators["工作表"], indicators["单元格"], strict=True))
    explained_files = set(issues.loc[issues["项目名称"].isna() & issues["问题代码"].str.startswith("BATCH_"), "来源文件"])
    explained_projects = set(zip(issues["来源文件"], issues["项目名称"], strict=True))
    total = 0
    for path in batch["sources"]:
        if path.suffix not in (".json", ".xlsx") or path.name.startswith(("~$", "损坏")):
            continue
        for project in load_any(path).projects:
            for ind in project.indicators:
                total += 1
                loc = ind.locations["value"]
                assert (
                    (loc.file, loc.sheet, loc.cell) in in_book
                    or str(path) in explained_files
                    or (str(path), project.name) in explained_projects
                ), (path, project.name, loc)
    files = batch["frames"]["文件清单"]
    assert files["读取指标行数"].sum() == total
    assert files["计入指标行数"].sum() == len(indicators)
    assert "(一致)" in batch["stderr"]


def test_the_same_file_twice_and_the_same_project_twice_are_counted_once(batch):
    projects = batch["frames"]["项目清单"]
    keys = list(zip(projects["部门"], projects["项目名称"], strict=True))
    assert len(keys) == len(set(keys))
    first = load_any(batch["files"][0]).projects[0]
    kept = projects[(projects["部门"] == first.department) & (projects["项目名称"] == first.name)]
    assert kept["来源文件"].tolist() == [str(batch["again"])]  # the newer file wins
    issues = batch["frames"]["校验问题"]
    dup = issues[issues["问题代码"] == "BATCH_DUPLICATE_PROJECT"]
    assert set(dup["来源文件"]) == {str(batch["files"][0])} and set(dup["部门"]) == {first.department}
    assert len(dup) == 4  # every project of the first book, resubmitted
    assert (issues["问题代码"] == "BATCH_DUPLICATE_FILE").sum() == 1
    assert (issues["问题代码"] == "BATCH_OTHER_YEAR").sum() == 1
    broken = issues[issues["问题代码"] == "FILE_UNREADABLE"]
    assert broken["严重程度"].tolist() == ["错误"]


def test_department_summary_adds_up(batch):
    table = batch["frames"]["部门汇总"].set_index("部门")
    assert table.index[-1] == "合计"  # the last row, below the Excel table: the column sums
    departments, total = table.iloc[:-1], table.iloc[-1]
    for column in ("文件数", "项目数", "指标行数", "错误", "警告", "提示"):
        assert total[column] == departments[column].sum(), column
    for column in ("年度资金总额(万元)", "财政拨款(万元)", "其他资金(万元)"):
        assert total[column] == pytest.approx(departments[column].sum(), abs=1e-4), column
    projects = batch["frames"]["项目清单"]
    assert departments["项目数"].sum() == len(projects)
    assert departments["指标行数"].sum() == len(batch["frames"]["绩效指标"])
    assert departments["年度资金总额(万元)"].sum() == pytest.approx(projects["年度资金总额(万元)"].sum())
    issues = batch["frames"]["校验问题"]
    assert departments["错误"].sum() + departments["警告"].sum() + departments["提示"].sum() == len(issues)


def test_text_that_looks_like_a_formula_stays_text(batch):
    ws = batch["book"]["绩效指标"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row[4:6] if c.value in INERT]
    assert {c.value for c in cells} == set(INERT)
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(batch["master"]) as z:
        xml = z.read("xl/worksheets/sheet3.xml").decode()
    assert "<f>" not in xml


def test_findings_link_to_the_source_file_and_cell(batch):
    ws = batch["book"]["校验问题"]
    header = [c.value for c in ws[1]]
    col = header.index("问题说明")
    links = {}
    for row in ws.iter_rows(min_row=2):
        link = row[col].hyperlink
        if link is not None:
            links[row[header.index("问题代码")].value] = link
    dup = links["BATCH_DUPLICATE_PROJECT"]
    assert re.fullmatch(r"'[^']+'![A-Z]+\d+", dup.location)
    assert dup.target.startswith("../inbox/") and dup.target.endswith(".xlsx")  # relative to the master book
    with zipfile.ZipFile(batch["master"]) as z:
        rels = z.read("xl/worksheets/_rels/sheet4.xml.rels").decode()
    relative = os.path.relpath(batch["files"][0], batch["master"].parent)
    assert f'Target="{relative}" TargetMode="External"' in rels


def test_sources_are_never_modified(batch):
    assert {p: _sha(p) for p in batch["sources"]} == batch["before"]
    leftovers = [p for p in batch["out"].rglob("*.tmp")]
    assert leftovers == []


def test_json_and_parquet_hold_the_same_rows_as_the_book(batch):
    records = read_records(batch["out"] / "records.json")
    assert len(records) == len(batch["frames"]["项目清单"])
    assert sum(len(p.indicators) for p in records) == len(batch["frames"]["绩效指标"])
    for table, sheet in (("projects", "项目清单"), ("indicators", "绩效指标"), ("issues", "校验问题"), ("files", "文件清单")):
        frame = pd.read_parquet(batch["out"] / "parquet" / f"{table}.parquet")
        assert len(frame) == len(batch["frames"][sheet]), table


def test_feedback_gives_each_department_its_own_findings(batch):
    folder = batch["out"] / "退回"
    books = sorted(p.name for p in folder.glob("*.xlsx"))
    first = load_any(batch["files"][0]).projects[0]
    assert f"退回修改_{first.department}.xlsx" in books
    assert "退回修改_无法识别的文件.xlsx" in books  # the broken file: to the reviewer, not to a department
    ws = openpyxl.load_workbook(folder / f"退回修改_{first.department}.xlsx")["退回修改"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None]
    issues = batch["frames"]["校验问题"]
    mine = issues[issues["部门"] == first.department]
    assert len(rows) == len(mine) and "BATCH_DUPLICATE_PROJECT" in {r[9] for r in rows}  # the code, last
    assert {r[8] for r in rows if r[9] == "BATCH_DUPLICATE_PROJECT"} == {"重复报送的项目"}  # its Chinese name
    assert {r[5] for r in rows} <= {batch["files"][0].name, batch["again"].name}
    assert first.department in ws["A1"].value
    # The verb reads the master book back; --min-severity keeps errors only.
    again = run_cli("feedback", str(batch["master"]), "-o", str(batch["root"] / "fb2"), "--min-severity", "错误")
    assert again.returncode == 0, again.stderr.decode()
    errors = issues[issues["严重程度"] == "错误"]
    written = sorted((batch["root"] / "fb2").glob("*.xlsx"))
    assert len(written) == errors["部门"].fillna("").nunique()
    for path in written:
        ws = openpyxl.load_workbook(path)["退回修改"]
        assert {r[1] for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None} == {"错误"}


def test_feedback_on_a_file_that_is_not_a_master_book_is_a_clear_error(tmp_path):
    other = tmp_path / "x.xlsx"
    wb = openpyxl.Workbook()
    wb.save(other)
    done = run_cli("feedback", str(other), "-o", str(tmp_path / "fb"))
    assert done.returncode == 2 and "校验问题" in done.stderr.decode()


def test_missing_input_is_a_usage_error_naming_it(tmp_path):
    done = run_cli("consolidate", str(tmp_path / "没有这个文件夹"), "-o", str(tmp_path / "m.xlsx"))
    assert done.returncode == 2 and "没有这个文件夹" in done.stderr.decode()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_reads_the_master_book_as_written(batch, tmp_path):
    import subprocess
    import uuid

    profile = f"file:///tmp/lo-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir",
         str(tmp_path), str(batch["master"])],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    book = openpyxl.load_workbook(tmp_path / batch["master"].name)
    assert book.sheetnames[:5] == ["部门汇总", "项目清单", "绩效指标", "校验问题", "文件清单"]
    for name, frame in batch["frames"].items():
        assert book[name].max_row - 1 == len(frame), name
    issues = book["校验问题"]
    assert any(row[4].hyperlink is not None for row in issues.iter_rows(min_row=2))
