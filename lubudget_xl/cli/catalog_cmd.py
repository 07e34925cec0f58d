"""`lubudget catalog new|validate|diff|list`: the template maintainer's tools for the yearly catalogue.

new: next year's catalogue from last year's (exit 0 written, 2 refused: exists, no source, invalid).

validate: exit 0 valid (warnings allowed), 1 errors found, 2 file missing or not JSON.
diff: the report read before issuing a new year's template (text, or `--format json`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lubudget_xl.catalog import builtin_names, find_catalog, load_catalog, read_catalog_json
from lubudget_xl.catalog.core import maintainer_catalogs, shipped_names
from lubudget_xl.cli._options import add_output, add_verb

if TYPE_CHECKING:  # the checks load jsonschema: imported by the verbs that run them, not by every command
    from lubudget_xl.catalog.check import Problem


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "catalog",
        help="指标目录:校验、比较、列出",
        description="指标目录(每年一个 JSON 文件)的维护工具。",
    )
    verbs = p.add_subparsers(dest="catalog_verb", metavar="子命令", title="子命令")
    n = add_verb(
        verbs, "new",
        help="建立新年度的指标目录(每年第一步)",
        description="以上年目录为基础建立新年度的指标目录:指标体系、清单、表式和规则设置不变,年度和标题顺延,"
        "修订号为 1,supersedes 指向来源目录,迁移映射为原样对应。写出前按格式和内容校验。\n"
        "默认写到维护人目录文件夹(环境变量 LUBUDGET_CATALOG_DIR,否则 ~/.lubudget/catalogs),"
        "之后 check、consolidate、template build、rollover 都能按年度名称(如 2023)找到它。\n"
        "已存在、没有可沿用的目录、内容有误时不写出(退出码 2)。",
    )
    n.add_argument("--year", type=int, required=True, help="新年度,例如 2023")
    n.add_argument("--from", dest="source", metavar="目录", help="沿用的目录:名称或 JSON 文件(默认上一年度的目录)")
    add_output(n, (".json",), "指标目录(JSON)", required=False, help="写到该文件(.json;默认 <维护人目录文件夹>/<年度>.json)")
    n.set_defaults(run=run_new)
    v = add_verb(
        verbs, "validate",
        help="校验指标目录文件",
        description="按格式(JSON Schema)和内容(名称冲突、未知二级指标、单位、迁移映射)校验指标目录。\n"
        "只有警告时退出码为 0;文件无法读取或不是 JSON 时为 2。",
        findings="目录有错误",
    )
    v.add_argument("file", metavar="文件", help="指标目录 JSON 文件(或内置目录名,如 2022)")
    v.add_argument("--format", choices=["text", "json"], default="text", help="输出格式(默认 text)")
    v.set_defaults(run=run_validate)
    d = add_verb(
        verbs, "diff",
        help="比较两个指标目录",
        description="列出从旧目录到新目录的变化:一级/二级指标的增删改、别名、建议三级指标、规则设置、表式和迁移映射。",
    )
    d.add_argument("old", metavar="旧目录", help="内置目录名或 JSON 文件")
    d.add_argument("new", metavar="新目录", help="内置目录名或 JSON 文件")
    d.add_argument("--format", choices=["text", "json"], default="text", help="输出格式(默认 text)")
    d.set_defaults(run=run_diff)
    lst = add_verb(
        verbs, "list", help="列出内置指标目录", description="列出内置指标目录的名称、年度、修订号和标题。"
    )
    lst.add_argument("--format", choices=["text", "json"], default="text", help="输出格式(默认 text)")
    lst.set_defaults(run=run_list)
    p.set_defaults(run=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _superseded_tree(data: dict, file: Path | None) -> tuple[list | None, list[Problem]]:
    """The superseded catalogue's tree: a built-in name, or `<name>.json` beside the file."""
    from lubudget_xl.catalog.check import WARNING, Problem

    name = data.get("supersedes")
    if not name:
        return None, []
    found = find_catalog(name, file.parent if file is not None else None)
    if found:
        return load_catalog(found).data["tree"], []
    message = f"找不到被取代的目录“{name}”(既非内置目录,也不在同一文件夹),未检查迁移来源"
    return None, [Problem("supersedes", message, WARNING)]


def run_validate(args: argparse.Namespace) -> int:
    from lubudget_xl.catalog.check import ERROR, release_problems, schema_problems, semantic_problems

    data, where = read_catalog_json(args.file)
    problems = schema_problems(data)
    if not problems:
        path = Path(args.file) if args.file not in builtin_names() else None
        old_tree, notes = _superseded_tree(data, path)
        problems = notes + semantic_problems(data, old_tree) + release_problems(data, args.file)
    errors = sum(p.severity == ERROR for p in problems)
    if args.format == "json":
        report = {"file": where, "valid": errors == 0, "problems": [p.to_dict() for p in problems]}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    for p in problems:
        print(f"{where}: {p}", file=sys.stderr)
    warnings = len(problems) - errors
    if errors:
        print(f"{where}: 校验未通过,{errors} 个错误,{warnings} 个警告。", file=sys.stderr)
        return 1
    print(f"{where}: 校验通过" + (f"({warnings} 个警告)。" if warnings else "。"), file=sys.stderr)
    return 0


def run_new(args: argparse.Namespace) -> int:
    from lubudget_xl.catalog.new_year import write_new_year

    target, catalog = write_new_year(args.year, args.source, Path(args.output) if args.output else None)
    print(f"已写出 {args.year} 年指标目录 {target}(版本 {catalog.version},取代 {catalog.superseded})。", file=sys.stderr)
    name = str(args.year) if args.output is None else str(target)
    print("下一步:\n"
          f"  lubudget catalog diff {catalog.superseded} {name}    # 核对与上年的差异(指标体系不变)\n"
          f"  lubudget template build --catalog {name} -o {args.year}年模板.xlsx\n"
          f"  lubudget rollover 上年表.xlsx --to-year {args.year} -o 结转_{args.year}.xlsx", file=sys.stderr)  # fmt: skip
    return 0


def run_diff(args: argparse.Namespace) -> int:
    from lubudget_xl.catalog.diff import diff_catalogs, render_diff

    old, new = load_catalog(args.old), load_catalog(args.new)
    report = diff_catalogs(old, new, args.old, args.new)
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_diff(report))
    return 0


def run_list(args: argparse.Namespace) -> int:
    rows = []
    for name in builtin_names():
        c = load_catalog(name)
        rows.append(
            {
                "name": name,
                "version": c.version,
                "year": c.year,
                "revision": c.data["revision"],
                "supersedes": c.superseded,
                "title": c.title,
                "where": "内置" if name in shipped_names() else str(maintainer_catalogs()[name]),
            }
        )
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print("名称\t年度\t修订号\t版本\t取代\t标题\t位置")
    for r in rows:
        print(
            f"{r['name']}\t{r['year']}\t{r['revision']}\t{r['version']}\t{r['supersedes'] or '-'}\t{r['title']}"
            f"\t{r['where']}"
        )
    return 0
