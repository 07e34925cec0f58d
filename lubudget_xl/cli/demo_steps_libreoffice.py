"""Demo step: the add-in's macros in LibreOffice (no Excel, no COM): 校验全部 and the check on save.

The filled workbook gets our macros (`lubudget addin embed`); LibreOffice runs 校验全部, then the save
check, and saves; the marked workbook is printed and two pages are rendered to PNG beside it.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def libreoffice_step(context: dict) -> None:
    from lubudget_xl.addin.embed import embed_macros
    from lubudget_xl.excel import libreoffice

    out = Path(context["out"])
    filled = context.get("filled")
    if not filled or not Path(filled).exists():
        _say("  (没有已填写的工作簿,跳过 LibreOffice 演示)")
        return
    absent = libreoffice.missing()
    if absent:
        _say(f"  (本机未安装 {absent},跳过 LibreOffice 演示)")
        return
    book = embed_macros(Path(filled), out / "LibreOffice演示.xlsm")
    pdf = out / "LibreOffice演示_已校验.pdf"
    log = (out / ".LibreOffice演示_消息.log").resolve()
    log.unlink(missing_ok=True)
    try:
        # LibreOffice takes absolute paths only (make demo's --out is relative: "Unsupported URL")
        libreoffice.run_session([{"file": str(book.resolve()), "steps": [
            ["call", "LubudgetRibbon.CheckAll", []],
            ["call", "ThisWorkbook.Workbook_BeforeSave", [False, False]],
            ["store"], ["pdf", str(pdf.resolve())]]}], log)  # fmt: skip
        said = libreoffice.messages(log)
    except RuntimeError as err:
        _say(f"  (LibreOffice 没有完成演示:{str(err)[:200]})")
        return
    finally:
        log.unlink(missing_ok=True)
    _say(f"已给工作簿嵌入宏:{book}(lubudget addin embed)")
    if said:
        _say(f"LibreOffice 中运行“校验全部”(宏 LubudgetRibbon.CheckAll)后弹出:\n  {said[0]}")
    if len(said) > 1:
        _say(f"保存时(保存前校验)弹出:\n  {said[1]}")
    pngs = [libreoffice.render_page(pdf, 1, out / "LibreOffice演示_校验结果.png")]
    page = libreoffice.first_page_with(pdf, "项目支出预算绩效目标表")
    if page:
        pngs.append(libreoffice.render_page(pdf, page, out / "LibreOffice演示_项目表.png"))
    _say("标注后的工作簿已打印并渲染为图片:" + "、".join(str(p) for p in pngs))
