"""`lubudget selfeval build`: last year's targets → the 项目支出绩效自评表, one sheet per project.

Checking and consolidating filled self-evaluations go through `lubudget check` / `consolidate`,
which recognise the form by its title and identity.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lubudget_xl.cli._options import add_catalog, add_inputs, add_output, add_verb, expand_inputs


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "selfeval",
        help="绩效自评:由上年绩效目标表生成项目支出绩效自评表",
        description="绩效自评(财预〔2020〕10号)。填好的自评表用 lubudget check 校验、lubudget consolidate 汇总。",
    )
    verbs = p.add_subparsers(dest="selfeval_verb", metavar="子命令", title="子命令")
    b = add_verb(
        verbs, "build",
        help="由绩效目标(工作簿、发布的文本或记录 JSON)生成自评表",
        description="由上年的绩效目标表生成项目支出绩效自评表:每个项目一张工作表,指标、年度指标值、年初预算数和分值"
        "已预填,部门填写全年预算数、全年执行数、实际完成情况、实际完成值和偏差原因;得分由公式给出建议值。",
    )
    add_inputs(b, "sources", "绩效目标表:工作簿、发布的文本或记录 JSON(可多个)")
    add_output(b, (".xlsx",), "自评表(Excel 工作簿)")
    add_catalog(b, "指标目录(默认:与目标年度相同的内置目录);分值等自评设置取自目录")
    b.set_defaults(run=run_build)
    p.set_defaults(run=lambda args: (p.print_help(sys.stderr), 2)[1])


def run_build(args: argparse.Namespace) -> int:
    from lubudget_xl.cli.fill_cmd import choose_catalog
    from lubudget_xl.errors import UserError
    from lubudget_xl.loading import load_any
    from lubudget_xl.selfeval.form import write_selfeval

    out = Path(args.output)
    projects = []
    for source in expand_inputs(args.sources, exclude=[out]):
        if Path(source).resolve() == out.resolve():
            raise UserError(f"{out}: 输出文件不能覆盖输入文件")
        result = load_any(source)
        if not result.projects:
            raise UserError(f"{source}: 没有读到任何项目")
        projects.extend(result.projects)
    catalog = choose_catalog(args.catalog, [p.year for p in projects if p.year])
    write_selfeval(projects, catalog, out)
    rows = sum(len(p.indicators) for p in projects)
    print(f"已生成 {len(projects)} 个项目、{rows} 行指标的项目支出绩效自评表 {out}"
          f"({catalog.year} 年度,指标目录 {catalog.version})", file=sys.stderr)
    return 0
