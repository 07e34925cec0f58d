"""SHA256SUMS.txt: one line per file of the bundle, `<sha256, 64 lowercase hex><two spaces><path>`.

The format is GNU sha256sum's, so install.sh checks it with `sha256sum --check --strict`;
tools/verify_manifest.ps1 (run by install.bat) parses the same lines with LINE_PATTERN's regex and
Get-FileHash; `verify` here is the reference the tests hold both to. Paths are relative to the
bundle, `/`-separated, UTF-8 without BOM, LF line ends, sorted; the manifest does not list itself.
Every file under wheels/ must be listed: pip installs whatever it finds there.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from lubudget_xl.errors import UserError

MANIFEST = "SHA256SUMS.txt"
LINE_PATTERN = r"^([0-9a-f]{64})  (.+)$"
_LINE = re.compile(LINE_PATTERN)
CHECKED_FOLDERS = ("wheels",)  # no file may sit there unlisted


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(root: Path) -> Path:
    lines = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel == MANIFEST:
            continue
        if any(c in rel for c in "\\\n\r") or rel != rel.strip():
            raise UserError(f"{rel}:文件名含反斜杠、换行或首尾空格,无法写入校验清单")
        lines.append(f"{sha256_file(path)}  {rel}\n")
    out = root / MANIFEST
    out.write_text("".join(lines), encoding="utf-8", newline="\n")
    return out


def parse_manifest(text: str) -> dict[str, str]:
    """Path -> hash; a malformed or repeated line is an error (as `sha256sum --strict` treats it)."""
    entries: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if line == "" and number == len(text.split("\n")):
            break
        found = _LINE.match(line)
        if not found or found.group(2) in entries:
            raise UserError(f"{MANIFEST} 第{number}行格式不对:{line[:80]!r}")
        entries[found.group(2)] = found.group(1)
    return entries


def verify(root: Path) -> list[str]:
    """Problems found (Chinese, one per file); empty when the bundle is exactly what was written."""
    manifest = root / MANIFEST
    if not manifest.is_file():
        return [f"缺少校验清单 {MANIFEST}"]
    entries = parse_manifest(manifest.read_bytes().decode("utf-8"))
    problems = []
    for rel, expected in entries.items():
        path = root / rel
        if not path.is_file():
            problems.append(f"缺少文件 {rel}")
        elif sha256_file(path) != expected:
            problems.append(f"文件已被改动或损坏 {rel}")
    for folder in CHECKED_FOLDERS:
        for path in sorted((root / folder).glob("*")) if (root / folder).is_dir() else []:
            rel = path.relative_to(root).as_posix()
            if rel not in entries:
                problems.append(f"清单外的文件 {rel}")
    return problems
