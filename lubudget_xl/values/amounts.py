"""One parser and one formatter for 万元 fund amounts (项目资金 cells).

The text importer and the workbook reader both read fund cells; they must agree on what a number is.
Fund cells are in 万元, so a trailing `万元` or `万` is the unit itself (kept as is), while a trailing `元`
alone means yuan and is converted to 万元 (÷10000). Words (`壹佰`), NaN and infinities are not amounts.
"""

from __future__ import annotations

import math
import re
import unicodedata

_SPACE = re.compile(r"[\s\u3000]+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def parse_amount(value: object) -> float | None:
    """`"1,234.5万元"` → 1234.5; `"50000元"` → 5.0; `156` → 156.0; `"854万(其中…)"` → 854.0 (a bracketed
    note after the amount is dropped); None for anything else (finite only)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        return number if math.isfinite(number) else None
    if not isinstance(value, str):
        return None
    text = _SPACE.sub("", unicodedata.normalize("NFKC", value)).strip(":")
    if text.endswith(")") and "(" in text:  # "854万(其中高标准农田建设400万元…)": the note explains the amount
        text = text[: text.index("(")]
    half = len(text) // 2
    if len(text) % 2 == 0 and half and text[:half] == text[half:] and text[half - 1] in "万元":
        text = text[:half]  # "854万854万": the same amount printed twice by extraction
    scale = 1.0
    if text.endswith("万元"):
        text = text[:-2]
    elif text.endswith("万"):
        text = text[:-1]
    elif text.endswith("元"):
        text, scale = text[:-1], 1e-4
    if "," in text:
        if not _GROUPED.fullmatch(text):
            return None
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text) * scale
    return number if math.isfinite(number) else None


def format_wan(number: float) -> str:
    """万元 amounts as a reviewer writes them: 72.3, 156, 0.05, 12345.67 (no float noise, no exponent)."""
    text = f"{number:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"
