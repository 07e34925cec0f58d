"""`lubudget template build|all`: build the year's official-form workbook from its catalogue."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lubudget_xl.cli._options import add_catalog, add_output, add_verb

DEFAULT_DIR = "workbook_templates"


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(sub, "template", help="生成年度绩效目标表模板", description="按指标目录生成官方表式的 Excel 模板。")
    verbs = p.add_subparsers(dest="template_verb", metavar="子命令", title="子命令")
    b = add_verb(verbs, "build", help="生成一个模板文件", description="按指标目录生成一个空白模板(.xlsx)。")
    add_catalog(b, "指标目录:内置名称(如 2022)或 JSON 文件路径(默认 2022,若无则用最新内置目录)")
    add_output(b, (".xlsx",), "模板(Excel 工作簿)")
    b.set_defaults(run=run_build)
    a = add_verb(verbs, "all", help="为每个内置指标目录生成模板", description="为每个内置指标目录生成模板,放在 <文件夹>/<年度>/ 下。")
    a.add_argument("--dir", default=DEFAULT_DIR, help=f"输出文件夹(默认 {DEFAULT_DIR})")
    a.set_defaults(run=run_all)
    p.set_defaults(run=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_build(args: argparse.Namespace) -> int:
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.template import default_catalog_name, template_info, write_template

    out = Path(args.output)
    catalog = load_catalog(args.catalog or default_catalog_name())
    write_template(catalog, out)
    info = template_info(catalog)
    print(
        f"已生成 {catalog.year} 年度模板 {out}(指标目录 {info.catalog_version},模板版本 {info.template_version})",
        file=sys.stderr,
    )
    return 0


def run_all(args: argparse.Namespace) -> int:
    from lubudget_xl.template import write_builtin_templates

    for path in write_builtin_templates(args.dir):
        print(f"已生成 {path}", file=sys.stderr)
    return 0
