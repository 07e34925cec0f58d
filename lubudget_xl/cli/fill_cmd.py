"""`lubudget fill`: write records (or any readable source) into the official form, one sheet per project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lubudget_xl.cli._options import add_catalog, add_inputs, add_output, add_quiet, add_verb, expand_inputs


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "fill",
        help="把记录填入模板(每个项目一张表)",
        description="把记录 JSON(或可读取的文本、工作簿)中的项目填入官方表式,每个项目一张工作表。",
    )  # fmt: skip
    add_inputs(p, "sources", "记录 JSON,或导入命令可读取的文件(可多个,全部项目填入同一工作簿)")
    add_output(p, (".xlsx",), "工作簿")
    add_catalog(p, "表式所用指标目录(默认:与记录年度相同的内置目录,否则最新目录)")
    p.add_argument(
        "--migrate",
        action="store_true",
        help="按目录的对应关系改写指标层级(把上年目标结转到新指标体系时使用,如 产出指标/成本指标 → 成本指标/经济成本指标)",
    )
    add_quiet(p)
    p.set_defaults(run=run)


def choose_catalog(name: str | None, years: list[int]):
    """The named catalogue, else the built-in one of the records' year, else the default."""
    from lubudget_xl.catalog import builtin_names, load_catalog
    from lubudget_xl.template import default_catalog_name

    if name:
        return load_catalog(name)
    year = str(max(years)) if years else ""
    return load_catalog(year if year in builtin_names() else default_catalog_name())


def run(args: argparse.Namespace) -> int:
    from lubudget_xl.errors import UserError
    from lubudget_xl.loading import load_any
    from lubudget_xl.template import fill_workbook

    out = Path(args.output)
    projects = []
    for source in expand_inputs(args.sources, exclude=[out], quiet=args.quiet):
        if Path(source).resolve() == out.resolve():
            raise UserError(f"{out}: 输出文件不能覆盖输入文件")
        found = load_any(source).projects
        if not found:
            raise UserError(f"{source}: 没有读到任何项目,未生成 {out}")
        projects += found
    catalog = choose_catalog(args.catalog, [p.year for p in projects if p.year])

    def progress(done: int, total: int, name: str) -> None:
        if not args.quiet:
            print(f"[{done}/{total}] {name}", file=sys.stderr)

    changed = 0
    if args.migrate:
        from lubudget_xl.template.filler import migrated

        changed = sum(migrated(p, catalog)[1] for p in projects)
    fill_workbook(projects, catalog, out, on_progress=progress, migrate=args.migrate)
    rows = sum(len(p.indicators) for p in projects)
    print(f"已填写 {len(projects)} 个项目、{rows} 行指标到 {out}({catalog.year} 年度表式)", file=sys.stderr)
    if args.migrate:
        print(f"按指标目录 {catalog.version} 的对应关系改写了 {changed} 行指标的层级", file=sys.stderr)
    return 0
