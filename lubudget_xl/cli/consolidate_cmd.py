"""`lubudget consolidate INPUT... -o master.xlsx`: many department files → one master book."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from lubudget_xl.cli._options import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNUSABLE,
    SEVERITY_NAMES,
    add_catalog,
    add_inputs,
    add_jobs,
    add_output,
    add_quiet,
    add_severity,
    add_verb,
)
from lubudget_xl.cli._progress import TerminalProgress
from lubudget_xl.errors import UserError, write_error


def register(sub: argparse._SubParsersAction) -> None:
    p = add_verb(
        sub, "consolidate",
        help="把各部门提交的绩效目标表汇总成一个汇总表",
        description=(
            "读取各部门提交的文件(可给文件夹,递归查找 .xlsx/.xlsm/.xls/.et 等),并行读取并校验,\n"
            "写出汇总表:部门汇总、项目清单、绩效指标、校验问题、文件清单。\n"
            "损坏的文件不会中断汇总,会列入“文件清单”和“校验问题”;跳过的其他文件(PDF、图片等)也列入。"
        ),
        findings="有 --fail-on 级别及以上的问题",
    )  # fmt: skip
    add_inputs(p, "inputs", "部门文件或文件夹(可多个)")
    add_output(p, (".xlsx",), "汇总表(Excel 工作簿)")
    add_jobs(p)
    add_catalog(p)
    p.add_argument("--year", type=int, default=None, metavar="年度", help="汇总年度(默认取多数文件的年度)")
    add_output(p, (".json",), "项目记录(JSON)", required=False, flags=("--json",),
               help="另存计入汇总的全部项目记录(.json)")  # fmt: skip
    p.add_argument("--parquet", default=None, metavar="文件夹", help="另存 Parquet 表(项目、指标、问题、文件)")
    p.add_argument("--feedback", default=None, metavar="文件夹", help="同时为每个部门生成退回修改清单")
    p.add_argument("--issuer", default=None, metavar="单位", help="退回修改清单标题下的发文单位(如 六安市财政局)")
    p.add_argument("--deadline", default=None, metavar="YYYY-MM-DD", help="退回修改清单中写明的报回期限(请于X年X月X日前修改后报回)")
    add_severity(p, default="error", purpose="有该级别及以上的问题时退出码为 1", never=True)
    add_quiet(p, "不显示进度和摘要")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from lubudget_xl.consolidate import consolidate

    if args.catalog:
        from lubudget_xl.catalog import load_catalog

        load_catalog(args.catalog)  # a bad --catalog is a usage error before any file is read
    _refuse_output_among_inputs(args.output, args.inputs)
    from lubudget_xl.printing import Heading

    args.heading = Heading.from_options(args.issuer, args.deadline)  # a bad --deadline: exit 2 before reading
    progress = TerminalProgress(quiet=args.quiet)
    exclude = [p for p in (args.output, args.json, args.parquet, args.feedback) if p]
    try:
        result = consolidate(
            args.inputs, catalog_ref=args.catalog, jobs=args.jobs, on_progress=progress,
            exclude=exclude, expected_year=args.year, full=bool(args.json),
        )  # fmt: skip
    finally:
        progress.finish()
    with result:
        return _write_outputs(result, args)


def _write_the_rest(result, frames, args: argparse.Namespace) -> list:
    """The outputs after the master book, in order. If one fails (or Ctrl-C), the message says
    exactly what was written and what was not (issue 13): the master book is already in place."""
    steps = []
    if args.json:
        from lubudget_xl.records import project_from_dict, write_records_stream

        # one record at a time from the spool (memory flat in the number of files); self-evaluations stay so
        steps.append((f"记录 JSON {args.json}",
                       lambda: write_records_stream((project_from_dict(r) for r in result.iter_records()), args.json)))
    if args.parquet:
        from lubudget_xl.consolidate.parquet import write_parquet

        steps.append((f"Parquet 表(文件夹 {args.parquet})", lambda: write_parquet(result, frames, args.parquet)))
    if args.feedback:
        from lubudget_xl.consolidate.feedback import write_feedback

        steps.append((f"退回修改清单(文件夹 {args.feedback},其中部分可能已写出)",
                      lambda: write_feedback(args.output, args.feedback, heading=args.heading)))
    done = [f"汇总表 {args.output}"]
    books: list = []
    for n, (label, step) in enumerate(steps):
        try:
            value = step()
        except (UserError, OSError, KeyboardInterrupt) as err:
            cause = "已中断" if isinstance(err, KeyboardInterrupt) else (
                str(err) if isinstance(err, UserError) else str(write_error("", err)).lstrip(": "))
            missing = "、".join(label for label, _ in steps[n:])
            raise UserError(f"{cause}\n已写出:{'、'.join(done)};未写出:{missing}") from None
        done.append(label)
        if args.feedback and n == len(steps) - 1:
            books = value
    return books


def _write_outputs(result, args: argparse.Namespace) -> int:
    from lubudget_xl.consolidate.frames import build_frames
    from lubudget_xl.consolidate.master import write_master

    if not result.outcomes:
        raise UserError("输入中没有找到任何文件")
    if not args.quiet:
        print(f"正在写出汇总表({result.rows_counted} 行绩效指标)…", file=sys.stderr)
    frames = build_frames(result)
    try:
        written = write_master(result, frames, args.output)
    except OSError as err:  # on Windows, typically the previous master book is open in Excel
        raise write_error(args.output, err, "汇总表") from None
    except KeyboardInterrupt:
        raise UserError(f"已中断:汇总表 {args.output} 未写出(原有的汇总表保持不变),其他输出均未写出") from None
    feedback_books = _write_the_rest(result, frames, args)
    severities = result.severities()
    if not args.quiet:
        _summary(result, args, feedback_books, severities, written["绩效指标"])
    if not written["项目清单"]:  # nothing usable: exit 2, saying why (the master book lists every file)
        print(_nothing_counted(result), file=sys.stderr)
        return EXIT_UNUSABLE
    if args.severity is None:  # --fail-on never
        return EXIT_OK
    found = any(n and s in SEVERITY_NAMES and SEVERITY_NAMES[s].rank >= args.severity.rank for s, n in severities.items())
    return EXIT_FINDINGS if found else EXIT_OK


def _refuse_output_among_inputs(output: str, inputs: list[str]) -> None:
    """`-o` naming one of the INPUT files would replace a department's submission: refuse."""
    from pathlib import Path

    target = Path(output).resolve()
    for raw in inputs:
        source = Path(raw).resolve()
        if source == target:
            raise UserError(f"{output}: 输出文件就是输入文件之一,请用 -o 指定另一个汇总表路径(源文件不会被覆盖)")
        # Inside an input folder, an existing file may be replaced only if it is a master book.
        if source.is_dir() and target.is_file() and source in target.parents and not _is_master(target):
            raise UserError(
                f"{output}: 输出文件就是输入文件夹中的一个文件(不是汇总表),请用 -o 指定另一个汇总表路径(源文件不会被覆盖)"
            )


def _is_master(path) -> bool:
    """A master book written by this command (its 文件清单 and 校验问题 sheets), judged by its parts."""
    import re
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = set(re.findall(r'<sheet [^>]*name="([^"]*)"', z.read("xl/workbook.xml").decode("utf-8")))
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        return False
    return {"文件清单", "校验问题"} <= names


def _nothing_counted(result) -> str:
    """Why the master book counts no project: the first files' reasons, in Chinese."""
    from lubudget_xl.consolidate.batch import STATUS_LABELS

    lines = [f"没有任何项目计入汇总(共 {len(result.outcomes)} 个文件),汇总表中只有“文件清单”和“校验问题”:"]
    for o in result.outcomes[:10]:
        lines.append(f"  {o.path}:{STATUS_LABELS[o.status]}" + (f",{o.reason}" if o.reason else ""))
    if len(result.outcomes) > 10:
        lines.append(f"  …… 其余 {len(result.outcomes) - 10} 个文件见汇总表“文件清单”")
    return "\n".join(lines)


def _summary(result, args: argparse.Namespace, feedback_books: list, severities: Counter, rows: int) -> None:
    from lubudget_xl.consolidate.batch import STATUS_LABELS

    def say(text: str) -> None:
        print(text, file=sys.stderr)

    statuses = Counter(o.status for o in result.outcomes)
    parts = "、".join(f"{STATUS_LABELS[s]} {n}" for s, n in sorted(statuses.items(), key=lambda kv: -kv[1]))
    departments = {key.department for _, key in result.counted_keys()}
    say(f"文件 {len(result.outcomes)} 个:{parts}")
    say(f"计入汇总:{len(departments)} 个部门,{result.projects_counted} 个项目,{rows} 行绩效指标")
    say(
        f"指标行核对:读取 {result.rows_read} 行 = 计入 {rows} 行 + 未计入 {result.rows_excluded} 行"
        + ("(一致)" if result.rows_read == rows + result.rows_excluded else "(不一致!)")
    )
    say(f"校验问题:错误 {severities['error']} 个,警告 {severities['warning']} 个,提示 {severities['info']} 个")
    if result.expected_year is not None:
        say(f"汇总年度:{result.expected_year}")
    say(f"汇总表:{args.output}")
    if args.json:
        say(f"项目记录:{args.json}")
    if args.parquet:
        say(f"Parquet 表:{args.parquet}/")
    if args.feedback:
        say(f"退回修改清单:{len(feedback_books)} 个部门,在 {args.feedback}/")
