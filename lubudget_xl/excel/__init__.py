"""The Excel bridge: what the 绩效目标 ribbon and the save check do in a live workbook.

`entry` holds the functions VBA calls through xlwings' RunPython; `bridge` the operations, written
against the narrow `port.WorkbookPort`; `xlwings_port` is the live-Excel side (lazy xlwings),
`file_port` an openpyxl file side used by tests and the demo. Importing this package loads neither
xlwings nor openpyxl.
"""

from lubudget_xl.excel.port import WorkbookPort

__all__ = ["WorkbookPort"]
