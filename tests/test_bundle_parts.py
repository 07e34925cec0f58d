"""The offline bundle's parts that need no network: the manifest and the dependency closure check."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli
from packaging.requirements import Requirement

from lubudget_xl.bundle.manifest import parse_manifest, verify, write_manifest
from lubudget_xl.bundle.wheels import Target, missing_requirements, wheel_fits
from lubudget_xl.errors import UserError


def _bundle(root: Path) -> Path:
    (root / "wheels").mkdir(parents=True)
    (root / "wheels" / "a-1.0-py3-none-any.whl").write_bytes(b"wheel a")
    (root / "templates" / "2022").mkdir(parents=True)
    (root / "templates" / "2022" / "绩效目标表模板_2022.xlsx").write_bytes(b"template")
    (root / "install.sh").write_text("echo\n")
    write_manifest(root)
    return root


def test_manifest_is_sha256sum_format_sorted_utf8(tmp_path):
    root = _bundle(tmp_path / "b")
    raw = (root / "SHA256SUMS.txt").read_bytes()
    lines = raw.decode("utf-8").splitlines()
    assert [line[66:] for line in lines] == ["install.sh", "templates/2022/绩效目标表模板_2022.xlsx", "wheels/a-1.0-py3-none-any.whl"]
    assert lines[2][:64] == hashlib.sha256(b"wheel a").hexdigest()
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    assert verify(root) == []


def test_verify_names_each_changed_missing_or_unlisted_file(tmp_path):
    root = _bundle(tmp_path / "b")
    (root / "install.sh").write_text("echo changed\n")
    (root / "templates" / "2022" / "绩效目标表模板_2022.xlsx").unlink()
    (root / "wheels" / "b-1.0-py3-none-any.whl").write_bytes(b"smuggled")
    assert verify(root) == [
        "文件已被改动或损坏 install.sh",
        "缺少文件 templates/2022/绩效目标表模板_2022.xlsx",
        "清单外的文件 wheels/b-1.0-py3-none-any.whl",
    ]


@pytest.mark.parametrize("line", ["abc  file", "A" * 64 + "  file", "a" * 64 + " file", "a" * 64 + "  "])
def test_malformed_manifest_lines_are_refused(line):
    with pytest.raises(UserError, match="格式不对"):
        parse_manifest(line + "\n")


def test_repeated_manifest_path_is_refused():
    line = "a" * 64 + "  x\n"
    with pytest.raises(UserError, match="第2行"):
        parse_manifest(line + line)


def _wheel(folder: Path, name: str, version: str, requires: list[str]) -> None:
    dist = f"{name}-{version}"
    meta = "Metadata-Version: 2.1\nName: {}\nVersion: {}\n{}".format(
        name, version, "".join(f"Requires-Dist: {r}\n" for r in requires)
    )
    with zipfile.ZipFile(folder / f"{dist}-py3-none-any.whl", "w") as zf:
        zf.writestr(f"{dist}.dist-info/METADATA", meta)


def test_closure_follows_extras_and_the_target_platforms_markers(tmp_path):
    _wheel(tmp_path, "tool", "1.0", ["lib>=2", 'xl==0.5; extra == "excel"', 'linuxonly; sys_platform == "linux"'])
    _wheel(tmp_path, "lib", "2.1", [])
    _wheel(tmp_path, "xl", "0.5", ['winonly>=224; platform_system == "Windows"'])
    _wheel(tmp_path, "linuxonly", "1.0", [])
    windows = Target("win_amd64", "3.11").marker_environment()
    linux = Target("manylinux2014_x86_64", "3.11").marker_environment()
    assert missing_requirements(tmp_path, [Requirement("tool")], windows) == []
    assert [str(r) for r in missing_requirements(tmp_path, [Requirement("tool[excel]")], windows)] == [
        'winonly>=224; platform_system == "Windows"'
    ]
    assert missing_requirements(tmp_path, [Requirement("tool[excel]")], linux) == []
    _wheel(tmp_path, "winonly", "223", [])  # too old for >=224
    assert len(missing_requirements(tmp_path, [Requirement("tool[excel]")], windows)) == 1


@pytest.mark.parametrize(
    ("name", "fits"),
    [
        ("numpy-2.4.6-cp311-cp311-win_amd64.whl", True),
        ("pywin32-311-cp311-cp311-win_amd64.whl", True),
        ("attrs-26.1.0-py3-none-any.whl", True),
        ("defusedxml-0.7.1-py2.py3-none-any.whl", True),
        ("cryptography-46.0.0-cp39-abi3-win_amd64.whl", True),
        ("numpy-2.4.6-cp312-cp312-win_amd64.whl", False),
        ("numpy-2.4.6-cp311-cp311-manylinux_2_28_x86_64.whl", False),
        ("numpy-2.4.6-cp311-cp311-win32.whl", False),
        ("future-1.0-cp313-abi3-win_amd64.whl", False),
    ],
)
def test_wheel_fits_the_target(name, fits):
    assert wheel_fits(name, Target("win_amd64", "3.11")) is fits


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--python", "3"], "3.11 这样"),
        (["--python", "3.9"], "--platform"),
        (["--platform", "solaris_sparc", "--python", "3.11"], "不支持的目标平台"),
    ],
)
def test_bundle_usage_errors_are_chinese_and_exit_2(tmp_path, args, message):
    result = run_cli("bundle", "-o", str(tmp_path / "b"), *args)
    assert result.returncode == 2
    assert message in result.stderr.decode() and "Traceback" not in result.stderr.decode()
    assert not (tmp_path / "b").exists()


def test_bundle_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "keep.txt").write_text("mine")
    result = run_cli("bundle", "-o", str(tmp_path / "b"), "--wheel", str(tmp_path / "b" / "keep.txt"))
    assert result.returncode == 2
    assert "不是空文件夹" in result.stderr.decode()
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["keep.txt"]
