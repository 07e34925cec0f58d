"""Demo step: a finance bureau's inbox consolidated into one master book, with reconciled counts."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

REASONS = {"BATCH_DUPLICATE_FILE": "重复文件", "BATCH_DUPLICATE_PROJECT": "重复提交的项目", "BATCH_OTHER_YEAR": "其他年度"}


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def build_inbox(folder: Path, samples: list[Path]) -> list[Path]:
    """Department workbooks (filled forms, varied) plus the usual accidents: a broken file and
    one sent twice; `samples` (the filled sample book, the seed's text) join as they are."""
    from lubudget_xl.consolidate.samples import write_workbook_batch

    if folder.exists():
        shutil.rmtree(folder)
    files = write_workbook_batch(folder, files=12, projects_per_file=6, seed=2021, bases=12, vary=True)
    for n, sample in enumerate(samples, start=1):
        files.append(Path(shutil.copy(sample, folder / f"样例{n}_{sample.name}")))
    shutil.copy(files[0], folder / f"{files[0].stem}(重复发送){files[0].suffix}")
    (folder / "损坏的文件.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (folder / "~$六安市教育局.xlsx").write_bytes(b"lock")
    return files


def step_consolidate(context: dict) -> None:
    from lubudget_xl.consolidate import consolidate
    from lubudget_xl.consolidate.batch import STATUS_LABELS
    from lubudget_xl.consolidate.feedback import write_feedback
    from lubudget_xl.consolidate.frames import build_frames
    from lubudget_xl.consolidate.master import write_master
    from lubudget_xl.printing import demo_heading

    out: Path = context["out"]
    inbox = out / "部门报送"
    build_inbox(inbox, [Path(context[k]) for k in ("filled", "sample") if context.get(k)])
    master = out / "汇总表.xlsx"
    with consolidate([inbox], jobs=2) as result:
        frames = build_frames(result)
        written = write_master(result, frames, master)
        batch_issues = [i for issues in result.batch_issues.values() for i in issues]
    books = write_feedback(master, out / "退回修改", heading=demo_heading())
    statuses = Counter(o.status for o in result.outcomes)
    _say(f"收到 {len(result.outcomes)} 个文件:" + "、".join(f"{STATUS_LABELS[s]} {n}" for s, n in statuses.items()))
    for o in result.outcomes:  # the files not counted as they are, each by name
        if o.status not in ("ok", "other_template"):
            name = Path(o.path).name
            reason = o.reason.removeprefix(f"{name}: ")
            reason = reason if len(reason) <= 40 else reason[:39] + "…"
            _say(f"  {STATUS_LABELS[o.status]}:{name}({reason})")
    departments = int((frames.departments["projects"] > 0).sum())
    rows = written["绩效指标"]
    _say(f"计入 {departments} 个部门、{written['项目清单']} 个项目、{rows} 行绩效指标")
    same = result.rows_read == rows + result.rows_excluded
    why = Counter()
    for issue in batch_issues:
        if issue["code"] in REASONS:
            why[REASONS[issue["code"]]] += int(issue["params"].get("rows_excluded", 0))
    reasons = "、".join(f"{label} {n} 行" for label, n in why.items() if n) or "无"
    _say(
        f"核对:读取 {result.rows_read} 行 = 计入 {rows} 行 + 未计入 {result.rows_excluded} 行"
        f"({reasons}){'——一致' if same else '——不一致!'}"
    )
    _say(f"校验问题 {written['校验问题']} 条;汇总表:{master};退回修改清单 {len(books)} 份:{out / '退回修改'}/")
    context["master"] = master
