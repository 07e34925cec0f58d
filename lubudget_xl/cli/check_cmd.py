"""`lubudget check FILE...`: the reviewer's rules on workbooks, published text and records JSON.

Exit codes (STYLE.md §7): 0 — no finding at or above --fail-on; 1 — such findings (an unreadable
file is an error finding, and the batch goes on); 2 — nothing could be checked at all (every file
unreadable or a blank form), an annotated copy asked for could not be written, or bad usage. The report goes to stdout (text for people, or JSON for programs, so it
can be redirected to a file); progress lines go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from lubudget_xl.cli._options import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNUSABLE,
    add_catalog,
    add_inputs,
    add_quiet,
    add_severity,
    add_verb,
    expand_inputs,
)
from lubudget_xl.issues import Issue, Severity


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "check",
        help="按审核规则校验绩效目标表(工作簿、文本、records JSON)",
        description="按审核规则校验项目支出绩效目标表。可一次校验多个文件;无法读取的文件记为错误,其余照常校验。\n"
        "没有任何文件能够校验(都无法读取或是空白表格)、批注副本无法写出时退出码为 2。",
        findings="有 --fail-on 级别及以上的问题(无法读取的文件记为错误)",
    )  # fmt: skip
    add_inputs(p, "files", "要校验的文件(.xlsx/.xlsm/.xls/.et/.txt/.json …)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式:text(默认,供人阅读)或 json")
    add_severity(p, default="error", purpose="有该级别及以上的问题时退出码为 1")
    p.add_argument("--annotate", metavar="文件夹", help="为每个工作簿写一份带批注和“校验结果”表的副本到该文件夹(原文件不变)")
    p.add_argument("--issuer", default=None, metavar="单位", help="批注副本“校验结果”标题下的发文单位(如 六安市财政局)")
    p.add_argument("--deadline", default=None, metavar="YYYY-MM-DD", help="批注副本“校验结果”中写明的报回期限(请于X年X月X日前修改后报回)")
    add_catalog(p)
    add_quiet(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from lubudget_xl.catalog import load_catalog
    from lubudget_xl.checking import check_files, missing_year_issues
    from lubudget_xl.cli._progress import TerminalProgress
    from lubudget_xl.consolidate.discover import shown
    from lubudget_xl.printing import Heading

    heading = Heading.from_options(args.issuer, args.deadline)  # a bad --deadline: exit 2 before reading
    if args.annotate:
        refuse_annotate_onto_inputs(args.annotate, args.files)
    catalog = load_catalog(args.catalog) if args.catalog else None
    files = expand_paths(args.files, args.annotate, args.quiet)
    progress = TerminalProgress(quiet=args.quiet or len(files) < 2)
    try:
        outcomes = check_files(files, catalog, progress, isolated=True)
    finally:
        progress.finish()
    annotate_failed = bool(args.annotate) and not _annotate(outcomes, Path(args.annotate), args.quiet, heading)
    batch = missing_year_issues(outcomes) if catalog is None else []
    issues = [*batch, *(i for o in outcomes for i in o.issues)]
    if args.format == "json":
        report = {"files": [o.to_dict() for o in outcomes], "issues": [i.to_dict() for i in issues[len(batch):]]}
        if batch:
            report["batch"] = [i.to_dict() for i in batch]
        sys.stdout.write(shown(json.dumps(report, ensure_ascii=False, indent=1)) + "\n")
    else:  # file names that were no UTF-8 (GBK from a Windows zip) shown decoded as GBK
        sys.stdout.write(shown(render_batch(batch) + render_text(outcomes)))
    if not any(o.checked or o.status == "empty" for o in outcomes):
        return EXIT_UNUSABLE
    if annotate_failed:  # the copies asked for are not all there: the run did not do its job
        return EXIT_UNUSABLE
    threshold = args.severity.rank
    return EXIT_FINDINGS if any(i.severity.rank >= threshold for i in issues) else EXIT_OK


def expand_paths(paths: list[str], annotate: str | None, quiet: bool) -> list[str]:
    """Folders become the readable files inside them (lock and hidden files skipped, as in
    consolidation); files named explicitly are kept as given, even when missing (a finding).
    Our own annotated copies (in a folder inside the input) are not inputs."""
    return expand_inputs(paths, exclude=[annotate] if annotate else [], quiet=quiet, what="可校验的文件")


def refuse_annotate_onto_inputs(annotate: str, inputs: list[str]) -> None:
    """`--annotate` naming an input file, or an input folder itself: the copies would be written
    among the departments' files (and a later check of the folder would read them as submissions)."""
    from lubudget_xl.errors import UserError

    target = Path(annotate).resolve()
    onto_input = any(Path(raw).resolve() == target for raw in inputs)
    if target.is_file():
        what = "要校验的文件之一" if onto_input else "一个已存在的文件"
        raise UserError(f"{annotate}: 这是{what},不是文件夹;源文件不会被修改,批注副本需要写入一个文件夹,"
                        "请用 --annotate 另选一个输出文件夹")
    if onto_input:
        raise UserError(f"{annotate}: --annotate 的文件夹就是要校验的文件夹;源文件不会被修改,"
                        "但批注副本会与报送的文件混在一起,请用 --annotate 另选一个输出文件夹")


def _annotate(outcomes, folder: Path, quiet: bool, heading=None) -> bool:
    """Write the annotated copies; False when one that was due could not be written (said on stderr)."""
    from lubudget_xl.annotate_copy import ANNOTATABLE, distinct_names, write_annotated_copy
    from lubudget_xl.errors import UserError

    wanted = [o for o in outcomes if o.checked and Path(o.file).suffix.lower() in ANNOTATABLE]
    names = dict(zip(map(id, wanted), distinct_names(o.file for o in wanted), strict=True))
    complete = True
    for outcome in outcomes:
        if not outcome.checked:
            continue
        if Path(outcome.file).suffix.lower() not in ANNOTATABLE:
            if not quiet:
                print(f"{outcome.file}: 不是 .xlsx/.xlsm 工作簿,不生成批注副本", file=sys.stderr)
            continue
        try:
            target, plan = write_annotated_copy(outcome.file, outcome.issues, folder, names[id(outcome)], heading)
        except UserError as err:
            print(f"错误:{err}", file=sys.stderr)
            complete = False
            continue
        except OSError as err:  # the folder cannot be written (read-only share, a copy open in Excel)
            from lubudget_xl.errors import os_error_reason

            print(f"错误:{folder}: 无法写出批注副本({os_error_reason(err)})", file=sys.stderr)
            complete = False
            continue
        outcome.annotated = str(target)
        if not quiet:
            print(f"已写出批注副本 {outcome.file} → {target}({len(plan.marks)} 个单元格批注)", file=sys.stderr)
    return complete


def _counts(issues: list[Issue]) -> str:
    c = Counter(i.severity for i in issues)
    return f"错误 {c[Severity.ERROR]},警告 {c[Severity.WARNING]},提示 {c[Severity.INFO]}"


def _where(issue: Issue) -> str:
    from lubudget_xl.rules._registry import place

    return place(issue.location) or "(文件)"


def _order(issue: Issue) -> tuple:
    """Worst first, then in reading order (sheet, row, column; or line)."""
    from lubudget_xl.annotations import cell_order

    loc = issue.location
    return (-issue.severity.rank, loc.sheet or "", cell_order(loc.cell or ""), loc.line or 0)


def render_batch(batch: list[Issue]) -> str:
    """Findings about the run, not about one file (addressed to the reviewer), before the files."""
    lines = [f"本次校验:[{i.severity.label}] {i.code} {i.message}" for i in batch]
    return "\n".join(lines) + "\n\n" if lines else ""


def render_text(outcomes) -> str:
    """The report for people: per file, per project, each finding with its place and fix."""
    lines: list[str] = []
    for outcome in outcomes:
        lines.append(f"{outcome.file}:{len(outcome.projects)} 个项目,{_counts(outcome.issues)}")
        groups: dict[str | None, list[Issue]] = {}
        for issue in outcome.issues:
            groups.setdefault(issue.project, []).append(issue)
        for project, found in groups.items():
            lines.append(f"  项目「{project}」:{_counts(found)}" if project else f"  文件:{_counts(found)}")
            for issue in sorted(found, key=_order):
                lines.append(f"    [{issue.severity.label}] {_where(issue)} {issue.code} {issue.message}")
                if issue.fix:
                    fix = issue.fix if len(issue.fix) <= 60 else issue.fix[:60] + "…(完整建议见 --format json)"
                    lines.append(f"        建议:{fix}")
        if outcome.annotated:
            lines.append(f"  批注副本:{outcome.annotated}")
        lines.append("")
    all_issues = [i for o in outcomes for i in o.issues]
    unreadable = sum(1 for o in outcomes if o.status == "unreadable")
    projects = sum(len(o.projects) for o in outcomes)
    summary = f"合计:{len(outcomes)} 个文件"
    if unreadable:
        summary += f"(其中 {unreadable} 个无法读取)"
    lines.append(f"{summary},{projects} 个项目,{_counts(all_issues)}")
    return "\n".join(lines) + "\n"
