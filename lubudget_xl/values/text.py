"""Character-level normalisation of value text, applied before any pattern matching.

Values are typed in Excel and WPS with Chinese input methods, so full-width digits, letters and
punctuation (`９５％`, `＞＝`) are as common as ASCII ones. One `str.translate` table folds them to
ASCII; it is cheaper than `unicodedata.normalize("NFKC")` and, unlike NFKC, leaves circled list
markers (①) and other compatibility characters alone, so they never turn into spurious numbers.
"""

from __future__ import annotations

_TABLE: dict[int, str | None] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_TABLE.update(
    {
        0x3000: " ",  # ideographic space
        0x00A0: " ",  # no-break space (Excel exports)
        0x200B: None,  # zero-width space
        0x200C: None,
        0x200D: None,
        0x2060: None,
        0xFEFF: None,  # BOM pasted from text files
        ord("≧"): "≥",
        ord("≦"): "≤",
        ord("⩾"): "≥",
        ord("⩽"): "≤",
        ord("≮"): "≥",  # "not less than"
        ord("≯"): "≤",  # "not greater than"
        ord("﹪"): "%",
        ord("﹤"): "<",
        ord("﹥"): ">",
        ord("﹦"): "=",
        ord("﹐"): ",",
        ord("﹑"): "、",
        ord("﹔"): ";",
        ord("\u2212"): "-",  # minus sign
        ord("\r"): "\n",
    }
)

# Characters that end a clause: a label never reaches back across one.
DELIMITERS = frozenset(",;。、\n\t!?")


def normalize_text(text: str) -> str:
    """Fold full-width forms to ASCII and drop zero-width characters."""
    return text.translate(_TABLE)
