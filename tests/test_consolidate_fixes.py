"""QA findings on consolidate/feedback, each checked on real files through the CLI:
a missing INPUT is a failed row (the batch goes on), nothing counted exits 2, -o never replaces an
input, feedback keeps its folder clean and speaks Chinese about bad master books."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from conftest import run_cli

from lubudget_xl.consolidate.samples import write_workbook_batch


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """One department workbook (a filled official form)."""
    folder = tmp_path_factory.mktemp("good")
    return write_workbook_batch(folder, files=2, projects_per_file=2, seed=5, bases=1)


def _rows(master, sheet):
    return list(openpyxl.load_workbook(master)[sheet].iter_rows(min_row=2, values_only=True))


def test_a_missing_input_is_a_failed_row_and_the_batch_goes_on(good, tmp_path):
    master = tmp_path / "m.xlsx"
    missing = tmp_path / "缺少的部门.xlsx"
    done = run_cli("consolidate", str(good[0]), str(missing), "-o", str(master))
    err = done.stderr.decode()
    assert done.returncode == 1, err  # a finding (the missing file), not an abort
    files = {r[0]: r for r in _rows(master, "文件清单")}
    assert files[str(good[0])][1] == "已读取"
    assert files[str(missing)][1] == "读取失败" and "不存在" in files[str(missing)][2]
    issues = _rows(master, "校验问题")
    assert any(r[1] == "FILE_UNREADABLE" and r[6] == str(missing) for r in issues)
    assert len(_rows(master, "项目清单")) == 2


def test_nothing_counted_says_so_and_exits_2(good, tmp_path):
    master = tmp_path / "m.xlsx"
    done = run_cli("consolidate", str(good[0]), "--year", "1999", "-o", str(master))
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "没有任何项目计入汇总" in err and "其他年度" in err and good[0].name in err
    assert [r[1] for r in _rows(master, "文件清单")] == ["其他年度"]


def test_output_equal_to_an_input_is_refused_and_the_input_kept(good, tmp_path):
    copy = tmp_path / good[0].name
    shutil.copy(good[0], copy)
    before = copy.read_bytes()
    done = run_cli("consolidate", str(copy), "-o", str(copy))
    assert done.returncode == 2 and "输出文件就是输入文件之一" in done.stderr.decode()
    assert copy.read_bytes() == before


def test_feedback_replaces_its_own_old_lists_and_leaves_other_files(good, tmp_path):
    first, second, folder = tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "退回"
    missing = tmp_path / "没有的.xlsx"
    assert run_cli("consolidate", *map(str, good), str(missing), "-o", str(first)).returncode == 1
    assert run_cli("consolidate", *map(str, good), "-o", str(second), "--fail-on", "never").returncode == 0
    done = run_cli("feedback", str(first), "-o", str(folder))
    assert done.returncode == 0, done.stderr.decode()
    unknown = folder / "退回修改_无法识别的文件.xlsx"
    assert unknown.exists()
    assert "无法识别" in openpyxl.load_workbook(unknown)["退回修改"]["A1"].value
    mine = folder / "退回修改_手写.xlsx"  # a file the reviewer put there: same prefix, not ours
    openpyxl.Workbook().save(mine)
    (folder / "说明.txt").write_text("保留")
    before = {p.name for p in folder.iterdir()}
    done = run_cli("feedback", str(second), "-o", str(folder))
    err = done.stderr.decode()
    assert done.returncode == 0, err
    after = {p.name for p in folder.iterdir()}
    assert after == before - {unknown.name} and "已删除" in err and unknown.name in err
    assert mine.exists() and (folder / "说明.txt").read_text() == "保留"


@pytest.mark.parametrize("kind", ["missing", "folder", "empty", "garbage"])
def test_feedback_on_an_unusable_master_is_a_chinese_error_naming_it(tmp_path, kind):
    master = tmp_path / f"汇总表_{kind}.xlsx"
    if kind == "folder":
        master.mkdir()
    elif kind == "empty":
        master.write_bytes(b"")
    elif kind == "garbage":
        master.write_bytes(b"PK\x03\x04 not a zip")
    done = run_cli("feedback", str(master), "-o", str(tmp_path / "f"))
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert master.name in err and "Traceback" not in err
    assert not any(w in err for w in ("No such file", "Cannot detect", "invalid Zip", "os error"))
    assert not (tmp_path / "f").exists() or not any((tmp_path / "f").iterdir())


def test_master_book_rounds_amounts_types_years_and_prints_one_page_wide(good, tmp_path):
    import pandas as pd

    master, parquet = tmp_path / "m.xlsx", tmp_path / "pq"
    missing = tmp_path / "没有的.xlsx"  # a file row without year and size
    done = run_cli("consolidate", *map(str, good), str(missing), "-o", str(master), "--parquet", str(parquet))
    assert done.returncode == 1, done.stderr.decode()
    book = openpyxl.load_workbook(master)
    departments = list(book["部门汇总"].iter_rows(min_row=2, values_only=True))
    assert departments[-1][0] == "合计"
    money = [v for r in departments for v in r[4:7]]
    assert money and all(isinstance(v, int | float) and v == round(v, 4) for v in money)
    assert departments[-1][2] == sum(r[2] for r in departments[:-1])
    years = [r[4] for r in book["文件清单"].iter_rows(min_row=2, values_only=True)]
    assert sorted(years, key=str) == [2021, 2021, None] and all(type(y) is int for y in years if y is not None)
    import zipfile

    with zipfile.ZipFile(master) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert b"<v>2021</v>" in xml and b"<v>2021.0</v>" not in xml
    for ws in book:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, "1"), ws.title
        assert ws.page_setup.fitToHeight in (0, "0"), ws.title
        if ws.tables:
            assert ws.print_title_rows == "$1:$1", ws.title
    files = pd.read_parquet(parquet / "files.parquet")
    assert str(files["year"].dtype) == "Int64" and files["year"].isna().sum() == 1


def test_messages_name_files_not_the_reviewers_local_paths(good, tmp_path):
    inbox = tmp_path / "本机路径" / "部门报送"
    inbox.mkdir(parents=True)
    shutil.copy(good[0], inbox / "a.xlsx")
    shutil.copy(good[0], inbox / "a(重复发送).xlsx")
    (inbox / "损坏.xlsx").write_bytes(b"PK\x03\x04 truncated")
    master, folder = tmp_path / "m.xlsx", tmp_path / "退回"
    done = run_cli("consolidate", str(inbox), "-o", str(master), "--feedback", str(folder))
    assert done.returncode == 1, done.stderr.decode()
    issues = _rows(master, "校验问题")
    codes = {r[1] for r in issues}
    assert {"BATCH_DUPLICATE_FILE", "FILE_UNREADABLE"} <= codes
    assert all("本机路径" not in r[4] for r in issues), [r[4] for r in issues if "本机路径" in r[4]]
    assert any("损坏.xlsx" in r[4] for r in issues) and any("a.xlsx" in r[4] or "a(重复发送).xlsx" in r[4] for r in issues)
    assert all(str(inbox) in r[6] for r in issues)  # the location keeps the full path (the link)
    for book in folder.glob("*.xlsx"):
        texts = [str(v) for row in openpyxl.load_workbook(book).active.iter_rows(values_only=True) for v in row if v]
        assert not any("本机路径" in t for t in texts), book.name


def test_demo_batch_looks_like_real_departments(tmp_path, capsys):
    from conftest import SEED

    from lubudget_xl.cli.demo_steps_consolidate import step_consolidate

    context = {"out": tmp_path, "sample": SEED}
    step_consolidate(context)
    said = capsys.readouterr().err
    assert "读取失败:损坏的文件.xlsx" in said and "已跳过:~$六安市教育局.xlsx" in said
    assert "重复文件:" in said and str(tmp_path) not in said.split("校验问题")[0]
    rows = _rows(context["master"], "部门汇总")
    departments = [r for r in rows if r[0] not in ("合计", "(未识别部门)")]
    names = [r[0] for r in departments]
    assert len(names) >= 10 and len(set(names)) == len(names)
    assert all(n.startswith("六安市") and "分局" not in n for n in names)
    single = [r for r in departments if r[1] == 1]  # one file each: the generated departments
    assert len({r[4] for r in single}) == len(single)  # no two show the same funds
    assert len({r[3] for r in single}) >= len(single) * 2 // 3  # row counts vary
    books = sorted(p.name for p in (tmp_path / "退回修改").glob("*.xlsx"))
    assert "退回修改_无法识别的文件.xlsx" in books and not any("未识别部门" in b for b in books)


def test_output_over_a_department_file_inside_an_input_folder_is_refused(good, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    department = inbox / good[0].name
    shutil.copy(good[0], department)
    before = department.read_bytes()
    done = run_cli("consolidate", str(inbox), "-o", str(department))
    assert done.returncode == 2 and "输出文件就是输入文件夹中的一个文件" in done.stderr.decode()
    assert department.read_bytes() == before
    master = inbox / "汇总表.xlsx"  # a master book inside the folder may be replaced, run after run
    for _ in range(2):
        again = run_cli("consolidate", str(inbox), "-o", str(master), "--fail-on", "never")
        assert again.returncode == 0, again.stderr.decode()
