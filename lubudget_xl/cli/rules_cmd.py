"""`lubudget rules [--check] [-o docs/rules.md]`: write (or verify) the generated rule documentation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lubudget_xl.cli._options import add_output, add_verb

DEFAULT_OUT = "docs/rules.md"


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "rules",
        help="生成校验规则说明(docs/rules.md)",
        description="由规则代码中的说明生成 docs/rules.md(代码、级别、检查内容、原因、错误与正确示例)。\n"
        "--check:只比较,不写入。",
        findings="使用 --check 时文件已过期或不存在",
    )  # fmt: skip
    add_output(p, (".md", ".markdown", ".txt"), "规则说明(Markdown 文本)", required=False, default=DEFAULT_OUT,
               stdout=True, help=f"输出文件(.md;默认 {DEFAULT_OUT};- 表示标准输出)")  # fmt: skip
    p.add_argument("--check", action="store_true", help="只检查文件是否与规则一致,不写入")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from lubudget_xl.fsutil import write_text_atomic
    from lubudget_xl.rules import REGISTRY
    from lubudget_xl.rules._docs import render_rules_markdown

    text = render_rules_markdown()
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    path = Path(args.output)
    if args.check:
        current = _read_text(path)
        if current == text:
            print(f"{path} 与 {len(REGISTRY)} 条规则一致。", file=sys.stderr)
            return 0
        why = "不存在" if current is None else "已过期"
        print(f"{path} {why}:请运行 lubudget rules 重新生成。", file=sys.stderr)
        return 1
    write_text_atomic(path, text)
    print(f"已写出 {path}({len(REGISTRY)} 条规则)。", file=sys.stderr)
    return 0


def _read_text(path: Path) -> str | None:
    """The file's text, None when it does not exist; a file that is not UTF-8 text (say a workbook
    given by mistake) is a usage error, not a traceback."""
    from lubudget_xl.errors import UserError, os_error_reason

    if not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path}: 不是 UTF-8 文本文件(规则说明应为 Markdown 文本,例如 {DEFAULT_OUT})") from None
    except OSError as err:
        raise UserError(f"{path}: 无法读取({os_error_reason(err)})") from None
