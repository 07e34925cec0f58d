"""`lubudget feedback master.xlsx -o DIR`: one 退回修改 workbook per department, from the master book."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "feedback",
        help="按部门生成退回修改清单",
        description="读取汇总表的“校验问题”,为每个有问题的部门写一个退回修改清单工作簿。",
    )
    p.add_argument("master", metavar="汇总表.xlsx", help="lubudget consolidate 生成的汇总表")
    p.add_argument("-o", "--output", required=True, metavar="文件夹", help="输出文件夹")
    p.add_argument(
        "--min-severity", choices=["错误", "警告", "提示"], default="提示", help="只列此级别及以上的问题(默认全部)"
    )
    p.add_argument("--quiet", action="store_true", help="不显示摘要")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from lubudget_xl.consolidate.feedback import write_feedback
    from lubudget_xl.errors import write_error

    removed: list = []
    try:
        written = write_feedback(args.master, args.output, args.min_severity, removed)
    except OSError as err:  # on Windows, typically last round's list is open in Excel
        raise write_error(err.filename or args.output, err) from None
    if not args.quiet:
        for path in written:
            print(f"已写出 {path}", file=sys.stderr)
        for path in removed:
            print(f"已删除上次生成、本次已无问题的 {path.name}", file=sys.stderr)
        print(f"共 {len(written)} 份退回修改清单,在 {args.output}/", file=sys.stderr)
    return 0
