"""Workbook → `ProjectTarget` records, with the A1 location of every field read.

`read_sheets` is the format-free core (plain grids; the Excel bridge feeds it live sheets);
`read_workbook` loads grids with python-calamine and custom properties with defusedxml.
"""

from lubudget_xl.reader.cells import UncalculatedFormula
from lubudget_xl.reader.identity import INFO_SHEET, PROPERTY_KEYS
from lubudget_xl.reader.sheets import read_sheets
from lubudget_xl.reader.workbook import read_workbook

__all__ = ["INFO_SHEET", "PROPERTY_KEYS", "UncalculatedFormula", "read_sheets", "read_workbook"]
