"""`lubudget import SRC... -o records.json`: published tables (text) or workbooks → records JSON.

Each source goes through `loading.load_any`, so text, workbooks and records JSON all work; a
folder stands for the readable files in it (recursively). A batch goes on past a broken file. Exit codes: 0 everything imported cleanly; 1 something was imported
but lines were skipped (other than page numbers) or reading found warnings; 2 a source could not
be used at all (missing, not text, empty) or no source gave any project — the records
of the usable sources are still written, so one bad file does not cost the others.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lubudget_xl.catalog import Catalog, load_catalog
from lubudget_xl.cli._options import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNUSABLE,
    add_catalog,
    add_inputs,
    add_output,
    add_quiet,
    add_verb,
    expand_inputs,
)
from lubudget_xl.errors import UserError
from lubudget_xl.issues import Severity
from lubudget_xl.loading import ReadResult, load_any
from lubudget_xl.model import ProjectTarget

SKIPPED = "IMPORT_SKIPPED_LINE"
_SHOWN = 20  # issues listed per file before "…另有 N 条"


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "import",
        help="把公开的绩效目标表(文本或工作簿)导入为记录文件",
        description="把公开的项目支出绩效目标表(PDF 提取的文本、网页复制的表格或工作簿)导入为记录文件(JSON)。\n"
        "给文件夹时逐个导入其中的文件并显示进度;无法导入的文件列出原因,其余照常导入(退出码 2)。",
        findings="有跳过的行或读取警告",
    )  # fmt: skip
    add_inputs(p, "sources", "要导入的文件(.txt/.tsv/.csv 文本、.xlsx/.xls/.et 工作簿或记录 JSON)")
    add_output(p, (".json",), "记录文件(JSON)", stdout=True)
    add_catalog(p, "指标目录:内置名称(如 2021)或 JSON 文件;默认按表头年度选择")
    add_quiet(p, "只显示错误")
    p.set_defaults(run=run)


def _say(text: str, quiet: bool = False) -> None:
    if not quiet:
        print(text, file=sys.stderr)


def summarize(result: ReadResult) -> str:
    """One Chinese line per file: projects, indicator rows, skipped lines."""
    skipped = sum(1 for i in result.issues if i.code == SKIPPED)
    warnings = sum(1 for i in result.issues if i.severity.rank >= Severity.WARNING.rank)
    text = f"{len(result.projects)} 个项目,{result.rows_read} 行指标,跳过 {skipped} 行"
    return text + (f",{warnings} 条警告" if warnings else "")


def has_findings(result: ReadResult) -> bool:
    """Skipped data lines (page numbers do not count) or warnings make the import less than clean."""
    for issue in result.issues:
        if issue.code == SKIPPED and issue.params.get("kind") != "page_number":
            return True
        if issue.severity.rank >= Severity.WARNING.rank:
            return True
    return False


def run(args: argparse.Namespace) -> int:
    if args.output != "-" and Path(args.output).is_dir():
        raise UserError(f"{args.output}: 是文件夹,请给出记录文件名(如 {Path(args.output) / 'records.json'})")
    catalog: Catalog | None = load_catalog(args.catalog) if args.catalog else None
    exclude = [args.output] if args.output != "-" else []
    sources = expand_inputs(args.sources, exclude=exclude, quiet=args.quiet, what="可导入的文件")
    projects: list[ProjectTarget] = []
    unusable = findings = False
    total = len(sources)
    for number, source in enumerate(sources, start=1):
        prefix = f"[{number}/{total}] {source}"
        try:
            result = load_any(source, catalog)
        except UserError as err:
            unusable = True
            print(f"{prefix}:无法导入 — {err}", file=sys.stderr)
            continue
        except ModuleNotFoundError:
            unusable = True
            print(f"{prefix}:无法导入 — 本版本尚不能读取此类文件({Path(source).suffix})", file=sys.stderr)
            continue
        projects.extend(result.projects)
        findings = findings or has_findings(result)
        _say(f"{prefix}:{summarize(result)}", args.quiet)
        shown = [i for i in result.issues if i.code != SKIPPED or i.params.get("kind") != "page_number"]
        for issue in shown[:_SHOWN]:
            _say(f"  {issue.severity.label}:{issue.message}", args.quiet)
        if len(shown) > _SHOWN:
            _say(f"  …另有 {len(shown) - _SHOWN} 条", args.quiet)
    if not projects:
        print("错误:没有导入任何项目,未写出记录文件", file=sys.stderr)
        return EXIT_UNUSABLE
    rows = sum(len(p.indicators) for p in projects)
    if args.output == "-":
        from lubudget_xl.records import dumps  # jsonschema loads only for the verb that needs it

        sys.stdout.write(dumps(projects) + "\n")
    else:
        from lubudget_xl.records import write_records

        write_records(projects, args.output)
    where = "标准输出" if args.output == "-" else args.output
    _say(f"共导入 {len(projects)} 个项目、{rows} 行指标,已写入 {where}", args.quiet)
    if unusable:
        return EXIT_UNUSABLE
    return EXIT_FINDINGS if findings else EXIT_OK
