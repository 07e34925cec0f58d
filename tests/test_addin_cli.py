"""`lubudget addin build|install|uninstall|embed` through the real command line."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli


def test_build_install_uninstall_into_a_folder(tmp_path):
    built = tmp_path / "out" / "lubudget.xlam"
    result = run_cli("addin", "build", "-o", str(built))
    assert result.returncode == 0, result.stderr.decode()
    assert "已生成加载项" in result.stderr.decode()

    xlstart, conf = tmp_path / "XLSTART", tmp_path / "conf"
    result = run_cli("addin", "install", "--file", str(built), "--dir", str(xlstart), "--conf-dir", str(conf))
    assert result.returncode == 0, result.stderr.decode()
    assert (xlstart / "lubudget.xlam").read_bytes() == built.read_bytes()
    assert (conf / "lubudget.conf").read_bytes().decode("utf-8") == f'"INTERPRETER_WIN","{sys.executable}"\r\n'
    assert "绩效目标" in result.stderr.decode()

    result = run_cli("addin", "uninstall", "--dir", str(xlstart))
    assert result.returncode == 0
    assert not (xlstart / "lubudget.xlam").exists()
    assert "已卸载" in result.stderr.decode()


def test_install_builds_when_no_file_is_given(tmp_path):
    result = run_cli("addin", "install", "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "lubudget.xlam").stat().st_size > 20000
    assert not (tmp_path / "lubudget.conf").exists()  # --dir alone writes no interpreter config


@pytest.mark.skipif(sys.platform.startswith("win"), reason="Windows has an XLSTART folder")
@pytest.mark.parametrize("action", ["install", "uninstall"])
def test_without_excel_a_chinese_message_and_exit_2(action):
    result = run_cli("addin", action)
    assert result.returncode == 2
    message = result.stderr.decode()
    assert "Windows" in message and "--dir" in message and "Traceback" not in message


def test_missing_file_is_a_user_error(tmp_path):
    result = run_cli("addin", "install", "--file", str(tmp_path / "nope.xlam"), "--dir", str(tmp_path))
    assert result.returncode == 2
    assert "找不到要安装的加载项文件" in result.stderr.decode()


def test_wrong_suffix_is_a_user_error(tmp_path):
    result = run_cli("addin", "build", "-o", str(tmp_path / "x.xlsx"))
    assert result.returncode == 2
    assert ".xlam" in result.stderr.decode()


def test_build_without_the_macros_folder_is_a_user_error(tmp_path):
    from lubudget_xl.addin.package import build_addin
    from lubudget_xl.errors import UserError

    with pytest.raises(UserError, match="找不到 VBA 源文件夹"):
        build_addin(tmp_path / "x.xlam", macros=tmp_path / "missing")


@pytest.mark.parametrize("kind", ["junk", "plain_zip"])
def test_install_refuses_a_file_that_is_not_our_addin(tmp_path, kind):
    import zipfile

    source = tmp_path / "junk.xlsx"
    if kind == "junk":
        source.write_bytes(b"random bytes, not a workbook" * 10)
    else:
        with zipfile.ZipFile(source, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
    xlstart = tmp_path / "d"
    result = run_cli("addin", "install", "--file", str(source), "--dir", str(xlstart))
    assert result.returncode == 2
    err = result.stderr.decode("utf-8")
    assert "junk.xlsx" in err and "未安装" in err and "Traceback" not in err
    assert not (xlstart / "lubudget.xlam").exists()


def test_checkout_builds_from_the_top_level_macros_folder():
    """In a checkout no packaged copy may shadow macros/ (setup.py puts one only into built wheels)."""
    from lubudget_xl.addin.package import MACROS_DIR, macros_dir

    root = Path(__file__).resolve().parent.parent
    assert macros_dir() == MACROS_DIR == root / "macros"
    assert not (root / "lubudget_xl" / "addin" / "macros").exists()


def test_embed_writes_a_macro_workbook_and_leaves_the_source(tmp_path):
    source = ROOT / "workbook_templates" / "2022" / "绩效目标表模板_2022.xlsx"
    before = source.read_bytes()
    out = tmp_path / "模板_带宏.xlsm"
    done = run_cli("addin", "embed", str(source), "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    assert source.read_bytes() == before and "已写出带宏的工作簿" in done.stderr.decode()
    with zipfile.ZipFile(out) as z:
        assert "xl/vbaProject.bin" in z.namelist()
        assert 'codeName="ThisWorkbook"' in z.read("xl/workbook.xml").decode()
    refused = run_cli("addin", "embed", str(out), "-o", str(out))
    assert refused.returncode == 2 and "不能覆盖原文件" in refused.stderr.decode()
