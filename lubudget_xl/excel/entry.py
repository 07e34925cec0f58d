"""The functions the add-in's VBA calls through xlwings' RunPython, one per ribbon button.

VBA runs `import lubudget_xl.excel.entry as e; e.check_sheet()` (macros/LubudgetMain.bas): a fixed
module, never one named after the workbook. RunPython starts a new Python for every call, so this
module imports little at the top; the work happens in `bridge` on the live workbook's port.

A `UserError` becomes a Chinese message box; anything else propagates, so xlwings shows the
traceback and the VBA reports that the operation did not finish. `on_save` is the exception: it
reports every failure itself and returns normally, so nothing can stand in the way of a save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lubudget_xl.errors import UserError
from lubudget_xl.excel import bridge
from lubudget_xl.excel.failure import failure_text
from lubudget_xl.excel.port import WorkbookPort


def _port() -> WorkbookPort:
    from lubudget_xl.excel.xlwings_port import XlwingsWorkbookPort

    return XlwingsWorkbookPort.caller()


def run(operation: Callable[..., Any], port: WorkbookPort, *args: Any) -> Any:
    """Run one bridge operation; a UserError is shown to the user instead of a traceback."""
    try:
        return operation(port, *args)
    except UserError as err:
        port.message(str(err))
        return None


def decode_path(hex_utf16: str) -> str:
    """The folder path VBA sends as hex UTF-16 code units (LubudgetMain.HexW): any characters survive."""
    try:
        return "".join(chr(int(hex_utf16[i : i + 4], 16)) for i in range(0, len(hex_utf16), 4))
    except ValueError:
        raise UserError(f"文件夹路径无法识别:{hex_utf16[:40]}") from None


def check_sheet(port: WorkbookPort | None = None) -> Any:
    return run(bridge.check_sheet, port or _port())


def check_all(port: WorkbookPort | None = None) -> Any:
    return run(bridge.check_all, port or _port())


def clear_marks(port: WorkbookPort | None = None) -> Any:
    return run(bridge.clear, port or _port())


def new_project_sheet(port: WorkbookPort | None = None) -> Any:
    return run(bridge.new_project_sheet, port or _port())


def insert_indicator_row(port: WorkbookPort | None = None) -> Any:
    return run(bridge.insert_indicator_row, port or _port())


def export_records(port: WorkbookPort | None = None) -> Any:
    return run(bridge.export_records, port or _port())


def consolidate_folder(folder_hex: str, port: WorkbookPort | None = None) -> Any:
    port = port or _port()
    try:
        folder = decode_path(folder_hex)
    except UserError as err:
        port.message(str(err))
        return None
    return run(bridge.consolidate_folder, port, folder)


def build_selfeval(port: WorkbookPort | None = None) -> Any:
    """生成自评表 (绩效自评): the open target workbook → `<name>_自评表.xlsx` beside it."""
    from lubudget_xl.excel import selfeval_ops

    return run(selfeval_ops.build_selfeval, port or _port())


def on_save(port: WorkbookPort | None = None) -> Any:
    """Called before every save of a template workbook; never raises once the port exists."""
    port = port or _port()
    try:
        return bridge.on_save(port)
    except Exception as err:  # noqa: BLE001 - a save must go on whatever happened on our side
        port.message(f"保存前校验没有完成:{failure_text(err).rstrip('。')}。文件照常保存。")
        return None
