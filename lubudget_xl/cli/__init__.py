"""The `lubudget` command: one module per verb (STYLE.md §7), each with `register` and `run`.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 could not run (bad input or usage),
3 an error in lubudget itself (a short Chinese message and the log holding the traceback).
People's text goes to stderr, data (JSON) to stdout.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from lubudget_xl import __version__
from lubudget_xl.cli._argparse_zh import ChineseArgumentParser
from lubudget_xl.errors import UserError, os_error_reason

# Verb modules in the order `--help` lists them (the year's workflow). Each defines register(subparsers) and run(args) -> int.
VERBS = (
    "template_cmd",
    "fill_cmd",
    "import_cmd",
    "check_cmd",
    "rules_cmd",
    "consolidate_cmd",
    "feedback_cmd",
    "rollover_cmd",
    "selfeval_cmd",
    "catalog_cmd",
    "addin_cmd",
    "bundle_cmd",
    "demo",
)

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="lubudget",
        description="项目支出预算绩效目标表工具:模板、校验、汇总、结转。",
    )
    parser.add_argument("--version", action="version", version=f"lubudget {__version__}", help="显示版本号")
    sub = parser.add_subparsers(dest="verb", metavar="命令", title="命令", help="命令后加 --help 查看其用法")
    for name in VERBS:
        module = importlib.import_module(f"lubudget_xl.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_UNUSABLE
    try:
        return int(args.run(args))
    except UserError as err:
        print(f"错误:{err}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as err:
        # Unwritable output folders, files in use, full disks: the user's to fix, so no traceback.
        print(f"错误:{_describe_os_error(err)}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_UNUSABLE
    except BaseException as exc:  # noqa: BLE001 - a bug of ours: exit 3, never a traceback exiting 1
        if isinstance(exc, SystemExit):
            raise
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    import traceback

    from lubudget_xl.isolation import append_log, log_path

    log = log_path()
    append_log(log, f"lubudget {__version__} {' '.join(sys.argv)}\n" + "".join(traceback.format_exception(exc)))
    print(f"错误:lubudget 程序内部出错(不是输入文件的问题),已停止。详细信息已写入日志 {log},请将其发给维护人员。",
          file=sys.stderr)
    return EXIT_INTERNAL



def _describe_os_error(err: OSError) -> str:
    reason = os_error_reason(err)
    return f"无法读写 {err.filename}:{reason}" if err.filename else f"文件操作失败:{reason}"
