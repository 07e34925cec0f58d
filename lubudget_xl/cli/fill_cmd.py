"""`lubudget fill`: write records (or any readable source) into the official form, one sheet per project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fill",
        help="把记录填入模板(每个项目一张表)",
        description="把记录 JSON(或可读取的文本、工作簿)中的项目填入官方表式,每个项目一张工作表。",
    )
    p.add_argument("source", help="记录 JSON,或导入命令可读取的文件")
    p.add_argument("-o", "--output", required=True, help="输出工作簿(.xlsx)")
    p.add_argument("--catalog", help="表式所用指标目录(默认:与记录年度相同的内置目录,否则最新目录)")
    p.add_argument(
        "--migrate",
        action="store_true",
        help="按目录的对应关系改写指标层级(把上年目标结转到新指标体系时使用,如 产出指标/成本指标 → 成本指标/经济成本指标)",
    )
    p.add_argument("--quiet", action="store_true", help="不显示进度")
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
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"{out}: 输出须为 .xlsx 文件")
    source = Path(args.source)
    if source.resolve() == out.resolve():
        raise UserError(f"{out}: 输出文件不能覆盖输入文件")
    result = load_any(source)
    if not result.projects:
        raise UserError(f"{source}: 没有读到任何项目,未生成 {out}")
    catalog = choose_catalog(args.catalog, [p.year for p in result.projects if p.year])

    def progress(done: int, total: int, name: str) -> None:
        if not args.quiet:
            print(f"[{done}/{total}] {name}", file=sys.stderr)

    changed = 0
    if args.migrate:
        from lubudget_xl.template.filler import migrated

        changed = sum(migrated(p, catalog)[1] for p in result.projects)
    fill_workbook(result.projects, catalog, out, on_progress=progress, migrate=args.migrate)
    rows = sum(len(p.indicators) for p in result.projects)
    print(f"已填写 {len(result.projects)} 个项目、{rows} 行指标到 {out}({catalog.year} 年度表式)", file=sys.stderr)
    if args.migrate:
        print(f"按指标目录 {catalog.version} 的对应关系改写了 {changed} 行指标的层级", file=sys.stderr)
    return 0
