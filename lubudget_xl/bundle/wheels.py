"""The wheels of the tool and every dependency, for the target platform, with pip's download.

`pip download --platform` picks wheels for the target, but evaluates the dependencies' environment
markers on *this* machine: run on Linux for win_amd64 it leaves out `pywin32; platform_system ==
"Windows"` (xlwings' link to Excel), and the bundle would fail to install offline. So after each
download the requirement closure is walked from the wheels' own METADATA with the markers evaluated
for the target, and whatever is missing is downloaded too, until nothing is.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from lubudget_xl.errors import UserError

_ROUNDS = 5  # each round adds a layer of dependencies pip skipped; real closures need one or two


@dataclass(frozen=True)
class Target:
    """What pip's --platform/--python-version say, plus the marker environment they imply."""

    platform: str | None  # None: this machine
    python: str  # "3.11"

    def pip_args(self) -> list[str]:
        args = ["--only-binary=:all:"]
        if self.platform:
            args += ["--platform", self.platform, "--python-version", self.python, "--implementation", "cp"]
        return args

    def marker_environment(self) -> dict[str, str]:
        env = dict(default_environment())
        major, minor = self.python.split(".")[:2]
        env.update(python_version=f"{major}.{minor}")
        if env["python_full_version"].rsplit(".", 1)[0] != f"{major}.{minor}":
            env["python_full_version"] = f"{major}.{minor}.0"
        if self.platform:
            env.update(implementation_name="cpython", platform_python_implementation="CPython")
            env.update(_platform_markers(self.platform))
        return env

    def describe(self) -> str:
        return f"{self.platform or '本机平台'},Python {self.python}"


def _platform_markers(platform: str) -> dict[str, str]:
    if platform.startswith("win"):
        machine = {"win32": "x86", "win_amd64": "AMD64", "win_arm64": "ARM64"}.get(platform, "AMD64")
        return {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": machine}
    if platform.startswith("macosx"):
        return {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix", "platform_machine": platform.rsplit("_", 1)[-1]}
    if "linux" in platform:
        machine = re.sub(r"^.*linux(?:_\d+_\d+|\d*)_", "", platform)
        return {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": machine}
    raise UserError(f"不支持的目标平台 {platform}:请用 win_amd64、win32、manylinux2014_x86_64 或 macosx_11_0_arm64 这类 pip 平台标记")


@dataclass
class Dist:
    name: str
    version: Version
    requires: list[Requirement] = field(default_factory=list)


def read_wheels(folder: Path) -> dict[str, Dist]:
    """Canonical name -> what each wheel in `folder` is and requires (from its METADATA)."""
    found: dict[str, Dist] = {}
    for wheel in sorted(folder.glob("*.whl")):
        name, version, _, _ = parse_wheel_filename(wheel.name)
        with zipfile.ZipFile(wheel) as zf:
            meta = next((n for n in zf.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")), None)
            if meta is None:
                raise UserError(f"{wheel.name}:wheel 中没有 METADATA,无法确认其依赖")
            headers = HeaderParser().parsestr(zf.read(meta).decode("utf-8"))
        found[str(name)] = Dist(str(name), version, [Requirement(r) for r in headers.get_all("Requires-Dist") or []])
    return found


def missing_requirements(folder: Path, roots: list[Requirement], env: dict[str, str]) -> list[Requirement]:
    """Requirements (reached from `roots` under the target's markers) that no wheel in `folder` satisfies."""
    dists = read_wheels(folder)
    missing: list[Requirement] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    queue = [(r, frozenset()) for r in roots]
    while queue:
        req, parent_extras = queue.pop()
        if req.marker is not None and not any(req.marker.evaluate({**env, "extra": e}) for e in ("", *parent_extras)):
            continue
        name = str(canonicalize_name(req.name))
        dist = dists.get(name)
        if dist is None or not req.specifier.contains(dist.version, prereleases=True):
            missing.append(req)
            continue
        key = (name, frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        queue.extend((child, frozenset(req.extras)) for child in dist.requires)
    return missing


def wheel_fits(filename: str, target: Target) -> bool:
    """True when the wheel installs on the target: its platform (or any) and its Python (or py3/abi3)."""
    _, _, _, tags = parse_wheel_filename(filename)
    major, minor = (int(x) for x in target.python.split(".")[:2])
    for tag in tags:
        platform_ok = tag.platform == "any" or tag.platform == target.platform
        if tag.interpreter in (f"cp{major}{minor}", f"py{major}{minor}", f"py{major}"):
            python_ok = tag.abi in ("none", "abi3", f"cp{major}{minor}")
        elif tag.abi == "abi3" and tag.interpreter.startswith(f"cp{major}"):
            python_ok = int(tag.interpreter[2 + len(str(major)):] or 0) <= minor
        else:
            python_ok = False
        if platform_ok and python_ok:
            return True
    return False


def pip_download(requirements: list[str], dest: Path, target: Target) -> None:
    command = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q", "-d", str(dest)]
    command += target.pip_args() + requirements
    result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    if result.returncode != 0:
        detail = "\n".join(line for line in result.stderr.splitlines() if "is ignored" not in line)[-1500:]
        raise UserError(f"pip 下载依赖失败({target.describe()}):需要能访问软件包索引(PyPI 或其镜像)。\n{detail}")


def download_closure(tool_wheel: Path, extras: list[str], dest: Path, target: Target) -> list[Path]:
    """Download the tool's wheel and its whole dependency closure for `target` into `dest`."""
    root = f"lubudget_xl[{','.join(extras)}]" if extras else "lubudget_xl"
    pip_download([f"{tool_wheel.resolve()}[{','.join(extras)}]" if extras else str(tool_wheel.resolve())], dest, target)
    env = target.marker_environment()
    for _ in range(_ROUNDS):
        missing = missing_requirements(dest, [Requirement(root)], env)
        if not missing:
            break
        pip_download(sorted({str(_without_marker(r)) for r in missing}), dest, target)
    else:
        raise UserError(f"依赖不完整({target.describe()}):{', '.join(map(str, missing))}")
    wheels = sorted(dest.glob("*.whl"))
    if target.platform:
        unfit = [w.name for w in wheels if not wheel_fits(w.name, target)]
        if unfit:
            raise UserError(f"以下 wheel 不适用于 {target.describe()}:{', '.join(unfit)}")
    return wheels


def _without_marker(req: Requirement) -> Requirement:
    plain = Requirement(str(req))
    plain.marker = None
    return plain
