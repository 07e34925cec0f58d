"""What several verbs declare alike, declared once (issue 13 item 7: one CLI vocabulary).

- `add_verb`: a verb's parser with the exit codes in its --help epilog (0 clean, 1 findings,
  2 could not run, 3 a bug of ours), so every verb says them the same way.
- `add_severity`: `--fail-on` and `--min-severity` are one option (the same threshold under either
  name) taking error/warning/info or 错误/警告/提示, parsed by `severity`.
- `add_inputs` / `expand_inputs`: every verb that reads files also takes folders (their readable
  files, recursively, as consolidation finds them; what is skipped is said, not dropped).
- `add_output`: the output's suffix must name what the verb writes (`-o 汇总.csv` would get an
  .xlsx under a .csv name): refused at parse time with the accepted suffixes, in Chinese.
- `add_catalog`, `add_jobs`, `add_quiet`: the same option, name, placeholder and wording everywhere.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lubudget_xl.issues import Severity

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3

SEVERITY_NAMES = {
    "error": Severity.ERROR, "错误": Severity.ERROR,
    "warning": Severity.WARNING, "警告": Severity.WARNING,
    "info": Severity.INFO, "提示": Severity.INFO,
}  # fmt: skip
NEVER_NAMES = ("never", "从不")
_SEVERITY_WORDS = "error/错误、warning/警告、info/提示"


def severity(text: str) -> Severity:
    """An argparse type: a severity named in English or Chinese (case and spaces ignored)."""
    found = SEVERITY_NAMES.get(text.strip().lower())
    if found is None:
        raise argparse.ArgumentTypeError(f"无效的级别 {text!r}(可选:{_SEVERITY_WORDS})")
    return found


def severity_or_never(text: str) -> Severity | None:
    """`severity`, or None for never/从不 (no finding changes the exit code)."""
    if text.strip().lower() in NEVER_NAMES:
        return None
    try:
        return severity(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"无效的级别 {text!r}(可选:{_SEVERITY_WORDS}、never/从不)") from None


def exit_epilog(findings: str | None) -> str:
    """The exit codes as every verb's --help ends with them; `findings`: what makes this verb exit 1."""
    one = f"1 {findings}" if findings else "1 本命令不使用"
    return (
        f"退出码:0 完成,没有问题;{one};2 无法运行(文件或参数有误,原因见提示);"
        "3 本程序内部出错(提示中给出日志文件路径,请发给维护人员)。"
    )


def add_verb(sub: argparse._SubParsersAction, name: str, *, help: str, description: str,
             findings: str | None = None) -> argparse.ArgumentParser:  # fmt: skip
    """A verb (or sub-verb) parser whose --help ends with the exit codes."""
    return sub.add_parser(name, help=help, description=description, epilog=exit_epilog(findings))


def add_severity(p: argparse.ArgumentParser, *, default: str, purpose: str, never: bool = False) -> None:
    """`--fail-on` / `--min-severity` (the same option): findings at or above the level `purpose`."""
    words = _SEVERITY_WORDS + ("、never/从不" if never else "")
    p.add_argument(
        "--fail-on", "--min-severity", dest="severity", default=default, metavar="级别",
        type=severity_or_never if never else severity,
        help=f"{purpose}({words};默认 {default};两个选项名同义)",
    )  # fmt: skip


def add_inputs(p: argparse.ArgumentParser, dest: str, help: str, *, many: bool = True) -> None:
    p.add_argument(dest, nargs="+" if many else None, metavar="文件或文件夹", help=f"{help};给文件夹时读取其中(含子文件夹)可读取的全部文件")


def add_output(p: argparse.ArgumentParser, suffixes: Sequence[str], what: str, *, required: bool = True,
               default: str | None = None, stdout: bool = False, help: str | None = None,
               flags: Sequence[str] = ("-o", "--output")) -> None:  # fmt: skip
    """`-o FILE` whose suffix must be one of `suffixes` (what the verb writes); `-` for stdout if `stdout`."""
    shown = "、".join(suffixes)
    text = help or f"输出的{what}({shown})" + (";写 - 表示输出到标准输出" if stdout else "")
    p.add_argument(*flags, dest="output" if "--output" in flags else None, required=required, default=default,
                   metavar="文件", type=output_file(suffixes, what, stdout), help=text)  # fmt: skip


def output_file(suffixes: Sequence[str], what: str, stdout: bool = False):
    """An argparse type: a path whose suffix names the format written, else a Chinese refusal."""

    def check(text: str) -> str:
        if stdout and text == "-":
            return text
        if Path(text).is_dir():
            raise argparse.ArgumentTypeError(f"{text}: 是文件夹,请给出{what}的文件名(如 {Path(text) / ('输出' + suffixes[0])})")
        if Path(text).suffix.lower() not in suffixes:
            raise argparse.ArgumentTypeError(
                f"{text}: 写出的是{what},文件扩展名须为 {'、'.join(suffixes)}(当前为 {Path(text).suffix or '无扩展名'});"
                "请改用正确的扩展名"
            )
        return text

    return check


def add_catalog(p: argparse.ArgumentParser, help: str = "指标目录:内置年度(如 2022)或 JSON 文件;默认按文件的年度选择") -> None:
    p.add_argument("--catalog", default=None, metavar="目录", help=help)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"须为正整数(当前为 {text!r})")
    return value


def add_jobs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", type=positive_int, default=None, metavar="进程数", help="并行读取的进程数(默认为 CPU 核数)")


def add_quiet(p: argparse.ArgumentParser, help: str = "不显示进度") -> None:
    p.add_argument("-q", "--quiet", action="store_true", help=help)


def expand_inputs(paths: Sequence[str], *, exclude: Sequence[str | Path] = (), quiet: bool = False,
                  what: str = "可读取的文件") -> list[str]:  # fmt: skip
    """Folders become the readable files inside them (recursively; lock and hidden files, other
    kinds and `exclude`d folders left out, each skip said on stderr unless `quiet`); files named
    explicitly are kept as given, even when missing (the verb reports that file and goes on)."""
    if not any(Path(p).is_dir() for p in paths):
        return list(paths)
    from lubudget_xl.consolidate.discover import discover
    from lubudget_xl.errors import UserError

    skip = [Path(p).resolve() for p in exclude]
    files: list[str] = []
    for raw in paths:
        if not Path(raw).is_dir():
            files.append(raw)
            continue
        found = discover([raw])
        files += [f for f in found.files if not any(s == Path(f).resolve() or s in Path(f).resolve().parents for s in skip)]
        if not quiet:
            for skipped in found.skipped:
                print(f"{skipped.path}: {skipped.reason}", file=sys.stderr)
    if not files:
        raise UserError(f"{'、'.join(paths)}: 文件夹中没有{what}(.xlsx/.xlsm/.xls/.et/.ods/.txt/.csv/.json)")
    return files
