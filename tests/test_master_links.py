"""Issue 13: the master book's links to department files are relative to the master book's folder,
so moving the whole folder (master book and submissions) to a share keeps every link working.

Excel resolves a relative hyperlink target against the folder of the workbook that holds it; only a
file on another drive (Windows) keeps an absolute `file:///` target.
"""

from __future__ import annotations

import ntpath
import posixpath
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote

from conftest import run_cli

from lubudget_xl.consolidate.master import file_url, relative_target
from lubudget_xl.consolidate.samples import write_workbook_batch


def _link_targets(master: Path) -> list[str]:
    """Every external hyperlink target in the book's sheets, unescaped."""
    import re

    targets = []
    with zipfile.ZipFile(master) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/_rels/"):
                rels = z.read(name).decode("utf-8")
                targets += re.findall(r'Type="[^"]*/hyperlink" Target="([^"]*)" TargetMode="External"', rels)
    return [unquote(t.replace("&amp;", "&")) for t in targets]


def test_links_survive_moving_the_whole_folder(tmp_path):
    share = tmp_path / "本机" / "2021年 预算"
    inside = write_workbook_batch(share / "汇总" / "随表附件", files=2, projects_per_file=2, seed=3, bases=1)
    sibling = write_workbook_batch(share / "报送 一批", files=3, projects_per_file=2, seed=4, bases=1)
    master = share / "汇总" / "汇总表.xlsx"
    done = run_cli("consolidate", str(share / "报送 一批"), str(share / "汇总" / "随表附件"), "-o", str(master),
                   "--fail-on", "never", "--quiet")  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    targets = _link_targets(master)
    # 项目清单, 校验问题 and 文件清单 link every file, and no link is absolute
    assert {Path(t).name for t in targets} == {p.name for p in inside + sibling}
    assert not any(t.startswith("file:") or t.startswith("/") for t in targets)
    assert "随表附件/" + inside[0].name in targets and "../报送 一批/" + sibling[0].name in targets

    moved = tmp_path / "共享盘" / "归档"
    moved.parent.mkdir()
    shutil.move(share, moved)
    new_master = moved / "汇总" / "汇总表.xlsx"
    assert not master.exists() and new_master.exists()
    for target in set(_link_targets(new_master)):
        assert (new_master.parent / target).resolve().is_file(), target

    # openpyxl (and so Excel's own reading of the part) sees the same relative targets
    import openpyxl

    issues = openpyxl.load_workbook(new_master)["校验问题"]
    linked = [c.hyperlink for row in issues.iter_rows(min_row=2) for c in row if c.hyperlink is not None]
    assert linked and all((new_master.parent / unquote(h.target)).is_file() and h.location for h in linked)


def test_another_drive_keeps_an_absolute_link():
    assert relative_target(r"D:\报送\甲.xlsx", r"C:\汇总", ntpath) is None  # Excel cannot link across drives
    assert relative_target(r"C:\报送\甲.xlsx", r"C:\汇总", ntpath) == "../报送/甲.xlsx"
    assert relative_target(r"\\server\share\甲.xlsx", r"C:\汇总", ntpath) is None
    assert relative_target("/data/a:b.xlsx", "/data", posixpath) == "./a:b.xlsx"  # not the URL scheme a:
    assert file_url("/data/报送/甲.xlsx", "项目1", "C5", "/data/汇总") == "../报送/甲.xlsx#'项目1'!C5"
    assert file_url("/data/a:b.xlsx", None, None, "/data") == "./a:b.xlsx"
    assert file_url("/data/报送/甲.xlsx") == "file:///data/报送/甲.xlsx"  # no base: absolute as before
