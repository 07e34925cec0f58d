"""`lubudget rollover SRC... --to-year 2022 [--catalog 2022] -o FILE.xlsx`."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from lubudget_xl.catalog import load_catalog
from lubudget_xl.cli._options import add_catalog, add_inputs, add_output, add_verb, expand_inputs
from lubudget_xl.consolidate.discover import ROLLOVER_REPORT_SUFFIX
from lubudget_xl.errors import UserError
from lubudget_xl.fsutil import write_text_atomic
from lubudget_xl.loading import load_any
from lubudget_xl.model import ProjectTarget
from lubudget_xl.rollover import rollover
from lubudget_xl.rollover.report import render_report

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "rollover",
        help="把上年经常性项目结转到新年度模板",
        description="读取上年公开的绩效目标表(文本、工作簿或记录 JSON),把经常性项目结转到新年度模板。"
        "资金沿用上年数并标注待确认;表示预算年度的年份顺延,其他年份只提示不改动。",
    )
    add_inputs(p, "sources", "上年的表:文本、.xlsx/.xlsm/.xls/.et 或记录 JSON")
    p.add_argument("--to-year", type=int, required=True, help="结转到的年度,例如 2022")
    add_catalog(p, "新年度的指标目录(默认与 --to-year 同名的内置目录)")
    add_output(p, (".xlsx",), "工作簿", help="输出工作簿(.xlsx);多个部门时按部门名另存为 <名>_<部门>.xlsx")
    p.set_defaults(run=run)


def output_paths(projects: list[ProjectTarget], output: Path) -> dict[Path, list[ProjectTarget]]:
    """One workbook per department; the plain output name when there is only one department."""
    by_department: dict[str, list[ProjectTarget]] = {}
    for project in projects:
        by_department.setdefault(project.department, []).append(project)
    if len(by_department) <= 1:
        return {output: projects}
    return {
        output.with_name(f"{output.stem}_{_UNSAFE.sub('_', dept) or '未知部门'}{output.suffix}"): items
        for dept, items in by_department.items()
    }


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _distinct_sources(names: list[str]) -> list[Path]:
    """The sources in order, each once: the same file named twice would carry its projects twice."""
    seen: list[Path] = []
    for name in names:
        path = Path(name)
        if any(_same_file(path, other) for other in seen):
            print(f"提示:{name} 重复给出,只读取一次", file=sys.stderr)
            continue
        seen.append(path)
    return seen


def _target_catalog(name: str | None, to_year: int):
    """The catalogue of the year rolled into; refused when its year is another (the form, its title,
    年度 and year property would be that year's, and every shifted year would be flagged)."""
    from lubudget_xl.catalog.new_year import has_catalogue

    if name is None and not has_catalogue(to_year):
        raise UserError(f"没有 {to_year} 年的指标目录,无法生成 {to_year} 年的表;"
                        f"请先运行 lubudget catalog new --year {to_year} 建立该年度目录,再结转")  # fmt: skip
    catalog = load_catalog(name or str(to_year))
    if catalog.year != to_year:
        raise UserError(
            f"指标目录 {name}({catalog.version})是 {catalog.year} 年的,与 --to-year {to_year} 不一致:"
            f"结转出的表会是 {catalog.year} 年的表式。请改用 {to_year} 年的目录"
            f"(没有时先运行 lubudget catalog new --year {to_year}{f' --from {name}' if name else ''})"
        )
    return catalog


def run(args: argparse.Namespace) -> int:
    from lubudget_xl.rollover.workbook import write_rollover_workbook

    output = Path(args.output)
    source_paths = _distinct_sources(expand_inputs(args.sources, exclude=[output]))
    if any(_same_file(output, path) for path in source_paths):
        raise UserError(f"{output}: 输出文件就是来源文件之一;请另取文件名,来源文件不会被改动")
    catalog = _target_catalog(args.catalog, args.to_year)
    sources: list[ProjectTarget] = []
    for src in source_paths:
        read = load_any(src)
        sources.extend(read.projects)
        print(f"读取 {src}:{len(read.projects)} 个项目,{read.rows_read} 行指标", file=sys.stderr)
    if not sources:
        raise UserError("来源中没有读到任何项目,无法结转")
    later = sorted({p.year for p in sources if p.year is not None and p.year >= args.to_year})
    if later:
        files = sorted({Path(p.source_file).name for p in sources if p.year in later and p.source_file})
        shown = "、".join(files[:3]) + (f" 等 {len(files)} 个文件" if len(files) > 3 else "")
        raise UserError(
            f"来源中的表已是 {'、'.join(map(str, later))} 年的({shown}),不能结转到 {args.to_year} 年;"
            "--to-year 应晚于来源年度(上次结转写出的表也在来源文件夹中时,请把它移出或另选输出文件夹)"
        )
    result = rollover(sources, catalog, args.to_year)
    written = []
    for path, projects in output_paths(result.projects, output).items():
        if projects:
            from_year = min((p.year for p in sources if p.year is not None), default=args.to_year - 1)
            write_rollover_workbook(projects, catalog, path, from_year)
            written.append(path)
    report = render_report(result, sources=[str(p) for p in source_paths], to_year=args.to_year, catalog_version=catalog.version)
    report_path = output.with_name(output.stem + ROLLOVER_REPORT_SUFFIX)
    write_text_atomic(report_path, report)
    print(report, file=sys.stderr)
    for path in written:
        print(f"已写出 {path}", file=sys.stderr)
    print(f"结转报告:{report_path}", file=sys.stderr)
    return 0
