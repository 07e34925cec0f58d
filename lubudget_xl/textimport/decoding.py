"""Bytes → text for published tables: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.

Tables come from department websites and PDF extractors on Windows, so GBK is as common as UTF-8.
Input that is not text at all (a workbook renamed .txt, a zip, random bytes) is refused with a
Chinese `UserError` naming the file, instead of being "decoded" into garbage.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from lubudget_xl.errors import UserError, os_error_reason

# Share of control / unassigned / private-use characters above which decoded text is not text.
_JUNK_SHARE = 0.02


def read_text(path: Path) -> tuple[str, str]:
    """(text, encoding name) of the file at `path`; UserError when it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: 无法读取文件({os_error_reason(exc)})") from None
    return decode_bytes(data, str(path))


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode `data`; `name` is only used in messages."""
    if not data.strip():
        raise UserError(f"{name}: 文件为空,没有可导入的内容")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), name), encoding
            except UnicodeDecodeError:
                raise UserError(f"{name}: 文件以 {encoding} 标记开头,但内容无法按该编码读取") from None
    if b"\x00" in data:
        raise UserError(f"{name}: 不是文本文件(含二进制内容),请导入从 PDF/网页复制出的文本或 Excel 工作簿")
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(encoding), name), encoding
        except UnicodeDecodeError:
            continue
    raise UserError(f"{name}: 无法识别文字编码(既不是 UTF-8,也不是 GBK/GB18030),请另存为 UTF-8 文本后再导入")


def _checked(text: str, name: str) -> str:
    if not text.strip():
        raise UserError(f"{name}: 文件为空,没有可导入的内容")
    junk = sum(1 for ch in text if ch not in "\t\r\n\f" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"))
    if junk > max(2, len(text) * _JUNK_SHARE):
        raise UserError(f"{name}: 不是文本文件(含 {junk} 个控制字符或无效字符),请确认文件内容")
    return text
