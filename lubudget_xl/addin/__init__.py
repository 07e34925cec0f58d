"""Builds the Excel add-in (`lubudget.xlam`) from text sources, on any OS.

`package.build_addin` assembles the workbook package; `vbaproject.build_vba_project` writes the VBA
project ([MS-OVBA]) into a compound file (`cfb`), compressing with `ovba`. No Excel is needed.
"""

from lubudget_xl.addin.package import build_addin

__all__ = ["build_addin"]
