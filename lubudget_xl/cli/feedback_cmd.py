"""`lubudget feedback master.xlsx -o DIR`: one 退回修改 workbook per department, from the master book."""

from __future__ import annotations

import argparse
import sys

from lubudget_xl.cli._options import add_quiet, add_severity, add_verb


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "feedback",
        help="按部门生成退回修改清单",
        description="读取汇总表的“校验问题”,为每个有问题的部门写一个退回修改清单工作簿;"
        "无法识别部门的文件(读取失败、已跳过的文件)列入“退回修改_无法识别的文件”。",
    )  # fmt: skip
    p.add_argument("master", metavar="汇总表.xlsx", help="lubudget consolidate 生成的汇总表")
    p.add_argument("-o", "--output", required=True, metavar="文件夹", help="输出文件夹")
    p.add_argument("--issuer", default=None, metavar="单位", help="清单标题下的发文单位(如 六安市财政局)")
    p.add_argument("--deadline", default=None, metavar="YYYY-MM-DD", help="清单中写明的报回期限(请于X年X月X日前修改后报回)")
    add_severity(p, default="提示", purpose="只列该级别及以上的问题(默认全部)")
    add_quiet(p, "不显示摘要")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from lubudget_xl.consolidate.feedback import write_feedback
    from lubudget_xl.errors import write_error
    from lubudget_xl.printing import Heading

    heading = Heading.from_options(args.issuer, args.deadline)
    removed: list = []
    try:
        written = write_feedback(args.master, args.output, args.severity.label, removed, heading)
    except OSError as err:  # on Windows, typically last round's list is open in Excel
        raise write_error(err.filename or args.output, err) from None
    if not args.quiet:
        for path in written:
            print(f"已写出 {path}", file=sys.stderr)
        for path in removed:
            print(f"已删除上次生成、本次已无问题的 {path.name}", file=sys.stderr)
        print(f"共 {len(written)} 份退回修改清单,在 {args.output}/", file=sys.stderr)
    return 0
