"""Demo step: what the 绩效目标 ribbon does in Excel, run on a copy of the filled workbook.

No Excel here: the bridge drives the file-backed port (the same code the add-in runs through
xlwings), so the step prints what Excel would show — status bar, message boxes, marked cells — and
leaves the marked workbook and the exported records in the output folder.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def excel_step(context: dict) -> None:
    from lubudget_xl.excel import bridge
    from lubudget_xl.excel.file_port import FileWorkbookPort

    _build_addin(Path(context["out"]))
    filled = context.get("filled")
    if not filled or not Path(filled).exists():
        _say("  (没有已填写的工作簿,跳过 Excel 加载项演示)")
        return
    out = Path(context["out"])
    book = shutil.copyfile(filled, out / "Excel加载项演示_已校验.xlsx")

    port = FileWorkbookPort(book)
    bridge.on_save(port)
    _say("保存时(Ctrl+S)加载项弹出:")
    _say(f"  {port.messages[-1] if port.messages else '(未发现问题,不弹窗)'}")

    port = FileWorkbookPort(book)
    summary = bridge.check_all(port)
    port.save()
    _say("点击“绩效目标 → 校验全部”后:")
    _say(f"  状态栏依次显示 {len(port.status_log) - 1} 条进度,最后交还给 Excel")
    _say(f"  弹窗:{port.messages[-1]}")
    _say(f"  在 {len(summary.plan.marks)} 个单元格上加了批注和底色,例如:")
    for mark in sorted(summary.plan.marks, key=lambda m: -m.severity.rank)[:5]:
        first = mark.note.splitlines()[0]
        _say(f"    '{mark.sheet}'!{mark.cell}  {first[:70]}{'…' if len(first) > 70 else ''}")
    _say(f"  “校验结果”表 {len(summary.plan.rows)} 行,每行可跳转到对应单元格:{book}")

    target = bridge.export_records(port)
    _say(f"点击“导出记录”:{port.messages[-1].split(':', 1)[0]} → {target.name}")
    context["excel_checked"] = book
    context["excel_records"] = target


def _build_addin(out: Path) -> None:
    from lubudget_xl.addin.package import build_addin, collect_modules
    from lubudget_xl.errors import UserError

    try:
        modules = collect_modules()
        addin = build_addin(out / "lubudget.xlam")
    except UserError as err:
        _say(f"  (未生成加载项:{err})")
        return
    _say(f"已由文本源生成加载项 {addin}({addin.stat().st_size // 1024} KB,无需 Excel):")
    _say(f"  VBA 模块 {len(modules)} 个:{'、'.join(m.name for m in modules)};功能区“绩效目标”选项卡 7 个按钮")
