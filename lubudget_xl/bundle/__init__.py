"""`lubudget bundle`: everything an intranet PC needs, in one folder to carry over.

Layout of the bundle:
    install.bat, install.sh     check SHA256SUMS.txt, create a venv, pip install --no-index from wheels/
    SHA256SUMS.txt              SHA-256 of every other file (manifest.py)
    bundle.json                 what the bundle is for (version, platform, Python)
    使用说明.md or README.md     the Chinese guide
    wheels/                     lubudget_xl and its whole dependency closure for the target (wheels.py)
    addin/lubudget.xlam         the Excel add-in, built here from macros/ and xlwings
    templates/<year>/*.xlsx     the year's templates (departments fill them without Python)
    tools/verify_manifest.ps1   the manifest check install.bat runs
The folder is written beside the destination and renamed into place, so it is never half made.
"""

from __future__ import annotations

import json
import shutil
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lubudget_xl import __version__
from lubudget_xl.bundle.manifest import sha256_file, verify, write_manifest
from lubudget_xl.bundle.wheels import Target, download_closure
from lubudget_xl.errors import UserError

EXTRAS = ["excel"]  # xlwings: the add-in's link to Python
GUIDES = ("docs/使用说明.md", "README.md")  # the first that exists goes in


@dataclass(frozen=True)
class Bundle:
    folder: Path
    wheels: list[Path]
    guide: Path | None
    size: int


def checkout_root() -> Path | None:
    """The source checkout this package runs from (None for an installed wheel)."""
    root = Path(__file__).resolve().parents[2]
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and 'name = "lubudget_xl"' in pyproject.read_text(encoding="utf-8"):
        return root
    return None


def build_tool_wheel(root: Path, dest: Path) -> Path:
    """This checkout's wheel, built by pip from a clean copy of the sources (an in-tree build would
    package whatever stale files an earlier build left in build/); the build backend comes from the index."""
    import subprocess

    ignore = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__", "tests", "benchmarks")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "src"
        shutil.copytree(root, source, ignore=ignore)
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q", "-w", str(dest), str(source)],
            capture_output=True, text=True,
        )
    wheels = sorted(dest.glob("lubudget_xl-*.whl"))
    if result.returncode != 0 or not wheels:
        raise UserError(f"无法由源码目录 {root} 生成 lubudget_xl 的 wheel:\n{result.stderr[-1500:]}")
    return wheels[0]


def _script(name: str, target: Target) -> bytes:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    for key, value in {"@LUBUDGET_VERSION@": __version__, "@PYTHON_VERSION@": target.python, "@EXTRAS@": ",".join(EXTRAS)}.items():
        text = text.replace(key, value)
    if name.endswith(".bat"):
        # cmd reads a .bat in the console's code page: GB2312 bytes (all >= 0xA1) under `chcp 936`.
        return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("gb2312")
    return text.encode("utf-8")


def build_bundle(out: Path, target: Target, tool_wheel: Path | None = None, say=print) -> Bundle:
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError(f"{out}:已存在且不是空文件夹;请指定新的输出文件夹")
    root = checkout_root()
    if tool_wheel is None and root is None:
        raise UserError("不在源码目录中运行:请用 --wheel 指定 lubudget_xl 的 wheel 文件")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        bundle = _fill(work, target, tool_wheel, root, say)
        if out.exists():
            out.rmdir()
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Bundle(out, [out / "wheels" / w.name for w in bundle.wheels], bundle.guide, bundle.size)


def _fill(work: Path, target: Target, tool_wheel: Path | None, root: Path | None, say) -> Bundle:
    from lubudget_xl.addin.package import build_addin, read_xlwings_vba
    from lubudget_xl.template import write_builtin_templates

    wheels_dir = work / "wheels"
    wheels_dir.mkdir()
    if tool_wheel is None:
        say(f"正在由源码目录 {root} 生成 lubudget_xl 的 wheel……")
        with tempfile.TemporaryDirectory() as tmp:
            tool_wheel = build_tool_wheel(root, Path(tmp))
            shutil.copy2(tool_wheel, wheels_dir / tool_wheel.name)
            tool_wheel = wheels_dir / tool_wheel.name
    elif not Path(tool_wheel).is_file() or not Path(tool_wheel).name.startswith("lubudget_xl-"):
        raise UserError(f"{tool_wheel}:不是 lubudget_xl 的 wheel 文件")
    say(f"正在下载依赖({target.describe()})……")
    wheels = download_closure(Path(tool_wheel), EXTRAS, wheels_dir, target)
    xlwings_wheel = next((w for w in wheels if w.name.lower().startswith("xlwings-")), None)
    vba = read_xlwings_vba()
    if xlwings_wheel is None or xlwings_wheel.name.split("-")[1] != vba.version:
        raise UserError(f"本机 xlwings {vba.version} 与安装包中的 {xlwings_wheel and xlwings_wheel.name} 版本不同,加载项会不匹配")
    say("正在生成 Excel 加载项……")
    build_addin(work / "addin" / "lubudget.xlam")
    say("正在生成年度模板……")
    write_builtin_templates(work / "templates")
    guide = _copy_guide(work, root)
    tools = work / "tools"
    tools.mkdir()
    (tools / "verify_manifest.ps1").write_bytes(_script("verify_manifest.ps1", target))
    (work / "install.bat").write_bytes(_script("install.bat", target))
    (work / "install.sh").write_bytes(_script("install.sh", target))
    (work / "install.sh").chmod(0o755)
    info = {
        "lubudget_xl": __version__,
        "platform": target.platform or sysconfig.get_platform(),
        "python": target.python,
        "extras": EXTRAS,
        "wheels": {w.name: sha256_file(w) for w in wheels},
    }
    (work / "bundle.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_manifest(work)
    problems = verify(work)
    if problems:
        raise UserError("安装包自检失败:" + ";".join(problems))
    size = sum(p.stat().st_size for p in work.rglob("*") if p.is_file())
    return Bundle(work, wheels, guide, size)


def _copy_guide(work: Path, root: Path | None) -> Path | None:
    for rel in GUIDES:
        source = root / rel if root else None
        if source and source.is_file():
            target = work / Path(rel).name
            shutil.copyfile(source, target)
            _copy_linked(source, work)
            return target
    return None


def _copy_linked(guide: Path, work: Path) -> None:
    """The files the guide links relatively (its pictures, the rule reference), at the same relative
    places beside the bundle's copy, so its links work there too."""
    import re

    text = guide.read_text(encoding="utf-8")
    for link in sorted(set(re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", text))):
        source = guide.parent / link
        if re.match(r"[a-z]+:", link) or ".." in Path(link).parts or not source.is_file():
            continue
        target = work / link
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
