"""`make demo` runs with a relative --out (build/demo): its LibreOffice step must still run the macros.

LibreOffice loads and stores only absolute file URLs; with the relative paths `make demo` gives, the
step ended in "Unsupported URL <build/demo/LibreOffice演示.xlsm>" and rendered nothing (the other
test of the step passes an absolute tmp_path, so it did not see it).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from lubudget_xl.excel.libreoffice import SYSTEM_PYTHON

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def test_the_demo_step_works_with_a_relative_out_folder(tmp_path, monkeypatch, capsys, seed_path):
    missing = [name for name in ("soffice", "pdftoppm", "pdftotext") if shutil.which(name) is None]
    if not missing and subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0:
        missing.append("python3-uno")
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.cli.demo_steps_libreoffice import libreoffice_step
    from lubudget_xl.loading import load_any
    from lubudget_xl.template import fill_workbook

    monkeypatch.chdir(tmp_path)
    fill_workbook(load_any(seed_path).projects, load_catalog("2021"), Path("已填.xlsx"))
    libreoffice_step({"out": Path("build/demo"), "filled": Path("已填.xlsx")})
    said = capsys.readouterr().err
    assert "没有完成演示" not in said, said
    assert "校验完成(全部工作表):共 10 个项目" in said and "保存前校验:10 个项目中发现错误" in said
    for name in ("LibreOffice演示_校验结果.png", "LibreOffice演示_项目表.png"):
        assert (tmp_path / "build" / "demo" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
