"""The 生成自评表 button: the open target workbook → the 项目支出绩效自评表 beside it.

Reads the live sheets through the port with the reader's core (the same records `lubudget selfeval
build` gets from the file) and writes `<name>_自评表.xlsx` next to the workbook; the open workbook is
never changed. Checking a filled self-evaluation (校验本表/校验全部, the save check) goes through the
bridge's `read_book`, which recognises the form.
"""

from __future__ import annotations

from pathlib import Path

from lubudget_xl.errors import UserError
from lubudget_xl.excel.bridge import read_book, status_bar
from lubudget_xl.excel.port import WorkbookPort
from lubudget_xl.selfeval import is_selfeval


def selfeval_path(workbook: str | Path) -> Path:
    path = Path(workbook)
    return path.with_name(f"{path.stem}_自评表.xlsx")


def build_selfeval(port: WorkbookPort) -> Path:
    """生成自评表: one 绩效自评表 sheet per project of the open target workbook."""
    from lubudget_xl.selfeval.form import write_selfeval

    if not port.workbook_path():
        raise UserError("工作簿还没有保存过,请先保存,再生成自评表(自评表放在工作簿旁边)。")
    with status_bar(port):
        result, catalog = read_book(port)
        if any(is_selfeval(p) for p in result.projects):
            raise UserError("当前工作簿已经是项目支出绩效自评表;请在绩效目标表中生成自评表。")
        if not result.projects:
            raise UserError("当前工作簿中没有填写的项目表,无法生成自评表。")
        target = selfeval_path(port.workbook_path())
        port.status(f"绩效自评:正在写入 {target.name}……")
        write_selfeval(result.projects, catalog, target)
        rows = sum(len(p.indicators) for p in result.projects)
        port.message(f"已生成 {len(result.projects)} 个项目、{rows} 行指标的项目支出绩效自评表:{target}")
        return target
