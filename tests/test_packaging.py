"""The package as a user gets it: `python -m build` makes the sdist and the wheel, `lubudget bundle`
puts the wheel and its dependencies into an offline bundle, and the bundle's install.sh installs it
into a fresh virtual environment outside the source tree with no network; every main verb then runs
from a folder that cannot see the checkout, and its output is compared with the checkout's.

One build, one bundle and one venv per test session (session-scoped fixtures): they need the build
backend and the dependencies from the package index and take minutes. A win_amd64 bundle is built
once more and checked wheel by wheel (it cannot be installed here).
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


def _no_network_prefix() -> list[str]:
    """`unshare -n` (a network namespace with no interfaces) where this machine allows it (root on Linux)."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True) if sys.platform == "linux" else None
    return ["unshare", "-n"] if probe is not None and probe.returncode == 0 else []


@pytest.fixture(scope="session")
def bundle(dist, tmp_path_factory) -> Path:
    """The offline bundle for this machine's platform, around the wheel `python -m build` made."""
    out = tmp_path_factory.mktemp("bundle") / "离线安装包"
    result = run_cli("bundle", "-o", str(out), "--wheel", str(dist.wheel))
    _check(result, "lubudget bundle")
    return out


@pytest.fixture(scope="session")
def venv(bundle, tmp_path_factory) -> Venv:
    """The one fresh venv of the session, made by the bundle's install.sh with no network at all."""
    root = tmp_path_factory.mktemp("venv") / "env"
    assert not root.resolve().is_relative_to(ROOT.resolve())
    env = clean_env()
    for key in [k for k in env if k.startswith("PIP_")]:
        del env[key]
    env["PIP_INDEX_URL"] = "http://127.0.0.1:9/simple"  # nothing listens there: an index would fail
    env["PYTHON"] = getattr(sys, "_base_executable", sys.executable)
    result = subprocess.run(
        [*_no_network_prefix(), "sh", str(bundle / "install.sh"), str(root)],
        cwd=tmp_path_factory.mktemp("install-cwd"), env=env, capture_output=True, timeout=3600,
    )
    _check(result, "install.sh")
    assert "文件核对通过" in result.stdout.decode()
    bindir = root / "bin"
    return Venv(root, bindir / "python", bindir / "lubudget", tmp_path_factory.mktemp("work"))


def same_workbook(a: Path, b: Path) -> bool:
    """Same parts with the same XML trees (names, attributes, text) and the same other bytes.

    Not bytes: openpyxl writes the same tree with different namespace-declaration placement depending
    on whether lxml is installed (the dev extra has it, an installed wheel's environment does not)."""
    import xml.etree.ElementTree as ET

    def tree(e):
        return (e.tag, sorted(e.attrib.items()), (e.text or "").strip(), (e.tail or "").strip(), [tree(c) for c in e])

    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        if sorted(za.namelist()) != sorted(zb.namelist()):
            return False
        for name in za.namelist():
            da, db = za.read(name), zb.read(name)
            if name.endswith((".xml", ".rels")):
                if tree(ET.fromstring(da)) != tree(ET.fromstring(db)):
                    return False
            elif da != db:
                return False
    return True


def _wheel_files(wheel: Path, prefix: str) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as zf:
        return {n[len(prefix):]: zf.read(n) for n in zf.namelist() if n.startswith(prefix) and not n.endswith("/")}


def _macros_files() -> dict[str, bytes]:
    """Every file under macros/, by its /-path inside it (hidden files and caches are not sources)."""
    return {
        p.relative_to(MACROS).as_posix(): p.read_bytes()
        for p in sorted(MACROS.rglob("*"))
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(MACROS).parts)
    }


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
    assert same_workbook(venv.cwd / "模板.xlsx", tmp_path / "模板.xlsx")


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


# --- the offline bundle ---------------------------------------------------------------------------


def test_bundle_holds_the_tool_the_addin_the_templates_and_the_guide(bundle, dist, tmp_path):
    assert (bundle / "wheels" / dist.wheel.name).read_bytes() == dist.wheel.read_bytes()
    reference = run_cli("addin", "build", "-o", str(tmp_path / "lubudget.xlam"))
    _check(reference, "checkout addin build")
    assert (bundle / "addin" / "lubudget.xlam").read_bytes() == (tmp_path / "lubudget.xlam").read_bytes()
    # The committed templates are a fresh build (test_template_determinism), so the bundle's must match them.
    committed = sorted(p.relative_to(ROOT / "workbook_templates") for p in (ROOT / "workbook_templates").rglob("*.xlsx"))
    bundled = sorted(p.relative_to(bundle / "templates") for p in (bundle / "templates").rglob("*.xlsx"))
    assert bundled == committed
    for rel in committed:
        assert same_workbook(bundle / "templates" / rel, ROOT / "workbook_templates" / rel), rel
    guide = ROOT / "docs" / "使用说明.md"
    guide = guide if guide.is_file() else ROOT / "README.md"
    assert (bundle / guide.name).read_bytes() == guide.read_bytes()
    info = json.loads((bundle / "bundle.json").read_text(encoding="utf-8"))
    assert info["python"] == f"{sys.version_info.major}.{sys.version_info.minor}" and "excel" in info["extras"]


def test_bundle_manifest_lists_every_file_with_its_sha256(bundle):
    import hashlib

    from lubudget_xl.bundle.manifest import parse_manifest, verify

    entries = parse_manifest((bundle / "SHA256SUMS.txt").read_text(encoding="utf-8"))
    on_disk = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()} - {"SHA256SUMS.txt"}
    assert set(entries) == on_disk
    for rel, digest in entries.items():
        assert hashlib.sha256((bundle / rel).read_bytes()).hexdigest() == digest
    assert verify(bundle) == []
    # GNU sha256sum reads the same file (install.sh relies on it).
    result = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS.txt"], cwd=bundle, capture_output=True)
    _check(result, "sha256sum --check")


@pytest.mark.parametrize("damage", ["changed", "extra", "missing"])
def test_install_sh_refuses_a_damaged_bundle_before_installing(bundle, tmp_path, damage):
    import shutil

    from lubudget_xl.bundle.manifest import verify

    copy = tmp_path / "bundle"
    shutil.copytree(bundle, copy)
    wheel = next((copy / "wheels").glob("openpyxl-*.whl"))
    if damage == "changed":
        wheel.write_bytes(wheel.read_bytes()[:-1] + b"x")
    elif damage == "extra":
        shutil.copyfile(wheel, copy / "wheels" / "evil-1.0-py3-none-any.whl")
    else:
        wheel.unlink()
    target = tmp_path / "venv"
    result = subprocess.run(["sh", str(copy / "install.sh"), str(target)], env=clean_env(), capture_output=True, timeout=300)
    assert result.returncode == 1
    assert "未安装" in result.stderr.decode()
    assert not target.exists()  # nothing was installed
    assert len(verify(copy)) == 1


def test_install_bat_is_gb2312_with_crlf_and_names_only_bundle_files(bundle):
    import re

    from lubudget_xl.bundle.manifest import LINE_PATTERN

    raw = (bundle / "install.bat").read_bytes()
    text = raw.decode("gb2312")  # strict: every character is in GB2312
    assert all(b < 0x80 or b >= 0xA1 for b in raw)  # no byte of a Chinese character looks like ASCII to cmd
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert "@" not in re.sub(r"^@echo off", "", text)  # every placeholder filled in
    assert "lubudget_xl[excel]==" in text and "--no-index" in text and "addin install" in text
    for rel in re.findall(r"%BUNDLE%\\([^\"\s]+)", text):
        assert (bundle / rel.replace("\\", "/")).exists(), rel
    # Chinese text only in plain lines, never inside a parenthesised block cmd would have to parse.
    assert not re.search(r"^\s*(if|for)\b.*\($", text, re.MULTILINE)
    ps = (bundle / "tools" / "verify_manifest.ps1").read_text(encoding="ascii")
    assert f"-cmatch '{LINE_PATTERN}'" in ps  # case-sensitive, as Python's re
    assert "SHA256SUMS.txt" in ps and "Get-FileHash -Algorithm SHA256" in ps and "'wheels'" in ps


@pytest.fixture(scope="session")
def windows_bundle(tmp_path_factory) -> Path:
    """A win_amd64 / Python 3.11 bundle, with the tool's wheel built by the command itself."""
    out = tmp_path_factory.mktemp("winbundle") / "bundle"
    result = run_cli("bundle", "-o", str(out), "--platform", "win_amd64", "--python", "3.11")
    _check(result, "lubudget bundle --platform win_amd64")
    return out


def test_windows_bundle_has_a_win_amd64_or_pure_wheel_for_every_dependency(windows_bundle):
    from packaging.requirements import Requirement
    from packaging.utils import parse_wheel_filename

    from lubudget_xl.bundle.wheels import Target, missing_requirements

    wheels = sorted((windows_bundle / "wheels").iterdir())
    assert all(w.suffix == ".whl" for w in wheels)
    for wheel in wheels:
        _, _, _, tags = parse_wheel_filename(wheel.name)
        assert any(
            t.platform in ("win_amd64", "any") and (t.interpreter in ("cp311", "py3") or t.abi == "abi3") for t in tags
        ), wheel.name
    names = {str(parse_wheel_filename(w.name)[0]) for w in wheels}
    # pip download evaluates markers for this Linux machine; the Windows-only dependency must be there anyway.
    assert {"lubudget-xl", "xlwings", "pywin32", "pandas", "numpy", "tzdata"} <= names
    env = Target("win_amd64", "3.11").marker_environment()
    assert missing_requirements(windows_bundle / "wheels", [Requirement("lubudget_xl[excel]")], env) == []
    assert "3.11" in (windows_bundle / "install.bat").read_bytes().decode("gb2312")
