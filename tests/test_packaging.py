"""The package as a user gets it: built wheel and sdist, installed into a fresh virtual environment
outside the source tree, every main verb run from a folder that cannot see the checkout.

One build and one venv per test session (session-scoped fixtures): building needs the build backend
and installing needs the dependencies from the package index, which take a minute or two.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

pytestmark = [pytest.mark.packaging, pytest.mark.slow]

MACROS = ROOT / "macros"


@dataclass(frozen=True)
class Dist:
    wheel: Path
    sdist: Path


@dataclass(frozen=True)
class Venv:
    root: Path
    python: Path
    lubudget: Path
    cwd: Path  # an empty work folder outside the checkout

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.lubudget), *args], cwd=cwd or self.cwd, env=clean_env(), capture_output=True, timeout=900
        )


def clean_env() -> dict[str, str]:
    """The environment of a user who never saw the checkout: no PYTHONPATH, no active venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _check(result: subprocess.CompletedProcess, what: str) -> None:
    assert result.returncode == 0, f"{what} failed ({result.returncode}):\n{result.stdout.decode()[-3000:]}\n{result.stderr.decode()[-3000:]}"


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Dist:
    """`python -m build`: the sdist first, then the wheel built from that sdist (so the sdist is complete)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], capture_output=True, timeout=900)
    _check(result, "python -m build")
    (wheel,) = out.glob("lubudget_xl-*.whl")
    (sdist,) = out.glob("lubudget_xl-*.tar.gz")
    return Dist(wheel, sdist)


@pytest.fixture(scope="session")
def venv(dist, tmp_path_factory) -> Venv:
    root = tmp_path_factory.mktemp("venv") / "env"
    assert not root.resolve().is_relative_to(ROOT.resolve())
    _check(subprocess.run([sys.executable, "-m", "venv", str(root)], capture_output=True, timeout=300), "venv")
    bindir = root / ("Scripts" if sys.platform.startswith("win") else "bin")
    python = bindir / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"{dist.wheel}[excel]"],
        cwd=root, env=clean_env(), capture_output=True, timeout=1800,
    )
    _check(result, "pip install wheel")
    cwd = tmp_path_factory.mktemp("work")
    return Venv(root, python, bindir / "lubudget", cwd)


def _wheel_files(wheel: Path, prefix: str) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as zf:
        return {n[len(prefix):]: zf.read(n) for n in zf.namelist() if n.startswith(prefix) and not n.endswith("/")}


def _macros_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(MACROS.iterdir()) if p.is_file() and not p.name.startswith(".")}


def test_wheel_carries_macros_exactly_as_in_the_macros_folder(dist):
    packaged = _wheel_files(dist.wheel, "lubudget_xl/addin/macros/")
    source = _macros_files()
    assert sorted(packaged) == sorted(source), "the wheel's VBA sources differ from macros/ (names)"
    for name, data in source.items():
        assert packaged[name] == data, f"macros/{name} differs from the wheel's copy"


def test_wheel_carries_every_data_file_of_the_package(dist):
    """Every non-Python file under lubudget_xl/ in the checkout (catalogues, vocabulary, schemas, samples)."""
    packaged = _wheel_files(dist.wheel, "")
    source = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "lubudget_xl").rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert source, "expected catalogues, schemas and samples"
    missing = [name for name in source if name not in packaged]
    assert not missing, f"not in the wheel: {missing}"
    for name in source:
        assert packaged[name] == (ROOT / name).read_bytes(), name


def test_sdist_carries_the_macros_folder(dist):
    with tarfile.open(dist.sdist) as tf:
        names = {Path(n).relative_to(Path(n).parts[0]).as_posix() for n in tf.getnames() if len(Path(n).parts) > 1}
    for name in _macros_files():
        assert f"macros/{name}" in names
    assert {"setup.py", "MANIFEST.in", "pyproject.toml"} <= names


def test_installed_package_lives_in_the_venv_not_the_checkout(venv):
    code = "import lubudget_xl, lubudget_xl.addin.package as p; print(lubudget_xl.__file__); print(p.macros_dir())"
    result = subprocess.run([str(venv.python), "-c", code], cwd=venv.cwd, env=clean_env(), capture_output=True, timeout=120)
    _check(result, "import")
    module_file, macros = (Path(line) for line in result.stdout.decode().splitlines())
    assert module_file.resolve().is_relative_to(venv.root.resolve())
    assert macros.resolve().is_relative_to(venv.root.resolve())
    assert not module_file.resolve().is_relative_to(ROOT.resolve())


@pytest.fixture(scope="session")
def demo(venv) -> Path:
    result = venv.run("demo", "--out", "demo")
    _check(result, "lubudget demo")
    assert "演示完成" in result.stderr.decode()
    return venv.cwd / "demo"


def test_demo_runs_from_the_installed_wheel(demo):
    assert (demo / "汇总表.xlsx").stat().st_size > 0
    assert (demo / "lubudget.xlam").stat().st_size > 20000
    assert len(list((demo / "退回修改").glob("*.xlsx"))) >= 10


def test_addin_build_from_the_wheel_equals_the_checkout_build(venv, tmp_path):
    """The build is reproducible, so equal bytes mean the same VBA, ribbon and xlwings module."""
    result = venv.run("addin", "build", "-o", "lubudget.xlam")
    _check(result, "lubudget addin build")
    reference = run_cli("addin", "build", "-o", str(tmp_path / "lubudget.xlam"))
    _check(reference, "checkout addin build")
    assert (venv.cwd / "lubudget.xlam").read_bytes() == (tmp_path / "lubudget.xlam").read_bytes()


def test_template_build_from_the_wheel_equals_the_checkout_build(venv, tmp_path):
    result = venv.run("template", "build", "-o", "模板.xlsx")
    _check(result, "lubudget template build")
    reference = run_cli("template", "build", "-o", str(tmp_path / "模板.xlsx"))
    _check(reference, "checkout template build")
    assert (venv.cwd / "模板.xlsx").read_bytes() == (tmp_path / "模板.xlsx").read_bytes()


def test_check_from_the_wheel_reports_as_the_checkout(venv, demo):
    target = demo / "部门报送" / "0003_六安市财政局.xlsx"
    result = venv.run("check", str(target), "--format", "json", "--quiet")
    reference = run_cli("check", str(target), "--format", "json", "--quiet")
    assert result.returncode == reference.returncode == 1, result.stderr.decode()  # the demo's files have findings
    found = json.loads(result.stdout)
    assert found == json.loads(reference.stdout)
    assert found["files"][0]["projects"] == 4 and found["issues"]


def test_consolidate_from_the_wheel_equals_the_checkout(venv, demo, tmp_path):
    from openpyxl import load_workbook

    inputs = demo / "部门报送"
    result = venv.run("consolidate", str(inputs), "-o", "汇总.xlsx", "--quiet", "--jobs", "1")
    assert result.returncode in (0, 1), result.stderr.decode()
    reference = run_cli("consolidate", str(inputs), "-o", str(tmp_path / "汇总.xlsx"), "--quiet", "--jobs", "1")
    assert reference.returncode == result.returncode

    def cells(path: Path) -> dict[str, list[tuple]]:
        """The data sheets; 文件清单 without the seconds spent reading each file."""
        book = load_workbook(path, read_only=True)
        found = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets if ws.title != "汇总说明"}
        timing = found["文件清单"][0].index("读取用时(秒)")
        found["文件清单"] = [row[:timing] + row[timing + 1 :] for row in found["文件清单"]]
        return found

    ours, theirs = cells(venv.cwd / "汇总.xlsx"), cells(tmp_path / "汇总.xlsx")
    assert ours == theirs
    assert len(ours["项目清单"]) > 50
