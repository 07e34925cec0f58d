"""Rollover: last year's tables (text, workbook or records) → next year's template (issue 8)."""

from lubudget_xl.rollover.core import ProjectOutcome, RolloverResult, rollover
from lubudget_xl.rollover.years import YearScan, shift_years

__all__ = ["ProjectOutcome", "RolloverResult", "YearScan", "rollover", "shift_years"]
